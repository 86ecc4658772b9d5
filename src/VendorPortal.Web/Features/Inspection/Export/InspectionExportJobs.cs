using Quartz;

namespace VendorPortal.Features.Inspection.Export;

/// <summary>Starts export jobs in the background. Registered only when <c>Scheduling:Enabled</c> (Quartz); otherwise nothing runs them by itself (tests call the runner).</summary>
public interface IInspectionExportQueue
{
    /// <summary>Schedules the export's job to run now unless one is already pending or running. True when it scheduled one.</summary>
    Task<bool> EnsureScheduledAsync(Guid exportId, CancellationToken ct = default);
}

/// <summary>
/// One non-durable Quartz job per export (key inspection-export.&lt;id&gt;) in the clustered store, fired now on whichever
/// node is free. <c>RequestRecovery</c>: if that node dies mid-run, the cluster re-fires the job on another node; the
/// runner then takes the row over once its heartbeat is stale (or the sweeper requeues it).
/// </summary>
public sealed class QuartzInspectionExportQueue(ISchedulerFactory factory, ILogger<QuartzInspectionExportQueue> logger) : IInspectionExportQueue
{
    public const string Group = "inspection-export";

    public async Task<bool> EnsureScheduledAsync(Guid exportId, CancellationToken ct = default)
    {
        var scheduler = await factory.GetScheduler(ct);
        var key = new JobKey(exportId.ToString("D"), Group);
        if (await scheduler.Exists(key, ct))
        {
            return false;
        }
        var job = JobBuilder.Create<InspectionExportJob>()
            .WithIdentity(key)
            .UsingJobData(InspectionExportJob.ExportIdKey, exportId.ToString("D"))
            .RequestRecovery(true)
            .Build();
        var trigger = TriggerBuilder.Create().WithIdentity(exportId.ToString("D"), Group).ForJob(key).StartNow().Build();
        try
        {
            await scheduler.ScheduleJob(job, trigger, cancellationToken: ct);
            return true;
        }
        catch (ObjectAlreadyExistsException)
        {
            // Another node (or the sweeper) scheduled it a moment ago: one run is enough, the claim decides anyway.
            logger.LogDebug("Inspection export {ExportId} already scheduled", exportId);
            return false;
        }
    }
}

/// <summary>Runs one export (the runner claims it; a second firing finds nothing to claim).</summary>
public sealed class InspectionExportJob(InspectionExportRunner runner) : IJob
{
    public const string ExportIdKey = "exportId";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        if (Guid.TryParse(context.MergedJobDataMap.GetString(ExportIdKey), out var exportId))
        {
            await runner.RunAsync(exportId, cancellationToken);
        }
    }
}

/// <summary>Every minute, on one node: <see cref="InspectionExportSweeper"/>.</summary>
[DisallowConcurrentExecution]
public sealed class InspectionExportSweepJob(InspectionExportSweeper sweeper) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
        => await sweeper.SweepAsync(cancellationToken);
}

public static class InspectionExportScheduling
{
    /// <summary>Adds the sweeper's trigger (every minute, cron configurable: <c>Scheduling:InspectionExportSweepCron</c>).</summary>
    public static void ScheduleInspectionExportJobs(this IQuartzBuilder q, IConfiguration config)
        => q.ScheduleJob<InspectionExportSweepJob>(t => t
            .WithIdentity("inspection-export-sweep")
            .WithCronSchedule(config["Scheduling:InspectionExportSweepCron"] ?? "0 * * * * ?"));
}
