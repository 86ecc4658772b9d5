using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using VendorPortal.Features.Organizations;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Time;
using VendorPortal.Infrastructure.Web;

namespace VendorPortal.Bench;

/// <summary>
/// <c>reminder-scale</c>: the data set for timing the daily reminder run (issue 5: "1,000 such hospitals' worth of
/// rows (6 million components) in under 60 s, memory not growing with the row count"), into its own empty
/// database. Per hospital: 15 engaged vendors (of 150), 400 systems, 6,000 components with a support date each,
/// 300 advisories and (optionally) 20,000 patch statuses, made by <see cref="LedgerSeed"/> with the same
/// distributions as the measured hospital of the page benchmark.
///
/// Built for speed, since this is a throwaway database: everything is INSERT … SELECT on the server, in chunks of
/// hospitals; the secondary indexes of the four ledger tables are dropped for the load and rebuilt afterwards from
/// their saved definitions (the schema ends up exactly as the migrations made it), and foreign-key triggers are
/// off during the load (<c>session_replication_role = replica</c>; the cluster's owner is a superuser in
/// bench/run.sh's private cluster): the generator makes consistent rows by construction. Rows carry no audit events.
/// </summary>
internal static class ReminderScaleSeeder
{
    private static readonly string[] LedgerTables = ["system_components", "component_support_dates", "security_advisories", "patch_statuses"];

    public static async Task<int> RunAsync(BenchOptions o)
    {
        var clock = Stopwatch.StartNew();
        var connection = o.Required("connection");
        var hospitals = o.Int("hospitals", 1_000);
        var chunk = Math.Max(1, o.Int("chunk", 50));
        var patches = o.Int("patches-per-hospital", LedgerSeed.Shape.Measured.Patches);
        var shape = LedgerSeed.Shape.Measured with { Patches = Math.Max(0, patches) };
        const int vendorCount = 150, vendorsPerHospital = 15;

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [], ContentRootPath = Path.GetFullPath(o.Required("content-root")), EnvironmentName = Environments.Production,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Default"] = connection,
            ["Scheduling:Enabled"] = "false",
            ["Seed:DemoData"] = "false",
            ["Email:Mode"] = "Outbox",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.AddPortal();
        await using (var app = builder.Build())
        {
            await Startup.MigrateAsync(app);
            await using var scope = app.Services.CreateAsyncScope();
            if (await scope.ServiceProvider.GetRequiredService<AppDbContext>().Organizations.IgnoreQueryFilters().AnyAsync())
            {
                throw new BenchException("the database already has organizations; reminder-scale seeds a freshly created database");
            }
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"migrated in {clock.Elapsed.TotalSeconds:F1} s"));

        var today = JapanTime.TodayInJapan(TimeProvider.System);
        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync();
        await LedgerSeed.ExecAsync(conn, "SET synchronous_commit = off");
        await LedgerSeed.PrepareAsync(conn);

        var step = Stopwatch.StartNew();
        await LedgerSeed.ExecAsync(conn, """
            INSERT INTO organizations (id, name, name_en, kind, hospital_kind, vendor_kinds, corporate_number, created_at)
            SELECT pg_temp.bench_id(10, 0, h), 'リマインダー検証病院 ' || lpad(h::text, 4, '0'), NULL, 'Hospital', 'Hospital', 0, NULL, now()
            FROM generate_series(0, @hospitals - 1) h;
            INSERT INTO organizations (id, name, name_en, kind, hospital_kind, vendor_kinds, corporate_number, created_at)
            SELECT pg_temp.bench_id(11, 0, v), 'リマインダー検証事業者 ' || lpad(v::text, 3, '0') || ' 株式会社', NULL, 'Vendor', NULL, @vendorKinds, NULL, now()
            FROM generate_series(0, @vendors - 1) v;
            INSERT INTO engagements (id, hospital_id, vendor_id, title, starts_on, ends_on, created_at)
            SELECT pg_temp.bench_id(12, h, i), pg_temp.bench_id(10, 0, h), pg_temp.bench_id(11, 0, (h * 7 + i * 11) % @vendors), '保守契約 ' || i, @today - 1095, NULL, now()
            FROM generate_series(0, @hospitals - 1) h CROSS JOIN generate_series(0, @perHospital - 1) i;
            INSERT INTO medical_systems (id, hospital_id, name, category, created_at)
            SELECT pg_temp.bench_id(13, h, s), pg_temp.bench_id(10, 0, h),
                   (ARRAY['電子カルテ','レセプトコンピュータ','PACS','検査システム','部門システム'])[1 + s % 5] || ' ' || lpad(s::text, 3, '0'),
                   (ARRAY['電子カルテ','レセコン','PACS','部門システム','部門システム'])[1 + s % 5], now()
            FROM generate_series(0, @hospitals - 1) h CROSS JOIN generate_series(0, @systems - 1) s;
            INSERT INTO engagement_systems (engagement_id, system_id)
            SELECT pg_temp.bench_id(12, h, s % @perHospital), pg_temp.bench_id(13, h, s)
            FROM generate_series(0, @hospitals - 1) h CROSS JOIN generate_series(0, @systems - 1) s;
            """, ("hospitals", hospitals), ("vendors", vendorCount), ("perHospital", vendorsPerHospital), ("systems", shape.Systems), ("today", today),
            ("vendorKinds", (int)(VendorKind.Manufacturer | VendorKind.ServiceProvider)));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{hospitals} hospitals, {vendorCount} vendors, {hospitals * vendorsPerHospital} engagements, {hospitals * shape.Systems} systems in {step.Elapsed.TotalSeconds:F1} s"));

        // Secondary indexes off for the load, rebuilt afterwards from their definitions.
        step.Restart();
        var indexes = new List<(string Name, string Definition)>();
        await using (var cmd = new NpgsqlCommand("""
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = ANY(@tables)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            """, conn))
        {
            cmd.Parameters.AddWithValue("tables", LedgerTables);
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }
        foreach (var (name, _) in indexes)
        {
            await LedgerSeed.ExecAsync(conn, $"DROP INDEX \"{name}\"");
        }
        await LedgerSeed.ExecAsync(conn, "SET session_replication_role = replica");
        for (var first = 0; first < hospitals; first += chunk)
        {
            var last = Math.Min(hospitals, first + chunk) - 1;
            await LedgerSeed.ExecAsync(conn, """
                TRUNCATE bench_ledger_hospitals;
                INSERT INTO bench_ledger_hospitals (n, hospital_id) SELECT h, pg_temp.bench_id(10, 0, h) FROM generate_series(@first, @last) h;
                """, ("first", first), ("last", last));
            var rows = await LedgerSeed.SeedAsync(conn, shape, today, withPatches: shape.Patches > 0);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  hospitals {first}–{last}: {rows} ({step.Elapsed.TotalSeconds:F0} s so far)"));
        }
        await LedgerSeed.ExecAsync(conn, "SET session_replication_role = origin");
        var loaded = step.Elapsed;
        step.Restart();
        await LedgerSeed.ExecAsync(conn, "SET maintenance_work_mem = '512MB'");
        foreach (var (_, definition) in indexes)
        {
            await LedgerSeed.ExecAsync(conn, definition);
        }
        var indexed = step.Elapsed;
        step.Restart();
        await LedgerSeed.ExecAsync(conn, "VACUUM ANALYZE");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"reminder-scale seeded in {clock.Elapsed.TotalSeconds:F1} s: {hospitals} hospitals × {shape.Components} components = {(long)hospitals * shape.Components} components " +
            $"(and support dates), {(long)hospitals * shape.Advisories} advisories, {(long)hospitals * shape.Patches} patch statuses; " +
            $"rows {loaded.TotalSeconds:F1} s, {indexes.Count} indexes {indexed.TotalSeconds:F1} s, vacuum analyze {step.Elapsed.TotalSeconds:F1} s"));
        return 0;
    }
}
