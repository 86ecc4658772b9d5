using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VendorPortal.Features.Inspection.Bundle;
using VendorPortal.Features.Inspection.Export;
using VendorPortal.Infrastructure.Seeding;
using VendorPortal.Infrastructure.Time;
using VendorPortal.IntegrationTests.Support;

namespace VendorPortal.IntegrationTests.Inspection;

/// <summary>The demo hospital (中央総合病院, ./run.sh's data) seeded once; its bundle is exported and taken apart.</summary>
public sealed class SeededHospitalFactory : PortalFactory
{
    public Guid HospitalId { get; private set; }
    public Guid AuditorId { get; private set; }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var path = DemoDataSeeder.FindDefaultPath(AppContext.BaseDirectory)!;
        await WithDbAsync(async (db, sp) =>
        {
            Assert.True(await sp.GetRequiredService<DemoDataSeeder>().SeedAsync(path));
            HospitalId = DemoDataSeeder.IdFor("chuo-hospital");
            AuditorId = await db.Users.Where(u => u.Email == "auditor@chuo-hospital.example").Select(u => u.Id).SingleAsync();
        });
    }
}

public sealed class SeededHospitalBundleTests(SeededHospitalFactory factory) : IClassFixture<SeededHospitalFactory>
{
    /// <summary>Every part the issue names, by its folder.</summary>
    public static readonly string[] ExpectedFolders =
    [
        "01_checklists", "02_contacts", "03_bcp", "04_mds-sds", "05_remote-maintenance", "06_ledger", "07_responsibility",
        "08_subcontracting", "09_eos-patches", "90_gaps", "95_audit",
    ];

    private static readonly DateTimeOffset Pinned = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    private async Task<byte[]> ExportAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var name = await InspectionExportAccess.ActAsExporterAsync(scope.ServiceProvider, factory.AuditorId, factory.HospitalId);
        Assert.NotNull(name);
        using var output = new MemoryStream();
        var year = FiscalYear.Of(DateOnly.FromDateTime(JapanTime.ToJst(Pinned).DateTime)).StartYear;
        await scope.ServiceProvider.GetRequiredService<InspectionBundleExporter>()
            .WriteAsync(BundleRequest.ForYear(factory.HospitalId, year, Pinned, name!), output);
        return output.ToArray();
    }

    [Fact]
    public async Task Every_part_is_present_every_index_link_resolves_and_every_hash_matches()
    {
        var zip = await ExportAsync();
        using var archive = new ZipArchive(new MemoryStream(zip));
        var names = archive.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);

        foreach (var folder in ExpectedFolders)
        {
            Assert.True(names.Any(n => n.StartsWith(folder + "/", StringComparison.Ordinal)), $"no file in {folder}/");
        }

        // index.html: every link is either a fragment or a file of the bundle; every file is linked.
        using var reader = new StreamReader(archive.GetEntry("index.html")!.Open());
        var document = new HtmlParser().ParseDocument(await reader.ReadToEndAsync());
        Assert.Contains("中央総合病院", document.QuerySelector("dl.meta")!.TextContent);
        var targets = document.QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")!).Where(h => !h.StartsWith('#')).ToList();
        Assert.All(targets, href => Assert.Contains(Uri.UnescapeDataString(href), names));
        var linked = targets.Select(Uri.UnescapeDataString).ToHashSet(StringComparer.Ordinal);
        Assert.All(names.Where(n => n != "index.html"), n => Assert.Contains(n, linked));

        // manifest.json: each file's size and SHA-256, recomputed here independently of the verifier.
        using var manifest = JsonDocument.Parse(await new StreamReader(archive.GetEntry("manifest.json")!.Open()).ReadToEndAsync());
        var files = manifest.RootElement.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(names.Count - 2, files.Count);
        foreach (var f in files)
        {
            var entry = archive.GetEntry(f.GetProperty("path").GetString()!)!;
            await using var content = entry.Open();
            Assert.Equal(f.GetProperty("sha256").GetString(), Convert.ToHexStringLower(await SHA256.HashDataAsync(content)));
            Assert.Equal(f.GetProperty("size").GetInt64(), entry.Length);
        }
        Assert.True((await BundleVerifier.VerifyAsync(new MemoryStream(zip))).Ok);
    }

    [Fact]
    public async Task Exporting_again_at_the_same_pinned_time_gives_the_same_bytes()
    {
        var first = await ExportAsync();
        var second = await ExportAsync();
        Assert.Equal(SHA256.HashData(first), SHA256.HashData(second));
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task A_single_changed_byte_is_caught_and_named()
    {
        var zip = await ExportAsync();
        string victim;
        using (var archive = new ZipArchive(new MemoryStream(zip)))
        {
            victim = archive.Entries.First(e => e.FullName.StartsWith("06_ledger/", StringComparison.Ordinal) && e.Length > 1000).FullName;
        }
        // Entries are stored uncompressed: find the entry's bytes in the archive and flip one in the middle.
        var tampered = (byte[])zip.Clone();
        using (var archive = new ZipArchive(new MemoryStream(zip)))
        {
            var entry = archive.GetEntry(victim)!;
            using var ms = new MemoryStream();
            await using (var s = entry.Open())
            {
                await s.CopyToAsync(ms);
            }
            var content = ms.ToArray();
            // A run from the middle of the file (the start of every .xlsx is alike: same parts, same timestamps).
            var middle = content.Length / 2 - 128;
            var at = zip.AsSpan().IndexOf(content.AsSpan(middle, 256));
            Assert.True(at > 0);
            Assert.Equal(-1, zip.AsSpan(at + 1).IndexOf(content.AsSpan(middle, 256)));
            tampered[at + 128] ^= 0x01;
        }
        var result = await BundleVerifier.VerifyAsync(new MemoryStream(tampered));
        Assert.False(result.Ok);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(victim, problem.Path);
    }
}
