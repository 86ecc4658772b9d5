using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using VendorPortal.Features.Account;
using VendorPortal.Features.Forms;
using VendorPortal.Infrastructure.Time;
using VendorPortal.IntegrationTests.Support;

namespace VendorPortal.IntegrationTests.Checklists;

/// <summary>The vendor → hospital loop for the 事業者確認用 checklist, through the pages and through the API.</summary>
public sealed class ChecklistLoopTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    public const string TemplateKey = "vendor-checklist-sample-r7";
    private static int ThisYear => FiscalYear.Of(JapanTime.TodayInJapan(TimeProvider.System)).StartYear;
    private static string Today => JapanTime.TodayInJapan(TimeProvider.System).ToString("yyyy-MM-dd");
    private static string LastDay => new FiscalYear(ThisYear).LastDay.ToString("yyyy-MM-dd");

    private async Task<string[]> ItemIdsAsync()
    {
        var version = await factory.WithDbAsync(async (db, _) => await db.FormTemplateVersions.SingleAsync(t => t.Key == TemplateKey));
        return [.. version.Parse().Items.Select(i => i.Id)];
    }

    [Fact]
    public async Task Vendor_fills_and_submits_hospital_returns_with_a_comment_vendor_fixes_and_hospital_accepts()
    {
        var tenants = await factory.Tenants.CreateAsync();
        var ids = await ItemIdsAsync();
        using var vendor = factory.CreatePortalClient();
        await vendor.SignInAsync(tenants[Roles.VendorMember]);

        // Start the checklist for the hospital and this 年度.
        var created = await vendor.PostFormAsync($"/Hospitals/{tenants.Hospital.Id}/Checklists?handler=Create",
            new Dictionary<string, string> { ["TemplateKey"] = TemplateKey, ["FiscalYearStart"] = ThisYear.ToString(), ["SystemId"] = "" });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var detail = created.Headers.Location!.OriginalString;
        var submissionId = Guid.Parse(detail.Split('/').Last());

        // Hospital cannot see a draft.
        using var hospital = factory.CreatePortalClient();
        await hospital.SignInAsync(tenants[Roles.SystemOperator]);
        Assert.Equal(HttpStatusCode.NotFound, (await hospital.GetAsync(detail)).StatusCode);

        // Submit with a いいえ but no 目標日: refused, the problem is shown next to the item, and the draft is kept.
        var fields = new Dictionary<string, string> { ["rounds"] = "2", ["r1.date"] = Today };
        foreach (var id in ids)
        {
            fields[$"r1.{id}.v"] = "Yes";
        }
        fields[$"r1.{ids[1]}.v"] = "No";
        var refused = await vendor.PostFormAsync(detail + "?handler=Submit", fields, detail);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var refusedDoc = await PortalClient.ParseAsync(refused);
        Assert.Contains("目標日を入力してください", refusedDoc.QuerySelector($"#item-{ids[1]}")!.TextContent);
        Assert.Contains("1件の問題", refusedDoc.QuerySelector("#problems")!.TextContent);
        Assert.Equal(0, await factory.WithDbAsync(async (db, _) => (await db.FormSubmissions.SingleAsync(s => s.Id == submissionId)).LatestVersion));

        fields[$"r1.{ids[1]}.t"] = LastDay;
        var submitted = await vendor.PostFormAsync(detail + "?handler=Submit", fields, detail);
        Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);

        // Hospital reviews: the queue shows it; returning without a reason is refused; with an item comment it goes back.
        var queue = await hospital.GetDocumentAsync("/Reviews");
        Assert.Contains(tenants.Vendor.Name, queue.Body!.TextContent);
        var noReason = await hospital.PostFormAsync(detail + "?handler=Review", new Dictionary<string, string> { ["decision"] = "return" }, detail);
        Assert.Contains("差戻しにはコメントが必要です", await noReason.Content.ReadAsStringAsync());
        var returned = await hospital.PostFormAsync(detail + "?handler=Review",
            new Dictionary<string, string> { ["decision"] = "return", [$"c.{ids[1]}"] = "目標日の根拠を備考に記載してください" }, detail);
        Assert.Equal(HttpStatusCode.Redirect, returned.StatusCode);

        // Vendor sees the comment next to the item, fixes and resubmits.
        var page = await vendor.GetDocumentAsync(detail);
        Assert.Contains("目標日の根拠を備考に記載してください", page.QuerySelector($"#item-{ids[1]}")!.TextContent);
        Assert.Contains("差戻し", page.QuerySelector("#submission-state")!.TextContent);
        fields[$"r1.{ids[1]}.m"] = "VPN装置更改に合わせて対応";
        Assert.Equal(HttpStatusCode.Redirect, (await vendor.PostFormAsync(detail + "?handler=Submit", fields, detail)).StatusCode);

        // The diff shows what changed between the versions.
        var diff = await hospital.GetDocumentAsync($"/Checklists/{submissionId}/Diff?from=1&to=2");
        Assert.Contains("VPN装置更改に合わせて対応", diff.QuerySelector("#changes")!.TextContent);

        Assert.Equal(HttpStatusCode.Redirect, (await hospital.PostFormAsync(detail + "?handler=Review", new Dictionary<string, string> { ["decision"] = "accept" }, detail)).StatusCode);
        var final = await factory.WithDbAsync(async (db, _) => await db.FormSubmissions.SingleAsync(s => s.Id == submissionId));
        Assert.Equal((SubmissionState.Accepted, 2), (final.State, final.LatestVersion));
        var history = await factory.WithDbAsync(async (db, _) => await db.FormReviewEvents.Where(e => e.SubmissionId == submissionId).OrderBy(e => e.At).Select(e => e.Action).ToListAsync());
        Assert.Equal([ReviewAction.Submitted, ReviewAction.Returned, ReviewAction.Submitted, ReviewAction.Accepted], history);
        var audited = await factory.WithDbAsync(async (db, _) => await db.AuditEvents.Where(e => e.TargetId == submissionId.ToString()).Select(e => e.Action).ToListAsync());
        Assert.Contains("form.submitted", audited);
        Assert.Contains("form.returned", audited);
        Assert.Contains("form.accepted", audited);
    }

    [Fact]
    public async Task The_same_loop_works_through_the_api_and_submitted_versions_are_immutable()
    {
        var tenants = await factory.Tenants.CreateAsync();
        var ids = await ItemIdsAsync();
        using var vendor = factory.CreatePortalClient();
        await vendor.SignInAsync(tenants[Roles.VendorAdmin]);
        var created = await vendor.SendJsonAsync(HttpMethod.Post, $"/api/v1/hospitals/{tenants.Hospital.Id}/checklists", new { templateKey = TemplateKey, fiscalYear = ThisYear });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var duplicate = await vendor.SendJsonAsync(HttpMethod.Post, $"/api/v1/hospitals/{tenants.Hospital.Id}/checklists", new { templateKey = TemplateKey, fiscalYear = ThisYear });
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.Contains("既にあります", await duplicate.Content.ReadAsStringAsync());

        var unknown = await vendor.SendJsonAsync(HttpMethod.Put, $"/api/v1/submissions/{id}/draft", new { rounds = new[] { new { number = 1, checkedOn = Today, answers = new Dictionary<string, object> { ["no-such-item"] = new { value = "Yes" } } } } });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);

        var answers = ids.ToDictionary(i => i, i => (object)new { value = "Yes" });
        Assert.Equal(HttpStatusCode.NoContent, (await vendor.SendJsonAsync(HttpMethod.Put, $"/api/v1/submissions/{id}/draft", new { rounds = new[] { new { number = 1, checkedOn = (string?)null, answers } } })).StatusCode);
        var invalid = await vendor.SendJsonAsync(HttpMethod.Post, $"/api/v1/submissions/{id}/submit", null);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.StatusCode);
        Assert.Contains("1回目の確認日を入力してください", await invalid.Content.ReadAsStringAsync());

        await vendor.SendJsonAsync(HttpMethod.Put, $"/api/v1/submissions/{id}/draft", new { rounds = new[] { new { number = 1, checkedOn = Today, answers } } });
        Assert.Equal(HttpStatusCode.OK, (await vendor.SendJsonAsync(HttpMethod.Post, $"/api/v1/submissions/{id}/submit", null)).StatusCode);
        var again = await vendor.SendJsonAsync(HttpMethod.Post, $"/api/v1/submissions/{id}/submit", null);
        Assert.Contains("変更がない", await again.Content.ReadAsStringAsync());

        using var hospital = factory.CreatePortalClient();
        await hospital.SignInAsync(tenants[Roles.SecurityManager]);
        var dto = await hospital.Http.GetFromJsonAsync<JsonElement>($"/api/v1/submissions/{id}");
        Assert.Equal("Submitted", dto.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, dto.GetProperty("draft").ValueKind); // the hospital never sees the vendor's draft
        var v1 = await hospital.Http.GetFromJsonAsync<JsonElement>($"/api/v1/submissions/{id}/versions/1");
        Assert.Equal(64, v1.GetProperty("contentHash").GetString()!.Length);

        using (var auditor = factory.CreatePortalClient())
        {
            await auditor.SignInAsync(tenants[Roles.Auditor]);
            Assert.Equal(HttpStatusCode.Forbidden, (await auditor.SendJsonAsync(HttpMethod.Post, $"/api/v1/submissions/{id}/review", new { decision = "accept" })).StatusCode);
        }
        var review = await hospital.SendJsonAsync(HttpMethod.Post, $"/api/v1/submissions/{id}/review", new { decision = "accept" });
        Assert.Equal(HttpStatusCode.OK, review.StatusCode);

        await using var conn = new NpgsqlConnection(factory.ConnectionString);
        await conn.OpenAsync();
        var ex = await Assert.ThrowsAsync<PostgresException>(() => new NpgsqlCommand($"UPDATE form_submission_versions SET answers = '{{}}' WHERE submission_id = '{id}'", conn).ExecuteNonQueryAsync());
        Assert.Contains("immutable", ex.MessageText);
    }

    [Fact]
    public async Task A_vendor_cannot_start_a_checklist_for_a_hospital_it_does_not_serve()
    {
        var mine = await factory.Tenants.CreateAsync();
        var theirs = await factory.Tenants.CreateAsync();
        using var vendor = factory.CreatePortalClient();
        await vendor.SignInAsync(mine[Roles.VendorAdmin]);
        var api = await vendor.SendJsonAsync(HttpMethod.Post, $"/api/v1/hospitals/{theirs.Hospital.Id}/checklists", new { templateKey = TemplateKey, fiscalYear = ThisYear });
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        var page = await vendor.PostFormAsync($"/Hospitals/{theirs.Hospital.Id}/Checklists?handler=Create",
            new Dictionary<string, string> { ["TemplateKey"] = TemplateKey, ["FiscalYearStart"] = ThisYear.ToString() }, "/Account/Logout");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        var hospitalForm = await vendor.SendJsonAsync(HttpMethod.Post, $"/api/v1/hospitals/{mine.Hospital.Id}/checklists", new { templateKey = "hospital-checklist-r7", fiscalYear = ThisYear });
        Assert.Contains("様式を選択してください", await hospitalForm.Content.ReadAsStringAsync());
        Assert.False(await factory.WithDbAsync(async (db, _) => await db.FormSubmissions.AnyAsync(s => s.RespondentOrganizationId == mine.Vendor.Id)));
    }

    /// <summary>Creates a submitted checklist of <paramref name="tenants"/>' vendor for their hospital (used by the route walk).</summary>
    public static async Task<Guid> SubmittedChecklistAsync(PortalFactory factory, TenantSet tenants)
    {
        using var vendor = factory.CreatePortalClient();
        await vendor.SignInAsync(tenants[Roles.VendorAdmin]);
        var created = await vendor.SendJsonAsync(HttpMethod.Post, $"/api/v1/hospitals/{tenants.Hospital.Id}/checklists", new { templateKey = TemplateKey, fiscalYear = ThisYear });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var version = await factory.WithDbAsync(async (db, _) => await db.FormTemplateVersions.SingleAsync(t => t.Key == TemplateKey));
        var answers = version.Parse().Items.ToDictionary(i => i.Id, i => (object)new { value = "Yes" });
        await vendor.SendJsonAsync(HttpMethod.Put, $"/api/v1/submissions/{id}/draft", new { rounds = new[] { new { number = 1, checkedOn = Today, answers } } });
        var submitted = await vendor.SendJsonAsync(HttpMethod.Post, $"/api/v1/submissions/{id}/submit", null);
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        return id;
    }
}
