using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Forms;
using VendorPortal.Features.Forms.Workbooks;
using VendorPortal.Infrastructure.Data;

namespace VendorPortal.Features.Inspection.Export.Sections;

/// <summary>
/// The two checklists the 立入検査 asks for every year (医療法施行規則 第14条第2項): the hospital's own 医療機関確認用
/// checklist of the reference 年度, every vendor's 事業者確認用 checklist submitted to the hospital for it (latest
/// submitted version — a vendor's unsent draft is never read: the tenant filter hides it and only versions are
/// exported), each as the portal's official-like .xlsx (round dates, 目標日), and the status table of every vendor
/// engaged in the year (HTML and .xlsx).
/// </summary>
public sealed class ChecklistsSection(AppDbContext db, FormWorkbookService workbooks, ParsedFormCache parsed) : IBundleSection
{
    public int Order => 10;
    public string Folder => "01_checklists";
    public string Title => "セキュリティチェックリスト（医療機関確認用・事業者確認用）";
    public string Description =>
        "医療法施行規則第14条第2項に基づく立入検査で確認される、医療機関確認用と事業者確認用のチェックリストです（各回の確認日、「いいえ」の目標日を含む）。提出状況一覧には対象年度に契約のあるすべての事業者を載せています。";

    public async Task WriteAsync(BundleContext context, CancellationToken cancellationToken)
    {
        var year = context.ReferenceYear;
        var hospitalId = context.HospitalId;
        var yearLabel = year.ToWarekiString();

        // Through the tenant filters: the hospital's own checklist (draft included: it is the respondent) and the
        // vendors' checklists that have a submitted version (their drafts are invisible).
        var forms = await db.FormSubmissions.AsNoTracking()
            .Where(s => s.FiscalYear == year.StartYear && s.HospitalId == hospitalId
                && ((s.Kind == FormKind.HospitalChecklist && s.RespondentOrganizationId == hospitalId)
                    || (s.Kind == FormKind.VendorChecklist && s.LatestVersion > 0)))
            .ToListAsync(cancellationToken);
        var ids = forms.Select(f => f.Id).ToList();
        var respondentIds = forms.Select(f => f.RespondentOrganizationId).Distinct().ToList();
        var names = await db.Organizations.AsNoTracking().Where(o => respondentIds.Contains(o.Id))
            .ToDictionaryAsync(o => o.Id, o => o.Name, cancellationToken);
        var systemIds = forms.Where(f => f.SystemId != null).Select(f => f.SystemId!.Value).Distinct().ToList();
        var systems = await db.MedicalSystems.AsNoTracking().Where(m => systemIds.Contains(m.Id))
            .ToDictionaryAsync(m => m.Id, m => m.Name, cancellationToken);
        var latestNumbers = forms.ToDictionary(f => f.Id, f => f.LatestVersion);
        var versions = (await db.FormSubmissionVersions.AsNoTracking().Where(v => ids.Contains(v.SubmissionId))
                .Select(v => new { v.SubmissionId, v.Number, v.Id, v.SubmittedAt }).ToListAsync(cancellationToken))
            .Where(v => latestNumbers[v.SubmissionId] == v.Number).ToDictionary(v => v.SubmissionId);
        var accepted = await db.FormReviewEvents.AsNoTracking().Where(e => ids.Contains(e.SubmissionId) && e.Action == ReviewAction.Accepted)
            .GroupBy(e => e.SubmissionId).Select(g => new { SubmissionId = g.Key, At = g.Max(e => e.At) }).ToDictionaryAsync(a => a.SubmissionId, a => a.At, cancellationToken);
        var answers = await parsed.AnswersAsync(db, [.. versions.Values.Select(v => v.Id)], cancellationToken);

        var formsById = forms.ToDictionary(f => f.Id);
        var facts = new List<ChecklistFacts>();
        foreach (var f in forms)
        {
            var template = await parsed.TemplateAsync(db, f.TemplateKey, cancellationToken);
            var latest = versions.GetValueOrDefault(f.Id);
            // The hospital's own unrecorded draft is counted from the draft (it is what exists); a vendor's never.
            var shown = latest is not null ? answers[latest.Id] : f.Kind == FormKind.HospitalChecklist ? AnswerJson.Deserialize(f.DraftAnswers) : new FormAnswers([]);
            var (no, withTarget) = ChecklistStatus.CountNo(template, shown);
            facts.Add(new ChecklistFacts(f.Id, f.Kind, f.RespondentOrganizationId, names.GetValueOrDefault(f.RespondentOrganizationId) ?? "",
                f.SystemId is { } sid ? systems.GetValueOrDefault(sid) : null, f.State, f.LatestVersion,
                ChecklistStatus.FirstRoundOn(shown), latest?.SubmittedAt, (accepted.TryGetValue(f.Id, out var acceptedAt) ? acceptedAt : null), no, withTarget));
        }

        var engaged = (await db.Engagements.AsNoTracking()
                .Where(e => e.HospitalId == hospitalId && e.StartsOn <= year.LastDay && (e.EndsOn == null || e.EndsOn >= year.FirstDay))
                .Select(e => new { e.VendorId, VendorName = e.Vendor!.Name }).ToListAsync(cancellationToken))
            .DistinctBy(e => e.VendorId).Select(e => new EngagedVendor(e.VendorId, e.VendorName)).ToList();
        var rows = ChecklistStatus.Rows(context.HospitalName, facts, engaged);

        // 1. The status table (first: it is the page the inspector reads first).
        var table = new SectionTable($"セキュリティチェックリスト提出状況一覧（{yearLabel}）",
            [$"医療機関: {context.HospitalName}", $"対象年度: {yearLabel}（{SectionTable.Date(year.FirstDay)}〜{SectionTable.Date(year.LastDay)}）",
                $"作成日時: {SectionTable.DateTime(context.GeneratedAt)}（この時点の提出状況）"],
            ChecklistStatus.Columns, [.. rows.Select(r => r.Cells)],
            ["「提出状況」: 事業者確認用は対象年度に契約のある事業者ごと。提出のない事業者は「未提出」。", "「いいえ」の数は各項目の最新の回答で数えています。"]);
        await context.AddTextAsync("提出状況一覧.html", $"提出状況一覧（印刷用、{yearLabel}）", table.ToHtml(), cancellationToken: cancellationToken);
        await context.AddWorkbookAsync("提出状況一覧.xlsx", $"提出状況一覧（Excel、{yearLabel}）", table.ToXlsx("提出状況"), cancellationToken: cancellationToken);

        // 2. The hospital's own 医療機関確認用 checklist: the latest recorded version, or the draft if never recorded.
        var ownForms = forms.Where(f => f.Kind == FormKind.HospitalChecklist).OrderBy(f => f.TemplateKey, StringComparer.Ordinal).ThenBy(f => f.Id).ToList();
        var hospitalFiles = new FileNameSet();
        if (ownForms.Count == 0)
        {
            context.Note($"医療機関確認用チェックリスト（{yearLabel}）はポータルに記録されていません。", "医療機関確認用");
        }
        var vendorForms = facts.Where(f => f.Kind == FormKind.VendorChecklist)
            .OrderBy(f => f.RespondentName, StringComparer.Ordinal).ThenBy(f => f.RespondentId).ThenBy(f => f.SystemName ?? "", StringComparer.Ordinal).ThenBy(f => f.SubmissionId)
            .ToList();
        // Every workbook of the section read in one go and built ahead on the other cores (150 vendors: 150 workbooks).
        var ordered = ownForms.Select(f => new WorkbookRequest(f, f.LatestVersion > 0 ? f.LatestVersion : null))
            .Concat(vendorForms.Select(fact => formsById[fact.SubmissionId]).Select(f => new WorkbookRequest(f, f.LatestVersion)))
            .ToList();
        var batch = await workbooks.PrepareAsync(ordered, context.Today, cancellationToken);
        var pipeline = new WorkbookPipeline(batch, [.. ordered.Select(r => r.Submission.Id)]);
        var taken = 0;
        foreach (var f in ownForms)
        {
            var recorded = f.LatestVersion > 0;
            var file = await pipeline.TakeAsync(taken++, cancellationToken)
                ?? throw new InvalidOperationException("The hospital's own checklist could not be exported.");
            var at = versions.GetValueOrDefault(f.Id)?.SubmittedAt;
            var fileName = FormWorkbookService.FileName("医療機関確認用チェックリスト", context.HospitalName, yearLabel, recorded ? $"第{f.LatestVersion}版" : "下書き");
            await context.AddFileAsync("hospital/" + hospitalFiles.Unique(fileName), recorded
                    ? $"医療機関確認用チェックリスト（{yearLabel}、第{f.LatestVersion}版、{(at is { } t ? SectionTable.DateTime(t) + " 記録" : "記録済み")}）"
                    : $"医療機関確認用チェックリスト（{yearLabel}、未記録の下書き）",
                file.Bytes, "医療機関確認用", recorded ? null : "記録（提出）されていないため、作成日時点の下書きを出力しています。", cancellationToken);
        }

        // 3. Every vendor's 事業者確認用 checklist, latest submitted version, grouped by vendor.
        var vendorFiles = new FileNameSet();
        foreach (var fact in vendorForms)
        {
            var f = formsById[fact.SubmissionId];
            var file = await pipeline.TakeAsync(taken++, cancellationToken)
                ?? throw new InvalidOperationException("A submitted checklist has no submitted version.");
            var name = vendorFiles.Unique(FormWorkbookService.FileName("事業者確認用チェックリスト", fact.RespondentName, fact.SystemName, yearLabel, $"第{f.LatestVersion}版"));
            await context.AddFileAsync("vendors/" + name,
                $"事業者確認用チェックリスト（{(fact.SystemName is null ? "" : fact.SystemName + "、")}第{f.LatestVersion}版、{ChecklistStatus.ReviewLabel(fact.State)}）",
                file.Bytes, fact.RespondentName, cancellationToken: cancellationToken);
        }
        var missing = rows.Where(r => r.Category == ChecklistStatus.VendorCategory && r.Status == ChecklistStatus.NotSubmitted).Select(r => r.Name).ToList();
        if (vendorForms.Count == 0)
        {
            context.Note($"事業者確認用チェックリスト（{yearLabel}）: 該当なし（提出された事業者確認用チェックリストはありません）。");
        }
        if (missing.Count > 0)
        {
            context.Note($"事業者確認用チェックリスト未提出の事業者（{missing.Count} 社）: {string.Join("、", missing)}");
        }
    }
}
