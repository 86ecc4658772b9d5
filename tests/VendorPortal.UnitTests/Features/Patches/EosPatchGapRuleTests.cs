using VendorPortal.Features.Gaps;
using VendorPortal.Features.Patches;
using VendorPortal.Features.Policy;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.UnitTests.Features.Patches;

public sealed class EosPatchGapRuleTests
{
    private static readonly DateOnly Today = new(2026, 11, 20);
    private static readonly Guid Hospital = Guid.NewGuid();
    private static readonly Guid Vendor = Guid.NewGuid();
    private static readonly Guid System = Guid.NewGuid();

    private static GapSnapshot Snapshot(IReadOnlyList<GapEos>? eos = null, IReadOnlyList<GapPatchGroup>? patches = null, CompliancePolicy? policy = null)
        => new(Hospital, FiscalYear.Of(Today), Today, [], []) { EosDates = eos ?? [], UnsettledPatches = patches ?? [], Policy = policy };

    private static GapEos Eos(DateOnly endsOn, Guid? supplier = null)
        => new(System, "電子カルテ", supplier, supplier is null ? null : "ベンダー", "Windows Server 2016", endsOn, 3, "SV-001");

    private static GapPatchGroup Group(AdvisorySeverity severity, DateOnly released, PatchState state, int count = 2, Guid? advisory = null,
        Guid? vendor = null, DateOnly? planned = null)
        => new(advisory ?? Guid.NewGuid(), "CVE-2024-3400", severity, released, state, vendor, vendor is null ? null : "ベンダー",
            planned is { } p && p < Today, count, planned, released.AddDays(1));

    [Theory]
    [InlineData(10, GapSeverity.High, 30)]
    [InlineData(30, GapSeverity.High, 30)]
    [InlineData(31, GapSeverity.Medium, 90)]
    [InlineData(90, GapSeverity.Medium, 90)]
    [InlineData(91, GapSeverity.Low, 180)]
    [InlineData(365, GapSeverity.Low, 365)]
    public void An_eos_date_in_the_warning_window_is_a_gap_whose_severity_follows_the_days_left(int daysLeft, GapSeverity severity, int window)
    {
        var ends = Today.AddDays(daysLeft);
        var gap = Assert.Single(new EosApproachingRule().Evaluate(Snapshot([Eos(ends)])));
        Assert.Equal(("EosApproaching", severity, GapActor.Hospital, ends.AddDays(-window)), (gap.Kind, gap.Severity, gap.MustAct, gap.Since));
        Assert.Equal($"/Hospitals/{Hospital}/Ledger/{System}", gap.Link);
        Assert.Equal(("Windows Server 2016", Wareki.Format(ends), 3, "SV-001", daysLeft), (gap.Args[0], gap.Args[1], gap.Args[2], gap.Args[3], gap.Args[4]));
    }

    [Fact]
    public void An_eos_date_beyond_the_largest_window_or_already_passed_is_not_approaching_and_the_hospitals_windows_apply()
    {
        Assert.Empty(new EosApproachingRule().Evaluate(Snapshot([Eos(Today.AddDays(366)), Eos(Today.AddDays(-1))])));
        // A hospital that warns only 60 days ahead: 100 days left is no gap yet, 60 is.
        var policy = new CompliancePolicy { HospitalId = Hospital, EosWarningDays = [60] };
        Assert.Empty(new EosApproachingRule().Evaluate(Snapshot([Eos(Today.AddDays(100))], policy: policy)));
        Assert.Single(new EosApproachingRule().Evaluate(Snapshot([Eos(Today.AddDays(60))], policy: policy)));
    }

    [Fact]
    public void The_supplying_vendor_must_act_on_an_eos_date_of_a_component_it_supplies()
    {
        var gap = Assert.Single(new EosApproachingRule().Evaluate(Snapshot([Eos(Today.AddDays(20), Vendor)])));
        Assert.Equal((GapActor.Vendor, (Guid?)Vendor, "ベンダー"), (gap.MustAct, gap.VendorId, gap.VendorName));
    }

    [Fact]
    public void A_passed_eos_date_on_a_component_in_use_is_a_high_gap_from_the_day_after()
    {
        var ended = Today.AddDays(-5);
        var gap = Assert.Single(new EosPassedRule().Evaluate(Snapshot([Eos(ended, Vendor), Eos(Today)])));
        Assert.Equal(("EosPassed", GapSeverity.High, GapActor.Vendor, ended.AddDays(1)), (gap.Kind, gap.Severity, gap.MustAct, gap.Since));
    }

    [Theory]
    [InlineData(AdvisorySeverity.Critical, 14, GapSeverity.High)]
    [InlineData(AdvisorySeverity.High, 30, GapSeverity.High)]
    [InlineData(AdvisorySeverity.Medium, 90, GapSeverity.Medium)]
    [InlineData(AdvisorySeverity.Low, 90, GapSeverity.Low)]
    public void Unsettled_statuses_past_the_due_day_make_one_gap_per_advisory_with_the_count(AdvisorySeverity severity, int days, GapSeverity expected)
    {
        var advisory = Guid.NewGuid();
        var released = Today.AddDays(-days - 1); // due yesterday
        var gap = Assert.Single(new PatchOverdueRule().Evaluate(Snapshot(patches:
            [Group(severity, released, PatchState.Open, 5, advisory), Group(severity, released, PatchState.Planned, 2, advisory, Vendor, Today.AddDays(3)),
             Group(severity, released, PatchState.Deferred, 1, advisory)])));
        Assert.Equal(("PatchOverdue", expected, GapActor.Hospital, Today), (gap.Kind, gap.Severity, gap.MustAct, gap.Since));
        Assert.Equal(("CVE-2024-3400", 8), (gap.Args[0], gap.Args[1]));
        Assert.Equal($"/Hospitals/{Hospital}/Patches/{advisory}", gap.Link);
    }

    [Fact]
    public void A_patch_on_its_due_day_is_not_overdue_and_the_policy_days_apply()
    {
        Assert.Empty(new PatchOverdueRule().Evaluate(Snapshot(patches: [Group(AdvisorySeverity.Critical, Today.AddDays(-14), PatchState.Open)])));
        var strict = new CompliancePolicy { HospitalId = Hospital, CriticalPatchDays = 7 };
        Assert.Single(new PatchOverdueRule().Evaluate(Snapshot(patches: [Group(AdvisorySeverity.Critical, Today.AddDays(-8), PatchState.Open)], policy: strict)));
    }

    [Fact]
    public void A_vendors_committed_date_that_passed_is_a_gap_on_that_vendor_per_advisory()
    {
        var advisory = Guid.NewGuid();
        var released = Today.AddDays(-3);
        var gaps = new PatchCommitmentPassedRule().Evaluate(Snapshot(patches:
        [
            Group(AdvisorySeverity.High, released, PatchState.Planned, 2, advisory, Vendor, Today.AddDays(-2)),
            Group(AdvisorySeverity.High, released, PatchState.Planned, 1, advisory, Vendor, Today.AddDays(-1)) with { EarliestPlannedOn = Today.AddDays(-1) },
            Group(AdvisorySeverity.High, released, PatchState.Planned, 4, advisory, Vendor, Today), // today: not passed
            Group(AdvisorySeverity.High, released, PatchState.Planned, 4, advisory, null, Today.AddDays(-5)), // the hospital's own plan
        ])).ToList();
        var gap = Assert.Single(gaps);
        Assert.Equal(("PatchCommitmentPassed", GapSeverity.High, GapActor.Vendor, (Guid?)Vendor, Today.AddDays(-1)), (gap.Kind, gap.Severity, gap.MustAct, gap.VendorId, gap.Since));
        Assert.Equal(3, gap.Args[1]);
        Assert.Equal(Wareki.Format(Today.AddDays(-2)), gap.Args[2]);
    }

    [Fact]
    public void A_deferral_waiting_for_approval_is_a_low_gap_on_the_hospital()
    {
        var advisory = Guid.NewGuid();
        var gap = Assert.Single(new PatchDeferralAwaitingApprovalRule().Evaluate(Snapshot(patches:
            [Group(AdvisorySeverity.Critical, Today.AddDays(-2), PatchState.Deferred, 2, advisory), Group(AdvisorySeverity.Critical, Today.AddDays(-2), PatchState.Open, 9, advisory)])));
        Assert.Equal(("PatchDeferralAwaitingApproval", GapSeverity.Low, GapActor.Hospital, Today.AddDays(-1)), (gap.Kind, gap.Severity, gap.MustAct, gap.Since));
        Assert.Equal(2, gap.Args[1]);
    }

    [Fact]
    public void Every_new_rule_is_registered()
    {
        foreach (var type in new[] { typeof(EosApproachingRule), typeof(EosPassedRule), typeof(PatchOverdueRule), typeof(PatchCommitmentPassedRule), typeof(PatchDeferralAwaitingApprovalRule) })
        {
            Assert.Contains(GapRules.All, r => r.GetType() == type);
        }
    }
}
