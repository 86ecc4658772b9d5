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

public sealed class HttpTenantContext(IHttpContextAccessor accessor, ActingUser acting) : ITenantContext
{
    private ClaimsPrincipal? User => accessor.HttpContext?.User;

    public Guid? OrganizationId => acting.IsSet ? acting.OrganizationId : ReadGuid(PortalClaims.OrganizationId);

    public OrganizationKind? OrganizationKind => acting.IsSet ? acting.OrganizationKind
        : Enum.TryParse<OrganizationKind>(User?.FindFirstValue(PortalClaims.OrganizationKind), out var kind) ? kind : null;

    public Guid? UserId => acting.IsSet ? acting.UserId : ReadGuid(ClaimTypes.NameIdentifier);

    private Guid? ReadGuid(string type)
        => User?.Identity?.IsAuthenticated == true && Guid.TryParse(User.FindFirstValue(type), out var id) ? id : null;
}

/// <summary>
/// Background work that runs for a user (the inspection export job) sets this at the start of its DI scope, and from
/// then on the scope behaves as that user's request would: the database's tenant filters show exactly what the user's
/// organization sees, and audit events name the user. Set once; a scope never switches identity. Unset (the normal
/// case) it changes nothing: requests use their principal, system jobs stay unscoped.
/// </summary>
public sealed class ActingUser
{
    public bool IsSet { get; private set; }
    public Guid? OrganizationId { get; private set; }
    public OrganizationKind? OrganizationKind { get; private set; }
    public Guid? UserId { get; private set; }
    public string? UserName { get; private set; }

    public void Set(Guid organizationId, OrganizationKind kind, Guid userId, string userName)
    {
        if (IsSet)
        {
            throw new InvalidOperationException("This scope already acts for a user.");
        }
        (OrganizationId, OrganizationKind, UserId, UserName, IsSet) = (organizationId, kind, userId, userName, true);
    }
}
