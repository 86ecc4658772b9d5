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
            case "schema-script":
            {
                await using var scope = app.Services.CreateAsyncScope();
                Console.WriteLine(scope.ServiceProvider.GetRequiredService<AppDbContext>().Database.GenerateCreateScript());
                return 0;
            }
            default:
                Console.Error.WriteLine($"Unknown command '{command}'. Commands: serve (default), migrate, verify-audit, verify-bundle <zip>, remind [--date yyyy-MM-dd], schema-script.");
                return 2;
        }
    }
}
