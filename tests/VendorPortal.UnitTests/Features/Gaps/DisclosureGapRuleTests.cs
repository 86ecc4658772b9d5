using VendorPortal.Features.Forms;
using VendorPortal.Features.Gaps;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.UnitTests.Features.Gaps;

public sealed class DisclosureGapRuleTests
{
    private static readonly Guid VendorA = Guid.NewGuid();
    private static readonly Guid VendorB = Guid.NewGuid();
    private static readonly FiscalYear Fy = new(2025);
    private static readonly DateOnly Today = new(2025, 11, 20);

    private static GapDisclosure Shared(Guid vendor, SubmissionState state, string product = "製品 1.0")
        => new(Guid.NewGuid(), vendor, vendor == VendorA ? "A社" : "B社", product, state, new DateOnly(2025, 9, 1));

    private static List<ComplianceGap> Gaps(params GapDisclosure[] disclosures)
        => new MissingDisclosureRule().Evaluate(new GapSnapshot(Guid.NewGuid(), Fy, Today,
            [new GapEngagement(VendorA, "A社", new DateOnly(2024, 4, 1)), new GapEngagement(VendorB, "B社", new DateOnly(2025, 10, 1))], [], disclosures)).ToList();

    [Fact]
    public void An_engaged_vendor_without_any_disclosure_must_provide_one()
    {
        var gaps = Gaps(Shared(VendorA, SubmissionState.Accepted));
        var gap = Assert.Single(gaps);
        Assert.Equal(("MissingDisclosure", VendorB, GapActor.Vendor, new DateOnly(2025, 10, 1)), (gap.Kind, gap.VendorId!.Value, gap.MustAct, gap.Since));
    }

    [Fact]
    public void One_accepted_disclosure_is_enough_whatever_the_year()
        => Assert.Empty(Gaps(Shared(VendorA, SubmissionState.Accepted), Shared(VendorB, SubmissionState.Accepted), Shared(VendorB, SubmissionState.Submitted, "別製品 2.0")));

    [Fact]
    public void A_disclosure_awaiting_review_puts_the_gap_on_the_hospital()
    {
        var gap = Assert.Single(Gaps(Shared(VendorA, SubmissionState.Accepted), Shared(VendorB, SubmissionState.Submitted)));
        Assert.Equal(("DisclosureAwaitingReview", GapActor.Hospital, "製品 1.0"), (gap.Kind, gap.MustAct, (string)gap.Args[0]));
        Assert.NotNull(gap.SubmissionId);
    }

    [Fact]
    public void Every_returned_disclosure_waits_on_the_vendor_even_when_another_was_accepted()
    {
        var gaps = Gaps(Shared(VendorA, SubmissionState.Accepted), Shared(VendorA, SubmissionState.Returned, "旧製品 0.9"), Shared(VendorB, SubmissionState.Returned));
        Assert.Equal(2, gaps.Count);
        Assert.All(gaps, g => Assert.Equal(("DisclosureReturned", GapActor.Vendor), (g.Kind, g.MustAct)));
    }

    [Fact]
    public void The_rule_is_registered_and_older_snapshots_without_disclosures_still_work()
    {
        Assert.Contains(GapRules.All, r => r is MissingDisclosureRule);
        var snapshot = new GapSnapshot(Guid.NewGuid(), Fy, Today, [new GapEngagement(VendorA, "A社", new DateOnly(2024, 4, 1))], []);
        Assert.Equal("MissingDisclosure", Assert.Single(new MissingDisclosureRule().Evaluate(snapshot)).Kind);
    }
}
