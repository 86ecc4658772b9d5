using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using VendorPortal.Infrastructure.Api;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.ApiKeys;

public sealed record ApiKeyDto(Guid Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt);
public sealed record CreateApiKeyRequest(string? Name, int? ExpiresInDays);
public sealed record CreatedApiKeyDto(ApiKeyDto Key, string Secret);

/// <summary>Personal API keys: create (only with a completed second factor in a session), list, revoke.</summary>
public static class ApiKeysApi
{
    public static void Map(RouteGroupBuilder v1)
    {
        var g = v1.MapGroup("/api-keys").WithTags("API keys");
        g.MapGet("/", async (ITenantContext tenant, AppDbContext db) =>
            await db.ApiKeys.Where(k => k.UserId == tenant.UserId).OrderByDescending(k => k.CreatedAt).Select(k => ToDto(k)).ToListAsync())
            .WithName("ListApiKeys");

        g.MapPost("/", async (CreateApiKeyRequest request, ClaimsPrincipal user, ApiKeyService keys, IStringLocalizer<SharedResource> l) =>
        {
            // A key cannot mint keys: creating one needs an interactive session that passed MFA.
            if (!user.HasClaim(PortalClaims.Amr, "mfa"))
            {
                return Results.Problem(title: l["ApiKeyNeedsSession"], statusCode: StatusCodes.Status403Forbidden);
            }
            var result = await keys.CreateAsync(request.Name, request.ExpiresInDays ?? ApiKeyService.DefaultLifetimeDays);
            return result.Error is { } error
                ? ApiResults.Invalid(result.Field!, error)
                : Results.Created($"/api/v1/api-keys/{result.Key!.Id}", new CreatedApiKeyDto(ToDto(result.Key), result.Secret!));
        }).WithName("CreateApiKey");

        g.MapDelete("/{apiKeyId:guid}", async (Guid apiKeyId, ApiKeyService keys) =>
            await keys.RevokeAsync(apiKeyId) ? Results.NoContent() : Results.NotFound())
            .WithName("RevokeApiKey");
    }

    public static ApiKeyDto ToDto(ApiKey k) => new(k.Id, k.Name, k.Prefix, k.CreatedAt, k.ExpiresAt, k.RevokedAt, k.LastUsedAt);
}

public sealed record ApiKeyCreation(ApiKey? Key, string? Secret, string? Field, string? Error);

public sealed class ApiKeyService(AppDbContext db, ITenantContext tenant, AuditLog audit, TimeProvider time, IStringLocalizer<SharedResource> l)
{
    public const int DefaultLifetimeDays = 90;
    public const int MaxLifetimeDays = 365;

    public async Task<ApiKeyCreation> CreateAsync(string? name, int days)
    {
        name = name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 100)
        {
            return new(null, null, "name", l["ApiKeyNameInvalid"]);
        }
        if (days is < 1 or > MaxLifetimeDays)
        {
            return new(null, null, "expiresInDays", string.Format(l["ApiKeyLifetimeInvalid"], MaxLifetimeDays));
        }
        var (secret, prefix, hash) = ApiKeyFormat.Generate();
        var now = time.GetUtcNow();
        var key = new ApiKey
        {
            Id = Guid.NewGuid(), UserId = tenant.UserId!.Value, OrganizationId = tenant.OrganizationId!.Value,
            Name = name, Prefix = prefix, SecretHash = hash, CreatedAt = now, ExpiresAt = now.AddDays(days),
        };
        db.ApiKeys.Add(key);
        audit.Record(AuditActions.ApiKeyCreated, "api_key", key.Id.ToString(), new { name, prefix, expiresAt = key.ExpiresAt });
        await db.SaveChangesAsync();
        return new(key, secret, null, null);
    }

    /// <summary>Revokes one of the caller's own keys; anything else is "not found".</summary>
    public async Task<bool> RevokeAsync(Guid id)
    {
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == id && k.UserId == tenant.UserId);
        if (key is null)
        {
            return false;
        }
        if (key.RevokedAt is null)
        {
            key.RevokedAt = time.GetUtcNow();
            audit.Record(AuditActions.ApiKeyRevoked, "api_key", key.Id.ToString(), new { key.Name, key.Prefix });
            await db.SaveChangesAsync();
        }
        return true;
    }
}
