using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VendorPortal.Features.Account;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.ApiKeys;

/// <summary>
/// Authenticates "Authorization: Bearer vpk_…" (or X-Api-Key). The key acts as its owner with the
/// owner's current organization and roles; a deactivated owner, a revoked or expired key fail.
/// Each use is audit-logged.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AppDbContext db,
    SignInManager<AppUser> signIn,
    AuditLog audit,
    TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    /// <summary>
    /// Keys authenticate the JSON API only. Pages never accept them: a stolen key must not reach the
    /// account's own security pages (new keys, authenticator reset) through a scripted form post.
    /// </summary>
    public static bool HasApiKey(HttpRequest request)
        => Infrastructure.Authorization.ApiPaths.IsApi(request)
           && (request.Headers.ContainsKey("X-Api-Key")
               || request.Headers.Authorization.ToString().StartsWith("Bearer " + ApiKeyFormat.Marker, StringComparison.Ordinal));

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var raw = Request.Headers["X-Api-Key"].ToString();
        if (string.IsNullOrEmpty(raw))
        {
            var header = Request.Headers.Authorization.ToString();
            raw = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..].Trim() : "";
        }
        if (!ApiKeyFormat.TryParse(raw, out var prefix, out var secret))
        {
            return AuthenticateResult.NoResult();
        }
        var now = time.GetUtcNow();
        var key = await db.ApiKeys.IgnoreQueryFilters().SingleOrDefaultAsync(k => k.Prefix == prefix);
        if (key is null || !ApiKeyFormat.Matches(secret, key.SecretHash) || !key.IsUsable(now))
        {
            return AuthenticateResult.Fail("Invalid, expired or revoked API key.");
        }
        var user = await db.Users.IgnoreQueryFilters().SingleOrDefaultAsync(u => u.Id == key.UserId);
        if (user is null || user.OrganizationId != key.OrganizationId || !await signIn.CanSignInAsync(user)
            || await signIn.UserManager.IsLockedOutAsync(user))
        {
            return AuthenticateResult.Fail("The key's owner cannot sign in (deactivated or locked out).");
        }

        var principal = await signIn.CreateUserPrincipalAsync(user);
        var identity = (ClaimsIdentity)principal.Identity!;
        identity.AddClaim(new Claim(PortalClaims.Amr, "apikey"));
        identity.AddClaim(new Claim(PortalClaims.ApiKeyId, key.Id.ToString()));

        key.LastUsedAt = now;
        if (user.LastSignInAt is null || now - user.LastSignInAt > TimeSpan.FromHours(1))
        {
            // Automation through a key is use of the account: the unused-account sweep must not disable it.
            user.LastSignInAt = now;
        }
        audit.RecordFor(user.Id, user.UserName, user.OrganizationId, AuditActions.ApiKeyUsed,
            new { keyId = key.Id, key.Prefix, method = Request.Method, path = Request.Path.Value });
        await db.SaveChangesAsync();

        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Task.CompletedTask;
    }
}

/// <summary>Key format: vpk_{prefix}_{secret}. The prefix finds the row; only SHA-256(secret) is stored.</summary>
public static class ApiKeyFormat
{
    public const string Marker = "vpk_";

    public static (string Key, string Prefix, string SecretHash) Generate()
    {
        var prefix = Base64Url(RandomNumberGenerator.GetBytes(6));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        return ($"{Marker}{prefix}_{secret}", prefix, Hash(secret));
    }

    public static bool TryParse(string raw, out string prefix, out string secret)
    {
        prefix = secret = "";
        if (!raw.StartsWith(Marker, StringComparison.Ordinal))
        {
            return false;
        }
        var rest = raw[Marker.Length..];
        // base64url may itself contain '_', so the prefix is found by its fixed length of 8.
        if (rest.Length < 10 || rest[8] != '_')
        {
            return false;
        }
        prefix = rest[..8];
        secret = rest[9..];
        return secret.Length > 0;
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static bool Matches(string secret, string storedHash)
        => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(storedHash));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
