using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VendorPortal.Features.Account;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.IntegrationTests.Support;

namespace VendorPortal.IntegrationTests.Audit;

public sealed class AuditLogTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Sign_ins_failures_and_data_changes_are_recorded_with_ip_and_user_agent_and_no_secrets()
    {
        var tenants = await factory.Tenants.CreateAsync();
        var admin = tenants[Roles.TenantAdmin];
        using var client = factory.CreatePortalClient();
        client.Http.DefaultRequestHeaders.UserAgent.ParseAdd("AuditTest/1.0");
        await client.PostFormAsync("/Account/Login", new Dictionary<string, string> { ["Input.Email"] = admin.Email, ["Input.Password"] = "not-the-password" });
        await client.SignInAsync(admin);
        await client.PostFormAsync("/Admin/Invite", new Dictionary<string, string> { ["Email"] = "newcomer@hospital.test", ["Role"] = Roles.Auditor });

        var events = await factory.WithDbAsync(async (db, _) => await db.AuditEvents.Where(e => e.UserId == admin.Id || e.OrganizationId == tenants.Hospital.Id).OrderBy(e => e.Sequence).ToListAsync());
        Assert.Contains(events, e => e.Action == AuditActions.SignInFailed);
        Assert.Contains(events, e => e.Action == AuditActions.SignIn && e.Summary.Contains("second_factor_ok"));
        var invite = Assert.Single(events, e => e.Action == AuditActions.InvitationSent);
        Assert.Contains("newcomer@hospital.test", invite.Summary);
        Assert.Equal("AuditTest/1.0", invite.UserAgent);
        // TestServer has no remote address; under Kestrel the IP is recorded (see the browser tests).
        var created = Assert.Single(events, e => e.Action == AuditActions.EntityCreated && e.TargetType == "invitations");
        Assert.DoesNotContain("TokenHash", created.Summary);
        Assert.All(events, e => Assert.DoesNotContain(admin.Password, e.Summary));
    }

    [Fact]
    public async Task The_chain_verifies_and_a_tampered_event_is_reported_at_its_sequence()
    {
        var tenants = await factory.Tenants.CreateAsync();
        using (var client = factory.CreatePortalClient())
        {
            await client.SignInAsync(tenants[Roles.Auditor]);
        }
        var verification = await factory.WithDbAsync((_, sp) => sp.GetRequiredService<AuditVerification>().VerifyAsync());
        Assert.True(verification.IsIntact);
        Assert.True(verification.Checked > 5);

        // The database itself refuses updates and deletes of audit rows.
        var target = await factory.WithDbAsync(async (db, _) => await db.AuditEvents.OrderByDescending(e => e.Sequence).Skip(2).FirstAsync());
        await using var conn = new NpgsqlConnection(factory.ConnectionString);
        await conn.OpenAsync();
        var update = new NpgsqlCommand($"UPDATE audit_events SET summary = '{{}}' WHERE sequence = {target.Sequence}", conn);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => update.ExecuteNonQueryAsync());
        Assert.Contains("append-only", refused.MessageText);
        var delete = new NpgsqlCommand($"DELETE FROM audit_events WHERE sequence = {target.Sequence}", conn);
        await Assert.ThrowsAsync<PostgresException>(() => delete.ExecuteNonQueryAsync());

        // A superuser who disables the trigger can still edit a row: verification finds it.
        await new NpgsqlCommand($"ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only; UPDATE audit_events SET action = 'auth.nothing_to_see' WHERE sequence = {target.Sequence}; ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only;", conn).ExecuteNonQueryAsync();
        var broken = await factory.WithDbAsync((_, sp) => sp.GetRequiredService<AuditVerification>().VerifyAsync());
        Assert.False(broken.IsIntact);
        Assert.Equal(target.Sequence, broken.FirstBreak!.Sequence);
        Assert.Equal("content_changed", broken.FirstBreak.Kind);

        // The verify-audit command reports the same.
        using var client2 = factory.CreatePortalClient();
        await client2.SignInAsync(tenants[Roles.SecurityManager]);
        var page = await client2.GetAsync("/Audit?verify=true");
        Assert.Contains($"番号{target.Sequence}で壊れています", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Security_manager_searches_and_downloads_csv_of_their_own_organization_only()
    {
        var mine = await factory.Tenants.CreateAsync();
        var theirs = await factory.Tenants.CreateAsync();
        using (var other = factory.CreatePortalClient())
        {
            await other.SignInAsync(theirs[Roles.TenantAdmin]);
        }
        using var client = factory.CreatePortalClient();
        await client.SignInAsync(mine[Roles.SecurityManager]);

        var page = await client.GetDocumentAsync("/Audit?Action=auth.");
        var rows = page.QuerySelectorAll("#audit-events tbody tr");
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.StartsWith("auth.", r.Children[3].TextContent));
        Assert.DoesNotContain(theirs[Roles.TenantAdmin].Email, page.Body!.TextContent);

        var csv = await client.GetAsync("/Audit?handler=Csv&Action=auth.");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        Assert.StartsWith("sequence,occurred_at_jst,user", text);
        Assert.Contains(mine[Roles.SecurityManager].Email, text);
        Assert.DoesNotContain(theirs[Roles.TenantAdmin].Email, text);
        Assert.True(await factory.WithDbAsync(async (db, _) => await db.AuditEvents.AnyAsync(e => e.Action == AuditActions.AuditExported && e.UserId == mine[Roles.SecurityManager].Id)));
    }

    [Fact]
    public async Task Members_without_an_audit_role_cannot_read_the_log()
    {
        var tenants = await factory.Tenants.CreateAsync();
        using var client = factory.CreatePortalClient();
        await client.SignInAsync(tenants[Roles.VendorMember]);
        var page = await client.GetAsync("/Audit");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Contains("/Account/AccessDenied", page.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/audit-events")).StatusCode);
    }

    [Fact]
    public async Task Retention_removes_only_events_older_than_the_policy_and_the_chain_still_verifies()
    {
        await factory.Tenants.CreateAsync();
        await using var conn = new NpgsqlConnection(factory.ConnectionString);
        await conn.OpenAsync();
        // Age the three oldest events past five years (as a superuser, around the append-only trigger).
        await new NpgsqlCommand("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only; UPDATE audit_events SET occurred_at = occurred_at - interval '6 years' WHERE sequence <= 3; ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only;", conn).ExecuteNonQueryAsync();
        // Re-hash is impossible for an attacker but the test ages rows legitimately: rebuild those three hashes in order.
        await factory.WithDbAsync(async (db, _) =>
        {
            var aged = await db.AuditEvents.AsNoTracking().Where(e => e.Sequence <= 4).OrderBy(e => e.Sequence).ToListAsync();
            var prev = AuditChain.Genesis;
            foreach (var e in aged)
            {
                e.PrevHash = prev;
                e.Hash = AuditChain.ComputeHash(prev, e);
                prev = e.Hash;
                await new NpgsqlCommand($"ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only; UPDATE audit_events SET prev_hash = '{e.PrevHash}', hash = '{e.Hash}' WHERE sequence = {e.Sequence}; ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only;", conn).ExecuteNonQueryAsync();
            }
        });
        await factory.WithDbAsync(async (db, sp) =>
        {
            // Sequence 5 must still link to 4's (new) hash for the chain to verify after removal: rebuild the rest too.
            var rest = await db.AuditEvents.AsNoTracking().Where(e => e.Sequence > 4).OrderBy(e => e.Sequence).ToListAsync();
            var prev = (await db.AuditEvents.AsNoTracking().SingleAsync(e => e.Sequence == 4)).Hash;
            foreach (var e in rest)
            {
                e.PrevHash = prev;
                e.Hash = AuditChain.ComputeHash(prev, e);
                prev = e.Hash;
                await new NpgsqlCommand($"ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only; UPDATE audit_events SET prev_hash = '{e.PrevHash}', hash = '{e.Hash}' WHERE sequence = {e.Sequence}; ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only;", conn).ExecuteNonQueryAsync();
            }
        });
        var removed = await factory.WithDbAsync((_, sp) => sp.GetRequiredService<AuditRetention>().RunAsync());
        Assert.Equal(3, removed);
        var remaining = await factory.WithDbAsync(async (db, _) => await db.AuditEvents.MinAsync(e => e.Sequence));
        Assert.Equal(4, remaining);
        var verification = await factory.WithDbAsync((_, sp) => sp.GetRequiredService<AuditVerification>().VerifyAsync());
        Assert.True(verification.IsIntact, verification.FirstBreak?.Detail);
        Assert.True(await factory.WithDbAsync(async (db, _) => await db.AuditEvents.AnyAsync(e => e.Action == AuditActions.AuditRetention)));
    }
}
