using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using OfficeOpenXml;
using VendorPortal.Features.Account;
using VendorPortal.Features.Gaps;
using VendorPortal.Features.Organizations;
using VendorPortal.Features.Responsibility;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.IntegrationTests.Support;

namespace VendorPortal.IntegrationTests.Responsibility;

/// <summary>
/// 責任分界表 end to end: created from the template (version 1), saved without change (no version), changed through the
/// no-JavaScript edit page (version 2, earlier confirmations no longer count), confirmed by the hospital and the vendor;
/// diff, print and Excel; gaps; who may not see or change it (a vendor not engaged, the Auditor, another hospital).
/// </summary>
public sealed class ResponsibilityTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private static string Api(TenantSet t, Guid? systemId = null) => $"/api/v1/hospitals/{t.Hospital.Id}/systems/{systemId ?? t.System.Id}/responsibility";
    private static string Page(TenantSet t, Guid? systemId = null) => $"/Hospitals/{t.Hospital.Id}/Responsibility/{systemId ?? t.System.Id}";

    /// <summary>Every field of a form as the browser would send it (inputs, selected options, text areas).</summary>
    private static Dictionary<string, string> FormFields(IHtmlDocument doc, string selector)
    {
        var fields = new Dictionary<string, string>();
        var form = doc.QuerySelector(selector)!;
        foreach (var input in form.QuerySelectorAll("input[name]").OfType<IHtmlInputElement>().Where(i => i.Name != "__RequestVerificationToken"))
        {
            fields[input.Name!] = input.Value;
        }
        foreach (var select in form.QuerySelectorAll("select[name]").OfType<IHtmlSelectElement>())
        {
            fields[select.Name!] = select.SelectedOptions.FirstOrDefault()?.Value ?? select.Options.FirstOrDefault()?.Value ?? "";
        }
        foreach (var area in form.QuerySelectorAll("textarea[name]").OfType<IHtmlTextAreaElement>())
        {
            fields[area.Name!] = area.Value;
        }
        return fields;
    }

    private static async Task<JsonElement> GetAsync(PortalClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Hospital_creates_from_the_template_changes_it_and_both_parties_confirm_each_version()
    {
        var t = await factory.Tenants.CreateAsync();
        using var hospital = factory.CreatePortalClient();
        await hospital.SignInAsync(t[Roles.SystemOperator]);

        // No matrix yet: the list says so and the gap view names the engaged system.
        var list = await hospital.GetDocumentAsync($"/Hospitals/{t.Hospital.Id}/Responsibility");
        Assert.Contains("未作成", list.QuerySelector($"tr[data-system='{t.System.Id}']")!.TextContent);
        var gaps = await hospital.Http.GetFromJsonAsync<List<GapDto>>($"/api/v1/hospitals/{t.Hospital.Id}/gaps");
        Assert.Contains(gaps!, g => g.Kind == "MissingMatrix" && g.SystemId == t.System.Id);
        Assert.NotNull((await hospital.GetDocumentAsync(Page(t))).QuerySelector("#no-matrix"));

        // Create from the template: version 1 with the hospital and the engaged vendor, every template row.
        await ResponsibilityData.CreateMatrixAsync(factory, t);
        var v1 = await GetAsync(hospital, Api(t));
        Assert.Equal(1, v1.GetProperty("currentVersion").GetInt32());
        var parties = v1.GetProperty("content").GetProperty("parties").EnumerateArray().ToList();
        Assert.Equal(["HospitalDepartment", "Vendor"], parties.Select(p => p.GetProperty("kind").GetString()));
        Assert.Equal(t.Vendor.Id, parties[1].GetProperty("organizationId").GetGuid());
        Assert.Equal(24, v1.GetProperty("content").GetProperty("rows").GetArrayLength());
        var stored = await factory.WithDbAsync(async (db, _) => await db.ResponsibilityMatrixVersions.SingleAsync(v => v.ContentHash == v1.GetProperty("contentHash").GetString()));
        Assert.Equal(MatrixJson.Hash(stored.Content), stored.ContentHash);
        var vendorAsked = await factory.WithDbAsync(async (db, _) => await db.Notifications.CountAsync(n => n.OrganizationId == t.Vendor.Id && n.TextKey == "Notify_MatrixConfirmationRequested"));
        Assert.Equal(1, vendorAsked);

        // Saved again without change: no new version (API and page).
        var content = v1.GetProperty("content");
        var same = await hospital.SendJsonAsync(HttpMethod.Put, Api(t), new { baseVersion = 1, content });
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.False((await same.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("changed").GetBoolean());
        var editDoc = await hospital.GetDocumentAsync(Page(t) + "/Edit");
        var fields = FormFields(editDoc, "#edit-form");
        fields["Command"] = "save";
        var unchanged = await hospital.PostFormAsync(Page(t) + "/Edit", fields);
        Assert.Equal(HttpStatusCode.Redirect, unchanged.StatusCode);
        Assert.Equal(1, await factory.WithDbAsync(async (db, _) => await db.ResponsibilityMatrixVersions.CountAsync(v => v.ContentHash == stored.ContentHash || v.MatrixId == stored.MatrixId)));

        // The hospital (security manager) confirms version 1.
        using var security = factory.CreatePortalClient();
        await security.SignInAsync(t[Roles.SecurityManager]);
        Assert.Equal(HttpStatusCode.OK, (await security.SendJsonAsync(HttpMethod.Post, Api(t) + "/confirmations", new { version = 1 })).StatusCode);

        // A change through the edit page: add a cloud provider (re-rendered, not saved), then make it 主担当 for backups and save.
        fields = FormFields(editDoc, "#edit-form");
        fields["Command"] = "add-party";
        fields["NewPartyKind"] = "CloudProvider";
        fields["NewPartyName"] = "クラウド基盤株式会社";
        var added = await hospital.PostFormAsync(Page(t) + "/Edit", fields);
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        var addedDoc = await PortalClient.ParseAsync(added);
        Assert.Contains("クラウド基盤株式会社", addedDoc.QuerySelectorAll("#parties input[name$='.Name']").OfType<IHtmlInputElement>().Select(i => i.Value));
        Assert.Equal(1, await factory.WithDbAsync(async (db, _) => await db.ResponsibilityMatrixVersions.CountAsync(v => v.MatrixId == stored.MatrixId)));
        fields = FormFields(addedDoc, "#edit-form");
        var backups = addedDoc.QuerySelector("tr[data-row='backups'] select[name$='.Roles[2]']") as IHtmlSelectElement;
        Assert.Equal("Supports", backups!.Value); // the template's default for a cloud provider
        fields[backups.Name!] = "Responsible";
        fields[((IHtmlSelectElement)addedDoc.QuerySelector("tr[data-row='backups'] select[name$='.Roles[1]']")!).Name!] = "Supports";
        fields["ChangeNote"] = "クラウド事業者を追加";
        fields["Command"] = "save";
        var saved = await hospital.PostFormAsync(Page(t) + "/Edit", fields);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        // Version 2: the hospital's confirmation of version 1 no longer counts; the vendor is asked again.
        var v2 = await GetAsync(hospital, Api(t));
        Assert.Equal(2, v2.GetProperty("currentVersion").GetInt32());
        Assert.All(v2.GetProperty("confirmers").EnumerateArray(), c => Assert.False(c.GetProperty("confirmed").GetBoolean()));
        Assert.Equal(2, await factory.WithDbAsync(async (db, _) => await db.Notifications.CountAsync(n => n.OrganizationId == t.Vendor.Id && n.TextKey == "Notify_MatrixConfirmationRequested")));
        var page = await hospital.GetDocumentAsync(Page(t));
        Assert.Contains("確認待ち", page.QuerySelector($"#confirmers tr[data-org='{t.Hospital.Id}']")!.TextContent);
        Assert.Contains("主担当", page.QuerySelector("#matrix-normal tr[data-row='backups'] td[data-party='c-1']")!.TextContent);
        Assert.Contains("支援", page.QuerySelector($"#matrix-normal tr[data-row='backups'] td[data-party='v-{t.Vendor.Id:N}']")!.TextContent);
        Assert.Contains("クラウド事業者を追加", page.QuerySelector("#history")!.TextContent);

        // A stale base version is refused.
        var stale = await hospital.SendJsonAsync(HttpMethod.Put, Api(t), new { baseVersion = 1, content });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);

        // The vendor confirms: an old version is a conflict, the current one is recorded and the hospital told.
        using var vendor = factory.CreatePortalClient();
        await vendor.SignInAsync(t[Roles.VendorMember]);
        Assert.Equal(HttpStatusCode.Conflict, (await vendor.SendJsonAsync(HttpMethod.Post, Api(t) + "/confirmations", new { version = 1 })).StatusCode);
        var vendorPage = await vendor.GetDocumentAsync(Page(t));
        Assert.Null(vendorPage.QuerySelector("#edit-matrix"));
        var confirmed = await vendor.PostFormAsync(Page(t) + "?handler=Confirm", new Dictionary<string, string> { ["version"] = "2" }, Page(t));
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        var afterVendor = await GetAsync(vendor, Api(t));
        var vendorConfirmer = afterVendor.GetProperty("confirmers").EnumerateArray().Single(c => c.GetProperty("organizationId").GetGuid() == t.Vendor.Id);
        Assert.True(vendorConfirmer.GetProperty("confirmed").GetBoolean());
        Assert.Equal(t[Roles.VendorMember].Email, vendorConfirmer.GetProperty("confirmedBy").GetString());
        var told = await factory.WithDbAsync(async (db, _) => await db.Notifications.Where(n => n.OrganizationId == t.Hospital.Id && n.TextKey == "Notify_MatrixConfirmed").ToListAsync());
        Assert.Equal([Roles.PlanningManager, Roles.SecurityManager], told.Select(n => n.RecipientRole).Order());

        // Gaps: only the hospital's confirmation of version 2 is missing now.
        gaps = await hospital.Http.GetFromJsonAsync<List<GapDto>>($"/api/v1/hospitals/{t.Hospital.Id}/gaps");
        var open = Assert.Single(gaps!, g => g.Kind.StartsWith("Matrix", StringComparison.Ordinal) || g.Kind == "MissingMatrix");
        Assert.Equal(("MatrixNotConfirmed", "Hospital"), (open.Kind, open.MustAct));
        var gapsPage = await hospital.GetDocumentAsync($"/Hospitals/{t.Hospital.Id}/Gaps");
        Assert.NotNull(gapsPage.QuerySelector($"#gaps a[href='{Page(t)}']"));

        // Diff, print and Excel of version 2.
        var diff = await hospital.GetDocumentAsync(Page(t) + "/Diff?from=1&to=2");
        Assert.Contains("クラウド基盤株式会社", diff.QuerySelector("#changes tr[data-kind='PartyAdded']")!.TextContent);
        Assert.NotNull(diff.QuerySelector("#changes tr[data-kind='CellChanged']"));
        var hash2 = afterVendor.GetProperty("contentHash").GetString()!;
        Assert.Contains(hash2, (await hospital.GetDocumentAsync(Page(t) + "/Print?version=2")).QuerySelector("#print-sheet")!.TextContent);
        var xlsx = await hospital.GetAsync(Page(t) + "?handler=Excel&version=2");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        using (var package = new ExcelPackage(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync())))
        {
            var ws = package.Workbook.Worksheets[0];
            var texts = ws.Cells[1, 1, 40, 5].Select(c => c.Text).ToList();
            Assert.Contains(hash2, texts);
            Assert.Contains(t.Hospital.Name, texts);
            Assert.Contains(texts, x => x.Contains(t[Roles.VendorMember].Email, StringComparison.Ordinal));
        }
        var actions = await factory.WithDbAsync(async (db, _) => await db.AuditEvents.Where(a => a.TargetType == ResponsibilityService.Table).Select(a => a.Action).ToListAsync());
        Assert.Equal(2, actions.Count(a => a == AuditActions.ResponsibilitySaved));
        Assert.Equal(2, actions.Count(a => a == AuditActions.ResponsibilityConfirmed));
        Assert.Contains(AuditActions.ResponsibilityExported, actions);
    }

    [Fact]
    public async Task Invalid_content_is_a_validation_problem_and_nothing_is_saved()
    {
        var t = await factory.Tenants.CreateAsync();
        using var hospital = factory.CreatePortalClient();
        await hospital.SignInAsync(t[Roles.PlanningManager]);
        var noHospital = new
        {
            parties = new[] { new { key = "v-1", kind = "Vendor", name = "x", organizationId = t.Vendor.Id } },
            rows = new[] { new { key = "r1", phase = "Normal", text = "作業", cells = new Dictionary<string, string> { ["v-1"] = "Responsible" } } },
        };
        var invalid = await hospital.SendJsonAsync(HttpMethod.Put, Api(t), new { content = noHospital });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("application/problem+json", invalid.Content.Headers.ContentType!.MediaType);
        Assert.Contains("医療機関（部門）の当事者", await invalid.Content.ReadAsStringAsync());

        // A vendor the hospital never engaged cannot be named.
        var stranger = (await factory.Tenants.CreateAsync()).Vendor;
        var foreign = new
        {
            parties = new object[] { new { key = "hospital", kind = "HospitalDepartment", name = "病院" }, new { key = "v-1", kind = "Vendor", name = "x", organizationId = stranger.Id } },
            rows = new[] { new { key = "r1", phase = "Emergency", text = "作業", cells = new Dictionary<string, string> { ["hospital"] = "Responsible" } } },
        };
        var refused = await hospital.SendJsonAsync(HttpMethod.Put, Api(t), new { content = foreign });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.DoesNotContain(stranger.Name, await refused.Content.ReadAsStringAsync());
        Assert.False(await factory.WithDbAsync(async (db, _) => await db.ResponsibilityMatrices.IgnoreQueryFilters().AnyAsync(m => m.SystemId == t.System.Id)));

        // A valid custom matrix through the API: version 1 (created), with the vendor's name taken from the organization.
        var ok = await hospital.SendJsonAsync(HttpMethod.Put, Api(t), new { content = new
        {
            parties = new object[] { new { key = "hospital", kind = "HospitalDepartment", name = "病院" }, new { key = "v-1", kind = "Vendor", name = "別名", organizationId = t.Vendor.Id } },
            rows = new[] { new { key = "r1", phase = "Emergency", text = "作業", cells = new Dictionary<string, string> { ["hospital"] = "Responsible" } } },
        } });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var read = await GetAsync(hospital, Api(t));
        Assert.Equal(t.Vendor.Name, read.GetProperty("content").GetProperty("parties")[1].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Only_engaged_vendors_editors_and_confirmers_of_the_hospital_reach_a_matrix()
    {
        var t = await factory.Tenants.CreateAsync();
        await ResponsibilityData.CreateMatrixAsync(factory, t);
        var other = await factory.WithDbAsync(async (db, _) =>
        {
            var system = new MedicalSystem { Id = Guid.NewGuid(), HospitalId = t.Hospital.Id, Name = $"検査-{Guid.NewGuid():N}"[..12], Category = "部門システム", CreatedAt = DateTimeOffset.UtcNow };
            db.MedicalSystems.Add(system);
            await db.SaveChangesAsync();
            return system;
        });
        var current = await factory.WithDbAsync(async (db, _) => await db.ResponsibilityMatrixVersions.SingleAsync(v => db.ResponsibilityMatrices.Any(m => m.Id == v.MatrixId && m.SystemId == t.System.Id)));
        var content = JsonSerializer.Deserialize<JsonElement>(current.Content);

        // A vendor not engaged for the system: 404 on pages and API, and the list does not show it.
        using var vendor = factory.CreatePortalClient();
        await vendor.SignInAsync(t[Roles.VendorAdmin]);
        Assert.Equal(HttpStatusCode.NotFound, (await vendor.GetAsync(Page(t, other.Id))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await vendor.GetAsync(Api(t, other.Id))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await vendor.SendJsonAsync(HttpMethod.Post, Api(t, other.Id) + "/confirmations", new { version = 1 })).StatusCode);
        var vendorList = await vendor.GetDocumentAsync($"/Hospitals/{t.Hospital.Id}/Responsibility");
        Assert.Null(vendorList.QuerySelector($"tr[data-system='{other.Id}']"));
        Assert.NotNull(vendorList.QuerySelector($"tr[data-system='{t.System.Id}']"));
        // The engaged vendor reads but does not edit.
        Assert.Equal(HttpStatusCode.Forbidden, (await vendor.SendJsonAsync(HttpMethod.Put, Api(t), new { baseVersion = 1, content })).StatusCode);
        Assert.Contains("/Account/AccessDenied", (await vendor.GetAsync(Page(t) + "/Edit")).Headers.Location!.OriginalString);

        // The Auditor reads, cannot edit, create or confirm; a system operator cannot confirm for the hospital.
        using var auditor = factory.CreatePortalClient();
        await auditor.SignInAsync(t[Roles.Auditor]);
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync(Page(t))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.SendJsonAsync(HttpMethod.Put, Api(t), new { baseVersion = 1, content })).StatusCode);
        Assert.Contains("/Account/AccessDenied", (await auditor.GetAsync(Page(t) + "/Edit")).Headers.Location!.OriginalString);
        var create = await auditor.PostFormAsync(Page(t, other.Id) + "?handler=Create", new Dictionary<string, string>(), Page(t, other.Id));
        Assert.Contains("/Account/AccessDenied", create.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.SendJsonAsync(HttpMethod.Post, Api(t) + "/confirmations", new { version = 1 })).StatusCode);
        using var operatorClient = factory.CreatePortalClient();
        await operatorClient.SignInAsync(t[Roles.SystemOperator]);
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorClient.SendJsonAsync(HttpMethod.Post, Api(t) + "/confirmations", new { version = 1 })).StatusCode);
        Assert.False(await factory.WithDbAsync(async (db, _) => await db.ResponsibilityMatrices.IgnoreQueryFilters().AnyAsync(m => m.SystemId == other.Id)));

        // Another hospital's staff and vendors: 404 everywhere, nothing changed.
        var theirs = await factory.Tenants.CreateAsync();
        foreach (var role in new[] { Roles.TenantAdmin, Roles.SecurityManager, Roles.VendorAdmin })
        {
            using var outsider = factory.CreatePortalClient();
            await outsider.SignInAsync(theirs[role]);
            Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync(Api(t))).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await outsider.SendJsonAsync(HttpMethod.Put, Api(t), new { baseVersion = 1, content })).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await outsider.SendJsonAsync(HttpMethod.Post, Api(t) + "/confirmations", new { version = 1 })).StatusCode);
            foreach (var path in new[] { Page(t), Page(t) + "/Edit", Page(t) + "/Diff?from=1&to=1", Page(t) + "/Print", Page(t) + "?handler=Excel", $"/Hospitals/{t.Hospital.Id}/Responsibility" })
            {
                Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync(path)).StatusCode);
            }
            Assert.Equal(HttpStatusCode.NotFound, (await outsider.PostFormAsync(Page(t) + "?handler=Confirm", new Dictionary<string, string> { ["version"] = "1" }, "/Account/Security")).StatusCode);
            // Their own hospital in the route with our system: still not found.
            Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/api/v1/hospitals/{theirs.Hospital.Id}/systems/{t.System.Id}/responsibility")).StatusCode);
        }
        var after = await factory.WithDbAsync(async (db, _) => (
            await db.ResponsibilityMatrixVersions.CountAsync(v => v.MatrixId == current.MatrixId),
            await db.ResponsibilityConfirmations.CountAsync(c => c.MatrixId == current.MatrixId)));
        Assert.Equal((1, 0), after);
    }
}

/// <summary>Fixtures other tests reuse (the route walk names another tenant's matrix with them).</summary>
public static class ResponsibilityData
{
    /// <summary>A matrix created from the template by the hospital's system operator (version 1). Used by the route walk too.</summary>
    public static async Task CreateMatrixAsync(PortalFactory factory, TenantSet t)
    {
        using var hospital = factory.CreatePortalClient();
        await hospital.SignInAsync(t[Roles.SystemOperator]);
        var created = await hospital.PostFormAsync($"/Hospitals/{t.Hospital.Id}/Responsibility/{t.System.Id}" + "?handler=Create", new Dictionary<string, string>(), $"/Hospitals/{t.Hospital.Id}/Responsibility/{t.System.Id}");
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
    }
}
