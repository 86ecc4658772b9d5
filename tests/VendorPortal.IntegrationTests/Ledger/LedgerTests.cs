using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Account;
using VendorPortal.Features.Ledger;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.IntegrationTests.Support;

namespace VendorPortal.IntegrationTests.Ledger;

/// <summary>
/// 医療情報システム台帳: hospital editors keep systems and components (API and pages, stale revisions refused), the Excel
/// import (500 rows, all or nothing, upsert by 管理番号), vendors who see only what they supply and propose instead of
/// editing, and other tenants who find nothing.
/// </summary>
public sealed class LedgerTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private async Task<PortalClient> AsAsync(TestUser user)
    {
        var client = factory.CreatePortalClient();
        await client.SignInAsync(user);
        return client;
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Hospital_editors_keep_systems_and_components_and_read_only_roles_cannot()
    {
        var t = await factory.Tenants.CreateAsync();
        var h = t.Hospital.Id;
        using var sysop = await AsAsync(t[Roles.SystemOperator]);

        var bad = await sysop.SendJsonAsync(HttpMethod.Post, $"/api/v1/hospitals/{h}/systems", new { name = "PACS", category = "部門システム", integrity = "C" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("integrity", await bad.Content.ReadAsStringAsync());
        var systemId = await LedgerData.CreatedIdAsync(await sysop.SendJsonAsync(HttpMethod.Post, $"/api/v1/hospitals/{h}/systems",
            new { name = "PACS", category = "部門システム", ownerDepartment = "放射線部", networkSegment = "Clinical", confidentiality = "A", integrity = "A", availability = "B" }));
        var system = await JsonAsync(await sysop.GetAsync($"/api/v1/hospitals/{h}/systems/{systemId}"));
        Assert.Equal(("放射線部", "Clinical", "B"), (system.GetProperty("ownerDepartment").GetString(), system.GetProperty("networkSegment").GetString(), system.GetProperty("availability").GetString()));

        var id = await LedgerData.CreatedIdAsync(await sysop.SendJsonAsync(HttpMethod.Post, $"/api/v1/hospitals/{h}/components", LedgerData.Body(t, "EMR-SV-001")));
        var component = await JsonAsync(await sysop.GetAsync($"/api/v1/hospitals/{h}/components/{id}"));
        Assert.Equal((1, "Server", t.Vendor.Name), (component.GetProperty("revision").GetInt32(), component.GetProperty("kind").GetString(), component.GetProperty("supplierName").GetString()));

        // 管理番号 is unique in the hospital; the supplier must be engaged for the system; IP addresses are checked.
        var duplicate = await sysop.SendJsonAsync(HttpMethod.Post, $"/api/v1/hospitals/{h}/components", LedgerData.Body(t, "EMR-SV-001"));
        Assert.Contains("managementNumber", await duplicate.Content.ReadAsStringAsync());
        var badIp = await sysop.SendJsonAsync(HttpMethod.Post, $"/api/v1/hospitals/{h}/components", LedgerData.Body(t, "EMR-SV-002", ip: "10.1.10"));
        Assert.Equal(HttpStatusCode.BadRequest, badIp.StatusCode);
        Assert.Contains("ipAddress", await badIp.Content.ReadAsStringAsync());
        var otherSystem = await sysop.SendJsonAsync(HttpMethod.Post, $"/api/v1/hospitals/{h}/components",
            new { systemId, managementNumber = "PACS-1", kind = "Server", name = "画像サーバ", supplierVendorId = t.Vendor.Id });
        Assert.Contains("supplierVendorId", await otherSystem.Content.ReadAsStringAsync());

        // Optimistic concurrency: the revision read must still be current.
        Assert.Equal(HttpStatusCode.NoContent, (await sysop.SendJsonAsync(HttpMethod.Put, $"/api/v1/hospitals/{h}/components/{id}", LedgerData.Body(t, "EMR-SV-001", 1, "10.1.10.12"))).StatusCode);
        var stale = await sysop.SendJsonAsync(HttpMethod.Put, $"/api/v1/hospitals/{h}/components/{id}", LedgerData.Body(t, "EMR-SV-001", 1, "10.1.10.13"));
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("application/problem+json", stale.Content.Headers.ContentType!.ToString());
        // … and on the page: a form opened before someone else saved is refused with a message, nothing overwritten.
        var page = await sysop.PostFormAsync($"/Hospitals/{h}/Ledger/Components/{id}?handler=Save", new Dictionary<string, string>
        {
            ["Revision"] = "1", ["Input.SystemId"] = t.System.Id.ToString(), ["Input.ManagementNumber"] = "EMR-SV-001", ["Input.Kind"] = "Server",
            ["Input.Name"] = "上書き", ["Input.IpAddress"] = "10.1.10.14",
        });
        Assert.Equal(HttpStatusCode.Conflict, page.StatusCode);
        Assert.Contains("他の人が先に更新しました", await page.Content.ReadAsStringAsync());
        var saved = await factory.WithDbAsync(async (db, _) => await db.SystemComponents.AsNoTracking().SingleAsync(c => c.Id == id));
        Assert.Equal(("10.1.10.12", 2, "電子カルテ DBサーバ"), (saved.IpAddress, saved.Revision, saved.Name));

        // The page saves with the current revision; an EOS date shows who entered it and the days left.
        var ok = await sysop.PostFormAsync($"/Hospitals/{h}/Ledger/Components/{id}?handler=Save", new Dictionary<string, string>
        {
            ["Revision"] = "2", ["Input.SystemId"] = t.System.Id.ToString(), ["Input.ManagementNumber"] = "EMR-SV-001", ["Input.Kind"] = "Server",
            ["Input.Name"] = "電子カルテ DBサーバ", ["Input.IpAddress"] = "10.1.10.12, fe80::1", ["Input.SupplierVendorId"] = t.Vendor.Id.ToString(),
            ["Input.UsesRemoteMaintenance"] = "true",
        });
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        var dateId = await LedgerData.CreatedIdAsync(await sysop.SendJsonAsync(HttpMethod.Post, $"/api/v1/hospitals/{h}/components/{id}/support-dates",
            new { kind = "Os", subject = "Windows Server 2016", endsOn = SubcontractingDate(50), source = "Microsoft" }));
        var dates = await JsonAsync(await sysop.GetAsync($"/api/v1/hospitals/{h}/components/{id}/support-dates"));
        Assert.Equal((50, 90), (dates[0].GetProperty("daysLeft").GetInt32(), dates[0].GetProperty("warningThreshold").GetInt32()));
        var detail = await sysop.GetDocumentAsync($"/Hospitals/{h}/Ledger/Components/{id}");
        Assert.Contains(t.Hospital.Name, detail.QuerySelector("#support-dates")!.TextContent);
        Assert.Contains("あと 50 日", detail.QuerySelector("#support-dates")!.TextContent);
        Assert.Contains("fe80::1", detail.QuerySelector("#component-fields")!.TextContent);

        // Read-only roles change nothing.
        foreach (var role in new[] { Roles.Auditor, Roles.Executive })
        {
            using var reader = await AsAsync(t[role]);
            Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/api/v1/hospitals/{h}/components")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await reader.SendJsonAsync(HttpMethod.Post, $"/api/v1/hospitals/{h}/components", LedgerData.Body(t, "X-" + role))).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await reader.SendJsonAsync(HttpMethod.Put, $"/api/v1/hospitals/{h}/components/{id}", LedgerData.Body(t, "EMR-SV-001", 3))).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await reader.SendJsonAsync(HttpMethod.Delete, $"/api/v1/hospitals/{h}/components/{id}/support-dates/{dateId}", null)).StatusCode);
            var index = await reader.GetDocumentAsync($"/Hospitals/{h}/Ledger");
            Assert.Null(index.QuerySelector("#create-system"));
        }

        // The system created through the API is in the ledger page with its component count.
        var list = await sysop.GetDocumentAsync($"/Hospitals/{h}/Ledger");
        Assert.Contains("PACS", list.QuerySelector("#ledger-systems")!.TextContent);
        Assert.NotNull(list.QuerySelector("#create-system"));
    }

    private static string SubcontractingDate(int days) => Subcontracting.SubcontractData.Date(days);

    [Fact]
    public async Task A_page_creates_a_system_with_its_engagement_and_a_component()
    {
        var t = await factory.Tenants.CreateAsync();
        var h = t.Hospital.Id;
        using var planner = await AsAsync(t[Roles.PlanningManager]);
        var created = await planner.PostFormAsync($"/Hospitals/{h}/Ledger?handler=CreateSystem", new Dictionary<string, string>
        {
            ["Sys.Name"] = "部門システム（検査）", ["Sys.Category"] = "部門システム", ["Sys.Confidentiality"] = "B", ["Sys.Integrity"] = "A",
            ["EngagementIds"] = t.Engagement.Id.ToString(),
        }, tokenFrom: $"/Hospitals/{h}/Ledger");
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var systemPath = created.Headers.Location!.OriginalString;
        var systemId = Guid.Parse(systemPath.Split('/')[^1]);
        var page = await planner.GetDocumentAsync(systemPath);
        Assert.Contains(t.Vendor.Name, page.QuerySelector("#system-vendors")!.TextContent);

        var component = await planner.PostFormAsync($"{systemPath}?handler=CreateComponent", new Dictionary<string, string>
        {
            ["Input.SystemId"] = systemId.ToString(), ["Input.ManagementNumber"] = "LAB-01", ["Input.Kind"] = "ClientPc", ["Input.Name"] = "検査端末",
            ["Input.SupplierVendorId"] = t.Vendor.Id.ToString(), ["Input.Integrity"] = "C",
        }, tokenFrom: systemPath);
        Assert.Equal(HttpStatusCode.OK, component.StatusCode);
        Assert.Contains("A か B を選んでください", await component.Content.ReadAsStringAsync());
        component = await planner.PostFormAsync($"{systemPath}?handler=CreateComponent", new Dictionary<string, string>
        {
            ["Input.SystemId"] = systemId.ToString(), ["Input.ManagementNumber"] = "LAB-01", ["Input.Kind"] = "ClientPc", ["Input.Name"] = "検査端末",
            ["Input.SupplierVendorId"] = t.Vendor.Id.ToString(),
        }, tokenFrom: systemPath);
        Assert.Equal(HttpStatusCode.Redirect, component.StatusCode);
        var saved = await factory.WithDbAsync(async (db, _) => await db.SystemComponents.AsNoTracking().SingleAsync(c => c.HospitalId == h && c.ManagementNumber == "LAB-01"));
        Assert.Equal((systemId, t.Vendor.Id), (saved.SystemId, saved.SupplierVendorId));
    }

    [Fact]
    public async Task Five_hundred_rows_import_at_once_and_a_second_import_upserts_by_management_number()
    {
        var t = await factory.Tenants.CreateAsync();
        var h = t.Hospital.Id;
        using var admin = await AsAsync(t[Roles.TenantAdmin]);
        var first = LedgerData.Workbook(t, 500, "IMP");
        var response = await admin.PostFileAsync($"/api/v1/hospitals/{h}/ledger/xlsx", "file", first, "ledger.xlsx", tokenFrom: "/Account/Security", tokenAsHeader: true);
        var result = await JsonAsync(response);
        Assert.Equal((500, 500, 0), (result.GetProperty("rows").GetInt32(), result.GetProperty("created").GetInt32(), result.GetProperty("updated").GetInt32()));
        Assert.Equal(500, await factory.WithDbAsync(async (db, _) => await db.SystemComponents.CountAsync(c => c.HospitalId == h)));

        // The same numbers again: three changed, two new, the rest untouched (no revision moves, no entity events).
        var second = LedgerData.Workbook(t, 502, "IMP", (i, c) => { if (i <= 3) { c.Model = "新モデル"; } });
        result = await JsonAsync(await admin.PostFileAsync($"/api/v1/hospitals/{h}/ledger/xlsx", "file", second, "ledger2.xlsx", tokenFrom: "/Account/Security", tokenAsHeader: true));
        Assert.Equal((502, 2, 3, 497), (result.GetProperty("rows").GetInt32(), result.GetProperty("created").GetInt32(), result.GetProperty("updated").GetInt32(), result.GetProperty("unchanged").GetInt32()));
        var rows = await factory.WithDbAsync(async (db, _) => await db.SystemComponents.AsNoTracking().Where(c => c.HospitalId == h).ToListAsync());
        Assert.Equal(502, rows.Count);
        Assert.Equal(("新モデル", 2), (rows.Single(c => c.ManagementNumber == "IMP-0001").Model, rows.Single(c => c.ManagementNumber == "IMP-0001").Revision));
        Assert.Equal(1, rows.Single(c => c.ManagementNumber == "IMP-0100").Revision);

        var imports = await factory.WithDbAsync(async (db, _) => await db.AuditEvents.AsNoTracking()
            .Where(e => e.OrganizationId == h && e.Action == AuditActions.LedgerImported).OrderBy(e => e.Sequence).ToListAsync());
        Assert.Equal(2, imports.Count);
        Assert.Contains(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(first)), imports[0].Summary);
        var updates = await factory.WithDbAsync(async (db, _) => await db.AuditEvents.CountAsync(e => e.OrganizationId == h && e.TargetType == "system_components" && e.Action == AuditActions.EntityUpdated));
        Assert.Equal(3, updates);

        // The export has every row (and is what the import reads).
        var export = await admin.GetAsync($"/api/v1/hospitals/{h}/ledger/xlsx");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        using var package = new OfficeOpenXml.ExcelPackage(new MemoryStream(await export.Content.ReadAsByteArrayAsync()));
        Assert.Equal(502, LedgerWorkbook.Read(package).Rows.Count);
    }

    [Fact]
    public async Task An_import_with_one_bad_row_saves_nothing_and_names_the_cell()
    {
        var t = await factory.Tenants.CreateAsync();
        var h = t.Hospital.Id;
        using var sysop = await AsAsync(t[Roles.SystemOperator]);
        // Row 7 of the data (sheet row 12) has a broken IP address in column M (IPアドレス).
        var bytes = LedgerData.Workbook(t, 20, "BAD", (i, c) => { if (i == 7) { c.IpAddress = "999.1.1.1"; } });
        var page = await sysop.PostFileAsync($"/Hospitals/{h}/Ledger/Import", "workbook", bytes, "ledger.xlsx");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        var doc = await PortalClient.ParseAsync(page);
        var problems = doc.QuerySelector("#import-problems")!.TextContent;
        Assert.Contains("セル M12", problems);
        Assert.Contains("IPアドレスとして読めません", problems);
        Assert.Contains("何も保存していません", problems);
        Assert.Equal(0, await factory.WithDbAsync(async (db, _) => await db.SystemComponents.CountAsync(c => c.HospitalId == h)));

        // Through the API: problem+json keyed by cell, also an unknown system name (B8) and a vendor not engaged (S9).
        bytes = LedgerData.Workbook(t, 5, "BAD");
        using (var package = new OfficeOpenXml.ExcelPackage(new MemoryStream(bytes)))
        {
            var ws = package.Workbook.Worksheets[0];
            ws.Cells["B8"].Value = "存在しないシステム";
            ws.Cells["S9"].Value = "無関係の事業者";
            bytes = package.GetAsByteArray();
        }
        var api = await sysop.PostFileAsync($"/api/v1/hospitals/{h}/ledger/xlsx", "file", bytes, "ledger.xlsx", tokenFrom: "/Account/Security", tokenAsHeader: true);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, api.StatusCode);
        var errors = (await api.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("存在しないシステム", errors.GetProperty("B8")[0].GetString());
        Assert.Contains("契約事業者ではありません", errors.GetProperty("S9")[0].GetString());
        Assert.Equal(0, await factory.WithDbAsync(async (db, _) => await db.SystemComponents.CountAsync(c => c.HospitalId == h)));

        // Not an xlsx: refused as the checklist import refuses it. A read-only role may not import at all.
        var notXlsx = await sysop.PostFileAsync($"/Hospitals/{h}/Ledger/Import", "workbook", "hello"u8.ToArray(), "ledger.xlsx");
        Assert.Contains("Excel ブック（.xlsx）ではありません", await notXlsx.Content.ReadAsStringAsync());
        using var auditor = await AsAsync(t[Roles.Auditor]);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await auditor.PostFileAsync($"/api/v1/hospitals/{h}/ledger/xlsx", "file", bytes, "x.xlsx", tokenFrom: "/Account/Security", tokenAsHeader: true)).StatusCode);
    }

    [Fact]
    public async Task A_vendor_sees_what_it_supplies_and_proposes_changes_the_hospital_accepts_or_rejects()
    {
        var t = await factory.Tenants.CreateAsync();
        var h = t.Hospital.Id;
        var r = await LedgerData.SeedAsync(factory, t);
        using var vendor = await AsAsync(t[Roles.VendorMember]);
        using var sysop = await AsAsync(t[Roles.SystemOperator]);

        var visible = await JsonAsync(await vendor.GetAsync($"/api/v1/hospitals/{h}/components"));
        Assert.Equal([r.ComponentId], visible.EnumerateArray().Select(c => c.GetProperty("id").GetGuid()));
        Assert.Equal(HttpStatusCode.NotFound, (await vendor.GetAsync($"/api/v1/hospitals/{h}/components/{r.UnsuppliedComponentId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await vendor.GetAsync($"/Hospitals/{h}/Ledger/Components/{r.UnsuppliedComponentId}")).StatusCode);
        var index = await vendor.GetDocumentAsync($"/Hospitals/{h}/Ledger");
        Assert.Single(index.QuerySelectorAll("#supplied-components tbody tr"));
        Assert.Null(index.QuerySelector("#pending-proposals"));

        // No direct edits: 403 on what it sees, 404 on what it does not.
        Assert.Equal(HttpStatusCode.Forbidden, (await vendor.SendJsonAsync(HttpMethod.Put, $"/api/v1/hospitals/{h}/components/{r.ComponentId}", LedgerData.Body(t, "V-1", 1))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await vendor.SendJsonAsync(HttpMethod.Put, $"/api/v1/hospitals/{h}/components/{r.UnsuppliedComponentId}", LedgerData.Body(t, "V-1", 1))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await vendor.SendJsonAsync(HttpMethod.Post, $"/api/v1/hospitals/{h}/components", LedgerData.Body(t, "V-2"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await vendor.SendJsonAsync(HttpMethod.Post, $"/api/v1/hospitals/{h}/component-proposals/{r.ProposalId}/accept", new { })).StatusCode);
        // The supplying vendor may add an EOS date.
        await LedgerData.CreatedIdAsync(await vendor.SendJsonAsync(HttpMethod.Post, $"/api/v1/hospitals/{h}/components/{r.ComponentId}/support-dates",
            new { kind = "Firmware", subject = "BIOS 1.x", endsOn = "2027-06-30", source = "メーカー通知" }));

        // A proposal through the page: the hospital's SystemOperators are notified, the queue shows it.
        var componentPath = $"/Hospitals/{h}/Ledger/Components/{r.ComponentId}";
        var current = await factory.WithDbAsync(async (db, _) => await db.SystemComponents.AsNoTracking().SingleAsync(c => c.Id == r.ComponentId));
        var proposed = await vendor.PostFormAsync($"{componentPath}?handler=Save", new Dictionary<string, string>
        {
            ["Input.SystemId"] = t.System.Id.ToString(), ["Input.ManagementNumber"] = current.ManagementNumber, ["Input.Kind"] = "Server",
            ["Input.Name"] = current.Name, ["Input.Os"] = "Windows Server 2022 Standard", ["Input.IpAddress"] = "10.0.0.1", ["Comment"] = "OS を更新しました",
        }, tokenFrom: componentPath);
        Assert.Equal(HttpStatusCode.Redirect, proposed.StatusCode);
        var proposalId = Guid.Parse(proposed.Headers.Location!.OriginalString.Split('/')[^1]);
        Assert.True(await factory.WithDbAsync(async (db, _) => await db.Notifications.AnyAsync(n =>
            n.OrganizationId == h && n.RecipientRole == Roles.SystemOperator && n.TextKey == "Notify_LedgerProposal" && n.SubjectId == proposalId.ToString())));
        var queue = await sysop.GetDocumentAsync($"/Hospitals/{h}/Ledger");
        Assert.Equal("2", queue.QuerySelector("#pending-count")!.TextContent.Trim());
        var review = await sysop.GetDocumentAsync($"/Hospitals/{h}/Ledger/Proposals/{proposalId}");
        var os = review.QuerySelector("#proposal-changes tr[data-field=Os]")!.TextContent;
        Assert.Contains("Windows Server 2016", os);
        Assert.Contains("Windows Server 2022 Standard", os);

        // Accept applies it at once and tells the vendor.
        var accept = await sysop.PostFormAsync($"/Hospitals/{h}/Ledger/Proposals/{proposalId}?handler=Accept", new Dictionary<string, string> { ["Revision"] = "1" },
            tokenFrom: $"/Hospitals/{h}/Ledger/Proposals/{proposalId}");
        Assert.Equal(HttpStatusCode.Redirect, accept.StatusCode);
        var applied = await factory.WithDbAsync(async (db, _) => await db.SystemComponents.AsNoTracking().SingleAsync(c => c.Id == r.ComponentId));
        Assert.Equal(("Windows Server 2022 Standard", 2, t.Vendor.Id), (applied.Os, applied.Revision, applied.SupplierVendorId));
        Assert.True(await factory.WithDbAsync(async (db, _) => await db.Notifications.AnyAsync(n =>
            n.OrganizationId == t.Vendor.Id && n.TextKey == "Notify_LedgerProposalAccepted")));
        Assert.True(await factory.WithDbAsync(async (db, _) => await db.AuditEvents.AnyAsync(e => e.Action == AuditActions.LedgerProposalAccepted && e.TargetId == proposalId.ToString())));

        // The seeded proposal was made against revision 1: the component has moved on, so accepting it is refused.
        var stale = await sysop.SendJsonAsync(HttpMethod.Post, $"/api/v1/hospitals/{h}/component-proposals/{r.ProposalId}/accept", new { });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        // Reject needs a reason and keeps the component as it is.
        Assert.Equal(HttpStatusCode.BadRequest, (await sysop.SendJsonAsync(HttpMethod.Post, $"/api/v1/hospitals/{h}/component-proposals/{r.ProposalId}/reject", new { reason = " " })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await sysop.SendJsonAsync(HttpMethod.Post, $"/api/v1/hospitals/{h}/component-proposals/{r.ProposalId}/reject", new { reason = "古い版への提案のため" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await sysop.SendJsonAsync(HttpMethod.Post, $"/api/v1/hospitals/{h}/component-proposals/{r.ProposalId}/accept", new { })).StatusCode);
        var kept = await factory.WithDbAsync(async (db, _) => await db.SystemComponents.AsNoTracking().SingleAsync(c => c.Id == r.ComponentId));
        Assert.Equal((2, null), (kept.Revision, kept.Firmware));
        var mine = await JsonAsync(await vendor.GetAsync($"/api/v1/hospitals/{h}/component-proposals/{r.ProposalId}"));
        Assert.Equal(("Rejected", "古い版への提案のため"), (mine.GetProperty("state").GetString(), mine.GetProperty("rejectionReason").GetString()));

        // A new component through the API: accepted, it is created with the vendor as supplier.
        var newId = await LedgerData.CreatedIdAsync(await vendor.SendJsonAsync(HttpMethod.Post, $"/api/v1/hospitals/{h}/component-proposals",
            new { component = LedgerData.Body(t, "NEW-VPN-01"), comment = "VPN 装置を追加しました" }));
        Assert.Equal(HttpStatusCode.NoContent, (await sysop.SendJsonAsync(HttpMethod.Post, $"/api/v1/hospitals/{h}/component-proposals/{newId}/accept", new { })).StatusCode);
        Assert.True(await factory.WithDbAsync(async (db, _) => await db.SystemComponents.AnyAsync(c => c.HospitalId == h && c.ManagementNumber == "NEW-VPN-01" && c.SupplierVendorId == t.Vendor.Id)));
        Assert.Equal(2, (await JsonAsync(await vendor.GetAsync($"/api/v1/hospitals/{h}/components"))).GetArrayLength());

        // A proposal for a component the vendor does not supply is not found.
        Assert.Equal(HttpStatusCode.NotFound, (await vendor.SendJsonAsync(HttpMethod.Post, $"/api/v1/hospitals/{h}/component-proposals",
            new { componentId = r.UnsuppliedComponentId, component = LedgerData.Body(t, "U") })).StatusCode);
    }

    [Fact]
    public async Task Another_tenants_systems_components_and_proposals_are_not_found_for_reading_or_writing()
    {
        var mine = await factory.Tenants.CreateAsync();
        var theirs = await factory.Tenants.CreateAsync();
        var r = await LedgerData.SeedAsync(factory, theirs);
        var h = mine.Hospital.Id;
        foreach (var role in new[] { Roles.SystemOperator, Roles.VendorAdmin })
        {
            using var client = await AsAsync(mine[role]);
            var failures = new List<string>();
            async Task Expect404(HttpMethod method, string path, object? body = null)
            {
                var response = method == HttpMethod.Get ? await client.GetAsync(path) : await client.SendJsonAsync(method, path, body);
                if (response.StatusCode != HttpStatusCode.NotFound)
                {
                    failures.Add($"{method} {path} → {(int)response.StatusCode}");
                }
            }
            await Expect404(HttpMethod.Get, $"/api/v1/hospitals/{h}/systems/{r.SystemId}");
            await Expect404(HttpMethod.Put, $"/api/v1/hospitals/{h}/systems/{r.SystemId}", new { name = "x", category = "y" });
            await Expect404(HttpMethod.Get, $"/api/v1/hospitals/{h}/components/{r.ComponentId}");
            await Expect404(HttpMethod.Put, $"/api/v1/hospitals/{h}/components/{r.ComponentId}", LedgerData.Body(mine, "X", 1));
            await Expect404(HttpMethod.Get, $"/api/v1/hospitals/{h}/components/{r.ComponentId}/support-dates");
            await Expect404(HttpMethod.Post, $"/api/v1/hospitals/{h}/components/{r.ComponentId}/support-dates", new { kind = "Os", subject = "x", endsOn = "2027-01-01", source = "x" });
            await Expect404(HttpMethod.Delete, $"/api/v1/hospitals/{h}/components/{r.ComponentId}/support-dates/{r.SupportDateId}");
            await Expect404(HttpMethod.Get, $"/api/v1/hospitals/{h}/component-proposals/{r.ProposalId}");
            await Expect404(HttpMethod.Post, $"/api/v1/hospitals/{h}/component-proposals/{r.ProposalId}/accept", new { });
            await Expect404(HttpMethod.Post, $"/api/v1/hospitals/{h}/component-proposals/{r.ProposalId}/reject", new { reason = "x" });
            await Expect404(HttpMethod.Get, $"/api/v1/hospitals/{theirs.Hospital.Id}/components");
            await Expect404(HttpMethod.Get, $"/api/v1/hospitals/{theirs.Hospital.Id}/ledger/xlsx");
            await Expect404(HttpMethod.Post, $"/api/v1/hospitals/{theirs.Hospital.Id}/components", LedgerData.Body(theirs, "X"));
            await Expect404(HttpMethod.Post, $"/api/v1/hospitals/{theirs.Hospital.Id}/component-proposals/{r.ProposalId}/accept", new { });
            await Expect404(HttpMethod.Get, $"/Hospitals/{h}/Ledger/{r.SystemId}");
            await Expect404(HttpMethod.Get, $"/Hospitals/{h}/Ledger/Components/{r.ComponentId}");
            await Expect404(HttpMethod.Get, $"/Hospitals/{h}/Ledger/Proposals/{r.ProposalId}");
            await Expect404(HttpMethod.Get, $"/Hospitals/{theirs.Hospital.Id}/Ledger");
            var pagePost = await client.PostFormAsync($"/Hospitals/{h}/Ledger/Proposals/{r.ProposalId}?handler=Accept", new Dictionary<string, string> { ["Revision"] = "1" },
                tokenFrom: $"/Hospitals/{h}/Ledger");
            if (pagePost.StatusCode != HttpStatusCode.NotFound)
            {
                failures.Add($"POST proposal accept page → {(int)pagePost.StatusCode}");
            }
            Assert.True(failures.Count == 0, $"As {role}:\n" + string.Join("\n", failures));
        }
        var untouched = await factory.WithDbAsync(async (db, _) => await db.ComponentProposals.AsNoTracking().SingleAsync(p => p.Id == r.ProposalId));
        Assert.Equal(ProposalState.Pending, untouched.State);
    }
}
