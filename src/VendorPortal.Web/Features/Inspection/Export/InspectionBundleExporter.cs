using System.Reflection;
using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Inspection.Bundle;
using VendorPortal.Features.Organizations;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.Inspection.Export;

public sealed record BundleResult(string ManifestSha256, int FileCount, long ContentBytes);

/// <summary>
/// Writes one inspection bundle: every registered <see cref="IBundleSection"/> in order, then index.html, then
/// manifest.json and SHA256SUMS (<see cref="BundleWriter"/>). It never decides who may export: callers (the export
/// job, the <c>export-bundle</c> command) run it in a scope that acts as an authorised user of the hospital
/// (<see cref="ActingUser"/>), and it refuses any other scope — so the tenant filters bound what it can read.
/// The output may be any stream; the job writes to a file (EPPlus writes synchronously).
/// </summary>
public sealed class InspectionBundleExporter(AppDbContext db, ITenantContext tenant, IEnumerable<IBundleSection> sections, ILogger<InspectionBundleExporter> logger)
{
    /// <summary>The portal's version as written into manifest.json (informational version, with the commit when built from git).</summary>
    public static string GeneratorVersion { get; } =
        typeof(InspectionBundleExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public IReadOnlyList<IBundleSection> Sections { get; } = sections.OrderBy(s => s.Order).ThenBy(s => s.Folder, StringComparer.Ordinal).ToList();

    public async Task<BundleResult> WriteAsync(BundleRequest request, Stream output, IProgress<BundleProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        if (tenant.OrganizationId != request.HospitalId || tenant.OrganizationKind != OrganizationKind.Hospital)
        {
            throw new InvalidOperationException("The exporter must run in a scope acting for a user of the hospital being exported.");
        }
        var hospitalName = await db.Organizations.AsNoTracking().Where(o => o.Id == request.HospitalId).Select(o => o.Name)
            .SingleOrDefaultAsync(cancellationToken) ?? throw new InvalidOperationException("Hospital not found.");

        var temp = Directory.CreateTempSubdirectory("vp-bundle-");
        try
        {
            await using var writer = await BundleWriter.CreateAsync(output, cancellationToken);
            var index = new BundleIndex();
            var sectionCount = Sections.Count;
            var current = 0;
            var stage = "";
            var fraction = 0.0;
            void Report()
            {
                // The last 2 % are index.html and the manifest.
                var percent = (int)Math.Floor((current + fraction) / Math.Max(1, sectionCount) * 98);
                progress?.Report(new BundleProgress(Math.Clamp(percent, 0, 98), stage, writer.Files.Count, writer.ContentBytes));
            }
            var context = new BundleContext(writer, index, request, hospitalName, temp.FullName,
                f => { fraction = f; Report(); }, Report);

            foreach (var section in Sections)
            {
                cancellationToken.ThrowIfCancellationRequested();
                stage = section.Title;
                fraction = 0;
                Report();
                context.BeginSection(section);
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                await section.WriteAsync(context, cancellationToken);
                logger.LogInformation("Bundle section {Section} written in {Elapsed} ms", section.Folder,
                    (int)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                current++;
            }

            stage = "目次と manifest";
            fraction = 0;
            Report();
            await writer.AddFileAsync(BundleIndex.FileName, index.Render(context, GeneratorVersion), cancellationToken);
            var manifestSha256 = await writer.CompleteAsync(context.Scope, request.GeneratedAt, GeneratorVersion, cancellationToken);
            progress?.Report(new BundleProgress(100, stage, writer.Files.Count, writer.ContentBytes));
            return new BundleResult(manifestSha256, writer.Files.Count, writer.ContentBytes);
        }
        finally
        {
            try
            {
                temp.Delete(recursive: true);
            }
            catch (IOException e)
            {
                logger.LogWarning(e, "Could not delete the export's temporary directory {Path}", temp.FullName);
            }
        }
    }
}
