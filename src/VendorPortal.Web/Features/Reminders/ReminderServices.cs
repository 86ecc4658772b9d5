using Quartz;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Reminders;

public static class ReminderServices
{
    /// <summary>The reminder feature: one line in PortalServices. A new source is one class and one line here.</summary>
    public static IServiceCollection AddReminders(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<ReminderOptions>(config.GetSection("Reminders"));
        services.AddScoped<IReminderSource, EosReminderSource>();
        services.AddScoped<IReminderSource, PatchOverdueReminderSource>();
        services.AddScoped<IReminderSource, PatchCommitmentReminderSource>();
        services.AddScoped<IReminderSource, VendorChecklistReminderSource>();
        services.AddScoped<IReminderSource, CertificationReminderSource>();
        services.AddScoped<ReminderRun>();
        services.AddScoped<ReminderMailer>();
        services.AddScoped<ReminderBoard>();
        return services;
    }

    /// <summary>The two jobs, on the clustered store (Scheduling.cs calls this).</summary>
    public static void ScheduleReminderJobs(this IQuartzBuilder q, IConfiguration config, TimeZoneInfo jst)
    {
        q.ScheduleJob<ReminderRunJob>(t => t
            .WithIdentity("reminder-run")
            .WithCronSchedule(config["Scheduling:ReminderRunCron"] ?? "0 0 6 * * ?", c => c.InTimeZone(jst)));
        q.ScheduleJob<ReminderEscalationJob>(t => t
            .WithIdentity("reminder-escalation")
            .WithCronSchedule(config["Scheduling:ReminderEscalationCron"] ?? "0 0 13 * * ?", c => c.InTimeZone(jst)));
        q.ScheduleJob<ReminderDigestJob>(t => t
            .WithIdentity("reminder-digest")
            .WithCronSchedule(config["Scheduling:ReminderDigestCron"] ?? "0 0 8 * * ?", c => c.InTimeZone(jst)));
    }
}

/// <summary>06:00 JST: the daily run (creation, automatic resolution, escalation, immediate mail).</summary>
[DisallowConcurrentExecution]
public sealed class ReminderRunJob(IServiceScopeFactory scopes, TimeProvider time) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ReminderRun>().RunAsync(JapanTime.TodayInJapan(time), cancellationToken);
    }
}

/// <summary>
/// 13:00 JST: a second escalation pass (and immediate mail), so a snooze that ends today or an escalation missed because
/// the morning run failed is not a day late. Idempotent: the level guard and the unique event make a repeat harmless.
/// </summary>
[DisallowConcurrentExecution]
public sealed class ReminderEscalationJob(IServiceScopeFactory scopes, TimeProvider time) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ReminderRun>().EscalateAsync(JapanTime.TodayInJapan(time), cancellationToken);
        await scope.ServiceProvider.GetRequiredService<ReminderMailer>().SendPendingAsync(cancellationToken);
    }
}

/// <summary>08:00 JST: one digest mail per user and day.</summary>
[DisallowConcurrentExecution]
public sealed class ReminderDigestJob(IServiceScopeFactory scopes, TimeProvider time) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ReminderMailer>().SendDigestsAsync(JapanTime.TodayInJapan(time), cancellationToken);
    }
}
