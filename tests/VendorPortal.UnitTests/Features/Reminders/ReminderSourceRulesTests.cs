using VendorPortal.Features.Ledger;
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

    private static EosGroup Group(int components, Guid? supplier = null, string subject = "Windows 10 Pro 22H2", DateOnly? endsOn = null, Guid? only = null)
        => new(Hospital, supplier, SupportKind.Os, subject, endsOn ?? EndsOn, components, only ?? Guid.NewGuid());

    [Fact]
    public void Eos_is_one_reminder_per_group_to_the_engaged_supplying_vendor_else_to_the_hospital_system_operator()
    {
        var today = new DateOnly(2026, 10, 20); // 86 days left: window 90
        var toVendor = EosReminderSource.Decide(Group(312, Vendor), today, Policy)!;
        Assert.Equal($"eos:{Hospital}:{Vendor}:Os:{EosReminderSource.SubjectHash("Windows 10 Pro 22H2")}:2027-01-14:90", toVendor.DedupeKey);
        Assert.Equal(Vendor, toVendor.OwnerOrganizationId);
        Assert.False(toVendor.ToHospital);
        Assert.Equal("Reminder_EosGroupApproaching", toVendor.TextKey);
        Assert.Equal(["Windows 10 Pro 22H2", "312", "2027-01-14", "86"], toVendor.Args);
        Assert.Equal(($"/Hospitals/{Hospital}/Ledger", "hospitals"), (toVendor.Link, toVendor.SubjectType));

        var toHospital = EosReminderSource.Decide(Group(312), today, Policy)!;
        Assert.Equal(Hospital, toHospital.OwnerOrganizationId);
        Assert.True(toHospital.ToHospital);
        Assert.NotEqual(toVendor.DedupeKey, toHospital.DedupeKey); // the recipient is part of the group

        Assert.Null(EosReminderSource.Decide(Group(312), new DateOnly(2025, 12, 1), Policy)); // outside every window
        Assert.Null(EosReminderSource.Decide(Group(0), today, Policy));
        Assert.Equal("Reminder_EosGroupPassed", EosReminderSource.Decide(Group(3), new DateOnly(2027, 2, 1), Policy)!.TextKey);
    }

    [Fact]
    public void A_one_component_eos_group_links_to_the_component()
    {
        var component = Guid.NewGuid();
        var c = EosReminderSource.Decide(Group(1, only: component), new DateOnly(2026, 10, 20), Policy)!;
        Assert.Equal(($"/Hospitals/{Hospital}/Ledger/Components/{component}", "system_components", component.ToString()), (c.Link, c.SubjectType, c.SubjectId));
    }

    [Fact]
    public void The_eos_key_changes_with_the_window_the_date_and_the_subject_so_the_run_supersedes_the_previous_reminder()
    {
        var in180 = EosReminderSource.Decide(Group(5), new DateOnly(2026, 8, 1), Policy)!.DedupeKey;
        var in90 = EosReminderSource.Decide(Group(5), new DateOnly(2026, 10, 20), Policy)!.DedupeKey;
        Assert.EndsWith(":180", in180);
        Assert.EndsWith(":90", in90);
        Assert.Equal(in90, EosReminderSource.Decide(Group(7), new DateOnly(2026, 10, 21), Policy)!.DedupeKey); // same group and window, other count
        Assert.NotEqual(in90, EosReminderSource.Decide(Group(5, endsOn: EndsOn.AddDays(1)), new DateOnly(2026, 10, 20), Policy)!.DedupeKey);
        Assert.NotEqual(in90, EosReminderSource.Decide(Group(5, subject: "Windows 11 Pro 24H2"), new DateOnly(2026, 10, 20), Policy)!.DedupeKey);
        Assert.True(EosReminderSource.Key(Hospital, Vendor, SupportKind.Product, new string('x', 500), EndsOn, 365).Length <= 200); // fits dedupe_key
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
        var advisory = Guid.NewGuid();
        var c = PatchOverdueReminderSource.Decide(advisory, Hospital, severity, new DateOnly(2026, 5, 1), "CVE-2026-0001",
            [new PatchStatusCount(PatchState.Open, false, 3)], DateOnly.Parse(today), Policy);
        Assert.Equal(overdue, c is not null);
        if (c is not null)
        {
            Assert.Equal($"patch:{advisory}:overdue", c.DedupeKey);
            Assert.True(c.ToHospital);
            Assert.Equal(Hospital, c.OwnerOrganizationId);
            Assert.Equal($"/Hospitals/{Hospital}/Patches/{advisory}", c.Link);
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
        => Assert.Equal(overdue, PatchOverdueReminderSource.Decide(Guid.NewGuid(), Hospital, AdvisorySeverity.Critical, new DateOnly(2026, 1, 1), "CVE",
            [new PatchStatusCount(state, approved, 4)], new DateOnly(2026, 6, 1), Policy) is not null);

    [Fact]
    public void One_reminder_per_advisory_counts_only_its_overdue_components()
    {
        var c = PatchOverdueReminderSource.Decide(Guid.NewGuid(), Hospital, AdvisorySeverity.Critical, new DateOnly(2026, 1, 1), "CVE-2026-0001",
            [new PatchStatusCount(PatchState.Open, false, 40), new PatchStatusCount(PatchState.Planned, false, 2), new PatchStatusCount(PatchState.Deferred, true, 9),
             new PatchStatusCount(PatchState.Deferred, false, 1)], new DateOnly(2026, 6, 1), Policy)!;
        Assert.Equal("Reminder_PatchOverdueGroup", c.TextKey);
        Assert.Equal(["CVE-2026-0001", "43", "2026-01-15"], c.Args);
        Assert.Equal(new DateOnly(2026, 1, 15), c.DueOn);
    }

    [Fact]
    public void A_vendors_committed_date_passed_goes_to_that_vendor_and_the_key_carries_the_advisory_vendor_and_date()
    {
        var advisory = Guid.NewGuid();
        var planned = new DateOnly(2026, 6, 10);
        Assert.Null(PatchCommitmentReminderSource.Decide(advisory, Hospital, Vendor, true, PatchState.Planned, planned, 2, "CVE", planned));
        var c = PatchCommitmentReminderSource.Decide(advisory, Hospital, Vendor, true, PatchState.Planned, planned, 2, "CVE", planned.AddDays(1))!;
        Assert.Equal($"patch:{advisory}:committed:{Vendor}:2026-06-10", c.DedupeKey);
        Assert.Equal(Vendor, c.OwnerOrganizationId);
        Assert.False(c.ToHospital);
        Assert.Equal(["CVE", "2", "2026-06-10"], c.Args);
        Assert.Null(PatchCommitmentReminderSource.Decide(advisory, Hospital, Vendor, true, PatchState.Applied, planned, 2, "CVE", planned.AddDays(1)));
        // A vendor no longer engaged: the hospital takes it (same key: the commitment is still that vendor's).
        var taken = PatchCommitmentReminderSource.Decide(advisory, Hospital, Vendor, false, PatchState.Planned, planned, 2, "CVE", planned.AddDays(1))!;
        Assert.True(taken.ToHospital);
        Assert.Equal(c.DedupeKey, taken.DedupeKey);
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
