using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using VendorPortal.Infrastructure.Data;

namespace VendorPortal.IntegrationTests.Support;

/// <summary>
/// The throwaway cluster test.sh starts (VP_TEST_PG). A template database is migrated once per run;
/// every test class gets its own database cloned from it, so classes never share state.
/// </summary>
public static class TestDatabase
{
    private const string Template = "vp_template";
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static bool _templateReady;

    public static string ServerConnectionString => Environment.GetEnvironmentVariable("VP_TEST_PG")
        ?? throw new InvalidOperationException("VP_TEST_PG is not set: run the tests through ./test.sh, which starts PostgreSQL.");

    public static string ConnectionStringFor(string database)
        => new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = database, Pooling = true, MaxPoolSize = 20 }.ConnectionString;

    [ModuleInitializer]
    internal static void DisableBackgroundScheduling()
    {
        // Quartz is configured while the host is built; tests that need it turn it on explicitly.
        Environment.SetEnvironmentVariable("Scheduling__Enabled", "false");
    }

    /// <summary>Creates a fresh database cloned from the migrated template and returns its connection string.</summary>
    public static async Task<string> CreateAsync(string prefix = "vp_t")
    {
        await EnsureTemplateAsync();
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(60, prefix.Length + 33)];
        await Gate.WaitAsync(); // CREATE DATABASE ... TEMPLATE needs the template to have no other connections.
        try
        {
            await ExecAsync($"CREATE DATABASE \"{name}\" TEMPLATE {Template}");
        }
        finally
        {
            Gate.Release();
        }
        return ConnectionStringFor(name);
    }

    /// <summary>An empty database (no migrations), for migration tests.</summary>
    public static async Task<string> CreateEmptyAsync()
    {
        var name = $"vp_e_{Guid.NewGuid():N}";
        await ExecAsync($"CREATE DATABASE \"{name}\"");
        return ConnectionStringFor(name);
    }

    private static async Task EnsureTemplateAsync()
    {
        if (_templateReady)
        {
            return;
        }
        await Gate.WaitAsync();
        try
        {
            if (_templateReady)
            {
                return;
            }
            await ExecAsync($"DROP DATABASE IF EXISTS {Template}");
            await ExecAsync($"CREATE DATABASE {Template}");
            var cs = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = Template, Pooling = false }.ConnectionString;
            await new MigrationRunner(NullLogger<MigrationRunner>.Instance).ApplyAsync(cs);
            _templateReady = true;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task ExecAsync(string sql)
    {
        var cs = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
