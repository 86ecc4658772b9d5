using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VendorPortal.Features.Account;
using VendorPortal.Features.Forms;
using VendorPortal.IntegrationTests.Support;

namespace VendorPortal.IntegrationTests.Forms;

public sealed class FormTemplateTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Seed_templates_are_published_once_at_startup_and_listed_for_every_member()
    {
        var tenants = await factory.Tenants.CreateAsync();
        var count = await factory.WithDbAsync(async (db, _) => await db.FormTemplateVersions.CountAsync());
        Assert.True(count >= 5);
        // Publishing again (a restart) adds nothing.
        var folder = FormTemplateCatalog.FindSeedFolder(AppContext.BaseDirectory)!;
        Assert.Equal(0, await factory.WithDbAsync((_, sp) => sp.GetRequiredService<FormTemplateCatalog>().PublishSeedFilesAsync(folder)));

        using var client = factory.CreatePortalClient();
        await client.SignInAsync(tenants[Roles.VendorMember]);
        var list = await client.Http.GetFromJsonAsync<List<FormTemplateSummaryDto>>("/api/v1/form-templates");
        Assert.Contains(list!, t => t.Key == "hospital-checklist-r6" && t.Kind == "HospitalChecklist");
        Assert.Contains(list!, t => t.Status == "Sample" && t.Kind == "VendorChecklist");
        var page = await client.GetDocumentAsync("/Forms");
        Assert.Contains("サンプル", page.Body!.TextContent);

        var sample = list!.First(t => t.Status == "Sample");
        var detail = await client.GetDocumentAsync($"/Forms/{sample.Key}");
        Assert.Contains("これは公式の様式ではありません", detail.Body!.TextContent);
        var json = await client.GetAsync($"/api/v1/form-templates/{sample.Key}");
        Assert.Equal(sample.ContentHash, FormTemplateCatalog.Hash(await json.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/form-templates/no-such-form")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/Forms/no-such-form")).StatusCode);
    }

    [Fact]
    public async Task A_published_version_cannot_be_changed_and_an_edited_seed_file_is_refused()
    {
        await using var conn = new NpgsqlConnection(factory.ConnectionString);
        await conn.OpenAsync();
        var refused = await Assert.ThrowsAsync<PostgresException>(() =>
            new NpgsqlCommand("UPDATE form_template_versions SET content = '{}' WHERE key = 'hospital-checklist-r6'", conn).ExecuteNonQueryAsync());
        Assert.Contains("immutable", refused.MessageText);

        var folder = Directory.CreateTempSubdirectory("vp-forms-").FullName;
        var original = Path.Combine(FormTemplateCatalog.FindSeedFolder(AppContext.BaseDirectory)!, "hospital-checklist-r6.json");
        await File.WriteAllTextAsync(Path.Combine(folder, "hospital-checklist-r6.json"), (await File.ReadAllTextAsync(original)).Replace("令和6年度版", "令和6年度版 改"));
        var ex = await Assert.ThrowsAsync<FormTemplateException>(() =>
            factory.WithDbAsync((_, sp) => sp.GetRequiredService<FormTemplateCatalog>().PublishSeedFilesAsync(folder)));
        Assert.Contains("new key", ex.Message);
    }

    [Fact]
    public async Task Only_the_platform_operator_retires_a_version_and_it_stays_readable()
    {
        var tenants = await factory.Tenants.CreateAsync();
        var op = await factory.Tenants.CreatePlatformOperatorAsync();
        var key = "bcp-checklist-r6";
        using (var hospital = factory.CreatePortalClient())
        {
            await hospital.SignInAsync(tenants[Roles.TenantAdmin]);
            var r = await hospital.PostFormAsync($"/Forms/{key}?handler=Retire", new Dictionary<string, string>(), $"/Forms/{key}");
            Assert.Contains("/Account/AccessDenied", r.Headers.Location!.OriginalString);
        }
        Assert.Null(await factory.WithDbAsync(async (db, _) => (await db.FormTemplateVersions.SingleAsync(t => t.Key == key)).RetiredAt));

        using var client = factory.CreatePortalClient();
        await client.SignInAsync(op);
        var ok = await client.PostFormAsync($"/Forms/{key}?handler=Retire", new Dictionary<string, string>(), $"/Forms/{key}");
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        Assert.NotNull(await factory.WithDbAsync(async (db, _) => (await db.FormTemplateVersions.SingleAsync(t => t.Key == key)).RetiredAt));
        var list = await client.Http.GetFromJsonAsync<List<FormTemplateSummaryDto>>("/api/v1/form-templates");
        Assert.DoesNotContain(list!, t => t.Key == key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/Forms/{key}")).StatusCode);
    }

    private static byte[] ItemWorkbook(params string?[][] rows)
    {
        using var package = new OfficeOpenXml.ExcelPackage();
        var ws = package.Workbook.Worksheets.Add("items");
        for (var r = 0; r < rows.Length; r++)
        {
            for (var c = 0; c < rows[r].Length; c++)
            {
                ws.Cells[r + 1, c + 1].Value = rows[r][c];
            }
        }
        return package.GetAsByteArray();
    }

    [Fact]
    public async Task The_operator_previews_and_publishes_a_template_from_a_workbook_and_vendors_use_it()
    {
        var op = await factory.Tenants.CreatePlatformOperatorAsync();
        var tenants = await factory.Tenants.CreateAsync();
        var key = "vendor-checklist-import-" + Guid.NewGuid().ToString("N")[..6];
        var fields = new Dictionary<string, string>
        {
            ["Input.Key"] = key, ["Input.Kind"] = "VendorChecklist", ["Input.Title"] = "チェックリスト（事業者確認用）",
            ["Input.VersionLabel"] = "令和8年度版", ["Input.GuidelineEdition"] = "7.0", ["Input.EffectiveFrom"] = "2026-06-01",
            ["Input.Status"] = "Official", ["Input.Rounds"] = "2", ["Input.Source"] = "MHLW 001716188.xlsx",
        };
        var good = ItemWorkbook(
            ["項番", "大項目", "確認項目", "回答種別", "参照"],
            ["1-1", "1 体制構築", "責任者を設置している", "はい/いいえ", "経営管理編"],
            ["1-2", "1 体制構築", "連絡体制図を提出している", "はい/いいえ", null]);

        // Nobody but the operator reaches the page.
        using (var hospital = factory.CreatePortalClient())
        {
            await hospital.SignInAsync(tenants[Roles.TenantAdmin]);
            var denied = await hospital.GetAsync("/Forms/Import");
            Assert.Contains("/Account/AccessDenied", denied.Headers.Location!.OriginalString);
        }

        using var client = factory.CreatePortalClient();
        await client.SignInAsync(op);
        Assert.NotNull((await client.GetDocumentAsync("/Forms")).QuerySelector("#import-template"));

        // A broken workbook: problems by cell, nothing published.
        var bad = ItemWorkbook(["項番", "大項目", "確認項目", "回答種別"], ["1", "A", null, "はい/いいえ"], ["2", "A", "x", "多肢"]);
        var refused = await client.PostFileAsync("/Forms/Import?handler=Publish", "workbook", bad, "items.xlsx", fields, "/Forms/Import");
        var refusedText = (await PortalClient.ParseAsync(refused)).QuerySelector("#import-problems")!.TextContent;
        Assert.Contains("セル C2", refusedText);
        Assert.Contains("セル D3", refusedText);
        Assert.False(await factory.WithDbAsync(async (db, _) => await db.FormTemplateVersions.AnyAsync(t => t.Key == key)));

        var preview = await client.PostFileAsync("/Forms/Import?handler=Preview", "workbook", good, "items.xlsx", fields, "/Forms/Import");
        var doc = await PortalClient.ParseAsync(preview);
        Assert.Contains("2項目", doc.QuerySelector("#preview-heading")!.TextContent);
        Assert.False(await factory.WithDbAsync(async (db, _) => await db.FormTemplateVersions.AnyAsync(t => t.Key == key)));

        var published = await client.PostFileAsync("/Forms/Import?handler=Publish", "workbook", good, "items.xlsx", fields, "/Forms/Import");
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
        var version = await factory.WithDbAsync(async (db, _) => await db.FormTemplateVersions.SingleAsync(t => t.Key == key));
        Assert.Equal("import", version.Origin);
        Assert.Equal(2, version.ItemCount);
        Assert.True(version.Parse().Items.All(i => i.Has(RuleKind.TargetDateWhenNo)));

        // The same key again is refused; a vendor can start a checklist on the new version.
        var again = await client.PostFileAsync("/Forms/Import?handler=Publish", "workbook", good, "items.xlsx", fields, "/Forms/Import");
        Assert.Contains("すでに公開されています", await again.Content.ReadAsStringAsync());
        using var vendor = factory.CreatePortalClient();
        await vendor.SignInAsync(tenants[Roles.VendorMember]);
        var created = await vendor.SendJsonAsync(HttpMethod.Post, $"/api/v1/hospitals/{tenants.Hospital.Id}/checklists",
            new { templateKey = key, fiscalYear = VendorPortal.Infrastructure.Time.FiscalYear.Of(VendorPortal.Infrastructure.Time.JapanTime.TodayInJapan(TimeProvider.System)).StartYear });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }
}
