using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using VendorPortal.Infrastructure.Data;
using VendorPortal.IntegrationTests.Support;

namespace VendorPortal.IntegrationTests.Data;

public sealed class MigrationRunnerTests
{
    [Fact]
    public async Task Two_instances_starting_together_apply_each_migration_once()
    {
        var cs = await TestDatabase.CreateEmptyAsync();
        var runner = new MigrationRunner(NullLogger<MigrationRunner>.Instance);
        var applied = await Task.WhenAll(runner.ApplyAsync(cs), runner.ApplyAsync(cs), runner.ApplyAsync(cs));
        Assert.Equal(MigrationRunner.Discover().Count, applied.Sum());
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*), count(DISTINCT version) FROM schema_migrations", conn);
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        Assert.Equal(MigrationRunner.Discover().Count, r.GetInt64(0));
        Assert.Equal(r.GetInt64(0), r.GetInt64(1));
    }

    [Fact]
    public async Task An_applied_migration_that_was_edited_is_refused()
    {
        var cs = await TestDatabase.CreateEmptyAsync();
        var runner = new MigrationRunner(NullLogger<MigrationRunner>.Instance);
        await runner.ApplyAsync(cs);
        await using (var conn = new NpgsqlConnection(cs))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("UPDATE schema_migrations SET checksum = 'edited' WHERE version = '0001'", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => runner.ApplyAsync(cs));
        Assert.Contains("0001_initial.sql", ex.Message);
    }
}
