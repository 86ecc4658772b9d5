using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VendorPortal.Features.Account;
using VendorPortal.Features.Inspection.Bundle;
using VendorPortal.Features.Inspection.Export;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.Infrastructure.Files;
using VendorPortal.Infrastructure.Time;
using VendorPortal.IntegrationTests.Support;

namespace VendorPortal.IntegrationTests.Inspection;

/// <summary>BCP on file: upload, history, download, delete, the API, the bundle section, and who may see it.</summary>
public sealed class BcpTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private static string Api(Guid hospitalId) => $"/api/v1/hospitals/{hospitalId}/bcp-documents";

    private Task<int> CountAsync(Guid hospitalId) => factory.WithDbAsync(async (db, _) => await db.BcpDocuments.CountAsync(d => d.HospitalId == hospitalId));

    private Task<List<string>> AuditAsync(Guid hospitalId) => factory.WithDbAsync(async (db, _) => await db.AuditEvents
        .Where(a => a.OrganizationId == hospitalId && a.TargetType == "bcp_documents").OrderBy(a => a.OccurredAt).Select(a => a.Action).ToListAsync());

    [Fact]
    public async Task A_newer_upload_becomes_current_the_older_stays_as_history_and_both_are_audited()
    {
        var t = await factory.Tenants.CreateAsync();
        var first = await BcpData.UploadedAsync(factory, t, "BCP 第1版", "令和6年10月1日");
        var second = await BcpData.UploadedAsync(factory, t, "BCP 第2版", "R7.4.1");

        using var planning = factory.CreatePortalClient();
        await planning.SignInAsync(t[Roles.PlanningManager]);
        var page = await planning.GetDocumentAsync(BcpData.Page(t.Hospital.Id));
        var rows = page.QuerySelectorAll("#bcp-documents tbody tr").ToList();
        Assert.Equal([$"bcp-{second}", $"bcp-{first}"], rows.Select(r => r.Id));
        Assert.Contains("現行", rows[0].TextContent);
        Assert.Contains("旧版", rows[1].TextContent);
        Assert.Contains("令和7年4月1日", rows[0].TextContent);
        Assert.Contains("令和6年10月1日", rows[1].TextContent);
        var sha = await factory.WithDbAsync(async (db, _) => await db.BcpDocuments.Where(d => d.Id == second).Select(d => d.Sha256).SingleAsync());
        Assert.Equal(AttachmentRules.Sha256Of(BcpData.Pdf("BCP 第2版")), sha);
        Assert.Contains(sha, rows[0].TextContent);
        Assert.Contains("BCP 第2版", page.QuerySelector("#bcp-current")!.TextContent);
        Assert.NotNull(page.QuerySelector("#bcp-upload")); // 企画管理者 uploads
        Assert.Empty(page.QuerySelectorAll("#bcp-documents button")); // … but does not delete
        Assert.Equal([AuditActions.BcpUploaded, AuditActions.BcpUploaded], await AuditAsync(t.Hospital.Id));
    }

    [Fact]
    public async Task A_file_that_is_not_a_pdf_or_a_future_date_is_refused_in_japanese_and_nothing_is_saved()
    {
        var t = await factory.Tenants.CreateAsync();
        using var client = factory.CreatePortalClient();
        await client.SignInAsync(t[Roles.TenantAdmin]);

        var png = await BcpData.UploadPageAsync(client, t.Hospital.Id, Disclosures.DisclosureSupport.Png(), "bcp.pdf");
        Assert.Equal(HttpStatusCode.OK, png.StatusCode);
        Assert.Contains("PDF ファイルではありません", (await PortalClient.ParseAsync(png)).QuerySelector(".validation-summary-errors")!.TextContent);

        var tomorrow = JapanTime.TodayInJapan(TimeProvider.System).AddDays(1);
        var future = await BcpData.UploadPageAsync(client, t.Hospital.Id, BcpData.Pdf(), fields: BcpData.Fields(date: Wareki.Format(tomorrow)));
        var errors = (await PortalClient.ParseAsync(future)).QuerySelector(".validation-summary-errors")!.TextContent;
        Assert.Contains("未来の日付は指定できません", errors);
        // The form keeps what was typed.
        Assert.Equal(Wareki.Format(tomorrow), ((AngleSharp.Html.Dom.IHtmlInputElement)(await PortalClient.ParseAsync(
            await BcpData.UploadPageAsync(client, t.Hospital.Id, BcpData.Pdf(), fields: BcpData.Fields(date: Wareki.Format(tomorrow))))).QuerySelector("#bcp-date")!).Value);

        var noTitle = await BcpData.UploadPageAsync(client, t.Hospital.Id, BcpData.Pdf(), fields: BcpData.Fields(title: " ", date: "きのう"));
        var both = (await PortalClient.ParseAsync(noTitle)).QuerySelector(".validation-summary-errors")!.TextContent;
        Assert.Contains("表題を入力してください", both);
        Assert.Contains("日付として読み取れません", both);

        Assert.Equal(0, await CountAsync(t.Hospital.Id));
        Assert.Empty(await AuditAsync(t.Hospital.Id));
    }

    [Fact]
    public async Task Staff_download_the_original_bytes_and_each_download_is_audited()
    {
        var t = await factory.Tenants.CreateAsync();
        var bytes = BcpData.Pdf("original plan");
        var id = await BcpData.UploadedAsync(factory, t, content: bytes);
        using var executive = factory.CreatePortalClient();
        await executive.SignInAsync(t[Roles.Executive]);
        var page = await executive.GetAsync($"{BcpData.Page(t.Hospital.Id)}/{id}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("application/pdf", page.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", page.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal(bytes, await page.Content.ReadAsByteArrayAsync());
        var api = await executive.GetAsync($"{Api(t.Hospital.Id)}/{id}/content");
        Assert.Equal(bytes, await api.Content.ReadAsByteArrayAsync());
        Assert.Equal(2, (await AuditAsync(t.Hospital.Id)).Count(a => a == AuditActions.BcpDownloaded));
        Assert.Null((await executive.GetDocumentAsync(BcpData.Page(t.Hospital.Id))).QuerySelector("#bcp-upload")); // read-only role
    }

    [Theory]
    [InlineData(Roles.Auditor)]
    [InlineData(Roles.PlanningManager)]
    [InlineData(Roles.SystemOperator)]
    public async Task Only_the_administrator_and_the_security_manager_delete(string role)
    {
        var t = await factory.Tenants.CreateAsync();
        var id = await BcpData.UploadedAsync(factory, t);
        using var other = factory.CreatePortalClient();
        await other.SignInAsync(t[role]);
        var refused = await other.PostFormAsync(BcpData.Page(t.Hospital.Id) + "?handler=Delete", new Dictionary<string, string> { ["documentId"] = id.ToString() }, "/Account/Security");
        Assert.Contains("/Account/AccessDenied", refused.Headers.Location!.OriginalString);
        Assert.Equal(1, await CountAsync(t.Hospital.Id));

        using var manager = factory.CreatePortalClient();
        await manager.SignInAsync(t[Roles.SecurityManager]);
        var deleted = await manager.PostFormAsync(BcpData.Page(t.Hospital.Id) + "?handler=Delete", new Dictionary<string, string> { ["documentId"] = id.ToString() });
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal(0, await CountAsync(t.Hospital.Id));
        Assert.False(await factory.WithDbAsync(async (db, _) => await db.BcpDocumentContents.AnyAsync(c => c.DocumentId == id)));
        Assert.Equal(AuditActions.BcpDeleted, (await AuditAsync(t.Hospital.Id)).Last());
        Assert.Equal(HttpStatusCode.NotFound, (await manager.GetAsync($"{BcpData.Page(t.Hospital.Id)}/{id}")).StatusCode);
    }

    [Fact]
    public async Task The_api_lists_uploads_and_answers_problem_json_in_japanese()
    {
        var t = await factory.Tenants.CreateAsync();
        using var client = factory.CreatePortalClient();
        await client.SignInAsync(t[Roles.SecurityManager]);
        var fields = new Dictionary<string, string> { ["title"] = "BCP（API）", ["documentDate"] = "2025-04-01", ["versionLabel"] = "v2" };
        var created = await client.PostFileAsync(Api(t.Hospital.Id), "file", BcpData.Pdf("api"), "api.pdf", fields, tokenFrom: "/Account/Security", tokenAsHeader: true);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var dto = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("令和7年4月1日", true, "v2"), (dto.GetProperty("documentDateWareki").GetString(), dto.GetProperty("current").GetBoolean(), dto.GetProperty("versionLabel").GetString()));
        var list = await client.Http.GetFromJsonAsync<JsonElement>(Api(t.Hospital.Id));
        Assert.Equal(dto.GetProperty("id").GetGuid(), Assert.Single(list.EnumerateArray()).GetProperty("id").GetGuid());

        var bad = await client.PostFileAsync(Api(t.Hospital.Id), "file", Disclosures.DisclosureSupport.Png(), "x.pdf",
            new Dictionary<string, string> { ["title"] = "x", ["documentDate"] = "2999-01-01" }, tokenFrom: "/Account/Security", tokenAsHeader: true);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType!.MediaType);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("未来の日付", problem.GetProperty("errors").GetProperty("documentDate")[0].GetString());
        Assert.Contains("PDF", problem.GetProperty("errors").GetProperty("file")[0].GetString());

        using var auditor = factory.CreatePortalClient();
        await auditor.SignInAsync(t[Roles.Auditor]);
        var refused = await auditor.PostFileAsync(Api(t.Hospital.Id), "file", BcpData.Pdf(), "a.pdf", fields, tokenFrom: "/Account/Security", tokenAsHeader: true);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(1, await CountAsync(t.Hospital.Id));
    }

    [Fact]
    public async Task Another_hospital_gets_404_everywhere_and_cannot_upload_and_vendors_never_see_bcp()
    {
        var mine = await factory.Tenants.CreateAsync();
        var theirs = await factory.Tenants.CreateAsync();
        var id = await BcpData.UploadedAsync(factory, mine, "極秘BCP");

        using var other = factory.CreatePortalClient();
        await other.SignInAsync(theirs[Roles.SecurityManager]);
        foreach (var path in new[] { BcpData.Page(mine.Hospital.Id), $"{BcpData.Page(mine.Hospital.Id)}/{id}", Api(mine.Hospital.Id), $"{Api(mine.Hospital.Id)}/{id}/content",
                     $"/Hospitals/{mine.Hospital.Id}/Inspection", $"{BcpData.Page(theirs.Hospital.Id)}/{id}", $"{Api(theirs.Hospital.Id)}/{id}/content" })
        {
            var response = await other.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path}: {(int)response.StatusCode}");
            Assert.DoesNotContain("極秘BCP", await response.Content.ReadAsStringAsync());
        }
        var page = await BcpData.UploadPageAsync(other, mine.Hospital.Id, BcpData.Pdf(), tokenFrom: "/Account/Security");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        var api = await other.PostFileAsync(Api(mine.Hospital.Id), "file", BcpData.Pdf(), "x.pdf",
            new Dictionary<string, string> { ["title"] = "x", ["documentDate"] = "2025-04-01" }, tokenFrom: "/Account/Security", tokenAsHeader: true);
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        var delete = await other.PostFormAsync(BcpData.Page(theirs.Hospital.Id) + "?handler=Delete", new Dictionary<string, string> { ["documentId"] = id.ToString() });
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.Equal(1, await CountAsync(mine.Hospital.Id));
        Assert.Equal(0, await CountAsync(theirs.Hospital.Id));

        // The engaged vendor: hospital-internal pages refuse it, the API too; nothing leaks.
        using var vendor = factory.CreatePortalClient();
        await vendor.SignInAsync(mine[Roles.VendorAdmin]);
        var vendorPage = await vendor.GetAsync(BcpData.Page(mine.Hospital.Id));
        Assert.Contains("/Account/AccessDenied", vendorPage.Headers.Location!.OriginalString);
        Assert.Contains("/Account/AccessDenied", (await vendor.GetAsync($"{BcpData.Page(mine.Hospital.Id)}/{id}")).Headers.Location!.OriginalString);
        Assert.Contains("/Account/AccessDenied", (await vendor.GetAsync($"/Hospitals/{mine.Hospital.Id}/Inspection")).Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Forbidden, (await vendor.GetAsync(Api(mine.Hospital.Id))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await vendor.GetAsync($"{Api(mine.Hospital.Id)}/{id}/content")).StatusCode);
        // … and the tenant filter hides the rows even from a query made as the vendor.
        await using var scope = factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<VendorPortal.Infrastructure.Tenancy.ActingUser>()
            .Set(mine.Vendor.Id, VendorPortal.Features.Organizations.OrganizationKind.Vendor, mine[Roles.VendorAdmin].Id, "vendor");
        var asVendor = scope.ServiceProvider.GetRequiredService<VendorPortal.Infrastructure.Data.AppDbContext>();
        Assert.Equal(0, await asVendor.BcpDocuments.CountAsync());
        Assert.Equal(0, await asVendor.BcpDocumentContents.CountAsync());
    }

    private async Task<byte[]> ExportAsync(TenantSet t)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var name = await InspectionExportAccess.ActAsExporterAsync(scope.ServiceProvider, t[Roles.Auditor].Id, t.Hospital.Id);
        using var output = new MemoryStream();
        await scope.ServiceProvider.GetRequiredService<InspectionBundleExporter>()
            .WriteAsync(BundleRequest.ForYear(t.Hospital.Id, 2026, new DateTimeOffset(2026, 11, 21, 6, 30, 0, TimeSpan.Zero), name!), output);
        return output.ToArray();
    }

    [Fact]
    public async Task The_bundle_holds_the_current_bcp_bytes_and_the_list_or_says_none_is_on_file()
    {
        var none = await factory.Tenants.CreateAsync();
        using (var archive = new ZipArchive(new MemoryStream(await ExportAsync(none))))
        {
            Assert.DoesNotContain(archive.Entries, e => e.FullName.StartsWith("03_bcp/", StringComparison.Ordinal));
            using var index = new StreamReader(archive.GetEntry("index.html")!.Open());
            var html = await index.ReadToEndAsync();
            Assert.Contains("事業継続計画（BCP）", html);
            Assert.Contains("BCP が登録されていません", html);
        }

        var t = await factory.Tenants.CreateAsync();
        await BcpData.UploadedAsync(factory, t, "旧BCP", "令和6年4月1日", BcpData.Pdf("old"));
        var current = BcpData.Pdf(new string('x', 200_000)); // larger than one read buffer
        await BcpData.UploadedAsync(factory, t, "現行BCP", "令和8年4月1日", current);
        var zip = await ExportAsync(t);
        var verification = await BundleVerifier.VerifyAsync(new MemoryStream(zip));
        Assert.True(verification.Ok, string.Join("; ", verification.Problems.Select(p => p.Detail)));
        using var bundle = new ZipArchive(new MemoryStream(zip));
        var files = bundle.Entries.Where(e => e.FullName.StartsWith("03_bcp/", StringComparison.Ordinal)).Select(e => e.FullName).ToList();
        Assert.Equal(["03_bcp/現行BCP_bcp.pdf", "03_bcp/BCP一覧.html"], files);
        using var pdf = new MemoryStream();
        await bundle.GetEntry("03_bcp/現行BCP_bcp.pdf")!.Open().CopyToAsync(pdf);
        Assert.Equal(current, pdf.ToArray());
        using var list = new StreamReader(bundle.GetEntry("03_bcp/BCP一覧.html")!.Open());
        var text = await list.ReadToEndAsync();
        Assert.Contains("旧BCP", text);
        Assert.Contains("令和8年4月1日", text);
        Assert.Contains(AttachmentRules.Sha256Of(current), text);
        Assert.Contains(AttachmentRules.Sha256Of(BcpData.Pdf("old")), text);
        Assert.True(text.IndexOf("現行BCP", StringComparison.Ordinal) < text.IndexOf("旧BCP", StringComparison.Ordinal));
        Assert.Equal(zip, await ExportAsync(t)); // deterministic
    }
}
