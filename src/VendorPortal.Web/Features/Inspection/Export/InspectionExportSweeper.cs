using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VendorPortal.Infrastructure.Data;

namespace VendorPortal.Features.Inspection.Export;

public sealed record InspectionExportSweep(int Requeued, int GaveUp, int Scheduled, int Expired, int FilesDeleted);

/// <summary>
/// The housekeeping of export jobs, run every minute (one node at a time) by <c>InspectionExportSweepJob</c>:
/// (a) a Running row whose heartbeat is stale was interrupted (crash, restart): its .part is deleted and it goes back to
/// Queued (Attempts kept) — or to Failed after <see cref="InspectionExportOptions.MaxAttempts"/> runs; every Queued row
/// without a pending job is scheduled again; (b) a Completed ZIP past ExpiresAt is deleted and its row becomes Expired
/// (row and manifest hash kept); a .zip or .zip.part in the bundle directory that no row owns is deleted.
/// </summary>
public sealed class InspectionExportSweeper(IServiceScopeFactory scopes, IOptions<InspectionExportOptions> options, TimeProvider time,
    ILogger<InspectionExportSweeper> logger, IInspectionExportQueue? queue = null)
{
    private InspectionExportOptions Options => options.Value;

    public async Task<InspectionExportSweep> SweepAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = time.GetUtcNow();
        var staleBefore = now - Options.HeartbeatStale;
        int requeued = 0, gaveUp = 0, scheduled = 0, expired = 0, deleted = 0;

        var stale = await db.InspectionExports.AsNoTracking()
            .Where(x => x.State == InspectionExportState.Running && (x.HeartbeatAt == null || x.HeartbeatAt < staleBefore))
            .OrderBy(x => x.RequestedAt).Select(x => new { x.Id, x.Revision, x.Attempts }).ToListAsync(ct);
        foreach (var s in stale)
        {
            var fail = s.Attempts >= Options.MaxAttempts;
            var n = await db.InspectionExports.Where(x => x.Id == s.Id && x.Revision == s.Revision && x.State == InspectionExportState.Running)
                .ExecuteUpdateAsync(u => u
                    .SetProperty(x => x.State, fail ? InspectionExportState.Failed : InspectionExportState.Queued)
                    .SetProperty(x => x.Error, fail ? InspectionExportErrors.Interrupted : null)
                    .SetProperty(x => x.WorkerId, (string?)null)
                    .SetProperty(x => x.ProgressPercent, 0)
                    .SetProperty(x => x.ProgressStage, (string?)null)
                    .SetProperty(x => x.Revision, x => x.Revision + 1), ct);
            if (n == 1)
            {
                deleted += Delete(Options.PartPath(s.Id)) ? 1 : 0;
                if (fail)
                {
                    gaveUp++;
                }
                else
                {
                    requeued++;
                }
                logger.LogWarning("Inspection export {ExportId} was interrupted (attempt {Attempts}); {Outcome}", s.Id, s.Attempts, fail ? "given up" : "queued again");
            }
        }

        if (queue is not null)
        {
            var queued = await db.InspectionExports.AsNoTracking().Where(x => x.State == InspectionExportState.Queued)
                .OrderBy(x => x.RequestedAt).Select(x => x.Id).ToListAsync(ct);
            foreach (var id in queued)
            {
                scheduled += await queue.EnsureScheduledAsync(id, ct) ? 1 : 0;
            }
        }

        var due = await db.InspectionExports.AsNoTracking()
            .Where(x => x.State == InspectionExportState.Completed && x.ExpiresAt <= now)
            .Select(x => new { x.Id, x.Revision }).ToListAsync(ct);
        foreach (var d in due)
        {
            var n = await db.InspectionExports.Where(x => x.Id == d.Id && x.Revision == d.Revision && x.State == InspectionExportState.Completed)
                .ExecuteUpdateAsync(u => u.SetProperty(x => x.State, InspectionExportState.Expired).SetProperty(x => x.Revision, x => x.Revision + 1), ct);
            if (n == 1)
            {
                Delete(Options.ZipPath(d.Id));
                expired++;
            }
        }

        deleted += await DeleteStrayFilesAsync(db, ct);
        if (requeued + gaveUp + scheduled + expired + deleted > 0)
        {
            logger.LogInformation("Inspection export sweep: {Requeued} requeued, {GaveUp} given up, {Scheduled} scheduled, {Expired} expired, {Deleted} file(s) deleted",
                requeued, gaveUp, scheduled, expired, deleted);
        }
        return new InspectionExportSweep(requeued, gaveUp, scheduled, expired, deleted);
    }

    /// <summary>
    /// A file is kept only while its row needs it: a .zip.part while the row is Running, a .zip while it is Completed
    /// (or Running: renamed, about to be marked Completed). Anything else in the directory named like ours goes.
    /// </summary>
    private async Task<int> DeleteStrayFilesAsync(AppDbContext db, CancellationToken ct)
    {
        if (!Directory.Exists(Options.BundleDirectory))
        {
            return 0;
        }
        var files = new List<(string Path, Guid Id, bool Part)>();
        foreach (var path in Directory.EnumerateFiles(Options.BundleDirectory))
        {
            var name = Path.GetFileName(path);
            var part = name.EndsWith(".zip.part", StringComparison.Ordinal);
            var stem = part ? name[..^".zip.part".Length] : name.EndsWith(".zip", StringComparison.Ordinal) ? name[..^".zip".Length] : null;
            if (stem is not null && Guid.TryParseExact(stem, "D", out var id))
            {
                files.Add((path, id, part));
            }
        }
        if (files.Count == 0)
        {
            return 0;
        }
        var ids = files.Select(f => f.Id).Distinct().ToList();
        var states = await db.InspectionExports.AsNoTracking().Where(x => ids.Contains(x.Id))
            .Select(x => new { x.Id, x.State }).ToDictionaryAsync(x => x.Id, x => x.State, ct);
        var deleted = 0;
        foreach (var (path, id, part) in files)
        {
            var keep = states.TryGetValue(id, out var state) && (part
                ? state == InspectionExportState.Running
                : state is InspectionExportState.Completed or InspectionExportState.Running);
            if (!keep && Delete(path))
            {
                logger.LogInformation("Inspection export sweep: deleted {Path} (no export needs it)", path);
                deleted++;
            }
        }
        return deleted;
    }

    private bool Delete(string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                return false;
            }
            File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(e, "Could not delete {Path}", path);
            return false;
        }
    }
}
