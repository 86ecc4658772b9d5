using VendorPortal.Features.Patches;
using VendorPortal.Features.Policy;
using VendorPortal.Features.Reminders;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.UnitTests.Features.Reminders;

/// <summary>The decision of every reminder source, with explicit dates (the SQL only pre-filters; these decide).</summary>
public sealed class ReminderSourceRulesTests
{
    private static readonly Guid Hospital = Guid.NewGuid();
    private static readonly Guid Vendor = Guid.NewGuid();
    private static readonly CompliancePolicy Policy = CompliancePolicy.Defaults(Hospital); // 365/180/90/30; 14/30/90
    private static readonly DateOnly EndsOn = new(2027, 1, 14);

    [Theory]
    [InlineData("2025-12-01", null)] // 409 days left: outside every window
    [InlineData("2026-01-14", 365)]  // exactly 365 days left
    [InlineData("2026-07-18", 180)]
    [InlineData("2026-10-16", 90)]
    [InlineData("2026-12-15", 30)]
    [InlineData("2027-01-14", 30)]   // the day itself: 0 days left, still the 30-day window
    [InlineData("2027-01-15", 0)]    // passed
    public void Eos_window_is_the_smallest_window_entered_or_zero_once_passed(string today, int? window)
        => Assert.Equal(window, EosReminderSource.Window(EndsOn, DateOnly.Parse(today), Policy.EosWarningDays));

    [Fact]
    public void Eos_goes_to_the_engaged_supplying_vendor_else_to_the_hospital_system_operator()
    {
        var date = Guid.NewGuid();
        var today = new DateOnly(2026, 10, 20);
        var toVendor = EosReminderSource.Decide(date, Hospital, EndsOn, "Windows Server 2016", "SRV-01", Vendor, today, Policy)!;
        Assert.Equal($"eos:{date}:90", toVendor.DedupeKey);
        Assert.Equal(Vendor, toVendor.OwnerOrganizationId);
        Assert.False(toVendor.ToHospital);
        Assert.Equal("Reminder_EosApproaching", toVendor.TextKey);
        Assert.Equal(["Windows Server 2016", "SRV-01", "2027-01-14", "86"], toVendor.Args);

        var toHospital = EosReminderSource.Decide(date, Hospital, EndsOn, "Windows Server 2016", "SRV-01", null, today, Policy)!;
        Assert.Equal(Hospital, toHospital.OwnerOrganizationId);
        Assert.True(toHospital.ToHospital);

        Assert.Null(EosReminderSource.Decide(date, Hospital, EndsOn, "x", "y", null, new DateOnly(2025, 12, 1), Policy));
        Assert.Equal("Reminder_EosPassed", EosReminderSource.Decide(date, Hospital, EndsOn, "x", "y", null, new DateOnly(2027, 2, 1), Policy)!.TextKey);
    }

    [Fact]
    public void Eos_reminder_clears_when_superseded_by_the_next_window_when_the_date_moved_or_the_component_is_gone()
    {
        var today = new DateOnly(2026, 10, 20); // 86 days left: window 90
        Assert.False(EosReminderSource.Cleared(90, live: true, EndsOn, today, Policy));
        Assert.True(EosReminderSource.Cleared(180, live: true, EndsOn, today, Policy)); // superseded by 90
        Assert.True(EosReminderSource.Cleared(90, live: true, new DateOnly(2028, 1, 1), today, Policy)); // date moved out
        Assert.True(EosReminderSource.Cleared(90, live: false, EndsOn, today, Policy)); // retired
        Assert.True(EosReminderSource.Cleared(90, live: true, null, today, Policy)); // date deleted
    }

    [Fact]
    public void Eos_uses_the_hospitals_own_windows()
    {
        var policy = new CompliancePolicy { HospitalId = Hospital, EosWarningDays = [60, 14] };
        Assert.Null(EosReminderSource.Window(EndsOn, EndsOn.AddDays(-100), policy.EosWarningDays));
        Assert.Equal(60, EosReminderSource.Window(EndsOn, EndsOn.AddDays(-60), policy.EosWarningDays));
        Assert.Equal(14, EosReminderSource.Window(EndsOn, EndsOn.AddDays(-3), policy.EosWarningDays));
    }

    [Theory]
    [InlineData(AdvisorySeverity.Critical, "2026-05-15", false)] // released 5/1 + 14 = due 5/15: not yet overdue on the due day
    [InlineData(AdvisorySeverity.Critical, "2026-05-16", true)]
    [InlineData(AdvisorySeverity.High, "2026-05-31", false)]
    [InlineData(AdvisorySeverity.High, "2026-06-01", true)]
    [InlineData(AdvisorySeverity.Low, "2026-07-30", false)]
    [InlineData(AdvisorySeverity.Low, "2026-07-31", true)]
    public void Patch_is_overdue_the_day_after_its_severitys_deadline(AdvisorySeverity severity, string today, bool overdue)
    {
        var status = Guid.NewGuid();
        var c = PatchOverdueReminderSource.Decide(status, Hospital, PatchState.Open, false, severity, new DateOnly(2026, 5, 1), "CVE-2026-0001", "FW-01", DateOnly.Parse(today), Policy);
        Assert.Equal(overdue, c is not null);
        if (c is not null)
        {
            Assert.Equal($"patch:{status}:overdue", c.DedupeKey);
            Assert.True(c.ToHospital);
            Assert.Equal(Hospital, c.OwnerOrganizationId);
        }
    }

    [Theory]
    [InlineData(PatchState.Open, false, true)]
    [InlineData(PatchState.Planned, false, true)]
    [InlineData(PatchState.Deferred, false, true)]  // deferral not approved yet
    [InlineData(PatchState.Deferred, true, false)]  // approved deferral is settled
    [InlineData(PatchState.Applied, false, false)]
    [InlineData(PatchState.NotApplicable, false, false)]
    public void Only_unsettled_patches_are_overdue(PatchState state, bool approved, bool overdue)
        => Assert.Equal(overdue, PatchOverdueReminderSource.Decide(Guid.NewGuid(), Hospital, state, approved, AdvisorySeverity.Critical,
            new DateOnly(2026, 1, 1), "CVE", "PC", new DateOnly(2026, 6, 1), Policy) is not null);

    [Fact]
    public void A_vendors_committed_date_passed_goes_to_that_vendor_and_the_key_carries_the_date()
    {
        var status = Guid.NewGuid();
        var planned = new DateOnly(2026, 6, 10);
        Assert.Null(PatchCommitmentReminderSource.Decide(status, Hospital, PatchState.Planned, planned, Vendor, "CVE", "PC", planned));
        var c = PatchCommitmentReminderSource.Decide(status, Hospital, PatchState.Planned, planned, Vendor, "CVE", "PC", planned.AddDays(1))!;
        Assert.Equal($"patch:{status}:committed:2026-06-10", c.DedupeKey);
        Assert.Equal(Vendor, c.OwnerOrganizationId);
        Assert.False(c.ToHospital);
        Assert.Null(PatchCommitmentReminderSource.Decide(status, Hospital, PatchState.Applied, planned, Vendor, "CVE", "PC", planned.AddDays(1)));
        // A vendor no longer engaged: the hospital takes it.
        Assert.True(PatchCommitmentReminderSource.Decide(status, Hospital, PatchState.Planned, planned, null, "CVE", "PC", planned.AddDays(1))!.ToHospital);
    }

    [Fact]
    public void Vendor_checklist_is_due_the_configured_days_after_the_fiscal_year_or_a_later_engagement_started()
    {
        var fy = new FiscalYear(2026);
        Assert.Equal(new DateOnly(2026, 6, 30), VendorChecklistReminderSource.DueOn(fy, new DateOnly(2020, 4, 1), 90));
        Assert.Equal(new DateOnly(2026, 11, 29), VendorChecklistReminderSource.DueOn(fy, new DateOnly(2026, 9, 1), 89));
        var engagement = Guid.NewGuid();
        Assert.Null(VendorChecklistReminderSource.Decide(Hospital, Vendor, engagement, new DateOnly(2020, 4, 1), false, new DateOnly(2026, 6, 30), 90));
        var c = VendorChecklistReminderSource.Decide(Hospital, Vendor, engagement, new DateOnly(2020, 4, 1), false, new DateOnly(2026, 7, 1), 90)!;
        Assert.Equal($"checklist:{Hospital}:{Vendor}:2026", c.DedupeKey);
        Assert.Equal(Vendor, c.OwnerOrganizationId);
        Assert.Null(VendorChecklistReminderSource.Decide(Hospital, Vendor, engagement, new DateOnly(2020, 4, 1), true, new DateOnly(2026, 7, 1), 90));
        // 1月 belongs to the 年度 that started the April before.
        Assert.Equal($"checklist:{Hospital}:{Vendor}:2026",
            VendorChecklistReminderSource.Decide(Hospital, Vendor, engagement, new DateOnly(2020, 4, 1), false, new DateOnly(2027, 1, 10), 90)!.DedupeKey);
    }

    [Fact]
    public void Vendor_checklist_reminder_clears_when_submitted_disengaged_or_the_year_is_over()
    {
        var today = new DateOnly(2026, 8, 1);
        Assert.False(VendorChecklistReminderSource.Cleared(2026, engaged: true, submitted: false, today));
        Assert.True(VendorChecklistReminderSource.Cleared(2026, engaged: true, submitted: true, today));
        Assert.True(VendorChecklistReminderSource.Cleared(2026, engaged: false, submitted: false, today));
        Assert.True(VendorChecklistReminderSource.Cleared(2025, engaged: true, submitted: false, today));
    }

    [Theory]
    [InlineData("2026-08-01", "2026-09-30", true)]  // exactly 60 days
    [InlineData("2026-08-01", "2026-10-01", false)] // 61 days
    [InlineData("2026-10-05", "2026-09-30", true)]  // expired
    public void Certification_reminds_within_sixty_days_and_after_expiry(string today, string expires, bool remind)
    {
        var cert = Guid.NewGuid();
        var request = Guid.NewGuid();
        var c = CertificationReminderSource.Decide(cert, request, Hospital, Vendor, "Isms", "IS 123456", "再委託先テスト株式会社", DateOnly.Parse(expires), DateOnly.Parse(today));
        Assert.Equal(remind, c is not null);
        if (c is not null)
        {
            Assert.Equal($"cert:{cert}:{expires}", c.DedupeKey);
            Assert.Equal(Vendor, c.OwnerOrganizationId);
            Assert.Equal($"/Subcontracts/{request}", c.Link);
            Assert.Equal(DateOnly.Parse(expires) < DateOnly.Parse(today) ? "Reminder_CertificationExpired" : "Reminder_CertificationExpiring", c.TextKey);
        }
    }

    [Fact]
    public void Digest_counts_a_users_organization_wide_and_role_rows_only()
    {
        var org = Guid.NewGuid();
        var counts = new Dictionary<(Guid Org, string? Role), Dictionary<ReminderKind, ReminderMailer.KindCounts>>
        {
            [(org, null)] = new() { [ReminderKind.Eos] = new(2, 1, 0) },
            [(org, "SystemOperator")] = new() { [ReminderKind.Eos] = new(3, 0, 1), [ReminderKind.PatchOverdue] = new(4, 4, 0) },
            [(org, "Executive")] = new() { [ReminderKind.PatchOverdue] = new(9, 0, 9) },
            [(Guid.NewGuid(), null)] = new() { [ReminderKind.Eos] = new(100, 100, 100) },
        };
        var mine = ReminderMailer.DigestCounts(counts, org, ["SystemOperator"]);
        Assert.Equal(new ReminderMailer.KindCounts(5, 1, 1), mine[ReminderKind.Eos]);
        Assert.Equal(new ReminderMailer.KindCounts(4, 4, 0), mine[ReminderKind.PatchOverdue]);
        Assert.Empty(ReminderMailer.DigestCounts(counts, Guid.NewGuid(), ["SystemOperator"]));
    }
}
