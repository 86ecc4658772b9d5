using System.Security.Claims;
using VendorPortal.Features.Account;
using VendorPortal.Features.Organizations;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.Ledger;

/// <summary>Who acts on the ledger: the organization, its kind, the person and what they may do.</summary>
public sealed record LedgerActor(Guid OrganizationId, OrganizationKind Kind, Guid? UserId, string Name, bool CanEdit, bool CanPropose)
{
    public bool IsVendor => Kind == OrganizationKind.Vendor;
    public bool IsHospital => Kind == OrganizationKind.Hospital;
}

/// <summary>
/// Who may do what on the 医療情報システム台帳. Hospital editors (TenantAdmin, SystemOperator, PlanningManager,
/// SecurityManager) create and change systems and components and decide proposals; Executive and Auditor only read.
/// Vendor staff (VendorAdmin, VendorMember) see the components they supply and propose changes; they never edit.
/// Which rows anyone sees at all is the query filters' business (AppDbContext.ConfigureLedger).
/// </summary>
public static class LedgerAccess
{
    public static readonly string[] EditorRoles = [Roles.TenantAdmin, Roles.SystemOperator, Roles.PlanningManager, Roles.SecurityManager];
    public static readonly string[] ProposerRoles = [Roles.VendorAdmin, Roles.VendorMember];

    public static bool CanEdit(ClaimsPrincipal user, ITenantContext tenant)
        => tenant.OrganizationKind == OrganizationKind.Hospital && EditorRoles.Any(user.IsInRole);

    public static bool CanPropose(ClaimsPrincipal user, ITenantContext tenant)
        => tenant.OrganizationKind == OrganizationKind.Vendor && ProposerRoles.Any(user.IsInRole);

    public static LedgerActor ActorOf(ClaimsPrincipal user, ITenantContext tenant) => new(
        tenant.OrganizationId ?? Guid.Empty, tenant.OrganizationKind ?? OrganizationKind.Platform, tenant.UserId,
        user.FindFirstValue(PortalClaims.DisplayName) is { Length: > 0 } name ? name : user.Identity?.Name ?? "",
        CanEdit(user, tenant), CanPropose(user, tenant));
}
