using System.IO.Compression;
using Microsoft.Extensions.DependencyInjection;
using VendorPortal.Features.Account;
using VendorPortal.Features.Inspection.Bundle;
using VendorPortal.Features.Inspection.Export;
using VendorPortal.IntegrationTests.Support;

namespace VendorPortal.IntegrationTests.Inspection;

/// <summary>The exporter core: it runs only as an allowed user of the hospital, and what it writes verifies.</summary>
public sealed class BundleExporterTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private static readonly DateTimeOffset Pinned = new(2026, 11, 21, 6, 30, 0, TimeSpan.Zero);

    private async Task<byte[]> ExportAsync(TenantSet t, string role, int fiscalYear = 2026)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var name = await InspectionExportAccess.ActAsExporterAsync(scope.ServiceProvider, t[role].Id, t.Hospital.Id);
        Assert.NotNull(name);
        using var output = new MemoryStream();
        var result = await scope.ServiceProvider.GetRequiredService<InspectionBundleExporter>()
            .WriteAsync(BundleRequest.ForYear(t.Hospital.Id, fiscalYear, Pinned, name!), output);
        Assert.Equal(64, result.ManifestSha256.Length);
        return output.ToArray();
    }

    [Fact]
    public async Task An_auditor_export_verifies_and_lists_every_file_in_the_index()
    {
        var t = await factory.Tenants.CreateAsync();
        var zip = await ExportAsync(t, Roles.Auditor);

        var verification = await BundleVerifier.VerifyAsync(new MemoryStream(zip));
        Assert.True(verification.Ok, string.Join("; ", verification.Problems.Select(p => p.Detail)));
        using var archive = new ZipArchive(new MemoryStream(zip));
        var names = archive.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("index.html", names);
        Assert.Equal(["manifest.json", "SHA256SUMS"], names[^2..]);
        using var reader = new StreamReader(archive.GetEntry("index.html")!.Open());
        var html = await reader.ReadToEndAsync();
        Assert.Contains(t.Hospital.Name, html);
        foreach (var path in names.Where(n => n != "index.html"))
        {
            Assert.Contains($"href=\"{System.Net.WebUtility.HtmlEncode(BundleIndex.Href(path))}\"", html);
        }
    }

    [Fact]
    public async Task The_same_data_at_the_same_pinned_time_gives_the_same_bytes()
    {
        var t = await factory.Tenants.CreateAsync();
        var first = await ExportAsync(t, Roles.SecurityManager);
        var second = await ExportAsync(t, Roles.SecurityManager);
        Assert.Equal(first, second);
    }

    [Theory]
    [InlineData(Roles.SystemOperator)]
    [InlineData(Roles.TenantAdmin)]
    [InlineData(Roles.VendorAdmin)]
    public async Task Other_roles_cannot_act_as_exporter(string role)
    {
        var t = await factory.Tenants.CreateAsync();
        await using var scope = factory.Services.CreateAsyncScope();
        Assert.Null(await InspectionExportAccess.ActAsExporterAsync(scope.ServiceProvider, t[role].Id, t.Hospital.Id));
        // And the exporter refuses an unscoped (system) run.
        await Assert.ThrowsAsync<InvalidOperationException>(() => scope.ServiceProvider.GetRequiredService<InspectionBundleExporter>()
            .WriteAsync(BundleRequest.ForYear(t.Hospital.Id, 2026, Pinned, "x"), Stream.Null));
    }

    [Fact]
    public async Task An_auditor_of_another_hospital_cannot_export_this_one()
    {
        var mine = await factory.Tenants.CreateAsync();
        var other = await factory.Tenants.CreateAsync();
        await using var scope = factory.Services.CreateAsyncScope();
        Assert.Null(await InspectionExportAccess.ActAsExporterAsync(scope.ServiceProvider, other[Roles.Auditor].Id, mine.Hospital.Id));
    }
}
