using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VendorPortal.Features.Account;
using VendorPortal.Features.Patches;
using VendorPortal.Features.Reminders;
using VendorPortal.IntegrationTests.Support;

namespace VendorPortal.IntegrationTests.Reminders;

/// <summary>
/// The daily run against PostgreSQL: EOS reminders once per window, nothing new on a second run, automatic resolution,
/// vendor recipients, escalation by level, and two portal instances running the run at once.
/// </summary>
public sealed class ReminderRunTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private static readonly DateOnly Day = new(2031, 6, 2);

    [Fact]
    public async Task An_eos_reminder_is_created_once_per_window_and_the_next_window_supersedes_it()
    {
        var t = await factory.Tenants.CreateAsync();
        var (_, dateId) = await ReminderData.EosAsync(factory, t, Day.AddDays(150));

        await ReminderData.RunAsync(factory, Day);
        var first = await ReminderData.ByKeyAsync(factory, $"eos:{dateId}:180");
        Assert.NotNull(first);
        Assert.Equal(ReminderState.Open, first.State);
        Assert.Equal(t.Hospital.Id, first.OwnerOrganizationId);
        Assert.Equal(t.Hospital.Id, first.RecipientOrganizationId);
        Assert.Equal(Roles.SystemOperator, first.RecipientRole);
        Assert.Equal(1, first.EscalationLevel); // a hospital reminder starts at the SystemOperator
        Assert.Equal(Day.AddDays(7), first.NextEscalationOn);

        // Running again the same day (or a restart) creates nothing: no reminder, event or notification twice.
        await ReminderData.RunAsync(factory, Day);
        var again = await ReminderData.RunAsync(factory, Day);
        Assert.Equal((0, 0), (again.Candidates, again.Created)); // the sources skip what was raised (the keys in SQL match the C# keys)
        var counts = await factory.WithDbAsync(async (db, _) => (
            Reminders: await db.Reminders.CountAsync(r => r.SubjectId == dateId.ToString()),
            Created: await db.ReminderEvents.CountAsync(e => e.ReminderId == first.Id && e.Kind == ReminderEventKind.Created),
            Notes: await db.Notifications.CountAsync(n => n.SubjectId == first.Id.ToString())));
        Assert.Equal((1, 1, 1), counts);
        var note = await factory.WithDbAsync((db, _) => db.Notifications.SingleAsync(n => n.SubjectId == first.Id.ToString()));
        Assert.Equal((t.Hospital.Id, Roles.SystemOperator, $"/Reminders/{first.Id}"), (note.OrganizationId, note.RecipientRole, note.Link));

        // 61 days later the date is 89 days away: the 90-day window raises a new reminder and resolves the 180-day one.
        await ReminderData.RunAsync(factory, Day.AddDays(61));
        var second = await ReminderData.ByKeyAsync(factory, $"eos:{dateId}:90");
        Assert.NotNull(second);
        Assert.Equal(ReminderState.Open, second.State);
        var superseded = await ReminderData.ByKeyAsync(factory, $"eos:{dateId}:180");
        Assert.Equal(ReminderState.Resolved, superseded!.State);
        Assert.Contains(await ReminderData.EventsAsync(factory, first.Id), e => e.Kind == ReminderEventKind.AutoResolved && e.UserId == null);
    }

    [Fact]
    public async Task Reminders_resolve_automatically_when_the_patch_is_applied_or_the_component_retired()
    {
        var t = await factory.Tenants.CreateAsync();
        var statusId = await ReminderData.PatchAsync(factory, t, AdvisorySeverity.Critical, Day.AddDays(-20), PatchState.Open);
        var (componentId, dateId) = await ReminderData.EosAsync(factory, t, Day.AddDays(20));

        await ReminderData.RunAsync(factory, Day);
        var patch = await ReminderData.ByKeyAsync(factory, $"patch:{statusId}:overdue");
        var eos = await ReminderData.ByKeyAsync(factory, $"eos:{dateId}:30");
        Assert.Equal(ReminderState.Open, patch!.State);
        Assert.Equal(Day.AddDays(-6), patch.DueOn); // released 20 days ago, critical: 14 days
        Assert.Equal(ReminderState.Open, eos!.State);

        await factory.WithDbAsync(async (db, _) =>
        {
            var s = await db.PatchStatuses.SingleAsync(p => p.Id == statusId);
            s.State = PatchState.Applied;
            s.AppliedOn = Day;
            var c = await db.SystemComponents.SingleAsync(x => x.Id == componentId);
            c.RetiredOn = Day;
            await db.SaveChangesAsync();
        });
        var result = await ReminderData.RunAsync(factory, Day.AddDays(1));
        Assert.True(result.AutoResolved >= 2);
        Assert.Equal(ReminderState.Resolved, (await ReminderData.ByKeyAsync(factory, $"patch:{statusId}:overdue"))!.State);
        Assert.Equal(ReminderState.Resolved, (await ReminderData.ByKeyAsync(factory, $"eos:{dateId}:30"))!.State);
        Assert.Single(await ReminderData.EventsAsync(factory, patch.Id), e => e.Kind == ReminderEventKind.AutoResolved);
    }

    [Fact]
    public async Task Vendor_supplied_and_vendor_committed_items_go_to_the_vendor_then_escalate_to_the_hospital_level_by_level()
    {
        var t = await factory.Tenants.CreateAsync();
        var (_, dateId) = await ReminderData.EosAsync(factory, t, Day.AddDays(150), supplier: t.Vendor.Id);
        var statusId = await ReminderData.PatchAsync(factory, t, AdvisorySeverity.High, Day.AddDays(-5), PatchState.Planned, plannedOn: Day.AddDays(-1), committedBy: t.Vendor.Id);

        await ReminderData.RunAsync(factory, Day);
        var eos = (await ReminderData.ByKeyAsync(factory, $"eos:{dateId}:180"))!;
        var commitment = (await ReminderData.ByKeyAsync(factory, $"patch:{statusId}:committed:{Day.AddDays(-1):yyyy-MM-dd}"))!;
        foreach (var r in new[] { eos, commitment })
        {
            Assert.Equal((t.Vendor.Id, t.Vendor.Id, (string?)null, 0), (r.OwnerOrganizationId, r.RecipientOrganizationId, r.RecipientRole, r.EscalationLevel));
            Assert.Equal(t.Hospital.Id, r.HospitalId);
        }

        // Day +3: SystemOperator; +10: SecurityManager; +24: Executive; then nothing more.
        foreach (var (offset, level, role) in new[] { (3, 1, Roles.SystemOperator), (10, 2, Roles.SecurityManager), (24, 3, Roles.Executive), (50, 3, Roles.Executive) })
        {
            await ReminderData.RunAsync(factory, Day.AddDays(offset));
            var now = (await ReminderData.ByKeyAsync(factory, eos.DedupeKey))!;
            Assert.Equal((ReminderState.Escalated, level, t.Hospital.Id, role), (now.State, now.EscalationLevel, now.RecipientOrganizationId, now.RecipientRole));
            Assert.Equal(t.Vendor.Id, now.OwnerOrganizationId);
        }
        var events = await ReminderData.EventsAsync(factory, eos.Id);
        Assert.Equal([1, 2, 3], events.Where(e => e.Kind == ReminderEventKind.Escalated).Select(e => e.Level!.Value).Order());
        var notes = await factory.WithDbAsync((db, _) => db.Notifications.Where(n => n.SubjectId == eos.Id.ToString()).OrderBy(n => n.CreatedAt)
            .Select(n => new { n.OrganizationId, n.RecipientRole }).ToListAsync());
        Assert.Equal([(t.Vendor.Id, null), (t.Hospital.Id, Roles.SystemOperator), (t.Hospital.Id, Roles.SecurityManager), (t.Hospital.Id, Roles.Executive)],
            notes.Select(n => (n.OrganizationId, n.RecipientRole)));
    }

    [Fact]
    public async Task Two_instances_running_the_run_and_the_escalation_pass_at_once_create_each_reminder_and_escalation_exactly_once()
    {
        var t = await factory.Tenants.CreateAsync();
        var dates = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            dates.Add((await ReminderData.EosAsync(factory, t, Day.AddDays(150 + i), supplier: i % 2 == 0 ? t.Vendor.Id : null)).SupportDateId);
        }
        var statuses = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add(await ReminderData.PatchAsync(factory, t, AdvisorySeverity.Critical, Day.AddDays(-30 - i), PatchState.Open));
        }
        await using var second = new SecondInstanceFactory(factory.ConnectionString);
        await second.InitializeAsync();
        _ = second.Services; // start the second host

        foreach (var offset in new[] { 0, 0, 3, 3, 10, 24, 24 })
        {
            var day = Day.AddDays(offset);
            await Task.WhenAll(
                ReminderData.RunAsync(factory, day),
                ReminderData.RunAsync(second, day),
                factory.WithDbAsync((_, sp) => sp.GetRequiredService<ReminderRun>().EscalateAsync(day)),
                second.WithDbAsync((_, sp) => sp.GetRequiredService<ReminderRun>().EscalateAsync(day)));
        }

        var subjects = dates.Concat(statuses).Select(g => g.ToString()).ToList();
        var rows = await factory.WithDbAsync(async (db, _) => await db.Reminders.AsNoTracking().Where(r => subjects.Contains(r.SubjectId))
            .Select(r => new
            {
                r.Id, r.DedupeKey, r.EscalationLevel, r.OwnerOrganizationId,
                Created = db.ReminderEvents.Count(e => e.ReminderId == r.Id && e.Kind == ReminderEventKind.Created),
                Escalations = db.ReminderEvents.Where(e => e.ReminderId == r.Id && e.Kind == ReminderEventKind.Escalated).Select(e => e.Level).ToList(),
                Notes = db.Notifications.Count(n => n.SubjectId == r.Id.ToString()),
            }).ToListAsync());

        Assert.Equal(9, rows.Count); // one per subject
        Assert.Equal(rows.Count, rows.Select(r => r.DedupeKey).Distinct().Count());
        foreach (var r in rows)
        {
            Assert.Equal(1, r.Created);
            Assert.Equal(r.Escalations.Count, r.Escalations.Distinct().Count());
            Assert.Equal(1 + r.Escalations.Count, r.Notes); // one notification for the creation and one per escalation, never two
            Assert.Equal(3, r.EscalationLevel); // both kinds reached the Executive by day +24
            Assert.Equal(r.OwnerOrganizationId == t.Vendor.Id ? [1, 2, 3] : new int?[] { 2, 3 }, r.Escalations.Order().ToArray());
        }
    }
}
