using VendorPortal.Features.Forms;

namespace VendorPortal.UnitTests.Features.Forms;

public sealed class SubmissionTests
{
    private static readonly FormTemplate Template = new("t-form", FormKind.VendorChecklist, "t", "v", "6.0", new DateOnly(2025, 4, 1), null,
        TemplateStatus.Sample, new TemplateProvenance(["x"]),
        [new TemplateSection("1", "s", [new TemplateItem("a", "1-①", "a", AnswerType.YesNo), new TemplateItem("b", "1-②", "b", AnswerType.YesNo)])], Rounds: 2);

    private static FormAnswers Answers(string a, DateOnly? target = null, string? remark = null, DateOnly? on = null)
        => new([new CheckRound(1, on ?? new DateOnly(2025, 6, 1), new Dictionary<string, ItemAnswer> { ["a"] = new(a, target, remark), ["b"] = new("Yes") })]);

    [Fact]
    public void The_same_answers_always_hash_the_same_whatever_their_order()
    {
        var x = new FormAnswers([new CheckRound(1, new DateOnly(2025, 6, 1), new Dictionary<string, ItemAnswer> { ["b"] = new("Yes"), ["a"] = new(" No ", new DateOnly(2025, 9, 1)) })]);
        var y = new FormAnswers([new CheckRound(1, new DateOnly(2025, 6, 1), new Dictionary<string, ItemAnswer> { ["a"] = new("No", new DateOnly(2025, 9, 1)), ["b"] = new("Yes"), ["c"] = new(null) })]);
        Assert.Equal(AnswerJson.Serialize(x), AnswerJson.Serialize(y));
        Assert.Equal(AnswerJson.Hash(AnswerJson.Serialize(x)), AnswerJson.Hash(AnswerJson.Serialize(y)));
        Assert.NotEqual(AnswerJson.Hash(AnswerJson.Serialize(x)), AnswerJson.Hash(AnswerJson.Serialize(Answers("Yes"))));
    }

    [Fact]
    public void Answers_survive_a_round_trip_through_json()
    {
        var original = Answers("No", new DateOnly(2026, 3, 31), "次期更改で対応");
        var back = AnswerJson.Deserialize(AnswerJson.Serialize(original));
        Assert.Equal(new ItemAnswer("No", new DateOnly(2026, 3, 31), "次期更改で対応"), back.Rounds[0].Answers["a"]);
        Assert.Equal(new DateOnly(2025, 6, 1), back.Rounds[0].CheckedOn);
    }

    [Fact]
    public void Diff_lists_changed_answers_target_dates_remarks_and_round_dates()
    {
        var before = Answers("No", new DateOnly(2025, 12, 1));
        var after = Answers("Yes", null, "対応済み", new DateOnly(2025, 7, 1));
        var changes = FormDiff.Compare(Template, before, after);
        Assert.Equal(
            ["1:-:CheckedOn:2025-06-01>2025-07-01", "1:a:Value:No>Yes", "1:a:TargetDate:2025-12-01>", "1:a:Remark:>対応済み"],
            changes.Select(c => $"{c.Round}:{c.ItemId ?? "-"}:{c.Field}:{c.Before}>{c.After}"));
        Assert.Empty(FormDiff.Compare(Template, before, before));
    }

    [Fact]
    public void Diff_sees_a_round_added_later()
    {
        var one = Answers("Yes");
        var two = new FormAnswers([.. one.Rounds, new CheckRound(2, new DateOnly(2025, 12, 1), new Dictionary<string, ItemAnswer> { ["a"] = new("Yes") })]);
        var changes = FormDiff.Compare(Template, one, two);
        Assert.Contains(changes, c => c.Round == 2 && c.Field == "CheckedOn");
        Assert.Contains(changes, c => c.Round == 2 && c.ItemId == "a" && c.After == "Yes");
    }

    [Theory]
    [InlineData(SubmissionState.Draft, false)]
    [InlineData(SubmissionState.Submitted, true)]
    [InlineData(SubmissionState.Returned, false)]
    [InlineData(SubmissionState.Accepted, false)]
    public void Only_a_submitted_version_can_be_reviewed(SubmissionState state, bool allowed)
        => Assert.Equal(allowed, SubmissionWorkflowRules.CanReview(state));

    [Fact]
    public void Submitting_needs_something_new()
    {
        Assert.True(SubmissionWorkflowRules.CanSubmit(0, null, "h1"));
        Assert.True(SubmissionWorkflowRules.CanSubmit(1, "h1", "h2"));
        Assert.False(SubmissionWorkflowRules.CanSubmit(1, "h1", "h1"));
    }

    [Fact]
    public void Returning_needs_a_reason()
    {
        Assert.False(SubmissionWorkflowRules.ReturnHasReason(null, new Dictionary<string, string>()));
        Assert.False(SubmissionWorkflowRules.ReturnHasReason("  ", new Dictionary<string, string> { ["a"] = " " }));
        Assert.True(SubmissionWorkflowRules.ReturnHasReason(null, new Dictionary<string, string> { ["a"] = "目標日を確認してください" }));
        Assert.True(SubmissionWorkflowRules.ReturnHasReason("全体的に再確認を", new Dictionary<string, string>()));
    }
}
