using Microsoft.EntityFrameworkCore;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Seeding;

namespace VendorPortal.Infrastructure.Web;

public static class Startup
{
    /// <summary>Migrations (under an advisory lock), fixed roles, and demo data when asked for.</summary>
    public static async Task PrepareDatabaseAsync(WebApplication app)
    {
        var config = app.Configuration;
        if (config.GetValue("Database:MigrateOnStartup", true))
        {
            await MigrateAsync(app);
        }
        await using var scope = app.Services.CreateAsyncScope();
        if (config.GetValue("Seed:DemoData", false))
        {
            var path = config["Seed:DemoDataPath"] ?? DemoDataSeeder.FindDefaultPath(app.Environment.ContentRootPath)
                ?? throw new InvalidOperationException("seed-data/demo.json not found; set Seed:DemoDataPath.");
            if (await scope.ServiceProvider.GetRequiredService<DemoDataSeeder>().SeedAsync(path))
            {
                // Fresh demo data: raise today's reminders now rather than at the next 06:00 run.
                await scope.ServiceProvider.GetRequiredService<VendorPortal.Features.Reminders.ReminderRun>()
                    .RunAsync(VendorPortal.Infrastructure.Time.JapanTime.TodayInJapan(TimeProvider.System));
            }
        }
    }

    /// <summary>Schema migrations, then the fixed role rows (roles are defined by the code, not by data).</summary>
    public static async Task<int> MigrateAsync(WebApplication app)
    {
        var applied = await app.Services.GetRequiredService<MigrationRunner>().ApplyAsync(app.Configuration.GetConnectionString("Default")!);
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<RoleSeeder>().EnsureRolesAsync();
        var forms = app.Configuration["Forms:SeedPath"] ?? VendorPortal.Features.Forms.FormTemplateCatalog.FindSeedFolder(app.Environment.ContentRootPath);
        if (forms is not null)
        {
            await scope.ServiceProvider.GetRequiredService<VendorPortal.Features.Forms.FormTemplateCatalog>().PublishSeedFilesAsync(forms);
        }
        return applied;
    }
}

public static class Commands
{
    /// <summary>
    /// Commands that need neither the database nor the web host (run before the host is built, so no connection
    /// string is required): <c>verify-bundle &lt;zip&gt;</c>. Null when <paramref name="args"/> is not one of them.
    /// </summary>
    public static async Task<int?> RunStandaloneAsync(string[] args)
    {
        if (args.Length == 0 || args[0] != "verify-bundle")
        {
            return null;
        }
        if (args.Length != 2)
        {
            Console.Error.WriteLine("使い方 / usage: verify-bundle <bundle.zip>");
            return 2;
        }
        return await VerifyBundleAsync(args[1], Console.Out);
    }

    /// <summary>verify-bundle: 0 intact, 1 problems found, 2 unreadable input. Fixed bilingual operator text.</summary>
    public static async Task<int> VerifyBundleAsync(string path, TextWriter output)
    {
        VendorPortal.Features.Inspection.Bundle.BundleVerification result;
        try
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
            result = await VendorPortal.Features.Inspection.Bundle.BundleVerifier.VerifyAsync(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            output.WriteLine($"verify-bundle: ファイルを読めません / cannot read the file: {e.Message}");
            return 2;
        }
        if (!result.Readable)
        {
            output.WriteLine("verify-bundle: ZIP として読めません / not a readable ZIP archive.");
            foreach (var p in result.Problems)
            {
                output.WriteLine("  " + p.Detail);
            }
            return 2;
        }
        if (result.HospitalName is not null)
        {
            output.WriteLine($"  {result.HospitalName}  ({result.GeneratedAt})");
        }
        if (result.Ok)
        {
            output.WriteLine($"verify-bundle: OK — 改ざんは検出されませんでした。{result.FilesChecked} ファイルのハッシュが一致 / intact, {result.FilesChecked} file(s) match; manifestSha256 {result.ManifestSha256}");
            return 0;
        }
        output.WriteLine($"verify-bundle: NG — {result.Problems.Count} 件の不一致 / {result.Problems.Count} problem(s) found:");
        foreach (var p in result.Problems)
        {
            output.WriteLine($"  [{p.Kind}] {p.Path ?? "(archive)"}: {p.Detail}");
            if (p.Expected is not null || p.Actual is not null)
            {
                output.WriteLine($"      expected {p.Expected ?? "-"}");
                output.WriteLine($"      actual   {p.Actual ?? "-"}");
            }
        }
        return 1;
    }

    public static async Task<int> RunAsync(WebApplication app, string command)
    {
        switch (command)
        {
            case "migrate":
                var applied = await Startup.MigrateAsync(app);
                Console.WriteLine($"migrate: {applied} migration(s) applied, schema up to date.");
                return 0;
            case "verify-audit":
            {
                await using var scope = app.Services.CreateAsyncScope();
                var result = await scope.ServiceProvider.GetRequiredService<AuditVerification>().VerifyAsync();
                if (result.IsIntact)
                {
                    Console.WriteLine($"verify-audit: OK, {result.Checked} event(s), chain intact.");
                    return 0;
                }
                Console.WriteLine($"verify-audit: BROKEN at sequence {result.FirstBreak!.Sequence} ({result.FirstBreak.Kind}): {result.FirstBreak.Detail}");
                return 1;
            }
            case "remind":
            {
                // dotnet run -- remind [--date yyyy-MM-dd]: the daily reminder run now (the Quartz job does the same at 06:00 JST).
                var today = app.Configuration["date"] is { } d
                    ? DateOnly.ParseExact(d, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)
                    : VendorPortal.Infrastructure.Time.JapanTime.TodayInJapan(TimeProvider.System);
                await using var scope = app.Services.CreateAsyncScope();
                var result = await scope.ServiceProvider.GetRequiredService<VendorPortal.Features.Reminders.ReminderRun>().RunAsync(today);
                Console.WriteLine(result.ToString());
                return 0;
            }
            case "export-bundle":
                return await ExportBundleAsync(app);
            case "schema-script":
            {
                await using var scope = app.Services.CreateAsyncScope();
                Console.WriteLine(scope.ServiceProvider.GetRequiredService<AppDbContext>().Database.GenerateCreateScript());
                return 0;
            }
            default:
                Console.Error.WriteLine($"Unknown command '{command}'. Commands: serve (default), migrate, verify-audit, verify-bundle <zip>, export-bundle --hospital <id> --user <email> (--fiscal-year yyyy | --from yyyy-MM-dd --to yyyy-MM-dd) --out <zip>, remind [--date yyyy-MM-dd], schema-script.");
                return 2;
        }
    }

    /// <summary>
    /// export-bundle: writes an inspection bundle to a file, as the given user (who must be allowed to export for the
    /// hospital: the same check as the export job). For operators and the benchmark; users export from the page.
    /// Exit 0 done, 2 bad arguments or not allowed.
    /// </summary>
    private static async Task<int> ExportBundleAsync(WebApplication app)
    {
        var c = app.Configuration;
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        DateOnly? Day(string key) => c[key] is { } v ? DateOnly.ParseExact(v, "yyyy-MM-dd", inv) : null;
        if (!Guid.TryParse(c["hospital"], out var hospitalId) || c["user"] is not { } email || c["out"] is not { } outPath)
        {
            Console.Error.WriteLine("usage: export-bundle --hospital <id> --user <email> (--fiscal-year yyyy | --from yyyy-MM-dd --to yyyy-MM-dd) --out <zip> [--generated-at <ISO-8601>]");
            return 2;
        }
        int? year = c["fiscal-year"] is { } y ? int.Parse(y, inv) : null;
        var (from, to) = (Day("from"), Day("to"));
        var problems = VendorPortal.Features.Inspection.Export.BundleScopeRules.Validate(year, from, to,
            VendorPortal.Infrastructure.Time.JapanTime.TodayInJapan(TimeProvider.System));
        if (problems.Count > 0)
        {
            Console.Error.WriteLine("export-bundle: invalid scope: " + string.Join(", ", problems));
            return 2;
        }
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var normalized = email.ToUpperInvariant();
        var userId = await db.Users.Where(u => u.NormalizedEmail == normalized).Select(u => (Guid?)u.Id).SingleOrDefaultAsync();
        var name = userId is null ? null
            : await VendorPortal.Features.Inspection.Export.InspectionExportAccess.ActAsExporterAsync(scope.ServiceProvider, userId.Value, hospitalId);
        if (name is null)
        {
            Console.Error.WriteLine("export-bundle: that user may not export this hospital's bundle (Auditor, SecurityManager or Executive of the hospital).");
            return 2;
        }
        var generatedAt = c["generated-at"] is { } g ? DateTimeOffset.Parse(g, inv) : TimeProvider.System.GetUtcNow();
        var request = new VendorPortal.Features.Inspection.Export.BundleRequest(hospitalId, year, year is null ? from : null, year is null ? to : null,
            new DateTimeOffset(generatedAt.UtcTicks - generatedAt.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero), name);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await using (var file = new FileStream(outPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: false))
        {
            var result = await scope.ServiceProvider.GetRequiredService<VendorPortal.Features.Inspection.Export.InspectionBundleExporter>().WriteAsync(request, file);
            Console.WriteLine($"export-bundle: {outPath}: {result.FileCount} file(s), {result.ContentBytes} content bytes, manifestSha256 {result.ManifestSha256}, " +
                $"{System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");
            var audit = scope.ServiceProvider.GetRequiredService<AuditLog>();
            audit.Record(AuditActions.InspectionBundleExported, "organizations", hospitalId.ToString(), new
            {
                via = "command",
                fiscalYear = request.FiscalYear,
                from = request.From?.ToString("yyyy-MM-dd", inv),
                to = request.To?.ToString("yyyy-MM-dd", inv),
                result.ManifestSha256,
                result.FileCount,
            });
            await audit.SaveAsync();
        }
        return 0;
    }
}
