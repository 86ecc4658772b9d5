using VendorPortal.Features.Gaps;
using VendorPortal.Features.Subcontracting;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.UnitTests.Features.Subcontracting;

public sealed class SubcontractGapRuleTests
{
    private static readonly DateOnly Today = new(2026, 11, 20);
    private static readonly Guid Vendor = Guid.NewGuid();

    private static GapSubcontractor Company(string name = "A社", string? number = "7000012050002", params GapCertificate[] certs)
        => new(name, number, Today.AddYears(-1), Today.AddYears(1), certs);

    private static GapSubcontract Approved(DateOnly ends, bool engagementActive = true, params GapSubcontractor[] companies)
        => new(Guid.NewGuid(), Vendor, "ベンダー", SubcontractState.Approved, Today.AddMonths(-6), engagementActive, Today.AddYears(-1), ends,
            companies.Length == 0 ? [Company()] : companies);

    private static GapSnapshot Snapshot(params GapSubcontract[] subcontracts)
        => new(Guid.NewGuid(), FiscalYear.Of(Today), Today, [], []) { Subcontracts = subcontracts };

    [Fact]
    public void An_expired_certificate_of_a_current_approval_is_a_gap_for_the_vendor()
    {
        var expired = new GapCertificate(CertificationKind.Isms, "IS 1", Today.AddDays(-3));
        var valid = new GapCertificate(CertificationKind.PrivacyMark, "P 1", Today.AddDays(3));
        var current = Approved(Today.AddYears(1), true, Company("A社", "7000012050002", valid), Company("B社", null, expired));
        var gap = Assert.Single(new SubcontractCertificateExpiredRule().Evaluate(Snapshot(current)));
        Assert.Equal((GapActor.Vendor, GapSeverity.High, Today.AddDays(-2), $"/Subcontracts/{current.RequestId}"), (gap.MustAct, gap.Severity, gap.Since, gap.Link));
        Assert.Equal("B社", gap.Args[0]);

        // An approval already over, or a request not approved, raises none.
        Assert.Empty(new SubcontractCertificateExpiredRule().Evaluate(Snapshot(Approved(Today.AddDays(-1), true, Company("A社", null, expired)))));
        Assert.Empty(new SubcontractCertificateExpiredRule().Evaluate(Snapshot(current with { State = SubcontractState.Reviewed })));
    }

    [Fact]
    public void An_approval_that_ended_while_the_engagement_goes_on_is_a_gap_until_renewed()
    {
        var ended = Approved(Today.AddDays(-10));
        var gap = Assert.Single(new SubcontractApprovalEndedRule().Evaluate(Snapshot(ended)));
        Assert.Equal((GapSeverity.Medium, Today.AddDays(-9)), (gap.Severity, gap.Since));

        Assert.Empty(new SubcontractApprovalEndedRule().Evaluate(Snapshot(ended with { EngagementActive = false })));
        var renewal = Approved(Today.AddYears(2));
        Assert.Empty(new SubcontractApprovalEndedRule().Evaluate(Snapshot(ended, renewal)));
        // A renewal for another company does not count.
        var other = Approved(Today.AddYears(2), true, Company("別会社", "1180301018771"));
        Assert.Single(new SubcontractApprovalEndedRule().Evaluate(Snapshot(ended, other)));
    }

    [Theory]
    [InlineData(30, true)]
    [InlineData(31, false)]
    [InlineData(0, true)]
    public void An_approval_ending_within_thirty_days_is_a_low_gap(int days, bool gap)
        => Assert.Equal(gap, new SubcontractApprovalEndingSoonRule().Evaluate(Snapshot(Approved(Today.AddDays(days)))).Any());

    [Theory]
    [InlineData(SubcontractState.Submitted, 15, true)]
    [InlineData(SubcontractState.Reviewed, 15, true)]
    [InlineData(SubcontractState.OpinionGiven, 15, true)]
    [InlineData(SubcontractState.OpinionGiven, 14, false)]
    [InlineData(SubcontractState.InformationRequested, 60, false)]
    public void A_request_waiting_more_than_two_weeks_for_a_hospital_step_is_a_gap_for_the_hospital(SubcontractState state, int days, bool gap)
    {
        var waiting = new GapSubcontract(Guid.NewGuid(), Vendor, "ベンダー", state, Today.AddDays(-days), true, null, null, [Company()]);
        var gaps = new SubcontractStepOverdueRule().Evaluate(Snapshot(waiting)).ToList();
        Assert.Equal(gap, gaps.Count == 1);
        Assert.All(gaps, g => Assert.Equal(GapActor.Hospital, g.MustAct));
    }

    [Fact]
    public void The_portal_evaluates_the_subcontracting_rules_with_the_others()
    {
        Assert.Contains(GapRules.All, r => r is SubcontractCertificateExpiredRule);
        Assert.Contains(GapRules.All, r => r is SubcontractApprovalEndedRule);
        Assert.Contains(GapRules.All, r => r is SubcontractApprovalEndingSoonRule);
        Assert.Contains(GapRules.All, r => r is SubcontractStepOverdueRule);
    }
}
