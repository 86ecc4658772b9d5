using System.Security.Claims;
using VendorPortal.Features.Account;
using VendorPortal.Features.Organizations;

namespace VendorPortal.Features.Responsibility;

/// <summary>Who may do what with a matrix, and who has to confirm a version. Pure.</summary>
public static class ResponsibilityRules
{
    /// <summary>Hospital roles that create and change matrices (Auditor and Executive only read).</summary>
    public static readonly IReadOnlyList<string> EditorRoles = [Roles.TenantAdmin, Roles.SystemOperator, Roles.PlanningManager, Roles.SecurityManager];

    /// <summary>Hospital roles that confirm a version for the hospital (企画管理者, 安全管理責任者).</summary>
    public static readonly IReadOnlyList<string> HospitalConfirmRoles = [Roles.SecurityManager, Roles.PlanningManager];

    public static bool CanEdit(ClaimsPrincipal user, OrganizationKind? kind)
        => kind == OrganizationKind.Hospital && EditorRoles.Any(user.IsInRole);

    public static bool CanConfirmFor(ClaimsPrincipal user, OrganizationKind? kind)
        => kind switch
        {
            OrganizationKind.Hospital => HospitalConfirmRoles.Any(user.IsInRole),
            OrganizationKind.Vendor => user.IsInRole(Roles.VendorAdmin) || user.IsInRole(Roles.VendorMember),
            _ => false,
        };

    /// <summary>
    /// The organizations that confirm a version: the hospital (for its departments and the cloud providers it
    /// names) and each vendor party. Subcontractors are confirmed by their vendor (垂直連携: the vendor answers for them).
    /// </summary>
    public static IReadOnlyList<Guid> Confirmers(Guid hospitalId, MatrixContent content)
        => [hospitalId, .. content.Parties.Where(p => p.Kind == PartyKind.Vendor && p.OrganizationId is not null).Select(p => p.OrganizationId!.Value).Distinct()];
}
