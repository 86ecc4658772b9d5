using System.Security.Claims;
using VendorPortal.Features.Organizations;

namespace VendorPortal.Infrastructure.Tenancy;

/// <summary>Claim types the portal adds to every signed-in principal.</summary>
public static class PortalClaims
{
    public const string OrganizationId = "vp:org";
    public const string OrganizationKind = "vp:orgkind";
    public const string DisplayName = "vp:name";
    /// <summary>Authentication method reference (RFC 8176). "mfa" after a second factor, "apikey" for API keys.</summary>
    public const string Amr = "amr";
    public const string ApiKeyId = "vp:apikey";
}

/// <summary>
/// Who the current request acts for. Resolved once per request from the signed-in principal; the
/// database's global query filters and the authorization handler both read it from here.
/// </summary>
public interface ITenantContext
{
    /// <summary>The signed-in user's organization; null only for anonymous requests and system jobs.</summary>
    Guid? OrganizationId { get; }
    OrganizationKind? OrganizationKind { get; }
    Guid? UserId { get; }
    bool IsPlatformOperator => OrganizationKind == Features.Organizations.OrganizationKind.Platform;
}

public sealed class HttpTenantContext(IHttpContextAccessor accessor) : ITenantContext
{
    private ClaimsPrincipal? User => accessor.HttpContext?.User;

    public Guid? OrganizationId => ReadGuid(PortalClaims.OrganizationId);

    public OrganizationKind? OrganizationKind
        => Enum.TryParse<OrganizationKind>(User?.FindFirstValue(PortalClaims.OrganizationKind), out var kind) ? kind : null;

    public Guid? UserId => ReadGuid(ClaimTypes.NameIdentifier);

    private Guid? ReadGuid(string type)
        => User?.Identity?.IsAuthenticated == true && Guid.TryParse(User.FindFirstValue(type), out var id) ? id : null;
}
