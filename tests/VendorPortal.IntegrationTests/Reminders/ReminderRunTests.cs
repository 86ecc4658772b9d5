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
        var (componentId, _) = await ReminderData.EosAsync(factory, t, Day.AddDays(150));

        await ReminderData.RunAsync(factory, Day);
        var first = await ReminderData.ByKeyAsync(factory, ReminderData.EosKey(t, Day.AddDays(150), 180));
        Assert.NotNull(first);
        Assert.Equal(ReminderState.Open, first.State);
        Assert.Equal(t.Hospital.Id, first.OwnerOrganizationId);
        Assert.Equal(t.Hospital.Id, first.RecipientOrganizationId);
        Assert.Equal(Roles.SystemOperator, first.RecipientRole);
        Assert.Equal(1, first.EscalationLevel); // a hospital reminder starts at the SystemOperator
        Assert.Equal(Day.AddDays(7), first.NextEscalationOn);
        Assert.Equal($"/Hospitals/{t.Hospital.Id}/Ledger/Components/{componentId}", first.Link); // a one-component group links to it

        // Running again the same day (or a restart) creates nothing: no reminder, event or notification twice.
        await ReminderData.RunAsync(factory, Day);
        var again = await ReminderData.RunAsync(factory, Day);
        Assert.Equal((0, 0), (again.Candidates, again.Created)); // the sources skip what was raised (the keys in SQL match the C# keys)
        var counts = await factory.WithDbAsync(async (db, _) => (
            Reminders: await db.Reminders.CountAsync(r => r.HospitalId == t.Hospital.Id),
            Created: await db.ReminderEvents.CountAsync(e => e.ReminderId == first.Id && e.Kind == ReminderEventKind.Created),
            Notes: await db.Notifications.CountAsync(n => n.SubjectId == first.Id.ToString())));
        Assert.Equal((1, 1, 1), counts);
        var note = await factory.WithDbAsync((db, _) => db.Notifications.SingleAsync(n => n.SubjectId == first.Id.ToString()));
        Assert.Equal((t.Hospital.Id, Roles.SystemOperator, $"/Reminders/{first.Id}"), (note.OrganizationId, note.RecipientRole, note.Link));

        // 61 days later the date is 89 days away: the 90-day window raises a new reminder and resolves the 180-day one.
        await ReminderData.RunAsync(factory, Day.AddDays(61));
        var second = await ReminderData.ByKeyAsync(factory, ReminderData.EosKey(t, Day.AddDays(150), 90));
        Assert.NotNull(second);
        Assert.Equal(ReminderState.Open, second.State);
        var superseded = await ReminderData.ByIdAsync(factory, first.Id);
        Assert.Equal(ReminderState.Resolved, superseded!.State);
        Assert.Contains(await ReminderData.EventsAsync(factory, first.Id), e => e.Kind == ReminderEventKind.AutoResolved && e.UserId == null);
    }

    [Fact]
    public async Task A_condition_that_clears_and_comes_back_raises_a_new_reminder_but_a_users_resolution_stands()
    {
        var t = await factory.Tenants.CreateAsync();
        var statusId = await ReminderData.PatchAsync(factory, t, AdvisorySeverity.Critical, Day.AddDays(-20), PatchState.Open);
        var key = await ReminderData.PatchKeyAsync(factory, statusId);
        await ReminderData.RunAsync(factory, Day);
        var first = (await ReminderData.ByKeyAsync(factory, key))!;

        // Applied: resolved automatically, and its key released.
        await SetPatchStateAsync(statusId, PatchState.Applied);
        await ReminderData.RunAsync(factory, Day.AddDays(1));
        Assert.Equal(ReminderState.Resolved, (await ReminderData.ByIdAsync(factory, first.Id))!.State);
        Assert.Null(await ReminderData.ByKeyAsync(factory, key));

        // The status is reopened (the patch was rolled back): the advisory is overdue again and a new reminder is raised, once.
        await SetPatchStateAsync(statusId, PatchState.Open);
        await ReminderData.RunAsync(factory, Day.AddDays(2));
        await ReminderData.RunAsync(factory, Day.AddDays(2));
        var second = (await ReminderData.ByKeyAsync(factory, key))!;
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(ReminderState.Open, second.State);

        // A user resolves it while it still holds: the key stays taken and the run raises nothing new.
        await factory.WithDbAsync(async (db, _) =>
        {
            var r = await db.Reminders.SingleAsync(x => x.Id == second.Id);
            r.State = ReminderState.Resolved;
            r.ResolvedAt = DateTimeOffset.UtcNow;
            await db.SaveChangesAsync();
        });
        await ReminderData.RunAsync(factory, Day.AddDays(3));
        Assert.Equal(second.Id, (await ReminderData.ByKeyAsync(factory, key))!.Id);
        Assert.Equal(2, await factory.WithDbAsync((db, _) => db.Reminders.CountAsync(r => r.HospitalId == t.Hospital.Id && r.Kind == ReminderKind.PatchOverdue)));
    }

    private Task SetPatchStateAsync(Guid statusId, PatchState state) => factory.WithDbAsync(async (db, _) =>
    {
        var s = await db.PatchStatuses.SingleAsync(p => p.Id == statusId);
        s.State = state;
        s.AppliedOn = state == PatchState.Applied ? Day : null;
        await db.SaveChangesAsync();
    });

    [Fact]
    public async Task Reminders_resolve_automatically_when_the_patch_is_applied_or_the_component_retired()
    {
        var t = await factory.Tenants.CreateAsync();
        var statusId = await ReminderData.PatchAsync(factory, t, AdvisorySeverity.Critical, Day.AddDays(-20), PatchState.Open);
        var (componentId, _) = await ReminderData.EosAsync(factory, t, Day.AddDays(20));

        await ReminderData.RunAsync(factory, Day);
        var patch = await ReminderData.ByKeyAsync(factory, await ReminderData.PatchKeyAsync(factory, statusId));
        var eos = await ReminderData.ByKeyAsync(factory, ReminderData.EosKey(t, Day.AddDays(20), 30));
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
        Assert.Equal(ReminderState.Resolved, (await ReminderData.ByIdAsync(factory, patch.Id))!.State);
        Assert.Equal(ReminderState.Resolved, (await ReminderData.ByIdAsync(factory, eos.Id))!.State);
        Assert.Single(await ReminderData.EventsAsync(factory, patch.Id), e => e.Kind == ReminderEventKind.AutoResolved);
    }

    [Fact]
    public async Task Components_with_the_same_end_date_and_an_advisorys_overdue_components_make_one_reminder_each_until_the_last_one_clears()
    {
        var t = await factory.Tenants.CreateAsync();
        var ends = Day.AddDays(80);
        var components = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            components.Add((await ReminderData.EosAsync(factory, t, ends)).ComponentId);
        }
        await ReminderData.EosAsync(factory, t, ends, supplier: t.Vendor.Id); // the vendor's component: a group of its own
        var first = await ReminderData.PatchAsync(factory, t, AdvisorySeverity.Critical, Day.AddDays(-20), PatchState.Open);
        var advisory = await ReminderData.AdvisoryOfAsync(factory, first);
        var statuses = new List<Guid> { first };
        statuses.Add(await ReminderData.PatchAsync(factory, t, AdvisorySeverity.Critical, Day.AddDays(-20), PatchState.Planned, advisoryId: advisory));
        statuses.Add(await ReminderData.PatchAsync(factory, t, AdvisorySeverity.Critical, Day.AddDays(-20), PatchState.Applied, advisoryId: advisory));

        await ReminderData.RunAsync(factory, Day);
        var all = await factory.WithDbAsync((db, _) => db.Reminders.AsNoTracking().Where(r => r.HospitalId == t.Hospital.Id).ToListAsync());
        Assert.Equal(3, all.Count);
        var eos = all.Single(r => r.DedupeKey == ReminderData.EosKey(t, ends, 90));
        Assert.Equal(("Reminder_EosGroupApproaching", $"[\"{ReminderData.EosSubject}\",\"3\",\"{ends:yyyy-MM-dd}\",\"80\"]", $"/Hospitals/{t.Hospital.Id}/Ledger"),
            (eos.TextKey, eos.Args, eos.Link));
        Assert.Single(all, r => r.DedupeKey == ReminderData.EosKey(t, ends, 90, t.Vendor.Id) && r.OwnerOrganizationId == t.Vendor.Id);
        var patch = all.Single(r => r.DedupeKey == PatchOverdueReminderSource.Key(advisory));
        Assert.Equal(("Reminder_PatchOverdueGroup", $"/Hospitals/{t.Hospital.Id}/Patches/{advisory}", "security_advisories", advisory.ToString()),
            (patch.TextKey, patch.Link, patch.SubjectType, patch.SubjectId));
        Assert.Contains("\"2\"", patch.Args, StringComparison.Ordinal); // two of the three components are overdue

        // Two of three components retired, one of two statuses applied: both groups still hold.
        await factory.WithDbAsync(async (db, _) =>
        {
            foreach (var c in await db.SystemComponents.Where(c => components.Take(2).Contains(c.Id)).ToListAsync())
            {
                c.RetiredOn = Day;
            }
            (await db.PatchStatuses.SingleAsync(p => p.Id == statuses[0])).State = PatchState.Applied;
            await db.SaveChangesAsync();
        });
        var still = await ReminderData.RunAsync(factory, Day.AddDays(1));
        Assert.Equal((0, 0), (still.Created, still.AutoResolved));

        // The last ones go: both resolve.
        await factory.WithDbAsync(async (db, _) =>
        {
            (await db.SystemComponents.SingleAsync(c => c.Id == components[2])).RetiredOn = Day;
            (await db.PatchStatuses.SingleAsync(p => p.Id == statuses[1])).State = PatchState.NotApplicable;
            await db.SaveChangesAsync();
        });
        var cleared = await ReminderData.RunAsync(factory, Day.AddDays(2));
        Assert.Equal(2, cleared.AutoResolved);
        Assert.Equal(ReminderState.Resolved, (await ReminderData.ByIdAsync(factory, eos.Id))!.State);
        Assert.Equal(ReminderState.Resolved, (await ReminderData.ByIdAsync(factory, patch.Id))!.State);
    }

    [Fact]
    public async Task Vendor_supplied_and_vendor_committed_items_go_to_the_vendor_then_escalate_to_the_hospital_level_by_level()
    {
        var t = await factory.Tenants.CreateAsync();
        await ReminderData.EosAsync(factory, t, Day.AddDays(150), supplier: t.Vendor.Id);
        var statusId = await ReminderData.PatchAsync(factory, t, AdvisorySeverity.High, Day.AddDays(-5), PatchState.Planned, plannedOn: Day.AddDays(-1), committedBy: t.Vendor.Id);

        await ReminderData.RunAsync(factory, Day);
        var eos = (await ReminderData.ByKeyAsync(factory, ReminderData.EosKey(t, Day.AddDays(150), 180, t.Vendor.Id)))!;
        var commitment = (await ReminderData.ByKeyAsync(factory,
            PatchCommitmentReminderSource.Key(await ReminderData.AdvisoryOfAsync(factory, statusId), t.Vendor.Id, Day.AddDays(-1))))!;
        foreach (var r in new[] { eos, commitment })
        {
            Assert.Equal((t.Vendor.Id, t.Vendor.Id, (string?)null, 0), (r.OwnerOrganizationId, r.RecipientOrganizationId, r.RecipientRole, r.EscalationLevel));
            Assert.Equal(t.Hospital.Id, r.HospitalId);
        }

        // Day +3: SystemOperator; +10: SecurityManager; +24: Executive; then nothing more.
        foreach (var (offset, level, role) in new[] { (3, 1, Roles.SystemOperator), (10, 2, Roles.SecurityManager), (24, 3, Roles.Executive), (50, 3, Roles.Executive) })
        {
            await ReminderData.RunAsync(factory, Day.AddDays(offset));
            var now = (await ReminderData.ByIdAsync(factory, eos.Id))!;
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

        var rows = await factory.WithDbAsync(async (db, _) => await db.Reminders.AsNoTracking().Where(r => r.HospitalId == t.Hospital.Id)
            .Select(r => new
            {
                r.Id, r.DedupeKey, r.EscalationLevel, r.OwnerOrganizationId,
                Created = db.ReminderEvents.Count(e => e.ReminderId == r.Id && e.Kind == ReminderEventKind.Created),
                Escalations = db.ReminderEvents.Where(e => e.ReminderId == r.Id && e.Kind == ReminderEventKind.Escalated).Select(e => e.Level).ToList(),
                Notes = db.Notifications.Count(n => n.SubjectId == r.Id.ToString()),
            }).ToListAsync());

        Assert.Equal(9, rows.Count); // one per group: 5 end dates, 4 advisories
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
