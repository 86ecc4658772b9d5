using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using VendorPortal.Features.Organizations;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Infrastructure.Authorization;

/// <summary>
/// The single authorization check (after bitwarden's OrganizationRequirementHandler): second factor
/// done, organization kind and role allowed, and any hospital named by the route visible to the
/// user's organization. A hospital that is not visible fails with <see cref="NotFoundReason"/>, which
/// <see cref="PortalAuthorizationResultHandler"/> turns into 404 so its existence is not revealed.
/// </summary>
public sealed class PortalAuthorizationHandler(IHospitalVisibility visibility) : AuthorizationHandler<PortalRequirement>
{
    public const string MfaRequiredReason = "mfa_required";
    public const string NotFoundReason = "not_found";

    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, PortalRequirement requirement)
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            return;
        }
        if (!HasCompletedSecondFactor(user))
        {
            context.Fail(new AuthorizationFailureReason(this, MfaRequiredReason));
            return;
        }
        if (!Guid.TryParse(user.FindFirstValue(PortalClaims.OrganizationId), out var orgId)
            || !Enum.TryParse<OrganizationKind>(user.FindFirstValue(PortalClaims.OrganizationKind), out var kind))
        {
            context.Fail(new AuthorizationFailureReason(this, "no_organization"));
            return;
        }

        if (requirement.RouteHospital)
        {
            var http = context.Resource as HttpContext ?? (context.Resource as Microsoft.AspNetCore.Mvc.Filters.AuthorizationFilterContext)?.HttpContext;
            var raw = http?.GetRouteValue("hospitalId")?.ToString();
            if (!Guid.TryParse(raw, out var hospitalId) || !await visibility.CanSeeHospitalAsync(orgId, kind, hospitalId))
            {
                context.Fail(new AuthorizationFailureReason(this, NotFoundReason));
                return;
            }
        }
        if (requirement.Kinds is { } kinds && !kinds.Contains(kind))
        {
            context.Fail(new AuthorizationFailureReason(this, "wrong_organization_kind"));
            return;
        }
        if (requirement.Roles is { } roles && !roles.Any(user.IsInRole))
        {
            context.Fail(new AuthorizationFailureReason(this, "role_not_allowed"));
            return;
        }
        context.Succeed(requirement);
    }

    public static bool HasCompletedSecondFactor(ClaimsPrincipal user)
        => user.HasClaim(PortalClaims.Amr, "mfa") || user.HasClaim(PortalClaims.Amr, "apikey");
}
