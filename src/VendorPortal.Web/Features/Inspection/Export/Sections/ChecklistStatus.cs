using VendorPortal.Features.Forms;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Inspection.Export.Sections;

/// <summary>A vendor engaged with the hospital at some time in the 年度 (it owes a 事業者確認用 checklist).</summary>
public sealed record EngagedVendor(Guid VendorId, string VendorName);

/// <summary>What the status table needs of one checklist of the 年度, as the hospital sees it (latest submitted version).</summary>
public sealed record ChecklistFacts(Guid SubmissionId, FormKind Kind, Guid RespondentId, string RespondentName, string? SystemName,
    SubmissionState State, int LatestVersion, DateOnly? FirstRoundOn, DateTimeOffset? LatestSubmittedAt, DateTimeOffset? AcceptedAt,
    int NoCount, int NoWithTarget);

/// <summary>One line of the status table (提出状況一覧).</summary>
public sealed record ChecklistStatusRow(string Category, string Name, string? SystemName, string Status, int? Version, DateOnly? FirstRoundOn,
    DateOnly? LatestSubmittedOn, string Review, DateOnly? AcceptedOn, int? NoCount, int? NoWithTarget)
{
    public IReadOnlyList<object?> Cells => [Category, Name, SystemName, Status, Version is { } v ? $"第{v}版" : null, FirstRoundOn, LatestSubmittedOn,
        Review, AcceptedOn, NoCount, NoWithTarget];
}

/// <summary>
/// The rules of the checklist status table: who must appear (the hospital's own checklist, every vendor engaged in
/// the 年度 — 「未提出」 when it submitted nothing — and any other vendor that submitted one), in which order, and how
/// the いいえ answers are counted. Pure; unit-tested.
/// </summary>
public static class ChecklistStatus
{
    public const string HospitalCategory = "医療機関確認用";
    public const string VendorCategory = "事業者確認用";
    public const string NotSubmitted = "未提出";

    public static readonly IReadOnlyList<SectionColumn> Columns =
    [
        new("区分", 14), new("医療機関・事業者", 28), new("対象システム", 18), new("提出状況", 10), new("版", 7), new("第1回確認日", 12),
        new("最新の提出日", 12), new("確認状況", 12), new("受理日", 12), new("「いいえ」の数", 9), new("うち目標日あり", 9),
    ];

    /// <summary>
    /// How many items are answered いいえ and how many of those have a 目標日. For each item the latest round that
    /// answered it decides (as the gap rules do): an いいえ corrected to はい in the second round no longer counts.
    /// </summary>
    public static (int No, int WithTarget) CountNo(FormTemplate template, FormAnswers answers)
    {
        var rounds = answers.Rounds.Where(r => r.Answers.Count > 0).OrderByDescending(r => r.Number).ToList();
        int no = 0, withTarget = 0;
        foreach (var item in template.Items)
        {
            var answer = rounds.Select(r => r.Answers.GetValueOrDefault(item.Id)).FirstOrDefault(a => a is not null);
            if (answer is not null && FormRules.ParseYesNo(answer.Value) == YesNo.No)
            {
                no++;
                if (answer.TargetDate is not null)
                {
                    withTarget++;
                }
            }
        }
        return (no, withTarget);
    }

    /// <summary>The first round's 確認日 (the date the inspector asks for first).</summary>
    public static DateOnly? FirstRoundOn(FormAnswers answers) => answers.Rounds.Where(r => r.Number == 1).Select(r => r.CheckedOn).FirstOrDefault();

    public static string ReviewLabel(SubmissionState state) => state switch
    {
        SubmissionState.Accepted => "受理済み",
        SubmissionState.Returned => "差戻し中",
        SubmissionState.Submitted => "確認待ち",
        SubmissionState.Recorded => "記録済み",
        _ => "下書き（未記録）",
    };

    /// <summary>
    /// The rows: the hospital's own checklist(s) first (「未記録」 when there is none), then each vendor by name
    /// (ordinal), each of its checklists by system name; an engaged vendor without any submitted checklist gets one
    /// 「未提出」 row.
    /// </summary>
    public static IReadOnlyList<ChecklistStatusRow> Rows(string hospitalName, IEnumerable<ChecklistFacts> checklists, IEnumerable<EngagedVendor> engaged)
    {
        var all = checklists.ToList();
        var rows = new List<ChecklistStatusRow>();
        var own = all.Where(c => c.Kind == FormKind.HospitalChecklist).OrderBy(c => c.SystemName ?? "", StringComparer.Ordinal).ThenBy(c => c.SubmissionId).ToList();
        rows.AddRange(own.Count == 0
            ? [new ChecklistStatusRow(HospitalCategory, hospitalName, null, "未記録", null, null, null, "—", null, null, null)]
            : own.Select(c => Row(HospitalCategory, hospitalName, c)));

        var vendorChecklists = all.Where(c => c.Kind == FormKind.VendorChecklist && c.LatestVersion > 0).ToList();
        var vendors = engaged.Select(e => (e.VendorId, e.VendorName))
            .Concat(vendorChecklists.Select(c => (VendorId: c.RespondentId, VendorName: c.RespondentName)))
            .DistinctBy(v => v.VendorId)
            .OrderBy(v => v.VendorName, StringComparer.Ordinal).ThenBy(v => v.VendorId);
        foreach (var (vendorId, vendorName) in vendors)
        {
            var mine = vendorChecklists.Where(c => c.RespondentId == vendorId)
                .OrderBy(c => c.SystemName ?? "", StringComparer.Ordinal).ThenBy(c => c.SubmissionId).ToList();
            if (mine.Count == 0)
            {
                rows.Add(new ChecklistStatusRow(VendorCategory, vendorName, null, NotSubmitted, null, null, null, "—", null, null, null));
            }
            rows.AddRange(mine.Select(c => Row(VendorCategory, vendorName, c)));
        }
        return rows;
    }

    private static ChecklistStatusRow Row(string category, string name, ChecklistFacts c)
    {
        var submitted = c.LatestVersion > 0;
        return new ChecklistStatusRow(category, name, c.SystemName,
            submitted ? (c.Kind == FormKind.HospitalChecklist ? "記録済み" : "提出済み") : "未記録（下書きのみ）",
            submitted ? c.LatestVersion : null, c.FirstRoundOn, c.LatestSubmittedAt is { } at ? Day(at) : null,
            submitted ? ReviewLabel(c.State) : "—", c.State == SubmissionState.Accepted && c.AcceptedAt is { } acc ? Day(acc) : null,
            c.NoCount, c.NoWithTarget);
    }

    private static DateOnly Day(DateTimeOffset instant) => DateOnly.FromDateTime(JapanTime.ToJst(instant).DateTime);
}
