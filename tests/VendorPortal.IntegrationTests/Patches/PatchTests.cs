using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Account;
using VendorPortal.Features.Gaps;
using VendorPortal.Features.Patches;
using VendorPortal.Infrastructure.Time;
using VendorPortal.IntegrationTests.Support;

namespace VendorPortal.IntegrationTests.Patches;

/// <summary>
/// Advisories and per-component patch statuses through the pages and the API: registering with the component picker,
/// every step incl. the SecurityManager's four-eyes approval of a deferral, the vendor's commitment, optimistic
/// concurrency, the gaps they raise, and other tenants.
/// </summary>
public sealed class PatchTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private static DateOnly Today => JapanTime.TodayInJapan(TimeProvider.System);
    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd");

    private static async Task<HttpResponseMessage> PostAsync(PortalClient client, string path, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var token = await client.AntiforgeryTokenAsync(path.Split('?')[0]);
        return await client.Http.PostAsync(path, new FormUrlEncodedContent(fields.Append(new("__RequestVerificationToken", token))));
    }

    private static string? PathOf(HttpResponseMessage r)
        => r.StatusCode != HttpStatusCode.Redirect ? null : r.Headers.Location!.IsAbsoluteUri ? r.Headers.Location.AbsolutePath : r.Headers.Location.OriginalString.Split('?')[0];

    private static KeyValuePair<string, string> F(string k, string v) => new(k, v);

    private async Task<PortalClient> SignInAsync(TestUser user)
    {
        var client = factory.CreatePortalClient();
        await client.SignInAsync(user);
        return client;
    }

    private Task<Dictionary<Guid, PatchStatus>> StatusesAsync(Guid advisoryId)
        => factory.WithDbAsync(async (db, _) => await db.PatchStatuses.AsNoTracking().Where(p => p.AdvisoryId == advisoryId).ToDictionaryAsync(p => p.Id));

    /// <summary>One step on the detail page for the given rows, each with its current revision.</summary>
    private async Task<HttpResponseMessage> StepAsync(PortalClient client, TenantSet t, Guid advisoryId, PatchAction step, IEnumerable<Guid> ids,
        string? date = null, string? reason = null, string? measure = null)
    {
        var current = await StatusesAsync(advisoryId);
        var fields = new List<KeyValuePair<string, string>> { F("Step", step.ToString()), F("Date", date ?? ""), F("Reason", reason ?? ""), F("Measure", measure ?? "") };
        foreach (var id in ids)
        {
            fields.Add(F("Selected", id.ToString()));
            fields.Add(F($"Revisions[{id}]", current[id].Revision.ToString()));
        }
        return await PostAsync(client, $"/Hospitals/{t.Hospital.Id}/Patches/{advisoryId}", fields);
    }

    private async Task<HttpResponseMessage> DecideAsync(PortalClient client, TenantSet t, Guid advisoryId, Guid statusId, string handler)
    {
        var current = await StatusesAsync(advisoryId);
        return await PostAsync(client, $"/Hospitals/{t.Hospital.Id}/Patches/{advisoryId}?handler={handler}",
            [F("only", statusId.ToString()), F($"Revisions[{statusId}]", current[statusId].Revision.ToString())]);
    }

    [Fact]
    public async Task Hospital_registers_an_advisory_by_picking_components_and_each_gets_an_open_status()
    {
        var t = await factory.Tenants.CreateAsync();
        var c = await PatchData.ComponentsAsync(factory, t);
        using var op = await SignInAsync(t[Roles.SystemOperator]);
        var path = $"/Hospitals/{t.Hospital.Id}/Patches/New";

        // The picker filters by OS text and keeps what was ticked.
        var filtered = await PostAsync(op, path + "?handler=Search", [F("Identifier", "CVE-2024-3400"), F("FilterText", "server"), F("Selected", c.Own.ToString())]);
        Assert.Equal(HttpStatusCode.OK, filtered.StatusCode);
        var doc = await PortalClient.ParseAsync(filtered);
        Assert.Contains(c.SuppliedNumber, doc.QuerySelector("#component-picker")!.TextContent);
        Assert.DoesNotContain(c.OwnNumber, doc.QuerySelector("#component-picker")!.TextContent);
        Assert.NotNull(doc.QuerySelector($"input[type=hidden][name=Selected][value='{c.Own}']"));
        Assert.Equal(path + "?handler=Search", doc.QuerySelector("#filter-components")!.GetAttribute("formaction"));

        // A release date in the future and a malformed CVE are refused with messages; nothing is saved.
        var bad = await PostAsync(op, path, [F("Identifier", "CVE-24-1"), F("Title", "x"), F("Severity", "Critical"), F("ReleasedOn", D(Today.AddDays(1))), F("Selected", c.Own.ToString())]);
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        var errors = (await PortalClient.ParseAsync(bad)).QuerySelector(".validation-summary-errors")!.TextContent;
        Assert.Contains("CVE-YYYY-NNNN", errors);
        Assert.Contains("未来の日付", errors);

        var saved = await PostAsync(op, path, [F("Identifier", "cve-2024-3400"), F("Title", "PAN-OS GlobalProtect の脆弱性"), F("Severity", "Critical"),
            F("ReleasedOn", D(Today.AddDays(-2))), F("Selected", c.Own.ToString()), F("Selected", c.Supplied.ToString())]);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var (advisory, statuses) = await factory.WithDbAsync(async (db, _) =>
        {
            var a = await db.SecurityAdvisories.SingleAsync(x => x.HospitalId == t.Hospital.Id);
            return (a, await db.PatchStatuses.Where(p => p.AdvisoryId == a.Id).ToListAsync());
        });
        Assert.Equal(("CVE-2024-3400", t.Hospital.Id, AdvisorySeverity.Critical), (advisory.Identifier, advisory.CreatedByOrganizationId, advisory.Severity));
        Assert.Equal(new[] { c.Own, c.Supplied }.Order(), statuses.Select(s => s.ComponentId).Order());
        Assert.All(statuses, s => Assert.Equal(PatchState.Open, s.State));
        Assert.Equal(saved.Headers.Location!.OriginalString, $"/Hospitals/{t.Hospital.Id}/Patches/{advisory.Id}");

        // The same identifier again is refused; the list shows it with its counts; the auditor cannot register.
        var again = await PostAsync(op, path, [F("Identifier", "CVE-2024-3400"), F("Title", "再登録"), F("Severity", "High"), F("ReleasedOn", D(Today)), F("Selected", c.Own.ToString())]);
        Assert.Contains("すでに登録", (await PortalClient.ParseAsync(again)).QuerySelector(".validation-summary-errors")!.TextContent);
        var list = await op.GetDocumentAsync($"/Hospitals/{t.Hospital.Id}/Patches");
        Assert.Contains("CVE-2024-3400", list.QuerySelector("#advisories")!.TextContent);
        Assert.Contains("未対応 2", list.QuerySelector("#advisories")!.TextContent);
        using var auditor = await SignInAsync(t[Roles.Auditor]);
        Assert.Equal("/Account/AccessDenied", PathOf(await auditor.GetAsync(path)));
    }

    [Fact]
    public async Task Each_step_on_the_page_and_the_deferral_is_approved_only_by_a_security_manager_who_did_not_request_it()
    {
        var t = await factory.Tenants.CreateAsync();
        var c1 = await PatchData.ComponentsAsync(factory, t);
        var c2 = await PatchData.ComponentsAsync(factory, t);
        var (advisoryId, ids) = await PatchData.AdvisoryAsync(factory, t, AdvisorySeverity.High, Today.AddDays(-10), c1.Own, c1.Supplied, c2.Own, c2.Supplied);
        using var op = await SignInAsync(t[Roles.SystemOperator]);

        // Planned needs a date; applied not in the future; then both succeed.
        var noDate = await StepAsync(op, t, advisoryId, PatchAction.Plan, [ids[0]]);
        Assert.Contains("日付を入力", (await PortalClient.ParseAsync(noDate)).QuerySelector(".validation-summary-errors")!.TextContent);
        Assert.Equal(HttpStatusCode.Redirect, (await StepAsync(op, t, advisoryId, PatchAction.Plan, [ids[0]], D(Today.AddDays(5)))).StatusCode);
        var future = await StepAsync(op, t, advisoryId, PatchAction.Apply, [ids[0]], D(Today.AddDays(1)));
        Assert.Contains("未来の日付", (await PortalClient.ParseAsync(future)).QuerySelector(".validation-summary-errors")!.TextContent);
        Assert.Equal(HttpStatusCode.Redirect, (await StepAsync(op, t, advisoryId, PatchAction.Apply, [ids[0]], D(Today))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await StepAsync(op, t, advisoryId, PatchAction.NotApplicable, [ids[1]], reason: "該当機能なし")).StatusCode);

        // A bulk deferral of two rows by the SystemOperator: reason and measure required; it notifies the SecurityManagers.
        var noMeasure = await StepAsync(op, t, advisoryId, PatchAction.Defer, [ids[2], ids[3]], reason: "停止できない");
        Assert.Contains("代替措置", (await PortalClient.ParseAsync(noMeasure)).QuerySelector(".validation-summary-errors")!.TextContent);
        Assert.Equal(HttpStatusCode.Redirect, (await StepAsync(op, t, advisoryId, PatchAction.Defer, [ids[2], ids[3]], reason: "24時間稼働で停止できない", measure: "外部通信をFWで遮断")).StatusCode);
        var s = await StatusesAsync(advisoryId);
        Assert.Equal((PatchState.Applied, PatchState.NotApplicable, PatchState.Deferred, PatchState.Deferred), (s[ids[0]].State, s[ids[1]].State, s[ids[2]].State, s[ids[3]].State));
        Assert.Equal(t[Roles.SystemOperator].Id, s[ids[2]].DeferredByUserId);
        Assert.StartsWith(Roles.SystemOperator, s[ids[0]].AppliedByName);
        Assert.True(await factory.WithDbAsync(async (db, _) => await db.Notifications.AnyAsync(n => n.OrganizationId == t.Hospital.Id
            && n.RecipientRole == Roles.SecurityManager && n.TextKey == "Notify_PatchDeferralRequested" && n.SubjectId == advisoryId.ToString())));
        // Each change is in the audit log, from → to.
        Assert.True(await factory.WithDbAsync(async (db, _) => await db.AuditEvents.AnyAsync(a => a.TargetType == "patch_statuses" && a.TargetId == ids[2].ToString()
            && a.Summary.Contains("\"to\":\"Deferred\""))));

        // The SystemOperator cannot approve; the SecurityManager can.
        Assert.Equal("/Account/AccessDenied", PathOf(await DecideAsync(op, t, advisoryId, ids[2], "Approve")));
        using var sm = await SignInAsync(t[Roles.SecurityManager]);
        var page = await sm.GetDocumentAsync($"/Hospitals/{t.Hospital.Id}/Patches/{advisoryId}");
        Assert.Equal($"/Hospitals/{t.Hospital.Id}/Patches/{advisoryId}?handler=Approve", page.QuerySelector($"#s-{ids[2]} button.approve")!.GetAttribute("formaction"));
        Assert.Equal(HttpStatusCode.Redirect, (await DecideAsync(sm, t, advisoryId, ids[2], "Approve")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await DecideAsync(sm, t, advisoryId, ids[3], "Refuse")).StatusCode);
        s = await StatusesAsync(advisoryId);
        Assert.Equal((t[Roles.SecurityManager].Id, PatchState.Open), (s[ids[2]].DeferralApprovedByUserId!.Value, s[ids[3]].State));
        Assert.True(await factory.WithDbAsync(async (db, _) => await db.AuditEvents.AnyAsync(a => a.Action == "patch.deferral_approved" && a.TargetId == advisoryId.ToString())));
        Assert.True(await factory.WithDbAsync(async (db, _) => await db.AuditEvents.AnyAsync(a => a.Action == "patch.deferral_refused" && a.TargetId == advisoryId.ToString())));

        // A deferral the SecurityManager requested: not theirs to approve (the API says why), no approve button either.
        Assert.Equal(HttpStatusCode.Redirect, (await StepAsync(sm, t, advisoryId, PatchAction.Defer, [ids[3]], reason: "更新検証中", measure: "監視強化")).StatusCode);
        page = await sm.GetDocumentAsync($"/Hospitals/{t.Hospital.Id}/Patches/{advisoryId}");
        Assert.Null(page.QuerySelector($"#s-{ids[3]} button.approve"));
        var own = await sm.SendJsonAsync(HttpMethod.Put, $"/api/v1/hospitals/{t.Hospital.Id}/advisories/{advisoryId}/statuses/{ids[3]}",
            new { action = "ApproveDeferral", revision = (await StatusesAsync(advisoryId))[ids[3]].Revision });
        Assert.Equal(HttpStatusCode.BadRequest, own.StatusCode);
        Assert.Contains("自分が申請した見送り", await own.Content.ReadAsStringAsync());
        var byOperator = await op.SendJsonAsync(HttpMethod.Put, $"/api/v1/hospitals/{t.Hospital.Id}/advisories/{advisoryId}/statuses/{ids[3]}",
            new { action = "ApproveDeferral", revision = (await StatusesAsync(advisoryId))[ids[3]].Revision });
        Assert.Equal(HttpStatusCode.Forbidden, byOperator.StatusCode);
        Assert.Null((await StatusesAsync(advisoryId))[ids[3]].DeferralApprovedAt);

        // A stale revision loses: 409 from the API, nothing changed.
        var stale = await op.SendJsonAsync(HttpMethod.Put, $"/api/v1/hospitals/{t.Hospital.Id}/advisories/{advisoryId}/statuses/{ids[1]}",
            new { action = "Plan", date = D(Today.AddDays(3)), revision = 0 });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal(PatchState.NotApplicable, (await StatusesAsync(advisoryId))[ids[1]].State);

        // Read-only roles read and change nothing.
        foreach (var role in new[] { Roles.Executive, Roles.Auditor })
        {
            using var reader = await SignInAsync(t[role]);
            var read = await reader.GetDocumentAsync($"/Hospitals/{t.Hospital.Id}/Patches/{advisoryId}");
            Assert.Null(read.QuerySelector("#step-form"));
            var change = await reader.SendJsonAsync(HttpMethod.Put, $"/api/v1/hospitals/{t.Hospital.Id}/advisories/{advisoryId}/statuses/{ids[1]}",
                new { action = "Plan", date = D(Today.AddDays(3)), revision = (await StatusesAsync(advisoryId))[ids[1]].Revision });
            Assert.Equal(HttpStatusCode.Forbidden, change.StatusCode);
            Assert.Equal("/Account/AccessDenied", PathOf(await StepAsync(reader, t, advisoryId, PatchAction.Plan, [ids[1]], D(Today.AddDays(3)))));
        }
        Assert.Equal(PatchState.NotApplicable, (await StatusesAsync(advisoryId))[ids[1]].State);
    }

    [Fact]
    public async Task Vendor_plans_its_components_as_a_commitment_cannot_defer_and_sees_nothing_else()
    {
        var t = await factory.Tenants.CreateAsync();
        var c = await PatchData.ComponentsAsync(factory, t);
        var (advisoryId, ids) = await PatchData.AdvisoryAsync(factory, t, AdvisorySeverity.Critical, Today.AddDays(-20), c.Supplied, c.Own);
        using var vendor = await SignInAsync(t[Roles.VendorMember]);
        var api = $"/api/v1/hospitals/{t.Hospital.Id}/advisories";

        // It sees the advisory with its own component only.
        var got = await vendor.Http.GetFromJsonAsync<JsonElement>($"{api}/{advisoryId}");
        var status = Assert.Single(got.GetProperty("statuses").EnumerateArray());
        Assert.Equal(ids[0], status.GetProperty("id").GetGuid());
        var listed = Assert.Single((await vendor.Http.GetFromJsonAsync<List<AdvisorySummaryDto>>(api))!);
        Assert.Equal(1, listed.Counts["Open"]);

        var planned = await vendor.SendJsonAsync(HttpMethod.Put, $"{api}/{advisoryId}/statuses/{ids[0]}", new { action = "Plan", date = D(Today.AddDays(7)), revision = 0 });
        Assert.Equal(HttpStatusCode.OK, planned.StatusCode);
        var s = (await StatusesAsync(advisoryId))[ids[0]];
        Assert.Equal((PatchState.Planned, (Guid?)t.Vendor.Id, (DateOnly?)Today.AddDays(7)), (s.State, s.CommittedByVendorId, s.PlannedOn));

        var defer = await vendor.SendJsonAsync(HttpMethod.Put, $"{api}/{advisoryId}/statuses/{ids[0]}", new { action = "Defer", reason = "r", compensatingMeasure = "m", revision = s.Revision });
        Assert.Equal(HttpStatusCode.Forbidden, defer.StatusCode);
        Assert.Equal("application/problem+json", defer.Content.Headers.ContentType!.MediaType);
        // The hospital's own PC is not the vendor's: not found.
        Assert.Equal(HttpStatusCode.NotFound, (await vendor.SendJsonAsync(HttpMethod.Put, $"{api}/{advisoryId}/statuses/{ids[1]}", new { action = "Plan", date = D(Today), revision = 0 })).StatusCode);
        // The page offers the vendor plan and apply only.
        var page = await vendor.GetDocumentAsync($"/Hospitals/{t.Hospital.Id}/Patches/{advisoryId}");
        Assert.Equal(["Plan", "Apply"], page.QuerySelectorAll("#step option").Select(o => o.GetAttribute("value")!).ToArray());
        Assert.DoesNotContain(c.OwnNumber, page.QuerySelector("#statuses")!.TextContent);

        // A vendor registers an advisory for a component it supplies: the hospital's advisory, marked as the vendor's.
        var created = await vendor.SendJsonAsync(HttpMethod.Post, api, new { identifier = "JVNDB-2024-000123", title = "ファームウェアの脆弱性", severity = "High",
            releasedOn = D(Today.AddDays(-1)), componentIds = new[] { c.Supplied } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var dto = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(t.Vendor.Id, dto.GetProperty("createdByOrganizationId").GetGuid());
        Assert.True(await factory.WithDbAsync(async (db, _) => await db.SecurityAdvisories.AnyAsync(a => a.Identifier == "JVNDB-2024-000123" && a.HospitalId == t.Hospital.Id)));
        // … but not for the hospital's own PC.
        var foreign = await vendor.SendJsonAsync(HttpMethod.Post, api, new { identifier = "JVNDB-2024-000124", title = "x", severity = "High", releasedOn = D(Today), componentIds = new[] { c.Own } });
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.Contains("components", await foreign.Content.ReadAsStringAsync());

        // Once the committed date passes unapplied, the gap is on the vendor (and the critical patch is overdue on the hospital).
        await factory.WithDbAsync(async (db, _) =>
        {
            var row = await db.PatchStatuses.SingleAsync(p => p.Id == ids[0]);
            row.PlannedOn = Today.AddDays(-2);
            await db.SaveChangesAsync();
        });
        using var hospital = await SignInAsync(t[Roles.SystemOperator]);
        var gaps = (await hospital.Http.GetFromJsonAsync<List<GapDto>>($"/api/v1/hospitals/{t.Hospital.Id}/gaps"))!;
        var commitment = Assert.Single(gaps, g => g.Kind == "PatchCommitmentPassed");
        Assert.Equal(("Vendor", t.Vendor.Id, "High", $"/Hospitals/{t.Hospital.Id}/Patches/{advisoryId}"), (commitment.MustAct, commitment.VendorId!.Value, commitment.Severity, commitment.Link));
        var overdue = Assert.Single(gaps, g => g.Kind == "PatchOverdue" && g.Message.Contains("CVE-"));
        Assert.Contains("2台", overdue.Message);
        var gapsPage = await hospital.GetDocumentAsync($"/Hospitals/{t.Hospital.Id}/Gaps");
        Assert.Contains("パッチ適用期限の超過", gapsPage.QuerySelector("#gaps")!.TextContent);
    }

    [Fact]
    public async Task Eos_dates_and_waiting_deferrals_appear_in_the_gap_view_and_retired_components_do_not()
    {
        var t = await factory.Tenants.CreateAsync();
        var c = await PatchData.ComponentsAsync(factory, t);
        await factory.WithDbAsync(async (db, _) =>
        {
            foreach (var (component, ends) in new[] { (c.Supplied, Today.AddDays(20)), (c.Own, Today.AddDays(-3)) })
            {
                db.ComponentSupportDates.Add(new VendorPortal.Features.Ledger.ComponentSupportDate
                {
                    Id = Guid.NewGuid(), HospitalId = t.Hospital.Id, ComponentId = component, Kind = VendorPortal.Features.Ledger.SupportKind.Os,
                    Subject = component == c.Own ? "Windows 10" : "Windows Server 2019", EndsOn = ends, Source = "メーカーのライフサイクルページ",
                    EnteredByOrganizationId = t.Hospital.Id, EnteredByName = "テスト", EnteredAt = DateTimeOffset.UtcNow,
                });
            }
            await db.SaveChangesAsync();
        });
        var (advisoryId, ids) = await PatchData.AdvisoryAsync(factory, t, AdvisorySeverity.Low, Today.AddDays(-1), c.Own);
        using var op = await SignInAsync(t[Roles.SystemOperator]);
        Assert.Equal(HttpStatusCode.Redirect, (await StepAsync(op, t, advisoryId, PatchAction.Defer, [ids[0]], reason: "理由", measure: "代替措置")).StatusCode);

        var gaps = (await op.Http.GetFromJsonAsync<List<GapDto>>($"/api/v1/hospitals/{t.Hospital.Id}/gaps"))!;
        var approaching = Assert.Single(gaps, g => g.Kind == "EosApproaching");
        Assert.Equal(("High", "Vendor", t.Vendor.Id, t.System.Id), (approaching.Severity, approaching.MustAct, approaching.VendorId!.Value, approaching.SystemId!.Value));
        Assert.Contains("Windows Server 2019", approaching.Message);
        var passed = Assert.Single(gaps, g => g.Kind == "EosPassed");
        Assert.Equal(("High", "Hospital"), (passed.Severity, passed.MustAct));
        var waiting = Assert.Single(gaps, g => g.Kind == "PatchDeferralAwaitingApproval");
        Assert.Equal(("Low", "Hospital"), (waiting.Severity, waiting.MustAct));

        // Retiring the PC takes its EOS and its patch out of the view.
        await factory.WithDbAsync(async (db, _) =>
        {
            var pc = await db.SystemComponents.SingleAsync(x => x.Id == c.Own);
            pc.RetiredOn = Today;
            await db.SaveChangesAsync();
        });
        gaps = (await op.Http.GetFromJsonAsync<List<GapDto>>($"/api/v1/hospitals/{t.Hospital.Id}/gaps"))!;
        Assert.DoesNotContain(gaps, g => g.Kind is "EosPassed" or "PatchDeferralAwaitingApproval");
        Assert.Contains(gaps, g => g.Kind == "EosApproaching");
    }

    [Fact]
    public async Task Another_tenants_advisories_and_statuses_answer_404_on_pages_and_api()
    {
        var mine = await factory.Tenants.CreateAsync();
        var theirs = await factory.Tenants.CreateAsync();
        var (advisoryId, statusId) = await PatchData.TheirsAsync(factory, theirs);
        var myComponents = await PatchData.ComponentsAsync(factory, mine);
        foreach (var role in new[] { Roles.SecurityManager, Roles.VendorAdmin })
        {
            using var client = await SignInAsync(mine[role]);
            foreach (var hospital in new[] { theirs.Hospital.Id, mine.Hospital.Id })
            {
                var api = $"/api/v1/hospitals/{hospital}/advisories";
                Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"{api}/{advisoryId}")).StatusCode);
                Assert.Equal(HttpStatusCode.NotFound, (await client.SendJsonAsync(HttpMethod.Put, $"{api}/{advisoryId}",
                    new { identifier = "CVE-2024-0001", title = "t", severity = "Low", releasedOn = D(Today), componentIds = Array.Empty<Guid>() })).StatusCode);
                Assert.Equal(HttpStatusCode.NotFound, (await client.SendJsonAsync(HttpMethod.Put, $"{api}/{advisoryId}/statuses/{statusId}",
                    new { action = "Apply", date = D(Today), revision = 0 })).StatusCode);
                Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/Hospitals/{hospital}/Patches/{advisoryId}")).StatusCode);
                Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/Hospitals/{hospital}/Patches/{advisoryId}/Edit")).StatusCode);
            }
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/hospitals/{theirs.Hospital.Id}/advisories")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/Hospitals/{theirs.Hospital.Id}/Patches")).StatusCode);
            // Their status under my own advisory's id is not found either.
            var (myAdvisory, _) = await PatchData.AdvisoryAsync(factory, mine, AdvisorySeverity.Low, Today, myComponents.Supplied);
            Assert.Equal(HttpStatusCode.NotFound, (await client.SendJsonAsync(HttpMethod.Put, $"/api/v1/hospitals/{mine.Hospital.Id}/advisories/{myAdvisory}/statuses/{statusId}",
                new { action = "Apply", date = D(Today), revision = 0 })).StatusCode);
        }
        // A component of another hospital cannot be named in my advisory.
        using var sm = await SignInAsync(mine[Roles.SecurityManager]);
        var theirComponent = await factory.WithDbAsync(async (db, _) => await db.PatchStatuses.Where(p => p.Id == statusId).Select(p => p.ComponentId).SingleAsync());
        var sneaky = await sm.SendJsonAsync(HttpMethod.Post, $"/api/v1/hospitals/{mine.Hospital.Id}/advisories",
            new { identifier = "CVE-2024-7777", title = "t", severity = "Low", releasedOn = D(Today), componentIds = new[] { theirComponent } });
        Assert.Equal(HttpStatusCode.BadRequest, sneaky.StatusCode);
        var s = await factory.WithDbAsync(async (db, _) => await db.PatchStatuses.SingleAsync(p => p.Id == statusId));
        Assert.Equal((PatchState.Open, 0), (s.State, s.Revision));
    }
}
