using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using VendorPortal.Features.Forms.Workbooks;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Gaps;

/// <summary>
/// The compliance-gap list of a hospital and 年度 as an .xlsx, filtered like the page. Usable without HTTP: the
/// inspection bundle calls <see cref="BuildAsync"/> ("open compliance gaps at the time of export"); the page and the
/// API call <see cref="ExportAsync"/>, which also writes the audit event. The sheet is always in Japanese (it is a
/// document for 立入検査 and the hospital's files), whatever the user's UI language. Reads go through the tenant
/// filters: a hospital the caller cannot see gives null.
/// </summary>
public sealed class GapExportService(AppDbContext db, GapQuery query, IStringLocalizer<SharedResource> localizer, AuditLog audit, TimeProvider time)
{
    /// <param name="asOf">The moment the list describes, written into the sheet (the bundle passes its pinned time); now when null.</param>
    public async Task<WorkbookFile?> BuildAsync(Guid hospitalId, FiscalYear year, GapFilter filter, CancellationToken ct = default, DateTimeOffset? asOf = null)
    {
        var now = asOf ?? time.GetUtcNow();
        var today = DateOnly.FromDateTime(JapanTime.ToJst(now).DateTime);
        var hospitalName = await db.Organizations.AsNoTracking().Where(o => o.Id == hospitalId).Select(o => o.Name).SingleOrDefaultAsync(ct);
        if (hospitalName is null)
        {
            return null;
        }
        var all = await query.ForHospitalAsync(hospitalId, year, ct, today);
        var shown = filter.Apply(all);
        var previous = CultureInfo.CurrentUICulture;
        var previousFormat = CultureInfo.CurrentCulture;
        try
        {
            // Async-local: restored for the caller when this method returns.
            CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("ja-JP");
            var text = new GapText(localizer);
            var header = new GapWorkbookHeader(hospitalName, year, await DescribeAsync(filter, all, text, ct), now, all.Count);
            var rows = shown.Select(g => new GapWorkbookRow(text.Severity(g.Severity), text.Kind(g.Kind), text.Message(g), g.ItemNumber, g.VendorName,
                g.SystemName, text.Actor(g.MustAct), g.Since, GapView.DaysOpen(g, today), GapView.LinkOf(g))).ToList();
            var bytes = GapWorkbookWriter.Write(header, rows);
            return new WorkbookFile(bytes, FormWorkbookService.FileName("コンプライアンス上の不備", hospitalName, year.ToString(), today.ToString("yyyyMMdd", CultureInfo.InvariantCulture)));
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
            CultureInfo.CurrentCulture = previousFormat;
        }
    }

    /// <summary><see cref="BuildAsync"/> and an audit event (who exported which hospital's gaps, with which filters, how many rows).</summary>
    public async Task<WorkbookFile?> ExportAsync(Guid hospitalId, FiscalYear year, GapFilter filter, CancellationToken ct = default)
    {
        if (await BuildAsync(hospitalId, year, filter, ct) is not { } file)
        {
            return null;
        }
        audit.Record(AuditActions.GapsExported, "organizations", hospitalId.ToString(), new
        {
            fiscalYear = year.StartYear,
            filter = filter.ToQuery().Select(p => $"{p.Key}={p.Value}").ToArray(),
        });
        await audit.SaveAsync(ct);
        return file;
    }

    /// <summary>The filters in words for the header block: "事業者: …", "種類: …", "重要度: 高以上", "対応者: 事業者".</summary>
    private async Task<List<string>> DescribeAsync(GapFilter filter, IReadOnlyList<ComplianceGap> all, GapText text, CancellationToken ct)
    {
        var parts = new List<string>();
        if (filter.VendorId is { } v)
        {
            var name = all.FirstOrDefault(g => g.VendorId == v)?.VendorName
                       ?? await db.Organizations.AsNoTracking().Where(o => o.Id == v).Select(o => o.Name).SingleOrDefaultAsync(ct);
            parts.Add($"事業者: {name ?? v.ToString()}");
        }
        if (filter.SystemId is { } s)
        {
            var name = all.FirstOrDefault(g => g.SystemId == s)?.SystemName
                       ?? await db.MedicalSystems.AsNoTracking().Where(m => m.Id == s).Select(m => m.Name).SingleOrDefaultAsync(ct);
            parts.Add($"システム: {name ?? s.ToString()}");
        }
        if (filter.Kinds.Count > 0)
        {
            parts.Add("種類: " + string.Join("・", filter.Kinds.Select(text.Kind)));
        }
        if (filter.Severities.Count > 0)
        {
            parts.Add("重要度: " + string.Join("・", filter.Severities.OrderDescending().Select(text.Severity)));
        }
        if (filter.MinSeverity is { } min)
        {
            parts.Add($"重要度: {text.Severity(min)}以上");
        }
        if (filter.Actor is { } a)
        {
            parts.Add($"対応者: {text.Actor(a)}");
        }
        return parts;
    }
}
