using VendorPortal.Features.Forms;
using VendorPortal.Features.Gaps;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.UnitTests.Features.Gaps;

public sealed class GapRuleTests
{
    private static readonly Guid Hospital = Guid.NewGuid();
    private static readonly Guid VendorA = Guid.NewGuid();
    private static readonly Guid VendorB = Guid.NewGuid();
    private static readonly FiscalYear Fy = new(2025);
    private static readonly DateOnly Today = new(2025, 11, 20);

    private static readonly FormTemplate Template = new("t-form", FormKind.VendorChecklist, "t", "v", "6.0", new DateOnly(2025, 4, 1), null,
        TemplateStatus.Sample, new TemplateProvenance(["x"]),
        [new TemplateSection("1", "s", [new TemplateItem("a", "1-①", "a", AnswerType.YesNo, Rules: [new ItemRule(RuleKind.TargetDateWhenNo)]),
                                        new TemplateItem("b", "1-②", "b", AnswerType.YesNo)])], Rounds: 2);

    private static GapForm Form(Guid vendor, SubmissionState state, FormAnswers? latest, FormKind kind = FormKind.VendorChecklist, DateOnly? changed = null)
        => new(Guid.NewGuid(), kind, vendor, vendor == VendorA ? "A社" : "B社", null, null, state, changed ?? Today, Template with { Kind = kind }, latest);

    private static FormAnswers Answered(string a, DateOnly? target = null, int round = 1)
        => new([new CheckRound(round, new DateOnly(2025, 6, 1), new Dictionary<string, ItemAnswer> { ["a"] = new(a, target), ["b"] = new("Yes") })]);

    private static GapSnapshot Snapshot(params GapForm[] forms)
        => new(Hospital, Fy, Today, [new GapEngagement(VendorA, "A社", new DateOnly(2024, 4, 1)), new GapEngagement(VendorB, "B社", new DateOnly(2025, 10, 1))], forms);

    [Fact]
    public void Each_engaged_vendor_without_a_submitted_checklist_is_a_gap_since_the_later_of_year_start_and_contract_start()
    {
        var gaps = new MissingVendorChecklistRule().Evaluate(Snapshot(Form(VendorA, SubmissionState.Submitted, Answered("Yes")), Form(VendorB, SubmissionState.Draft, null))).ToList();
        var gap = Assert.Single(gaps);
        Assert.Equal((VendorB, GapActor.Vendor, new DateOnly(2025, 10, 1)), (gap.VendorId!.Value, gap.MustAct, gap.Since));
    }

    [Fact]
    public void A_year_without_the_hospitals_own_checklist_is_a_gap()
    {
        Assert.Single(new MissingHospitalChecklistRule().Evaluate(Snapshot()));
        Assert.Empty(new MissingHospitalChecklistRule().Evaluate(Snapshot(Form(Hospital, SubmissionState.Recorded, Answered("Yes"), FormKind.HospitalChecklist))));
    }

    [Fact]
    public void A_returned_checklist_waits_on_the_vendor()
    {
        var gap = Assert.Single(new ReturnedChecklistRule().Evaluate(Snapshot(Form(VendorA, SubmissionState.Returned, Answered("Yes")))));
        Assert.Equal(GapActor.Vendor, gap.MustAct);
    }

    [Theory]
    [InlineData(14, false)]
    [InlineData(15, true)]
    public void A_submission_unreviewed_for_more_than_two_weeks_waits_on_the_hospital(int daysAgo, bool gap)
    {
        var form = Form(VendorA, SubmissionState.Submitted, Answered("Yes"), changed: Today.AddDays(-daysAgo));
        Assert.Equal(gap, new ReviewOverdueRule().Evaluate(Snapshot(form)).Any());
    }

    [Fact]
    public void No_without_a_target_date_and_no_past_its_target_date_are_gaps_and_yes_is_not()
    {
        var rule = new NoAnswerTargetRule();
        Assert.Equal("NoWithoutTargetDate", Assert.Single(rule.Evaluate(Snapshot(Form(VendorA, SubmissionState.Accepted, Answered("No"))))).Kind);
        var passed = Assert.Single(rule.Evaluate(Snapshot(Form(VendorA, SubmissionState.Accepted, Answered("No", new DateOnly(2025, 11, 19))))));
        Assert.Equal(("TargetDatePassed", "1-①", new DateOnly(2025, 11, 20)), (passed.Kind, passed.ItemNumber, passed.Since));
        Assert.Empty(rule.Evaluate(Snapshot(Form(VendorA, SubmissionState.Accepted, Answered("No", Today)))));
        Assert.Empty(rule.Evaluate(Snapshot(Form(VendorA, SubmissionState.Accepted, Answered("Yes")))));
    }

    [Fact]
    public void A_later_round_that_answers_yes_closes_a_past_target()
    {
        var answers = new FormAnswers([
            new CheckRound(1, new DateOnly(2025, 6, 1), new Dictionary<string, ItemAnswer> { ["a"] = new("No", new DateOnly(2025, 9, 1)) }),
            new CheckRound(2, new DateOnly(2025, 9, 1), new Dictionary<string, ItemAnswer> { ["a"] = new("Yes") }),
        ]);
        Assert.Empty(new NoAnswerTargetRule().Evaluate(Snapshot(Form(VendorA, SubmissionState.Accepted, answers))));
    }

    [Fact]
    public void All_rules_together_are_ordered_by_severity_then_age()
    {
        var gaps = GapRules.Evaluate(Snapshot(Form(VendorA, SubmissionState.Submitted, Answered("Yes"), changed: Today.AddDays(-30))));
        // Neither vendor has shared an MDS/SDS in this snapshot: two MissingDisclosure gaps (medium) come between.
        Assert.Equal(["MissingHospitalChecklist", "MissingVendorChecklist", "MissingDisclosure", "MissingDisclosure", "ReviewOverdue"], gaps.Select(g => g.Kind));
    }
}
