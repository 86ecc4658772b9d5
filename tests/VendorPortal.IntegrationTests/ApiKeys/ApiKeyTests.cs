using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Account;
using VendorPortal.Features.ApiKeys;
using VendorPortal.Features.Organizations;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.IntegrationTests.Support;

namespace VendorPortal.IntegrationTests.ApiKeys;

public sealed class ApiKeyTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private async Task<(PortalClient Session, CreatedApiKeyDto Key, TenantSet Tenants)> CreateKeyAsync(string role = Roles.VendorAdmin)
    {
        var tenants = await factory.Tenants.CreateAsync();
        var session = factory.CreatePortalClient();
        await session.SignInAsync(tenants[role]);
        var response = await session.SendJsonAsync(HttpMethod.Post, "/api/v1/api-keys", new { name = "連携用", expiresInDays = 30 });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (session, (await response.Content.ReadFromJsonAsync<CreatedApiKeyDto>())!, tenants);
    }

    private HttpClient KeyClient(string secret)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", secret);
        return client;
    }

    [Fact]
    public async Task Key_acts_as_its_owner_inside_the_owners_organization_and_each_use_is_audited()
    {
        var (session, key, tenants) = await CreateKeyAsync();
        using var _ = session;
        Assert.StartsWith("vpk_", key.Secret);
        using var api = KeyClient(key.Secret);
        var me = await api.GetFromJsonAsync<MeDto>("/api/v1/me");
        Assert.Equal(tenants.Vendor.Id, me!.OrganizationId);
        var hospitals = await api.GetFromJsonAsync<List<HospitalDto>>("/api/v1/hospitals");
        Assert.Equal([tenants.Hospital.Id], hospitals!.Select(h => h.Id));

        var stored = await factory.WithDbAsync(async (db, _) => await db.ApiKeys.SingleAsync(k => k.Id == key.Key.Id));
        // Split by the product's own parser: base64url parts may contain '_' themselves.
        Assert.True(VendorPortal.Features.ApiKeys.ApiKeyFormat.TryParse(key.Secret, out var keyPrefix, out var secret) && keyPrefix.Length == 8);
        Assert.DoesNotContain(secret, stored.SecretHash);
        Assert.NotNull(stored.LastUsedAt);
        var uses = await factory.WithDbAsync(async (db, _) => await db.AuditEvents.CountAsync(e => e.Action == AuditActions.ApiKeyUsed && e.UserId == tenants[Roles.VendorAdmin].Id));
        Assert.Equal(2, uses);
    }

    [Fact]
    public async Task Revoked_or_expired_keys_and_wrong_secrets_are_refused()
    {
        var (session, key, _) = await CreateKeyAsync();
        using var __ = session;
        using (var wrong = KeyClient(key.Secret[..^2] + "xx"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/api/v1/me")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.NoContent, (await session.SendJsonAsync(HttpMethod.Delete, $"/api/v1/api-keys/{key.Key.Id}", null)).StatusCode);
        using (var revoked = KeyClient(key.Secret))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await revoked.GetAsync("/api/v1/me")).StatusCode);
        }

        var (session2, key2, _) = await CreateKeyAsync(Roles.Auditor);
        using var ___ = session2;
        await factory.WithDbAsync(async (db, _) =>
        {
            var k = await db.ApiKeys.SingleAsync(x => x.Id == key2.Key.Id);
            k.ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1);
            await db.SaveChangesAsync();
        });
        using var expired = KeyClient(key2.Secret);
        Assert.Equal(HttpStatusCode.Unauthorized, (await expired.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task A_key_cannot_mint_keys_and_a_session_needs_the_antiforgery_header()
    {
        var (session, key, _) = await CreateKeyAsync();
        using var __ = session;
        using var api = KeyClient(key.Secret);
        var mint = await api.PostAsJsonAsync("/api/v1/api-keys", new { name = "child" });
        Assert.Equal(HttpStatusCode.Forbidden, mint.StatusCode);
        Assert.Equal("application/problem+json", mint.Content.Headers.ContentType!.MediaType);

        var noToken = await session.SendJsonAsync(HttpMethod.Post, "/api/v1/api-keys", new { name = "x" }, tokenFrom: null);
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
    }

    [Fact]
    public async Task Bad_input_gets_problem_details_and_creates_nothing()
    {
        var (session, _, tenants) = await CreateKeyAsync();
        using var __ = session;
        var before = await factory.WithDbAsync(async (db, _) => await db.ApiKeys.CountAsync(k => k.UserId == tenants[Roles.VendorAdmin].Id));
        var empty = await session.SendJsonAsync(HttpMethod.Post, "/api/v1/api-keys", new { name = "" });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        var problem = await empty.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ValidationProblemDetails>();
        Assert.True(problem!.Errors.ContainsKey("name"));
        var tooLong = await session.SendJsonAsync(HttpMethod.Post, "/api/v1/api-keys", new { name = "x", expiresInDays = 1000 });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        var after = await factory.WithDbAsync(async (db, _) => await db.ApiKeys.CountAsync(k => k.UserId == tenants[Roles.VendorAdmin].Id));
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Another_tenant_cannot_revoke_a_key()
    {
        var (owner, key, _) = await CreateKeyAsync();
        using var __ = owner;
        var other = await factory.Tenants.CreateAsync();
        using var attacker = factory.CreatePortalClient();
        await attacker.SignInAsync(other[Roles.VendorAdmin]);
        Assert.Equal(HttpStatusCode.NotFound, (await attacker.SendJsonAsync(HttpMethod.Delete, $"/api/v1/api-keys/{key.Key.Id}", null)).StatusCode);
        var page = await attacker.PostFormAsync($"/Account/ApiKeys?handler=Revoke&apiKeyId={key.Key.Id}", new Dictionary<string, string>(), "/Account/ApiKeys");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        var listed = await attacker.Http.GetFromJsonAsync<List<ApiKeyDto>>("/api/v1/api-keys");
        Assert.DoesNotContain(listed!, k => k.Id == key.Key.Id);
        using var api = KeyClient(key.Secret);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/me")).StatusCode);
    }
}
