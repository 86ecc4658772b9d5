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
}
