using Microsoft.AspNetCore.Http;
using VendorPortal.Features.Forms;

namespace VendorPortal.Features.Checklists;

/// <summary>
/// Reads the checklist form (fields r{round}.date, r{round}.{item}.v / .t / .m) into answers. A date that
/// does not parse is reported, never silently dropped.
/// </summary>
public static class ChecklistForm
{
    public static (FormAnswers Answers, List<FormProblem> Problems) Read(IFormCollection form, FormTemplate template)
    {
        var problems = new List<FormProblem>();
        var rounds = new List<CheckRound>();
        var roundCount = Math.Clamp(int.TryParse(form["rounds"], out var n) ? n : template.Rounds, 1, 5);
        for (var r = 1; r <= roundCount; r++)
        {
            var answers = new Dictionary<string, ItemAnswer>();
            foreach (var item in template.Items)
            {
                var prefix = $"r{r}.{item.Id}.";
                var value = form[prefix + "v"].ToString();
                var remark = form[prefix + "m"].ToString();
                DateOnly? target = null;
                var rawTarget = form[prefix + "t"].ToString();
                if (!string.IsNullOrWhiteSpace(rawTarget))
                {
                    if (DateOnly.TryParseExact(rawTarget, "yyyy-MM-dd", out var t))
                    {
                        target = t;
                    }
                    else
                    {
                        problems.Add(new FormProblem(item.Id, r, "DateInvalid", item.Number));
                    }
                }
                if (!string.IsNullOrWhiteSpace(value) || target is not null || !string.IsNullOrWhiteSpace(remark))
                {
                    answers[item.Id] = new ItemAnswer(string.IsNullOrWhiteSpace(value) ? null : value, target, string.IsNullOrWhiteSpace(remark) ? null : remark);
                }
            }
            DateOnly? checkedOn = null;
            var rawDate = form[$"r{r}.date"].ToString();
            if (!string.IsNullOrWhiteSpace(rawDate))
            {
                if (DateOnly.TryParseExact(rawDate, "yyyy-MM-dd", out var d))
                {
                    checkedOn = d;
                }
                else
                {
                    problems.Add(new FormProblem(null, r, "RoundDateInvalid", r));
                }
            }
            rounds.Add(new CheckRound(r, checkedOn, answers));
        }
        return (new FormAnswers(rounds), problems);
    }
}
