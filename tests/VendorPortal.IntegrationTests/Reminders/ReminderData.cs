using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VendorPortal.Features.Ledger;
using VendorPortal.Features.Patches;
using VendorPortal.Features.Reminders;
using VendorPortal.IntegrationTests.Support;

namespace VendorPortal.IntegrationTests.Reminders;

/// <summary>Ledger rows that raise reminders, and running the daily run as the Quartz job would.</summary>
public static class ReminderData
{
    public const string EosSubject = "Windows Server 2016";

    /// <summary>The key of the EOS group of <see cref="EosAsync"/>'s dates (subject <see cref="EosSubject"/>) ending on <paramref name="endsOn"/>.</summary>
    public static string EosKey(TenantSet t, DateOnly endsOn, int window, Guid? supplier = null)
        => EosReminderSource.Key(t.Hospital.Id, supplier ?? t.Hospital.Id, SupportKind.Os, EosSubject, endsOn, window);

    /// <summary>The key of the overdue reminder of the status's advisory.</summary>
    public static async Task<string> PatchKeyAsync(PortalFactory factory, Guid statusId)
        => PatchOverdueReminderSource.Key(await AdvisoryOfAsync(factory, statusId));

    public static Task<Guid> AdvisoryOfAsync(PortalFactory factory, Guid statusId)
        => factory.WithDbAsync((db, _) => db.PatchStatuses.Where(p => p.Id == statusId).Select(p => p.AdvisoryId).SingleAsync());

    /// <summary>A component of the tenants' system with one end-of-support date.</summary>
    public static Task<(Guid ComponentId, Guid SupportDateId)> EosAsync(PortalFactory factory, TenantSet t, DateOnly endsOn, Guid? supplier = null)
        => factory.WithDbAsync(async (db, _) =>
        {
            var component = NewComponent(t, supplier);
            var date = new ComponentSupportDate
            {
                Id = Guid.NewGuid(), HospitalId = t.Hospital.Id, ComponentId = component.Id, Kind = SupportKind.Os, Subject = EosSubject,
                EndsOn = endsOn, Source = "Microsoft ライフサイクル", EnteredByOrganizationId = t.Hospital.Id, EnteredAt = DateTimeOffset.UtcNow,
            };
            db.SystemComponents.Add(component);
            db.ComponentSupportDates.Add(date);
            await db.SaveChangesAsync();
            return (component.Id, date.Id);
        });

    /// <summary>An advisory (or <paramref name="advisoryId"/>, existing) and its status on a new component of the tenants' system.</summary>
    public static Task<Guid> PatchAsync(PortalFactory factory, TenantSet t, AdvisorySeverity severity, DateOnly releasedOn, PatchState state,
        DateOnly? plannedOn = null, Guid? committedBy = null, Guid? advisoryId = null)
        => factory.WithDbAsync(async (db, _) =>
        {
            var component = NewComponent(t, committedBy);
            var advisory = new SecurityAdvisory
            {
                Id = Guid.NewGuid(), HospitalId = t.Hospital.Id, Identifier = $"CVE-2031-{Random.Shared.Next(10000, 99999)}", Title = "VPN装置の脆弱性",
                Severity = severity, ReleasedOn = releasedOn, CreatedByOrganizationId = t.Hospital.Id, CreatedAt = DateTimeOffset.UtcNow,
            };
            var status = new PatchStatus
            {
                Id = Guid.NewGuid(), HospitalId = t.Hospital.Id, AdvisoryId = advisoryId ?? advisory.Id, ComponentId = component.Id, State = state,
                PlannedOn = plannedOn, CommittedByVendorId = committedBy, UpdatedAt = DateTimeOffset.UtcNow,
            };
            db.SystemComponents.Add(component);
            if (advisoryId is null)
            {
                db.SecurityAdvisories.Add(advisory);
            }
            db.PatchStatuses.Add(status);
            await db.SaveChangesAsync();
            return status.Id;
        });

    private static SystemComponent NewComponent(TenantSet t, Guid? supplier) => new()
    {
        Id = Guid.NewGuid(), HospitalId = t.Hospital.Id, SystemId = t.System.Id, ManagementNumber = "M-" + Guid.NewGuid().ToString("N")[..10],
        Kind = ComponentKind.Server, Name = "SRV-" + Guid.NewGuid().ToString("N")[..6], SupplierVendorId = supplier,
        CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
    };

    public static Task<ReminderRunResult> RunAsync(PortalFactory factory, DateOnly day)
        => factory.WithDbAsync((_, sp) => sp.GetRequiredService<ReminderRun>().RunAsync(day));

    public static Task<Reminder?> ByKeyAsync(PortalFactory factory, string key)
        => factory.WithDbAsync((db, _) => db.Reminders.AsNoTracking().SingleOrDefaultAsync(r => r.DedupeKey == key));

    public static Task<Reminder?> ByIdAsync(PortalFactory factory, Guid id)
        => factory.WithDbAsync((db, _) => db.Reminders.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id));

    public static Task<List<ReminderEvent>> EventsAsync(PortalFactory factory, Guid reminderId)
        => factory.WithDbAsync((db, _) => db.ReminderEvents.AsNoTracking().Where(e => e.ReminderId == reminderId).OrderBy(e => e.OccurredAt).ToListAsync());

    /// <summary>A reminder of the tenants' hospital addressed to its SystemOperator, inserted directly (for the route walk).</summary>
    public static Task<Reminder> HospitalReminderAsync(PortalFactory factory, TenantSet t) => factory.WithDbAsync(async (db, _) =>
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var r = new Reminder
        {
            Id = Guid.NewGuid(), HospitalId = t.Hospital.Id, OwnerOrganizationId = t.Hospital.Id, RecipientOrganizationId = t.Hospital.Id,
            RecipientRole = "SystemOperator", Kind = ReminderKind.PatchOverdue, SubjectType = "patch_statuses", SubjectId = Guid.NewGuid().ToString(),
            DedupeKey = $"test:{Guid.NewGuid()}", TextKey = "Reminder_PatchOverdue", Args = """["CVE-0000-0000","PC-01","2026-01-01"]""",
            DueOn = today, RaisedAt = DateTimeOffset.UtcNow, State = ReminderState.Open, EscalationLevel = 1, LevelSince = today,
            NextEscalationOn = today.AddDays(7), UpdatedAt = DateTimeOffset.UtcNow,
        };
        db.Reminders.Add(r);
        await db.SaveChangesAsync();
        return r;
    });
}

/// <summary>A second portal instance (its own host and service provider) on the database of another factory.</summary>
public sealed class SecondInstanceFactory(string connectionString) : PortalFactory
{
    public override Task InitializeAsync() => Task.CompletedTask;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("ConnectionStrings:Default", connectionString);
    }
}
