using VendorPortal.Features.Forms;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.UnitTests.Features.Forms;

public sealed class FormRulesTests
{
    private static readonly ItemRule TargetDate = new(RuleKind.TargetDateWhenNo);

    private static FormTemplate Checklist(params TemplateItem[] items) => new(
        "test-checklist", FormKind.VendorChecklist, "テスト", "令和7年度版", "6.0", new DateOnly(2025, 5, 16), null,
        TemplateStatus.Sample, new TemplateProvenance(["test"]), [new TemplateSection("1", "節", items)], Rounds: 2);

    private static TemplateItem YesNoItem(string id, params ItemRule[] rules) => new(id, id, $"{id} の確認", AnswerType.YesNo, Rules: rules);

    private static readonly FiscalYear Fy2025 = new(2025);
    private static FormContext Context(bool contract = true) => new(Fy2025, contract, new DateOnly(2026, 3, 31));

    private static FormAnswers Round1(DateOnly? on, params (string Id, ItemAnswer Answer)[] answers)
        => new([new CheckRound(1, on, answers.ToDictionary(a => a.Id, a => a.Answer))]);

    private static string[] Codes(IEnumerable<FormProblem> problems) => [.. problems.Select(p => p.Code)];

    [Fact]
    public void A_complete_first_round_passes()
    {
        var t = Checklist(YesNoItem("a", TargetDate), YesNoItem("b", TargetDate));
        var answers = Round1(new DateOnly(2025, 6, 1), ("a", new ItemAnswer("Yes")), ("b", new ItemAnswer("No", new DateOnly(2026, 3, 31))));
        Assert.Empty(FormRules.Validate(t, answers, Context()));
    }

    [Fact]
    public void Every_no_needs_a_target_date()
    {
        var t = Checklist(YesNoItem("a", TargetDate));
        var problems = FormRules.Validate(t, Round1(new DateOnly(2025, 6, 1), ("a", new ItemAnswer("No"))), Context());
        var p = Assert.Single(problems);
        Assert.Equal(("a", 1, "TargetDateMissing"), (p.ItemId, p.Round, p.Code));
    }

    [Theory]
    [InlineData("2026-03-31", true)]   // last day of 令和7年度
    [InlineData("2026-04-01", false)]  // first day of the next fiscal year
    [InlineData("2025-04-01", true)]
    [InlineData("2025-03-31", false)]
    public void Target_date_must_fall_inside_the_fiscal_year(string target, bool ok)
    {
        var t = Checklist(YesNoItem("a", TargetDate));
        var answers = Round1(new DateOnly(2025, 4, 1), ("a", new ItemAnswer("いいえ", DateOnly.Parse(target))));
        var codes = Codes(FormRules.Validate(t, answers, Context()));
        Assert.Equal(ok, !codes.Contains("TargetDateOutsideFiscalYear"));
    }

    [Fact]
    public void Target_date_outside_the_year_names_the_year_in_wareki()
    {
        var t = Checklist(YesNoItem("a", TargetDate));
        var p = Assert.Single(FormRules.Validate(t, Round1(new DateOnly(2025, 6, 1), ("a", new ItemAnswer("No", new DateOnly(2026, 4, 1)))), Context()));
        Assert.Equal("令和7年度", p.Args[1]);
        Assert.Equal("令和8年3月31日", p.Args[2]);
    }

    [Fact]
    public void Target_date_cannot_precede_the_check_date()
    {
        var t = Checklist(YesNoItem("a", TargetDate));
        var codes = Codes(FormRules.Validate(t, Round1(new DateOnly(2025, 9, 1), ("a", new ItemAnswer("No", new DateOnly(2025, 8, 1)))), Context()));
        Assert.Contains("TargetDateBeforeCheck", codes);
    }

    [Fact]
    public void Check_round_needs_a_date_inside_the_year_and_not_in_the_future()
    {
        var t = Checklist(YesNoItem("a"));
        Assert.Contains("RoundDateMissing", Codes(FormRules.Validate(t, Round1(null, ("a", new ItemAnswer("Yes"))), Context())));
        Assert.Contains("RoundDateOutsideFiscalYear", Codes(FormRules.Validate(t, Round1(new DateOnly(2025, 3, 31), ("a", new ItemAnswer("Yes"))), Context())));
        var early = new FormContext(Fy2025, true, new DateOnly(2025, 5, 1));
        Assert.Contains("RoundDateInFuture", Codes(FormRules.Validate(t, Round1(new DateOnly(2025, 5, 2), ("a", new ItemAnswer("Yes"))), early)));
    }

    [Fact]
    public void A_checklist_without_a_first_round_is_refused()
    {
        var t = Checklist(YesNoItem("a"));
        var answers = new FormAnswers([new CheckRound(2, new DateOnly(2025, 6, 1), new Dictionary<string, ItemAnswer> { ["a"] = new("Yes") })]);
        Assert.Contains("RoundMissing", Codes(FormRules.Validate(t, answers, Context())));
    }

    [Fact]
    public void Missing_and_invalid_answers_are_listed_per_item()
    {
        var t = Checklist(YesNoItem("a"), YesNoItem("b"), YesNoItem("c"));
        var problems = FormRules.Validate(t, Round1(new DateOnly(2025, 6, 1), ("a", new ItemAnswer("maybe")), ("c", new ItemAnswer("対象外"))), Context());
        Assert.Equal(["a:AnswerInvalid", "b:AnswerMissing", "c:AnswerInvalid"], problems.Select(p => $"{p.ItemId}:{p.Code}"));
    }

    [Fact]
    public void Not_applicable_is_allowed_only_on_yes_no_na_items()
    {
        var t = Checklist(new TemplateItem("a", "a", "a", AnswerType.YesNoNa));
        Assert.Empty(FormRules.Validate(t, Round1(new DateOnly(2025, 6, 1), ("a", new ItemAnswer("NotApplicable"))), Context()));
    }

    [Fact]
    public void An_item_applies_only_when_another_answer_is_yes()
    {
        var t = Checklist(YesNoItem("uses"), YesNoItem("detail", new ItemRule(RuleKind.ApplicableWhen, "uses", YesNo.Yes)));
        Assert.Empty(FormRules.Validate(t, Round1(new DateOnly(2025, 6, 1), ("uses", new ItemAnswer("No"))), Context()));
        Assert.Contains("AnswerMissing", Codes(FormRules.Validate(t, Round1(new DateOnly(2025, 6, 1), ("uses", new ItemAnswer("Yes"))), Context())));
    }

    [Fact]
    public void Items_about_vendors_are_not_required_without_a_vendor_contract()
    {
        var t = Checklist(YesNoItem("mds", new ItemRule(RuleKind.NotRequiredWithoutVendorContract)));
        Assert.Empty(FormRules.Validate(t, Round1(new DateOnly(2025, 6, 1)), Context(contract: false)));
        Assert.Contains("AnswerMissing", Codes(FormRules.Validate(t, Round1(new DateOnly(2025, 6, 1)), Context(contract: true))));
    }

    [Fact]
    public void No_on_the_gate_item_makes_every_following_item_unnecessary()
    {
        var t = Checklist(YesNoItem("gate", new ItemRule(RuleKind.GateForAllFollowing)), YesNoItem("x"), YesNoItem("y"));
        Assert.Empty(FormRules.Validate(t, Round1(new DateOnly(2025, 6, 1), ("gate", new ItemAnswer("No"))), Context()));
        Assert.Equal(2, FormRules.Validate(t, Round1(new DateOnly(2025, 6, 1), ("gate", new ItemAnswer("Yes"))), Context()).Count);
    }

    [Fact]
    public void No_needs_a_remark_where_the_form_asks_for_one()
    {
        var t = Checklist(new TemplateItem("a", "a", "a", AnswerType.YesNoNa, Rules: [new ItemRule(RuleKind.RemarkWhenNo)]));
        Assert.Contains("RemarkMissing", Codes(FormRules.Validate(t, Round1(new DateOnly(2025, 6, 1), ("a", new ItemAnswer("No"))), Context())));
        Assert.Empty(FormRules.Validate(t, Round1(new DateOnly(2025, 6, 1), ("a", new ItemAnswer("No", Remark: "次期更改で対応"))), Context()));
    }

    [Fact]
    public void Dates_choices_unknown_items_and_overlong_text_are_refused()
    {
        var t = Checklist(new TemplateItem("d", "d", "d", AnswerType.Date), new TemplateItem("c", "c", "c", AnswerType.Choice, Choices: ["専用線", "IP-VPN"]),
            new TemplateItem("t", "t", "t", AnswerType.Text));
        var problems = FormRules.Validate(t, Round1(new DateOnly(2025, 6, 1),
            ("d", new ItemAnswer("2025/13/01")), ("c", new ItemAnswer("電話回線")), ("t", new ItemAnswer(new string('あ', 4001))), ("zz", new ItemAnswer("Yes"))), Context());
        Assert.Equal(["zz:UnknownItem", "d:DateInvalid", "c:ChoiceInvalid", "t:TextTooLong"], problems.Select(p => $"{p.ItemId}:{p.Code}"));
    }

    [Fact]
    public void A_later_round_is_checked_like_the_first()
    {
        var t = Checklist(YesNoItem("a", TargetDate));
        var answers = new FormAnswers([
            new CheckRound(1, new DateOnly(2025, 6, 1), new Dictionary<string, ItemAnswer> { ["a"] = new("No", new DateOnly(2025, 12, 1)) }),
            new CheckRound(2, new DateOnly(2025, 12, 1), new Dictionary<string, ItemAnswer> { ["a"] = new("No") }),
        ]);
        var p = Assert.Single(FormRules.Validate(t, answers, Context()));
        Assert.Equal((2, "TargetDateMissing"), (p.Round, p.Code));
    }

    [Fact]
    public void An_untouched_later_round_is_not_required_yet()
    {
        var t = Checklist(YesNoItem("a"));
        var answers = new FormAnswers([
            new CheckRound(1, new DateOnly(2025, 6, 1), new Dictionary<string, ItemAnswer> { ["a"] = new("Yes") }),
            new CheckRound(2, null, new Dictionary<string, ItemAnswer>()),
        ]);
        Assert.Empty(FormRules.Validate(t, answers, Context()));
    }

    [Fact]
    public void Disclosures_have_no_dated_rounds()
    {
        var mds = Checklist(YesNoItem("a")) with { Kind = FormKind.Mds, Rounds = 0 };
        Assert.Empty(FormRules.Validate(mds, new FormAnswers([new CheckRound(1, null, new Dictionary<string, ItemAnswer> { ["a"] = new("Yes") })]), new FormContext(null, true, new DateOnly(2026, 1, 1))));
    }
}
