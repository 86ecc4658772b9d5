using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OfficeOpenXml;
using VendorPortal.Features.Account;
using VendorPortal.Features.Forms;
using VendorPortal.Features.Gaps;
using VendorPortal.Features.Organizations;
using VendorPortal.IntegrationTests.Support;

namespace VendorPortal.IntegrationTests.RemoteMaintenance;

/// <summary>
/// リモートメンテナンス開示 on the form engine: the vendor starts one per engaged system (API and page), fills and
/// submits it, the hospital sees its risks as gaps and on the detail page, returns it, the vendor fixes and
/// resubmits; Excel out and in; other tenants and systems the vendor is not engaged for.
/// </summary>
public sealed class RemoteMaintenanceTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    public const string TemplateKey = "remote-maintenance-proposal-v1";

    /// <summary>Every item answered; one risk: no second factor.</summary>
    public static async Task<Dictionary<string, object>> AnswersAsync(PortalFactory factory, bool twoFactor)
    {
        var template = (await factory.WithDbAsync(async (db, _) => await db.FormTemplateVersions.SingleAsync(t => t.Key == TemplateKey))).Parse();
        var answers = new Dictionary<string, object>();
        foreach (var item in template.Items)
        {
            answers[item.Id] = new
            {
                value = item.AnswerType switch
                {
                    AnswerType.YesNo or AnswerType.YesNoNa => "Yes",
                    AnswerType.Choice => item.Choices![0],
                    _ => "記入例",
                },
            };
        }
        answers.Remove("rm-method-other");
        answers["rm-connection"] = new { value = "医療機関が都度開放" };
        answers["rm-vpn-firmware"] = new { value = "R3.4.1" };
        if (!twoFactor)
        {
            answers["rm-2fa"] = new { value = "No" };
            answers.Remove("rm-2fa-how");
        }
        return answers;
    }

    private static object Draft(Dictionary<string, object> answers) => new { rounds = new[] { new { number = 1, checkedOn = (string?)null, answers } } };

    /// <summary>A second system of the hospital, engaged for the vendor or not.</summary>
    private Task<MedicalSystem> AddSystemAsync(TenantSet tenants, string name, bool engaged) => factory.WithDbAsync(async (db, _) =>
    {
        var system = new MedicalSystem { Id = Guid.NewGuid(), HospitalId = tenants.Hospital.Id, Name = $"{name}-{Guid.NewGuid():N}"[..20], Category = "部門システム", CreatedAt = DateTimeOffset.UtcNow };
        db.MedicalSystems.Add(system);
        if (engaged)
        {
            db.EngagementSystems.Add(new EngagementSystem { EngagementId = tenants.Engagement.Id, SystemId = system.Id });
        }
        await db.SaveChangesAsync();
        return system;
    });

    private static async Task<Guid> CreateAsync(PortalClient vendor, TenantSet tenants, Guid systemId)
    {
        var created = await vendor.SendJsonAsync(HttpMethod.Post, $"/api/v1/hospitals/{tenants.Hospital.Id}/remote-maintenance", new { templateKey = TemplateKey, systemId });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task Vendor_discloses_hospital_sees_the_risks_returns_it_and_the_fixed_resubmission_clears_the_two_factor_gap()
    {
        var tenants = await factory.Tenants.CreateAsync();
        using var vendor = factory.CreatePortalClient();
        await vendor.SignInAsync(tenants[Roles.VendorMember]);

        // Through the API for the engaged system; the same system twice is refused.
        var id = await CreateAsync(vendor, tenants, tenants.System.Id);
        var duplicate = await vendor.SendJsonAsync(HttpMethod.Post, $"/api/v1/hospitals/{tenants.Hospital.Id}/remote-maintenance", new { templateKey = TemplateKey, systemId = tenants.System.Id });
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.Contains("既にあります", await duplicate.Content.ReadAsStringAsync());
        var stored = await factory.WithDbAsync(async (db, _) => await db.FormSubmissions.SingleAsync(s => s.Id == id));
        Assert.Equal((FormKind.RemoteMaintenance, (int?)null, tenants.System.Id, tenants.Hospital.Id), (stored.Kind, stored.FiscalYear, stored.SystemId!.Value, stored.HospitalId!.Value));

        // Through the page for a second engaged system: the form offers only engaged systems.
        var second = await AddSystemAsync(tenants, "PACS", engaged: true);
        var notEngaged = await AddSystemAsync(tenants, "検査", engaged: false);
        var list = await vendor.GetDocumentAsync($"/Hospitals/{tenants.Hospital.Id}/RemoteMaintenance");
        var options = list.QuerySelectorAll("#sys option").Select(o => o.GetAttribute("value")).ToList();
        Assert.Contains(second.Id.ToString(), options);
        Assert.DoesNotContain(notEngaged.Id.ToString(), options);
        var created = await vendor.PostFormAsync($"/Hospitals/{tenants.Hospital.Id}/RemoteMaintenance?handler=Create",
            new Dictionary<string, string> { ["TemplateKey"] = TemplateKey, ["SystemId"] = second.Id.ToString() }, $"/Hospitals/{tenants.Hospital.Id}/RemoteMaintenance");
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var secondDetail = await vendor.GetDocumentAsync(created.Headers.Location!.OriginalString);
        Assert.Contains(second.Name, secondDetail.QuerySelector("table.meta")!.TextContent);
        Assert.DoesNotContain("年度", secondDetail.QuerySelector("table.meta")!.TextContent);

        // Fill through the API draft and submit; an incomplete draft is refused first.
        Assert.Equal(HttpStatusCode.NoContent, (await vendor.SendJsonAsync(HttpMethod.Put, $"/api/v1/submissions/{id}/draft",
            Draft(new Dictionary<string, object> { ["rm-uses"] = new { value = "Yes" } }))).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await vendor.SendJsonAsync(HttpMethod.Post, $"/api/v1/submissions/{id}/submit", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await vendor.SendJsonAsync(HttpMethod.Put, $"/api/v1/submissions/{id}/draft", Draft(await AnswersAsync(factory, twoFactor: false)))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await vendor.SendJsonAsync(HttpMethod.Post, $"/api/v1/submissions/{id}/submit", null)).StatusCode);

        // The hospital: review queue, gaps page, gaps API, the list and the detail page all show the risk.
        using var hospital = factory.CreatePortalClient();
        await hospital.SignInAsync(tenants[Roles.SystemOperator]);
        var queue = await hospital.GetDocumentAsync("/Reviews");
        Assert.Contains("リモートメンテナンス開示", queue.Body!.TextContent);
        var gaps = await hospital.Http.GetFromJsonAsync<List<GapDto>>($"/api/v1/hospitals/{tenants.Hospital.Id}/gaps");
        var gap = Assert.Single(gaps!, g => g.Kind.StartsWith("Rm", StringComparison.Ordinal));
        Assert.Equal(("RmNoTwoFactor", tenants.Vendor.Id, tenants.System.Id, id, "Vendor"), (gap.Kind, gap.VendorId!.Value, gap.SystemId!.Value, gap.SubmissionId!.Value, gap.MustAct));
        Assert.Contains("二要素認証", gap.Message);
        var gapsPage = await hospital.GetDocumentAsync($"/Hospitals/{tenants.Hospital.Id}/Gaps");
        Assert.Contains("リモート保守: 二要素認証なし", gapsPage.QuerySelector("#gaps")!.TextContent);
        var listed = await hospital.Http.GetFromJsonAsync<JsonElement>($"/api/v1/hospitals/{tenants.Hospital.Id}/remote-maintenance");
        var row = Assert.Single(listed.EnumerateArray());
        Assert.Equal("NoTwoFactor", Assert.Single(row.GetProperty("flags").EnumerateArray()).GetProperty("kind").GetString());
        var hospitalList = await hospital.GetDocumentAsync($"/Hospitals/{tenants.Hospital.Id}/RemoteMaintenance");
        Assert.Contains("二要素認証なし", hospitalList.QuerySelector("#remote-maintenance")!.TextContent);
        Assert.Null(hospitalList.QuerySelector("#create-remote-maintenance"));
        var detail = await hospital.GetDocumentAsync($"/Checklists/{id}");
        Assert.Contains("二要素認証なし", detail.QuerySelector("#risk-flags")!.TextContent);

        // Returned with a comment; the vendor enables two-factor authentication and resubmits.
        var returned = await hospital.SendJsonAsync(HttpMethod.Post, $"/api/v1/submissions/{id}/review",
            new { decision = "return", itemComments = new Dictionary<string, string> { ["rm-2fa"] = "二要素認証を導入してください" } });
        Assert.Equal(HttpStatusCode.OK, returned.StatusCode);
        var vendorView = await vendor.GetDocumentAsync($"/Checklists/{id}");
        Assert.Contains("二要素認証を導入してください", vendorView.QuerySelector("#item-rm-2fa")!.TextContent);
        Assert.Contains("二要素認証なし", vendorView.QuerySelector("#risk-flags")!.TextContent);
        Assert.Equal(HttpStatusCode.NoContent, (await vendor.SendJsonAsync(HttpMethod.Put, $"/api/v1/submissions/{id}/draft", Draft(await AnswersAsync(factory, twoFactor: true)))).StatusCode);
        var resubmitted = await vendor.SendJsonAsync(HttpMethod.Post, $"/api/v1/submissions/{id}/submit", null);
        Assert.Equal(2, (await resubmitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32());

        var after = await hospital.Http.GetFromJsonAsync<List<GapDto>>($"/api/v1/hospitals/{tenants.Hospital.Id}/gaps");
        Assert.DoesNotContain(after!, g => g.Kind.StartsWith("Rm", StringComparison.Ordinal));
        var fixedDetail = await hospital.GetDocumentAsync($"/Checklists/{id}");
        Assert.Contains("指摘なし", fixedDetail.QuerySelector("#risk-flags")!.TextContent);
        var diff = await hospital.GetDocumentAsync($"/Checklists/{id}/Diff?from=1&to=2");
        var changed = diff.QuerySelectorAll("#changes tbody tr").Select(r => r.Children[1].TextContent.Trim()).ToList();
        Assert.Equal(["3.3", "3.4"], changed);
        Assert.Equal(HttpStatusCode.OK, (await hospital.SendJsonAsync(HttpMethod.Post, $"/api/v1/submissions/{id}/review", new { decision = "accept" })).StatusCode);
    }

    [Fact]
    public async Task Excel_export_names_hospital_vendor_and_system_and_the_sheet_imports_back()
    {
        var tenants = await factory.Tenants.CreateAsync();
        using var vendor = factory.CreatePortalClient();
        await vendor.SignInAsync(tenants[Roles.VendorAdmin]);
        var id = await CreateAsync(vendor, tenants, tenants.System.Id);
        Assert.Equal(HttpStatusCode.NoContent, (await vendor.SendJsonAsync(HttpMethod.Put, $"/api/v1/submissions/{id}/draft", Draft(await AnswersAsync(factory, twoFactor: false)))).StatusCode);
        var saved = await factory.WithDbAsync(async (db, _) => (await db.FormSubmissions.SingleAsync(s => s.Id == id)).DraftAnswers);

        var exported = await vendor.GetAsync($"/Checklists/{id}?handler=Xlsx");
        Assert.Equal(HttpStatusCode.OK, exported.StatusCode);
        var bytes = await exported.Content.ReadAsByteArrayAsync();
        using (var package = new ExcelPackage(new MemoryStream(bytes)))
        {
            var ws = package.Workbook.Worksheets[0];
            Assert.Equal("リモートメンテナンス", ws.Name);
            var labels = Enumerable.Range(1, 15).ToDictionary(r => r, r => ws.Cells[r, 2].Text);
            string ValueOf(string label) => ws.Cells[labels.Single(l => l.Value == label).Key, 3].Text;
            Assert.Equal(tenants.Hospital.Name, ValueOf("医療機関名"));
            Assert.Equal(tenants.Vendor.Name, ValueOf("事業者名"));
            Assert.Equal(tenants.System.Name, ValueOf("対象システム"));
            Assert.NotEmpty(ValueOf("作成日"));
            Assert.DoesNotContain(labels.Values, l => l == "年度" || l.Contains("確認日", StringComparison.Ordinal));
            Assert.Contains("公式様式ではありません", ws.Cells[3, 2].Text);
        }

        // Clear the draft, import the exported sheet: the same answers come back.
        Assert.Equal(HttpStatusCode.NoContent, (await vendor.SendJsonAsync(HttpMethod.Put, $"/api/v1/submissions/{id}/draft", Draft([]))).StatusCode);
        var imported = await vendor.PostFileAsync($"/api/v1/submissions/{id}/xlsx", "file", bytes, "rm.xlsx", tokenFrom: "/Account/Security", tokenAsHeader: true);
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        Assert.Equal(saved, await factory.WithDbAsync(async (db, _) => (await db.FormSubmissions.SingleAsync(s => s.Id == id)).DraftAnswers));
        Assert.Equal(HttpStatusCode.OK, (await vendor.SendJsonAsync(HttpMethod.Post, $"/api/v1/submissions/{id}/submit", null)).StatusCode);

        // The hospital downloads the submitted version.
        using var hospital = factory.CreatePortalClient();
        await hospital.SignInAsync(tenants[Roles.SecurityManager]);
        var download = await hospital.GetAsync($"/api/v1/submissions/{id}/xlsx");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        using var submitted = new ExcelPackage(new MemoryStream(await download.Content.ReadAsByteArrayAsync()));
        var cells = submitted.Workbook.Worksheets[0].Cells[submitted.Workbook.Worksheets[0].Dimension.Address].Select(c => c.Text).ToList();
        Assert.Contains(tenants.System.Name, cells);
        Assert.Contains(cells, c => c.StartsWith("第1版", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Other_tenants_get_404_and_a_vendor_not_engaged_for_the_system_is_refused_with_nothing_created()
    {
        var mine = await factory.Tenants.CreateAsync();
        var theirs = await factory.Tenants.CreateAsync();
        using var vendor = factory.CreatePortalClient();
        await vendor.SignInAsync(mine[Roles.VendorAdmin]);
        var api = $"/api/v1/hospitals/{mine.Hospital.Id}/remote-maintenance";

        async Task Refused(Guid? systemId, string message)
        {
            var response = await vendor.SendJsonAsync(HttpMethod.Post, api, new { templateKey = TemplateKey, systemId });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            Assert.Contains(message, await response.Content.ReadAsStringAsync());
        }
        var notEngaged = await AddSystemAsync(mine, "検査", engaged: false);
        await Refused(notEngaged.Id, "このシステムについて");
        await Refused(theirs.System.Id, "このシステムについて");
        await Refused(null, "このシステムについて");
        var wrongTemplate = await vendor.SendJsonAsync(HttpMethod.Post, api, new { templateKey = "vendor-checklist-sample-r7", systemId = mine.System.Id });
        Assert.Equal(HttpStatusCode.BadRequest, wrongTemplate.StatusCode);
        // Through the page too.
        var page = await vendor.PostFormAsync($"/Hospitals/{mine.Hospital.Id}/RemoteMaintenance?handler=Create",
            new Dictionary<string, string> { ["TemplateKey"] = TemplateKey, ["SystemId"] = notEngaged.Id.ToString() }, $"/Hospitals/{mine.Hospital.Id}/RemoteMaintenance");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("このシステムについて", await page.Content.ReadAsStringAsync());
        Assert.Equal(0, await factory.WithDbAsync(async (db, _) => await db.FormSubmissions.IgnoreQueryFilters().CountAsync(s => s.Kind == FormKind.RemoteMaintenance && s.HospitalId == mine.Hospital.Id)));

        // Hospital staff cannot start one.
        using var hospital = factory.CreatePortalClient();
        await hospital.SignInAsync(mine[Roles.TenantAdmin]);
        Assert.Equal(HttpStatusCode.Forbidden, (await hospital.SendJsonAsync(HttpMethod.Post, api, new { templateKey = TemplateKey, systemId = mine.System.Id })).StatusCode);

        var id = await CreateAsync(vendor, mine, mine.System.Id);
        Assert.Equal(HttpStatusCode.NoContent, (await vendor.SendJsonAsync(HttpMethod.Put, $"/api/v1/submissions/{id}/draft", Draft(await AnswersAsync(factory, twoFactor: false)))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await vendor.SendJsonAsync(HttpMethod.Post, $"/api/v1/submissions/{id}/submit", null)).StatusCode);

        // Another vendor and another hospital: the page, the list, creating and the disclosure itself are not found.
        foreach (var role in new[] { Roles.VendorAdmin, Roles.SecurityManager })
        {
            using var other = factory.CreatePortalClient();
            await other.SignInAsync(theirs[role]);
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/Hospitals/{mine.Hospital.Id}/RemoteMaintenance")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(api)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await other.SendJsonAsync(HttpMethod.Post, api, new { templateKey = TemplateKey, systemId = mine.System.Id })).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/Checklists/{id}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/submissions/{id}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/submissions/{id}/xlsx")).StatusCode);
            var theirGaps = role == Roles.SecurityManager
                ? await other.Http.GetFromJsonAsync<List<GapDto>>($"/api/v1/hospitals/{theirs.Hospital.Id}/gaps") : [];
            Assert.DoesNotContain(theirGaps!, g => g.SubmissionId == id);
        }
        // Their hospital's own list does not show my disclosure either.
        using var theirHospital = factory.CreatePortalClient();
        await theirHospital.SignInAsync(theirs[Roles.SystemOperator]);
        var theirList = await theirHospital.Http.GetFromJsonAsync<JsonElement>($"/api/v1/hospitals/{theirs.Hospital.Id}/remote-maintenance");
        Assert.Equal(0, theirList.GetArrayLength());
    }
}
