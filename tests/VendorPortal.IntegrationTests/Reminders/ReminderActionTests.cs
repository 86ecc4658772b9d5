using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VendorPortal.Features.Account;
using VendorPortal.Features.Organizations;
using VendorPortal.Features.Patches;
using VendorPortal.Features.Reminders;
using VendorPortal.Infrastructure.Email;
using VendorPortal.Infrastructure.Time;
using VendorPortal.IntegrationTests.Support;

namespace VendorPortal.IntegrationTests.Reminders;

/// <summary>
/// What users do with reminders: see them (API, page, bell), acknowledge (escalation stops), snooze (back on its date),
/// resolve with a note; revisions; read-only roles; mail preferences and the digest; another tenant's reminder is 404.
/// </summary>
public sealed class ReminderActionTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private static DateOnly Today => JapanTime.TodayInJapan(TimeProvider.System);

    /// <summary>A vendor-owned EOS reminder (level 0) and a hospital patch reminder (level 1), raised by the run today.</summary>
    private async Task<(TenantSet T, Reminder Vendor, Reminder Hospital)> ArrangeAsync()
    {
        var t = await factory.Tenants.CreateAsync();
        await ReminderData.EosAsync(factory, t, Today.AddDays(150), supplier: t.Vendor.Id);
        var statusId = await ReminderData.PatchAsync(factory, t, AdvisorySeverity.Critical, Today.AddDays(-30), PatchState.Open);
        await ReminderData.RunAsync(factory, Today);
        return (t, (await ReminderData.ByKeyAsync(factory, ReminderData.EosKey(t, Today.AddDays(150), 180, t.Vendor.Id)))!,
            (await ReminderData.ByKeyAsync(factory, await ReminderData.PatchKeyAsync(factory, statusId)))!);
    }

    private static async Task<List<JsonElement>> ListAsync(PortalClient client, string query = "")
    {
        var response = await client.GetAsync("/api/v1/reminders" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<List<JsonElement>>())!;
    }

    private static List<Guid> Ids(List<JsonElement> items) => [.. items.Select(i => i.GetProperty("id").GetGuid())];

    [Fact]
    public async Task The_vendor_sees_its_reminder_the_hospital_sees_it_in_all_and_an_acknowledged_one_stops_escalating()
    {
        var (t, vendorReminder, hospitalReminder) = await ArrangeAsync();
        using var vendor = factory.CreatePortalClient();
        await vendor.SignInAsync(t[Roles.VendorMember]);
        using var sysop = factory.CreatePortalClient();
        await sysop.SignInAsync(t[Roles.SystemOperator]);

        Assert.Contains(vendorReminder.Id, Ids(await ListAsync(vendor)));
        Assert.DoesNotContain(hospitalReminder.Id, Ids(await ListAsync(vendor))); // the hospital's own reminder is not the vendor's
        var mine = Ids(await ListAsync(sysop));
        Assert.Contains(hospitalReminder.Id, mine);
        Assert.DoesNotContain(vendorReminder.Id, mine); // not addressed to the hospital yet …
        Assert.Contains(vendorReminder.Id, Ids(await ListAsync(sysop, "?scope=All"))); // … but the hospital sees it

        // The bell: the creation notified the vendor; the page lists it.
        var layout = await vendor.GetDocumentAsync("/Reminders");
        Assert.NotNull(layout.QuerySelector($"tr[data-reminder='{vendorReminder.Id}']"));
        Assert.NotNull(layout.QuerySelector("#notification-count"));

        // A stale revision is refused; the current one acknowledges; the audit log has it.
        var stale = await vendor.SendJsonAsync(HttpMethod.Post, $"/api/v1/reminders/{vendorReminder.Id}/acknowledge", new { revision = 99 });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        var ack = await vendor.SendJsonAsync(HttpMethod.Post, $"/api/v1/reminders/{vendorReminder.Id}/acknowledge", new { revision = 0, note = "更新計画を作成中" });
        Assert.Equal(HttpStatusCode.NoContent, ack.StatusCode);
        Assert.True(await factory.WithDbAsync((db, _) => db.AuditEvents.AnyAsync(a => a.Action == "reminder.acknowledged" && a.TargetId == vendorReminder.Id.ToString())));

        // Weeks later nothing escalates it.
        await ReminderData.RunAsync(factory, Today.AddDays(30));
        var after = (await ReminderData.ByKeyAsync(factory, vendorReminder.DedupeKey))!;
        Assert.Equal((ReminderState.Acknowledged, 0, (DateOnly?)null), (after.State, after.EscalationLevel, after.NextEscalationOn));
        Assert.DoesNotContain(await ReminderData.EventsAsync(factory, vendorReminder.Id), e => e.Kind == ReminderEventKind.Escalated);
        // The unacknowledged hospital reminder did escalate (7 days after it was raised) to the SecurityManager.
        var escalated = (await ReminderData.ByKeyAsync(factory, hospitalReminder.DedupeKey))!;
        Assert.Equal((ReminderState.Escalated, 2, Roles.SecurityManager), (escalated.State, escalated.EscalationLevel, escalated.RecipientRole));

        var detail = await vendor.GetDocumentAsync($"/Reminders/{vendorReminder.Id}");
        Assert.Contains("更新計画を作成中", detail.QuerySelector("#reminder-history")!.TextContent);
    }

    [Fact]
    public async Task Snooze_needs_a_date_and_a_reason_and_the_reminder_is_open_again_on_that_date_with_its_clock_restarted()
    {
        var (t, _, reminder) = await ArrangeAsync();
        using var sysop = factory.CreatePortalClient();
        await sysop.SignInAsync(t[Roles.SystemOperator]);
        var url = $"/api/v1/reminders/{reminder.Id}/snooze";

        var noReason = await sysop.SendJsonAsync(HttpMethod.Post, url, new { revision = 0, until = Today.AddDays(10).ToString("yyyy-MM-dd") });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("note", await noReason.Content.ReadAsStringAsync());
        var tooLong = await sysop.SendJsonAsync(HttpMethod.Post, url, new { revision = 0, until = Today.AddDays(91).ToString("yyyy-MM-dd"), note = "保守日程待ち" });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("until", await tooLong.Content.ReadAsStringAsync());

        var ok = await sysop.SendJsonAsync(HttpMethod.Post, url, new { revision = 0, until = Today.AddDays(10).ToString("yyyy-MM-dd"), note = "保守日程待ち" });
        Assert.Equal(HttpStatusCode.NoContent, ok.StatusCode);

        Run(Today.AddDays(9));
        Assert.Equal(ReminderState.Snoozed, (await ReminderData.ByIdAsync(factory, reminder.Id))!.State);
        Run(Today.AddDays(10));
        var woke = (await ReminderData.ByIdAsync(factory, reminder.Id))!;
        Assert.Equal((ReminderState.Open, 1, Today.AddDays(10), (DateOnly?)Today.AddDays(17)), (woke.State, woke.EscalationLevel, woke.LevelSince, woke.NextEscalationOn));
        Assert.Contains(await ReminderData.EventsAsync(factory, reminder.Id), e => e.Kind == ReminderEventKind.Unsnoozed);

        void Run(DateOnly day) => factory.WithDbAsync((_, sp) => sp.GetRequiredService<ReminderRun>().EscalateAsync(day)).GetAwaiter().GetResult();
    }

    [Fact]
    public async Task Resolving_on_the_page_needs_a_note_and_read_only_roles_cannot_act()
    {
        var (t, _, reminder) = await ArrangeAsync();
        using var auditor = factory.CreatePortalClient();
        await auditor.SignInAsync(t[Roles.Auditor]);
        var seen = await auditor.GetDocumentAsync($"/Reminders/{reminder.Id}?scope=All");
        Assert.Null(seen.QuerySelector("#resolve-form"));
        var refused = await auditor.SendJsonAsync(HttpMethod.Post, $"/api/v1/reminders/{reminder.Id}/resolve", new { revision = 0, note = "x" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        using var sysop = factory.CreatePortalClient();
        await sysop.SignInAsync(t[Roles.SystemOperator]);
        var page = $"/Reminders/{reminder.Id}";
        var empty = await sysop.PostFormAsync(page + "?handler=Resolve", new Dictionary<string, string> { ["Revision"] = "0", ["Note"] = "" }, page);
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        var doc = await PortalClient.ParseAsync(empty);
        Assert.Contains("解決内容を入力してください", doc.QuerySelector(".validation-summary-errors")!.TextContent);

        var done = await sysop.PostFormAsync(page + "?handler=Resolve", new Dictionary<string, string> { ["Revision"] = "0", ["Note"] = "ファームウェア更新済み" }, page);
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        var resolved = (await ReminderData.ByIdAsync(factory, reminder.Id))!;
        Assert.Equal(ReminderState.Resolved, resolved.State);
        Assert.Contains(await ReminderData.EventsAsync(factory, reminder.Id), e => e.Kind == ReminderEventKind.Resolved && e.Note == "ファームウェア更新済み" && e.UserId == t[Roles.SystemOperator].Id);
        // A resolved reminder stays resolved: the next run creates nothing for the same key.
        await ReminderData.RunAsync(factory, Today.AddDays(1));
        Assert.Equal(1, await factory.WithDbAsync((db, _) => db.Reminders.CountAsync(r => r.DedupeKey == reminder.DedupeKey)));
    }

    [Fact]
    public async Task Another_organizations_reminder_is_not_found_for_reading_or_acting_on_api_and_page()
    {
        var (mine, vendorReminder, hospitalReminder) = await ArrangeAsync();
        var theirs = await factory.Tenants.CreateAsync();
        // Their vendor also serves my hospital: it still never sees my vendor's reminders.
        await factory.WithDbAsync(async (db, _) =>
        {
            db.Engagements.Add(new Engagement { Id = Guid.NewGuid(), HospitalId = mine.Hospital.Id, VendorId = theirs.Vendor.Id, Title = "別事業者", StartsOn = new DateOnly(2024, 4, 1), CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        });

        foreach (var role in new[] { Roles.TenantAdmin, Roles.SystemOperator, Roles.VendorMember, Roles.VendorAdmin })
        {
            using var client = factory.CreatePortalClient();
            await client.SignInAsync(theirs[role]);
            foreach (var id in new[] { vendorReminder.Id, hospitalReminder.Id })
            {
                Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/reminders/{id}")).StatusCode);
                Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/Reminders/{id}")).StatusCode);
                foreach (var action in new[] { "acknowledge", "snooze", "resolve" })
                {
                    var r = await client.SendJsonAsync(HttpMethod.Post, $"/api/v1/reminders/{id}/{action}", new { revision = 0, note = "x", until = Today.AddDays(3).ToString("yyyy-MM-dd") });
                    Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
                }
                var page = await client.PostFormAsync($"/Reminders/{id}?handler=Acknowledge", new Dictionary<string, string> { ["Revision"] = "0" }, "/Reminders");
                Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
                Assert.DoesNotContain(id, Ids(await ListAsync(client, "?scope=All")));
            }
        }
        var untouched = (await ReminderData.ByKeyAsync(factory, vendorReminder.DedupeKey))!;
        Assert.Equal((ReminderState.Open, 0), (untouched.State, untouched.Revision));
    }

    [Fact]
    public async Task Immediate_mail_goes_once_per_event_without_tenant_names_and_the_digest_once_per_user_and_day_across_two_instances()
    {
        var t = await factory.Tenants.CreateAsync();
        using var sysop = factory.CreatePortalClient();
        await sysop.SignInAsync(t[Roles.SystemOperator]);
        var saved = await sysop.PostFormAsync("/Reminders/Settings", new Dictionary<string, string> { ["Mode"] = "Immediate" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var statusId = await ReminderData.PatchAsync(factory, t, AdvisorySeverity.Critical, Today.AddDays(-30), PatchState.Open);
        await using var second = new SecondInstanceFactory(factory.ConnectionString);
        await second.InitializeAsync();
        await Task.WhenAll(ReminderData.RunAsync(factory, Today), ReminderData.RunAsync(second, Today));
        var reminder = (await ReminderData.ByKeyAsync(factory, await ReminderData.PatchKeyAsync(factory, statusId)))!;

        List<OutboxMessage> Mails(string to) => [.. new[] { factory, (PortalFactory)second }
            .SelectMany(f => f.Services.GetRequiredService<OutboxEmailSender>().Read(1000)).Where(m => m.To == to)];
        var immediate = Mails(t[Roles.SystemOperator].Email).Where(m => m.Body.Contains($"/Reminders/{reminder.Id}", StringComparison.Ordinal)).ToList();
        var mail = Assert.Single(immediate);
        Assert.DoesNotContain(t.Hospital.Name, mail.Body);
        Assert.DoesNotContain(t.System.Name, mail.Body);
        Assert.Contains(await ReminderData.EventsAsync(factory, reminder.Id), e => e.Kind == ReminderEventKind.Emailed && e.Note == "1");

        // The SecurityManager keeps the default (digest): nothing immediate, one digest a day even when both instances send it twice.
        var manager = t[Roles.SecurityManager].Email;
        await ReminderData.RunAsync(factory, Today.AddDays(7)); // escalates to the SecurityManager
        Assert.Empty(Mails(manager));
        var day = Today.AddDays(7);
        await Task.WhenAll(Digest(factory), Digest(second), Digest(factory), Digest(second));
        var digest = Assert.Single(Mails(manager));
        Assert.Contains("https://localhost/Reminders", digest.Body);
        Assert.DoesNotContain(t.Hospital.Name, digest.Body);
        Assert.Equal(1, await factory.WithDbAsync((db, _) => db.ReminderDigests.CountAsync(d => d.UserId == t[Roles.SecurityManager].Id)));

        Task<int> Digest(PortalFactory f) => f.WithDbAsync((_, sp) => sp.GetRequiredService<ReminderMailer>().SendDigestsAsync(day));
    }
}
