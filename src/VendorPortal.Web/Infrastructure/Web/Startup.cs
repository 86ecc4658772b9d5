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
                Console.Error.WriteLine($"Unknown command '{command}'. Commands: serve (default), migrate, verify-audit, remind [--date yyyy-MM-dd], schema-script.");
                return 2;
        }
    }
}
