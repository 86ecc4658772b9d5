using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using VendorPortal.Infrastructure.Data;
using VendorPortal.IntegrationTests.Support;

namespace VendorPortal.IntegrationTests.Data;

/// <summary>
/// The schema comes from the SQL files, the model from the C# classes: this keeps them the same
/// (tables, columns, types, nullability, indexes). An entity or property added without a migration fails here.
/// </summary>
public sealed class SchemaMatchesModelTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Migrated_database_matches_the_EF_model()
    {
        var cs = await TestDatabase.CreateEmptyAsync();
        await new MigrationRunner(NullLogger<MigrationRunner>.Instance).ApplyAsync(cs);

        var expected = await factory.WithDbAsync((db, _) => Task.FromResult(Describe(db.Model)));
        var actual = await ReadSchemaAsync(cs);

        var missing = expected.Except(actual).OrderBy(x => x).ToList();
        var extra = actual.Except(expected).OrderBy(x => x).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            "The EF model and the migrated schema differ.\nIn the model, not the database (add a migration):\n  "
            + string.Join("\n  ", missing) + "\nIn the database, not the model:\n  " + string.Join("\n  ", extra));
    }

    private static HashSet<string> Describe(IModel model)
    {
        var result = new HashSet<string>();
        foreach (var table in model.GetRelationalModel().Tables)
        {
            result.Add($"table {table.Name}");
            foreach (var c in table.Columns)
            {
                result.Add($"column {table.Name}.{c.Name} {Normalize(c.StoreType)} {(c.IsNullable ? "null" : "not null")}");
            }
            foreach (var i in table.Indexes)
            {
                result.Add($"index {table.Name}.{i.Name} ({string.Join(",", i.Columns.Select(c => c.Name))}){(i.IsUnique ? " unique" : "")}");
            }
            if (table.PrimaryKey is { } pk)
            {
                result.Add($"pk {table.Name} ({string.Join(",", pk.Columns.Select(c => c.Name))})");
            }
            foreach (var fk in table.ForeignKeyConstraints)
            {
                result.Add($"fk {table.Name}.{fk.Name} ({string.Join(",", fk.Columns.Select(c => c.Name))}) -> {fk.PrincipalTable.Name}");
            }
        }
        return result;
    }

    private static async Task<HashSet<string>> ReadSchemaAsync(string cs)
    {
        var result = new HashSet<string>();
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        async Task Read(string sql, Func<NpgsqlDataReader, string> row)
        {
            await using var cmd = new NpgsqlCommand(sql, conn);
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                result.Add(row(r));
            }
        }
        const string ours = "table_schema = 'public' AND table_name NOT LIKE 'qrtz\\_%' AND table_name <> 'schema_migrations'";
        await Read($"SELECT table_name FROM information_schema.tables WHERE {ours} AND table_type = 'BASE TABLE'", r => $"table {r.GetString(0)}");
        await Read($"""
            SELECT c.table_name, c.column_name, format_type(a.atttypid, a.atttypmod), c.is_nullable
            FROM information_schema.columns c
            JOIN pg_attribute a ON a.attrelid = ('public.' || c.table_name)::regclass AND a.attname = c.column_name
            WHERE c.table_schema = 'public' AND c.table_name NOT LIKE 'qrtz\_%' AND c.table_name <> 'schema_migrations'
            """, r => $"column {r.GetString(0)}.{r.GetString(1)} {Normalize(r.GetString(2))} {(r.GetString(3) == "YES" ? "null" : "not null")}");
        await Read("""
            SELECT t.relname, i.relname, string_agg(a.attname, ',' ORDER BY k.ord), ix.indisunique
            FROM pg_index ix
            JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_class i ON i.oid = ix.indexrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
            JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
            WHERE n.nspname = 'public' AND NOT ix.indisprimary AND t.relname NOT LIKE 'qrtz\_%' AND t.relname <> 'schema_migrations'
            GROUP BY t.relname, i.relname, ix.indisunique
            """, r => $"index {r.GetString(0)}.{r.GetString(1)} ({r.GetString(2)}){(r.GetBoolean(3) ? " unique" : "")}");
        await Read("""
            SELECT t.relname, string_agg(a.attname, ',' ORDER BY k.ord)
            FROM pg_constraint con JOIN pg_class t ON t.oid = con.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
            CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
            JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
            WHERE con.contype = 'p' AND n.nspname = 'public' AND t.relname NOT LIKE 'qrtz\_%' AND t.relname <> 'schema_migrations'
            GROUP BY t.relname, con.conname
            """, r => $"pk {r.GetString(0)} ({r.GetString(1)})");
        await Read("""
            SELECT t.relname, con.conname, string_agg(a.attname, ',' ORDER BY k.ord), p.relname
            FROM pg_constraint con JOIN pg_class t ON t.oid = con.conrelid JOIN pg_class p ON p.oid = con.confrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
            JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
            WHERE con.contype = 'f' AND n.nspname = 'public' AND t.relname NOT LIKE 'qrtz\_%'
            GROUP BY t.relname, con.conname, p.relname
            """, r => $"fk {r.GetString(0)}.{r.GetString(1)} ({r.GetString(2)}) -> {r.GetString(3)}");
        return result;
    }

    private static string Normalize(string type) => type.ToLowerInvariant() switch
    {
        "timestamp with time zone" or "timestamptz" => "timestamptz",
        "integer" or "int" or "int4" => "integer",
        "bigint" or "int8" => "bigint",
        "boolean" or "bool" => "boolean",
        var t when t.StartsWith("character varying", StringComparison.Ordinal) => t.Replace("character varying", "varchar", StringComparison.Ordinal),
        var t => t,
    };
}
