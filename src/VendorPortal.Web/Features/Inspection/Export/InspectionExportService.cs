using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Inspection.Export;

public sealed record InspectionExportRequestResult(InspectionExport? Export, IReadOnlyList<string> Problems);

/// <summary>A finished bundle opened for download (the caller disposes the stream).</summary>
public sealed record InspectionExportDownload(InspectionExport Export, FileStream Content, string FileName);

/// <summary>
/// What the page and the API do with export jobs: request one (scope validated, row Queued, audit event, job
/// scheduled), list and read them, open a finished ZIP for download (audit event). Reads go through the tenant filter
/// (a hospital sees only its rows) and also match the route's hospital. The callers' policy is
/// <c>InspectionExportInRoute</c>; the run itself re-checks the requester (<see cref="InspectionExportAccess"/>).
/// </summary>
public sealed class InspectionExportService(AppDbContext db, AuditLog audit, TimeProvider time, IOptions<InspectionExportOptions> options,
    ILogger<InspectionExportService> logger, IInspectionExportQueue? queue = null)
{
    public const int ListLimit = 50;

    public async Task<InspectionExportRequestResult> RequestAsync(Guid hospitalId, int? fiscalYear, DateOnly? from, DateOnly? to,
        Guid userId, string userName, CancellationToken ct = default)
    {
        var problems = BundleScopeRules.Validate(fiscalYear, from, to, JapanTime.TodayInJapan(time));
        if (problems.Count > 0)
        {
            return new InspectionExportRequestResult(null, problems);
        }
        var export = new InspectionExport
        {
            Id = Guid.NewGuid(),
            HospitalId = hospitalId,
            FiscalYear = fiscalYear,
            FromDate = fiscalYear is null ? from : null,
            ToDate = fiscalYear is null ? to : null,
            State = InspectionExportState.Queued,
            RequestedByUserId = userId,
            RequestedByName = userName.Length > 256 ? userName[..256] : userName,
            RequestedAt = time.GetUtcNow(),
        };
        db.InspectionExports.Add(export);
        audit.Record(AuditActions.InspectionBundleRequested, "inspection_exports", export.Id.ToString(), new
        {
            hospitalId,
            fiscalYear = export.FiscalYear,
            from = export.FromDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            to = export.ToDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        });
        await db.SaveChangesAsync(ct);
        if (queue is not null)
        {
            try
            {
                await queue.EnsureScheduledAsync(export.Id, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The row is Queued: the sweeper schedules it within a minute.
                logger.LogWarning(e, "Inspection export {ExportId} not scheduled now; the sweeper will", export.Id);
            }
        }
        return new InspectionExportRequestResult(export, []);
    }

    public Task<List<InspectionExport>> ListAsync(Guid hospitalId, CancellationToken ct = default)
        => db.InspectionExports.AsNoTracking().Where(x => x.HospitalId == hospitalId)
            .OrderByDescending(x => x.RequestedAt).ThenBy(x => x.Id).Take(ListLimit).ToListAsync(ct);

    public Task<InspectionExport?> FindAsync(Guid hospitalId, Guid exportId, CancellationToken ct = default)
        => db.InspectionExports.AsNoTracking().SingleOrDefaultAsync(x => x.Id == exportId && x.HospitalId == hospitalId, ct);

    /// <summary>Whether the row offers its ZIP: Completed, not past ExpiresAt. (The file must also exist.)</summary>
    public bool IsDownloadable(InspectionExport x)
        => x.State == InspectionExportState.Completed && x.ExpiresAt > time.GetUtcNow() && x.DownloadName is not null;

    /// <summary>The finished ZIP, or null (→ 404) for anything not Completed, expired, or whose file is gone. Audit-logged.</summary>
    public async Task<InspectionExportDownload?> OpenDownloadAsync(Guid hospitalId, Guid exportId, CancellationToken ct = default)
    {
        var export = await FindAsync(hospitalId, exportId, ct);
        if (export is null || !IsDownloadable(export))
        {
            return null;
        }
        FileStream stream;
        try
        {
            stream = new FileStream(options.Value.ZipPath(export.Id), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            logger.LogWarning("Inspection export {ExportId} is Completed but its file is missing", exportId);
            return null;
        }
        audit.Record(AuditActions.InspectionBundleDownloaded, "inspection_exports", export.Id.ToString(), new
        {
            hospitalId,
            manifestSha256 = export.ManifestSha256,
            zipSha256 = export.ZipSha256,
            zipSize = export.ZipSize,
        });
        await db.SaveChangesAsync(ct);
        return new InspectionExportDownload(export, stream, export.DownloadName!);
    }

    /// <summary>A verify upload: copies at most <see cref="InspectionExportOptions.MaxVerifyBytes"/> to a temp file. Null when larger.</summary>
    public static async Task<string?> CopyToTempAsync(Stream source, long maxBytes, CancellationToken ct)
    {
        var path = Path.Combine(Path.GetTempPath(), "vp-verify-" + Guid.NewGuid().ToString("N") + ".zip");
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            var buffer = new byte[1 << 16];
            long total = 0;
            int read;
            while ((read = await source.ReadAsync(buffer, ct)) > 0)
            {
                total += read;
                if (total > maxBytes)
                {
                    await file.DisposeAsync();
                    File.Delete(path);
                    return null;
                }
                await file.WriteAsync(buffer.AsMemory(0, read), ct);
            }
            return path;
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }
}
