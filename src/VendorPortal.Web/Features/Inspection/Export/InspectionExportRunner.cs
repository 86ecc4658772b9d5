using System.Globalization;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.Infrastructure.Data;

namespace VendorPortal.Features.Inspection.Export;

public enum InspectionExportRunOutcome
{
    /// <summary>Not run here: the row is not waiting (another worker has it, or it is finished), or the claim was lost.</summary>
    NotClaimed,
    Completed,
    Failed,
    /// <summary>Cancelled (shutdown): the row is Queued again, to be redone.</summary>
    Requeued,
}

/// <summary>
/// Runs one export job: claims the row (a conditional update on State and Revision, so two cluster nodes never both
/// run it), writes the ZIP as the requesting user to <c>&lt;id&gt;.zip.part</c> while renewing the heartbeat and the
/// progress (at most once a second), fsyncs, renames it to <c>&lt;id&gt;.zip</c>, and only then marks the row
/// Completed with its hashes and the audit event, in one transaction. Anything that stops it earlier leaves the row
/// not Completed and no file offered: an error makes it Failed, a cancellation (shutdown) Queued again, a crash a
/// Running row whose heartbeat goes stale, which <see cref="InspectionExportSweeper"/> (or the next run) redoes.
/// </summary>
public sealed class InspectionExportRunner(IServiceScopeFactory scopes, IOptions<InspectionExportOptions> options, TimeProvider time,
    ILogger<InspectionExportRunner> logger, IHostApplicationLifetime? lifetime = null)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    /// <summary>Who runs it: host and process, shown nowhere to users (logs and the row, for operators).</summary>
    public static string WorkerId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    private InspectionExportOptions Options => options.Value;
    private TimeProvider Time => time;
    private IServiceScopeFactory Scopes => scopes;
    private ILogger Logger => logger;

    public async Task<InspectionExportRunOutcome> RunAsync(Guid exportId, CancellationToken cancellationToken = default)
    {
        var claim = await ClaimAsync(exportId, cancellationToken);
        if (claim is null)
        {
            return InspectionExportRunOutcome.NotClaimed;
        }
        if (claim.GaveUp)
        {
            return InspectionExportRunOutcome.Failed;
        }
        var row = claim.Row;
        var revision = row.Revision;
        Directory.CreateDirectory(Options.BundleDirectory);
        var part = Options.PartPath(exportId);
        var zip = Options.ZipPath(exportId);
        TryDelete(part);

        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime?.ApplicationStopping ?? CancellationToken.None);
        var heartbeat = new Heartbeat(this, exportId, revision, stopping);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var name = await InspectionExportAccess.ActAsExporterAsync(scope.ServiceProvider, row.RequestedByUserId, row.HospitalId, stopping.Token);
            if (name is null)
            {
                logger.LogWarning("Inspection export {ExportId}: the requester may no longer export for the hospital", exportId);
                await FinishUnsuccessfulAsync(exportId, revision, InspectionExportState.Failed, InspectionExportErrors.AccessLost, attemptsDelta: 0);
                return InspectionExportRunOutcome.Failed;
            }
            var request = new BundleRequest(row.HospitalId, row.FiscalYear, row.FromDate, row.ToDate, row.GeneratedAt!.Value, name);
            var exporter = scope.ServiceProvider.GetRequiredService<InspectionBundleExporter>();

            BundleResult result;
            heartbeat.Start();
            long size;
            string sha;
            // FileShare.Read: only the hasher below reads the .part while it grows (the sweeper deletes, never reads).
            await using (var file = new FileStream(part, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 16, useAsync: false))
            await using (var hasher = new FileFollowingHasher(part))
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                result = await exporter.WriteAsync(request, file, heartbeat, stopping.Token);
                await file.FlushAsync(stopping.Token);
                var written = System.Diagnostics.Stopwatch.GetElapsedTime(started);
                (size, sha) = await hasher.CompleteAsync();
                var hashed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
                file.Flush(flushToDisk: true); // fsync: the rename below must never expose a file the disk does not hold
                logger.LogInformation("Inspection export {ExportId}: written in {Written} ms, ZIP hash ready at {Hashed} ms, fsync done at {Synced} ms",
                    exportId, (int)written.TotalMilliseconds, (int)hashed.TotalMilliseconds, (int)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            revision = await heartbeat.StopAsync();
            stopping.Token.ThrowIfCancellationRequested();
            if (heartbeat.Lost)
            {
                TryDelete(part);
                return InspectionExportRunOutcome.NotClaimed;
            }

            File.Move(part, zip, overwrite: true);
            var now = time.GetUtcNow();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var tracked = await db.InspectionExports.SingleOrDefaultAsync(x => x.Id == exportId, CancellationToken.None);
            if (tracked is null || tracked.Revision != revision || tracked.State != InspectionExportState.Running)
            {
                TryDelete(zip);
                return InspectionExportRunOutcome.NotClaimed;
            }
            tracked.State = InspectionExportState.Completed;
            tracked.CompletedAt = now;
            tracked.ProgressPercent = 100;
            tracked.HeartbeatAt = now;
            tracked.FilesWritten = result.FileCount;
            tracked.BytesWritten = result.ContentBytes;
            tracked.ManifestSha256 = result.ManifestSha256;
            tracked.FileCount = result.FileCount;
            tracked.ZipSize = size;
            tracked.ZipSha256 = sha;
            tracked.StorageName = InspectionExportOptions.StorageName(exportId);
            tracked.DownloadName = InspectionExportNaming.DownloadName(
                await db.Organizations.Where(o => o.Id == row.HospitalId).Select(o => o.Name).SingleAsync(CancellationToken.None),
                row.FiscalYear, row.FromDate, row.ToDate, row.GeneratedAt.Value);
            tracked.ExpiresAt = now + Options.Retention;
            tracked.WorkerId = null;
            tracked.Error = null;
            tracked.Revision = revision + 1;
            scope.ServiceProvider.GetRequiredService<AuditLog>().Record(AuditActions.InspectionBundleExported, "inspection_exports", exportId.ToString(), new
            {
                hospitalId = row.HospitalId,
                fiscalYear = row.FiscalYear,
                from = row.FromDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                to = row.ToDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                generatedAt = row.GeneratedAt,
                manifestSha256 = result.ManifestSha256,
                fileCount = result.FileCount,
                zipSize = size,
                zipSha256 = sha,
                attempt = row.Attempts,
            }, row.HospitalId);
            try
            {
                await db.SaveChangesAsync(CancellationToken.None);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Requeued by the sweeper meanwhile (the heartbeat went stale): this run's file is not the row's.
                TryDelete(zip);
                return InspectionExportRunOutcome.NotClaimed;
            }
            logger.LogInformation("Inspection export {ExportId} completed: {Files} files, {Size} bytes, manifestSha256 {Manifest}",
                exportId, result.FileCount, size, result.ManifestSha256);
            return InspectionExportRunOutcome.Completed;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            revision = await heartbeat.StopAsync();
            TryDelete(part);
            if (heartbeat.Lost)
            {
                return InspectionExportRunOutcome.NotClaimed;
            }
            // Shutdown or cancellation: not this export's fault, so the attempt does not count; it is redone.
            logger.LogInformation("Inspection export {ExportId} cancelled; queued again", exportId);
            await FinishUnsuccessfulAsync(exportId, revision, InspectionExportState.Queued, null, attemptsDelta: -1);
            return InspectionExportRunOutcome.Requeued;
        }
        catch (Exception e)
        {
            revision = await heartbeat.StopAsync();
            TryDelete(part);
            TryDelete(zip);
            logger.LogError(e, "Inspection export {ExportId} failed", exportId);
            if (!heartbeat.Lost)
            {
                var code = e is IOException or UnauthorizedAccessException ? InspectionExportErrors.Storage : InspectionExportErrors.Internal;
                await FinishUnsuccessfulAsync(exportId, revision, InspectionExportState.Failed, code, attemptsDelta: 0);
            }
            return heartbeat.Lost ? InspectionExportRunOutcome.NotClaimed : InspectionExportRunOutcome.Failed;
        }
        finally
        {
            await heartbeat.StopAsync();
        }
    }

    private sealed record Claim(InspectionExport Row, bool GaveUp);

    /// <summary>
    /// Takes a Queued row, or a Running one whose heartbeat is stale (its worker died: Quartz re-fires a recoverable
    /// job on another node), with one conditional UPDATE; a row interrupted <see cref="InspectionExportOptions.MaxAttempts"/>
    /// times is failed instead. Null when there was nothing to claim or another worker was first.
    /// </summary>
    private async Task<Claim?> ClaimAsync(Guid exportId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var row = await db.InspectionExports.AsNoTracking().SingleOrDefaultAsync(x => x.Id == exportId, ct);
        var now = time.GetUtcNow();
        var staleBefore = now - Options.HeartbeatStale;
        if (row is null || !(row.State == InspectionExportState.Queued
                              || (row.State == InspectionExportState.Running && (row.HeartbeatAt ?? row.StartedAt ?? DateTimeOffset.MinValue) < staleBefore)))
        {
            return null;
        }
        if (row.State == InspectionExportState.Running)
        {
            TryDelete(Options.PartPath(exportId));
        }
        if (row.Attempts >= Options.MaxAttempts)
        {
            var failed = await db.InspectionExports.Where(x => x.Id == exportId && x.Revision == row.Revision && x.State == row.State)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(x => x.State, InspectionExportState.Failed)
                    .SetProperty(x => x.Error, InspectionExportErrors.Interrupted)
                    .SetProperty(x => x.WorkerId, (string?)null)
                    .SetProperty(x => x.Revision, x => x.Revision + 1), ct);
            return failed == 1 ? new Claim(row, GaveUp: true) : null;
        }
        var generatedAt = new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        var claimed = await db.InspectionExports.Where(x => x.Id == exportId && x.Revision == row.Revision && x.State == row.State)
            .ExecuteUpdateAsync(s => s
                .SetProperty(x => x.State, InspectionExportState.Running)
                .SetProperty(x => x.WorkerId, WorkerId)
                .SetProperty(x => x.StartedAt, now)
                .SetProperty(x => x.HeartbeatAt, now)
                .SetProperty(x => x.Attempts, x => x.Attempts + 1)
                .SetProperty(x => x.GeneratedAt, generatedAt)
                .SetProperty(x => x.ProgressPercent, 0)
                .SetProperty(x => x.ProgressStage, (string?)null)
                .SetProperty(x => x.FilesWritten, 0)
                .SetProperty(x => x.BytesWritten, 0L)
                .SetProperty(x => x.Error, (string?)null)
                .SetProperty(x => x.Revision, x => x.Revision + 1), ct);
        if (claimed != 1)
        {
            return null;
        }
        row.State = InspectionExportState.Running;
        row.GeneratedAt = generatedAt;
        row.Attempts++;
        row.Revision++;
        logger.LogInformation("Inspection export {ExportId} claimed by {Worker} (attempt {Attempt})", exportId, WorkerId, row.Attempts);
        return new Claim(row, GaveUp: false);
    }

    /// <summary>Back to Queued, or Failed with a reason; only if the row is still this run's.</summary>
    private async Task FinishUnsuccessfulAsync(Guid exportId, int revision, InspectionExportState state, string? error, int attemptsDelta)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.InspectionExports.Where(x => x.Id == exportId && x.Revision == revision && x.State == InspectionExportState.Running)
            .ExecuteUpdateAsync(s => s
                .SetProperty(x => x.State, state)
                .SetProperty(x => x.Error, error)
                .SetProperty(x => x.WorkerId, (string?)null)
                .SetProperty(x => x.ProgressPercent, 0)
                .SetProperty(x => x.ProgressStage, (string?)null)
                .SetProperty(x => x.Attempts, x => x.Attempts + attemptsDelta)
                .SetProperty(x => x.Revision, x => x.Revision + 1), CancellationToken.None);
    }

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(e, "Could not delete {Path}", path);
        }
    }

    /// <summary>
    /// Receives the exporter's progress (any thread) and writes the latest to the row at most once a second, renewing
    /// the heartbeat even when nothing moved. If the row stops being this run's (requeued as stale), the run is cancelled.
    /// </summary>
    private sealed class Heartbeat(InspectionExportRunner runner, Guid exportId, int revision, CancellationTokenSource run) : IProgress<BundleProgress>
    {
        private readonly CancellationTokenSource _stop = new();
        private BundleProgress? _latest;
        private Task? _loop;
        private int _revision = revision;

        public bool Lost { get; private set; }

        public void Report(BundleProgress value) => Volatile.Write(ref _latest, value);

        public void Start() => _loop = Task.Run(LoopAsync);

        /// <summary>Stops the loop (idempotent) and returns the row's revision as this run left it.</summary>
        public async Task<int> StopAsync()
        {
            if (!_stop.IsCancellationRequested)
            {
                await _stop.CancelAsync();
            }
            if (_loop is not null)
            {
                try
                {
                    await _loop;
                }
                catch (OperationCanceledException)
                {
                }
                _loop = null;
            }
            return _revision;
        }

        private async Task LoopAsync()
        {
            BundleProgress? written = null;
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(ProgressInterval, runner.Time, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                var latest = Volatile.Read(ref _latest);
                try
                {
                    await using var scope = runner.Scopes.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                    var now = runner.Time.GetUtcNow();
                    var current = _revision;
                    var stage = latest?.Stage is { } s && s.Length > 200 ? s[..200] : latest?.Stage;
                    var updated = latest is null || latest == written
                        ? await db.InspectionExports.Where(x => x.Id == exportId && x.Revision == current && x.State == InspectionExportState.Running)
                            .ExecuteUpdateAsync(u => u.SetProperty(x => x.HeartbeatAt, now).SetProperty(x => x.Revision, x => x.Revision + 1), CancellationToken.None)
                        : await db.InspectionExports.Where(x => x.Id == exportId && x.Revision == current && x.State == InspectionExportState.Running)
                            .ExecuteUpdateAsync(u => u
                                .SetProperty(x => x.HeartbeatAt, now)
                                .SetProperty(x => x.ProgressPercent, latest.Percent)
                                .SetProperty(x => x.ProgressStage, stage)
                                .SetProperty(x => x.FilesWritten, latest.FilesWritten)
                                .SetProperty(x => x.BytesWritten, latest.BytesWritten)
                                .SetProperty(x => x.Revision, x => x.Revision + 1), CancellationToken.None);
                    if (updated != 1)
                    {
                        runner.Logger.LogWarning("Inspection export {ExportId}: the row is no longer this run's; stopping", exportId);
                        Lost = true;
                        await run.CancelAsync();
                        return;
                    }
                    _revision = current + 1;
                    written = latest;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A missed heartbeat is retried next second; only a stale one (HeartbeatStaleSeconds) ends the claim.
                    runner.Logger.LogWarning(e, "Inspection export {ExportId}: heartbeat not written", exportId);
                }
            }
        }
    }
}
