using Quartz;
using VendorPortal.Features.Account;
using VendorPortal.Features.Reminders;
using VendorPortal.Infrastructure.Auditing;

namespace VendorPortal.Infrastructure.Scheduling;

/// <summary>
/// Background work runs on Quartz with its clustered ADO.NET job store in the portal's PostgreSQL
/// (tables from migration 0002), so with two instances each firing happens on exactly one of them.
/// Jobs are thin: each resolves one plain service in its own scope and calls it.
/// </summary>
public static class Scheduling
{
    public static IServiceCollection AddPortalScheduling(this IServiceCollection services, IConfiguration config)
    {
        if (!config.GetValue("Scheduling:Enabled", true))
        {
            return services;
        }
        var connectionString = config.GetConnectionString("Default")
            ?? throw new InvalidOperationException("ConnectionStrings:Default is not set (see appsettings.Example.json).");
        // Quartz stores the zone by id and looks it up again when it loads a trigger: it must be a real
        // system zone id ("Asia/Tokyo"), not a custom one, or stored triggers cannot fire.
        var jst = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(s => s.InstanceName = "VendorPortal");
            q.UsePersistentStore(store =>
            {
                store.UsePostgres(connectionString);
                store.UseClustering(c => c.CheckinInterval = TimeSpan.FromSeconds(15));
            });
            q.ScheduleJob<DeactivateUnusedAccountsJob>(t => t
                .WithIdentity("deactivate-unused-accounts")
                .WithCronSchedule(config["Scheduling:DeactivateUnusedAccountsCron"] ?? "0 10 3 * * ?", c => c.InTimeZone(jst)));
            q.ScheduleJob<AuditRetentionJob>(t => t
                .WithIdentity("audit-retention")
                .WithCronSchedule(config["Scheduling:AuditRetentionCron"] ?? "0 40 3 * * ?", c => c.InTimeZone(jst)));
            q.ScheduleReminderJobs(config, jst);
            VendorPortal.Features.Inspection.Export.InspectionExportScheduling.ScheduleInspectionExportJobs(q, config);
        });
        services.AddSingleton<VendorPortal.Features.Inspection.Export.IInspectionExportQueue, VendorPortal.Features.Inspection.Export.QuartzInspectionExportQueue>();
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }
}

[DisallowConcurrentExecution]
public sealed class DeactivateUnusedAccountsJob(IServiceScopeFactory scopes) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<UnusedAccountDeactivation>().RunAsync(cancellationToken);
    }
}

[DisallowConcurrentExecution]
public sealed class AuditRetentionJob(IServiceScopeFactory scopes) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AuditRetention>().RunAsync(cancellationToken);
    }
}
