using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Forms;

/// <summary>One item's answer in one round: はい/いいえ/対象外 (or text, date, choice), the 目標日 for いいえ, and 備考.</summary>
public sealed record ItemAnswer(string? Value, DateOnly? TargetDate = null, string? Remark = null);

/// <summary>
/// 確認の回: checklists are answered in dated rounds (1回目, 2回目, …). A disclosure (MDS/SDS) is one
/// round without a date.
/// </summary>
public sealed record CheckRound(int Number, DateOnly? CheckedOn, IReadOnlyDictionary<string, ItemAnswer> Answers);

public sealed record FormAnswers(IReadOnlyList<CheckRound> Rounds)
{
    public static FormAnswers Empty(FormTemplate template)
        => new([.. Enumerable.Range(1, Math.Max(1, template.Rounds)).Select(n => new CheckRound(n, null, new Dictionary<string, ItemAnswer>()))]);
}

/// <param name="FiscalYear">The 年度 a checklist is for (目標日 and 確認日 must fall inside it); null for disclosures.</param>
/// <param name="HasVendorContract">Whether the hospital has a vendor contract (some items are not required without one).</param>
/// <param name="Today">JST today: a check date cannot be in the future.</param>
public sealed record FormContext(FiscalYear? FiscalYear, bool HasVendorContract, DateOnly Today);

/// <summary>A problem next to an item (ItemId null for the form itself). Code names a UI string "Form_{Code}".</summary>
public sealed record FormProblem(string? ItemId, int Round, string Code, params object[] Args);

/// <summary>
/// The rule engine behind every form: pure, so each rule is unit-tested without a database. Drafts are
/// never validated; submission must pass all of these.
/// </summary>
public static class FormRules
{
    public const int MaxTextLength = 4000;

    public static YesNo? ParseYesNo(string? value) => value?.Trim() switch
    {
        "Yes" or "はい" or "yes" => YesNo.Yes,
        "No" or "いいえ" or "no" => YesNo.No,
        "NotApplicable" or "対象外" or "N/A" => YesNo.NotApplicable,
        _ => null,
    };

    public static IReadOnlyList<FormProblem> Validate(FormTemplate template, FormAnswers answers, FormContext context)
    {
        var problems = new List<FormProblem>();
        var known = template.Items.Select(i => i.Id).ToHashSet(StringComparer.Ordinal);
        var rounds = answers.Rounds.OrderBy(r => r.Number).ToList();

        if (template.IsChecklist && rounds.All(r => r.Number != 1))
        {
            problems.Add(new FormProblem(null, 1, "RoundMissing", 1));
        }
        foreach (var round in rounds)
        {
            // Later rounds (2回目, …) are done when the time comes: an untouched one is not yet required.
            if (round.Number > 1 && round.CheckedOn is null && round.Answers.Count == 0)
            {
                continue;
            }
            foreach (var unknown in round.Answers.Keys.Where(k => !known.Contains(k)))
            {
                problems.Add(new FormProblem(unknown, round.Number, "UnknownItem", unknown));
            }
            if (template.IsChecklist)
            {
                ValidateRoundDate(round, context, problems);
            }
            ValidateItems(template, round, context, problems);
        }
        return problems;
    }

    private static void ValidateRoundDate(CheckRound round, FormContext context, List<FormProblem> problems)
    {
        if (round.CheckedOn is not { } on)
        {
            problems.Add(new FormProblem(null, round.Number, "RoundDateMissing", round.Number));
            return;
        }
        if (on > context.Today)
        {
            problems.Add(new FormProblem(null, round.Number, "RoundDateInFuture", round.Number));
        }
        if (context.FiscalYear is { } fy && !fy.Contains(on))
        {
            problems.Add(new FormProblem(null, round.Number, "RoundDateOutsideFiscalYear", round.Number, fy.ToWarekiString()));
        }
    }

    private static void ValidateItems(FormTemplate template, CheckRound round, FormContext context, List<FormProblem> problems)
    {
        var gateClosed = false;
        foreach (var item in template.Items)
        {
            round.Answers.TryGetValue(item.Id, out var answer);
            if (!IsRequired(item, round, context, gateClosed))
            {
                continue;
            }
            if (string.IsNullOrWhiteSpace(answer?.Value))
            {
                problems.Add(new FormProblem(item.Id, round.Number, "AnswerMissing", item.Number));
                continue;
            }
            switch (item.AnswerType)
            {
                case AnswerType.YesNo or AnswerType.YesNoNa:
                    var yn = ParseYesNo(answer.Value);
                    if (yn is null || (yn == YesNo.NotApplicable && item.AnswerType == AnswerType.YesNo))
                    {
                        problems.Add(new FormProblem(item.Id, round.Number, "AnswerInvalid", item.Number));
                        break;
                    }
                    if (yn == YesNo.No)
                    {
                        ValidateNo(item, answer, round, context, problems);
                        gateClosed |= item.Has(RuleKind.GateForAllFollowing);
                    }
                    break;
                case AnswerType.Date when !DateOnly.TryParseExact(answer.Value, "yyyy-MM-dd", out _):
                    problems.Add(new FormProblem(item.Id, round.Number, "DateInvalid", item.Number));
                    break;
                case AnswerType.Choice when item.Choices?.Contains(answer.Value) != true:
                    problems.Add(new FormProblem(item.Id, round.Number, "ChoiceInvalid", item.Number));
                    break;
            }
            if ((answer.Value?.Length ?? 0) > MaxTextLength || (answer.Remark?.Length ?? 0) > MaxTextLength)
            {
                problems.Add(new FormProblem(item.Id, round.Number, "TextTooLong", item.Number, MaxTextLength));
            }
        }
    }

    private static bool IsRequired(TemplateItem item, CheckRound round, FormContext context, bool gateClosed)
    {
        if (gateClosed)
        {
            return false;
        }
        if (!context.HasVendorContract && item.Has(RuleKind.NotRequiredWithoutVendorContract))
        {
            return false;
        }
        foreach (var rule in item.Rules?.Where(r => r.Kind == RuleKind.ApplicableWhen) ?? [])
        {
            round.Answers.TryGetValue(rule.Item!, out var other);
            var applies = rule.Value is not null
                ? string.Equals(other?.Value?.Trim(), rule.Value, StringComparison.Ordinal)
                : ParseYesNo(other?.Value) == rule.Answer;
            if (!applies)
            {
                return false;
            }
        }
        return true;
    }

    private static void ValidateNo(TemplateItem item, ItemAnswer answer, CheckRound round, FormContext context, List<FormProblem> problems)
    {
        if (item.Has(RuleKind.RemarkWhenNo) && string.IsNullOrWhiteSpace(answer.Remark))
        {
            problems.Add(new FormProblem(item.Id, round.Number, "RemarkMissing", item.Number));
        }
        if (!item.Has(RuleKind.TargetDateWhenNo))
        {
            return;
        }
        if (answer.TargetDate is not { } target)
        {
            problems.Add(new FormProblem(item.Id, round.Number, "TargetDateMissing", item.Number));
            return;
        }
        if (context.FiscalYear is { } fy && !fy.Contains(target))
        {
            problems.Add(new FormProblem(item.Id, round.Number, "TargetDateOutsideFiscalYear", item.Number, fy.ToWarekiString(), Wareki.Format(fy.LastDay)));
        }
        if (round.CheckedOn is { } on && target < on)
        {
            problems.Add(new FormProblem(item.Id, round.Number, "TargetDateBeforeCheck", item.Number));
        }
    }
}
