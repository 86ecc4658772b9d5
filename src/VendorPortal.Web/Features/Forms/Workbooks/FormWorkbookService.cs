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
        var templateVersion = await db.FormTemplateVersions.AsNoTracking().SingleAsync(t => t.Key == s.TemplateKey, ct);
        var template = templateVersion.Parse();
        var respondent = SubmissionWorkflow.IsRespondent(s, tenant);
        FormSubmissionVersion? version = null;
        if (versionNumber is not null || !respondent)
        {
            var number = versionNumber ?? s.LatestVersion;
            version = await db.FormSubmissionVersions.AsNoTracking().SingleOrDefaultAsync(v => v.SubmissionId == s.Id && v.Number == number, ct);
            if (version is null)
            {
                return null;
            }
        }
        var answers = AnswerJson.Deserialize(version?.Answers ?? s.DraftAnswers);
        var names = await db.Organizations.AsNoTracking().Where(o => o.Id == s.HospitalId || o.Id == s.RespondentOrganizationId).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        var systemName = s.SystemId is { } sys ? await db.MedicalSystems.AsNoTracking().Where(m => m.Id == sys).Select(m => m.Name).SingleOrDefaultAsync(ct) : null;
        var lastReturn = await db.FormReviewEvents.AsNoTracking().Where(e => e.SubmissionId == s.Id && e.Action == ReviewAction.Returned)
            .OrderByDescending(e => e.At).FirstOrDefaultAsync(ct);
        var hospitalName = s.HospitalId is { } h ? names.GetValueOrDefault(h) : null;
        // An MDS/SDS is per product: its name and version head the sheet instead of a hospital and 年度.
        var product = s.ProductId is { } pid ? await db.Products.AsNoTracking().Where(p => p.Id == pid).Select(p => new { p.Name, p.Version }).SingleOrDefaultAsync(ct) : null;
        var header = new WorkbookHeader(
            asOf ?? JapanTime.TodayInJapan(time), hospitalName, names.GetValueOrDefault(s.RespondentOrganizationId), s.FiscalYear, systemName,
            ProductName: product?.Name, ProductVersion: product?.Version, SubmissionId: s.Id, VersionNumber: version?.Number, ContentHash: version?.ContentHash,
            State: version is null ? "下書き" : $"{JapanTime.Format(version.SubmittedAt)} 提出 {version.SubmittedByName}");
        var bytes = FormWorkbookWriter.Write(template, templateVersion.ContentHash, header, answers, lastReturn?.ItemCommentMap);
        if (recordAudit)
        {
            audit.Record(AuditActions.FormExported, "form_submissions", s.Id.ToString(), new { version = version?.Number, draft = version is null });
            await db.SaveChangesAsync(ct);
        }
        var fy = s.FiscalYear is { } y ? new FiscalYear(y).ToWarekiString() : null;
        return new WorkbookFile(bytes, FileName(template.Title, product is null ? hospitalName : $"{product.Name} {product.Version}", fy ?? systemName,
            version is null ? "下書き" : $"第{version.Number}版"));
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
