using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Tenancy;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Forms.Workbooks;

public sealed record WorkbookFile(byte[] Bytes, string FileName)
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
}

/// <summary>One workbook to prepare: a submission and the version wanted (null: the respondent's draft, or for others the latest).</summary>
public sealed record WorkbookRequest(FormSubmission Submission, int? VersionNumber);

/// <summary>
/// Prepared workbooks (<see cref="FormWorkbookService.PrepareAsync"/>): <see cref="Build"/> needs no database and is
/// safe to call from several threads at once.
/// </summary>
public sealed class WorkbookBatch
{
    internal sealed record Item(FormTemplate Template, string TemplateHash, WorkbookHeader Header, string AnswersJson,
        IReadOnlyDictionary<string, string>? ReturnComments, string FileName, int? VersionNumber);

    private readonly IReadOnlyDictionary<Guid, Item> _items;

    internal WorkbookBatch(IReadOnlyDictionary<Guid, Item> items) => _items = items;

    /// <summary>The workbook of a prepared submission; null when the version asked for does not exist.</summary>
    public WorkbookFile? Build(Guid submissionId)
    {
        if (!_items.TryGetValue(submissionId, out var item))
        {
            return null;
        }
        var bytes = FormWorkbookWriter.Write(item.Template, item.TemplateHash, item.Header, AnswerJson.Deserialize(item.AnswersJson), item.ReturnComments);
        return new WorkbookFile(bytes, item.FileName);
    }

    /// <summary>The submitted version a prepared workbook shows; null for a draft (or an unknown submission).</summary>
    public int? VersionOf(Guid submissionId) => _items.TryGetValue(submissionId, out var item) ? item.VersionNumber : null;
}

public sealed record WorkbookImportResult(bool Succeeded, IReadOnlyList<WorkbookProblem> Problems, int ItemRows, string? ErrorCode = null);

/// <summary>
/// Excel in and out for forms, on top of the workflow: export a template blank or a submission filled
/// (the respondent's draft, or a submitted version), and import a workbook into the respondent's draft,
/// all or nothing. Reads go through the tenant filters like every other read.
/// </summary>
public sealed class FormWorkbookService(AppDbContext db, SubmissionWorkflow workflow, ITenantContext tenant, AuditLog audit, TimeProvider time)
{
    public static WorkbookFile ExportTemplate(FormTemplateVersion version, TimeProvider time)
    {
        var bytes = FormWorkbookWriter.Write(version.Parse(), version.ContentHash, new WorkbookHeader(JapanTime.TodayInJapan(time)), null);
        return new WorkbookFile(bytes, FileName(version.Title, version.VersionLabel, "様式"));
    }

    /// <summary>The respondent gets its draft (or a version it asks for); everyone else a submitted version. Null if there is none.</summary>
    /// <param name="asOf">The 作成日 written in the sheet (the inspection bundle passes its own date); today (JST) when null.</param>
    /// <param name="recordAudit">
    /// False only for the inspection bundle, which reads without writing and is audit-logged as a whole
    /// (InspectionBundleExported with its manifest hash).
    /// </param>
    public async Task<WorkbookFile?> ExportSubmissionAsync(FormSubmission s, int? versionNumber, CancellationToken ct = default,
        DateOnly? asOf = null, bool recordAudit = true)
    {
        var batch = await PrepareAsync([new WorkbookRequest(s, versionNumber)], asOf ?? JapanTime.TodayInJapan(time), ct);
        if (batch.Build(s.Id) is not { } file)
        {
            return null;
        }
        if (recordAudit)
        {
            var version = batch.VersionOf(s.Id);
            audit.Record(AuditActions.FormExported, "form_submissions", s.Id.ToString(), new { version, draft = version is null });
            await db.SaveChangesAsync(ct);
        }
        return file;
    }

    /// <summary>
    /// Everything the workbooks of many submissions need, read in a fixed number of queries (not per submission):
    /// templates (each parsed once), the versions asked for, organization, system and product names, the last
    /// return's item comments. <see cref="WorkbookBatch.Build"/> then makes each workbook without the database, so
    /// the inspection bundle can build the next one on another core while it streams attachments. Same rules as
    /// <see cref="ExportSubmissionAsync"/>: the respondent gets its draft when no version is given, others the latest
    /// submitted version.
    /// </summary>
    public async Task<WorkbookBatch> PrepareAsync(IReadOnlyList<WorkbookRequest> requests, DateOnly createdOn, CancellationToken ct = default)
    {
        var keys = requests.Select(r => r.Submission.TemplateKey).Distinct().ToList();
        var templates = (await db.FormTemplateVersions.AsNoTracking().Where(t => keys.Contains(t.Key)).ToListAsync(ct))
            .ToDictionary(t => t.Key, t => (Template: t.Parse(), t.ContentHash));
        var numbers = requests.Select(r => (r.Submission, Number: r.VersionNumber ?? (SubmissionWorkflow.IsRespondent(r.Submission, tenant) ? (int?)null : r.Submission.LatestVersion)))
            .ToList();
        var wanted = numbers.Where(n => n.Number is not null).Select(n => n.Submission.Id).ToList();
        var versions = (await db.FormSubmissionVersions.AsNoTracking().Where(v => wanted.Contains(v.SubmissionId)).ToListAsync(ct))
            .Where(v => numbers.Any(n => n.Submission.Id == v.SubmissionId && n.Number == v.Number))
            .ToDictionary(v => v.SubmissionId);
        var orgIds = requests.SelectMany(r => new[] { r.Submission.HospitalId, r.Submission.RespondentOrganizationId }).OfType<Guid>().Distinct().ToList();
        var names = await db.Organizations.AsNoTracking().Where(o => orgIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        var systemIds = requests.Select(r => r.Submission.SystemId).OfType<Guid>().Distinct().ToList();
        var systems = await db.MedicalSystems.AsNoTracking().Where(m => systemIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => m.Name, ct);
        var ids = requests.Select(r => r.Submission.Id).ToList();
        var lastReturns = (await db.FormReviewEvents.AsNoTracking().Where(e => ids.Contains(e.SubmissionId) && e.Action == ReviewAction.Returned).ToListAsync(ct))
            .GroupBy(e => e.SubmissionId).ToDictionary(g => g.Key, g => g.OrderByDescending(e => e.At).ThenByDescending(e => e.Id).First().ItemCommentMap);
        var productIds = requests.Select(r => r.Submission.ProductId).OfType<Guid>().Distinct().ToList();
        var products = await db.Products.AsNoTracking().Where(p => productIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => (p.Name, p.Version), ct);

        var items = new Dictionary<Guid, WorkbookBatch.Item>();
        foreach (var (s, number) in numbers)
        {
            var version = versions.GetValueOrDefault(s.Id);
            if (number is not null && version is null)
            {
                continue;
            }
            var (template, templateHash) = templates[s.TemplateKey];
            var hospitalName = s.HospitalId is { } h ? names.GetValueOrDefault(h) : null;
            (string Name, string Version)? product = s.ProductId is { } pid && products.TryGetValue(pid, out var pv) ? pv : null;
            var header = new WorkbookHeader(
                createdOn, hospitalName, names.GetValueOrDefault(s.RespondentOrganizationId), s.FiscalYear, s.SystemId is { } sys ? systems.GetValueOrDefault(sys) : null,
                ProductName: product?.Name, ProductVersion: product?.Version, SubmissionId: s.Id, VersionNumber: version?.Number, ContentHash: version?.ContentHash,
                State: version is null ? "下書き" : $"{JapanTime.Format(version.SubmittedAt)} 提出 {version.SubmittedByName}");
            var fy = s.FiscalYear is { } y ? new FiscalYear(y).ToWarekiString() : null;
            var fileName = FileName(template.Title, product is null ? hospitalName : $"{product.Value.Name} {product.Value.Version}", fy ?? header.SystemName,
                version is null ? "下書き" : $"第{version.Number}版");
            items[s.Id] = new WorkbookBatch.Item(template, templateHash, header, version?.Answers ?? s.DraftAnswers, lastReturns.GetValueOrDefault(s.Id), fileName, version?.Number);
        }
        return new WorkbookBatch(items);
    }

    /// <summary>
    /// Reads the workbook and, only if every cell is valid, replaces the draft's rounds that the file has
    /// (rounds it lacks stay as they were). Nothing is saved otherwise.
    /// </summary>
    public async Task<WorkbookImportResult> ImportAsync(FormSubmission s, Stream upload, string? fileName, CancellationToken ct = default)
    {
        if (!SubmissionWorkflow.IsRespondent(s, tenant))
        {
            return new WorkbookImportResult(false, [], 0, "NotRespondent");
        }
        var template = await workflow.TemplateOfAsync(s, ct);
        byte[] bytes;
        WorkbookImport read;
        try
        {
            bytes = await XlsxSafety.ReadUploadAsync(upload, ct);
            using var package = XlsxSafety.Open(bytes);
            read = FormWorkbookReader.Read(package, template);
        }
        catch (WorkbookException ex)
        {
            return new WorkbookImportResult(false, [ex.Problem], 0);
        }
        if (!read.Succeeded)
        {
            return new WorkbookImportResult(false, read.Problems, read.ItemRows);
        }
        var draft = AnswerJson.Deserialize(s.DraftAnswers);
        var imported = read.Answers!.Rounds.ToDictionary(r => r.Number);
        var merged = draft.Rounds.Where(r => !imported.ContainsKey(r.Number)).Concat(imported.Values).OrderBy(r => r.Number).ToList();
        var saved = await workflow.SaveDraftAsync(s, new FormAnswers(merged), ct, new
        {
            file = Path.GetFileName(fileName ?? ""), sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)), rows = read.ItemRows,
            rounds = imported.Keys.Order().ToArray(),
        });
        return saved.Succeeded
            ? new WorkbookImportResult(true, [], read.ItemRows)
            : new WorkbookImportResult(false, [], read.ItemRows, saved.ErrorCode);
    }

    /// <summary>"事業者確認用チェックリスト_中央総合病院_令和7年度_第2版.xlsx", without characters file systems refuse.</summary>
    public static string FileName(params string?[] parts)
    {
        var name = string.Join("_", parts.Where(p => !string.IsNullOrWhiteSpace(p)));
        var invalid = Path.GetInvalidFileNameChars().Concat(['\\', '/', ':', '*', '?', '"', '<', '>', '|']).ToHashSet();
        var cleaned = new string(name.Select(c => invalid.Contains(c) || char.IsControl(c) ? '_' : c).ToArray()).Trim();
        return (cleaned.Length > 120 ? cleaned[..120] : cleaned) + ".xlsx";
    }
}
