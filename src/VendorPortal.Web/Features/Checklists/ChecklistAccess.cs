using System.Security.Claims;
using VendorPortal.Features.Account;

namespace VendorPortal.Features.Checklists;

/// <summary>Who may do what with a form once the tenant filters have shown it to them.</summary>
public static class ChecklistAccess
{
    /// <summary>Hospital roles that review vendors' submissions (the Auditor and Executive only read).</summary>
    public static bool CanReview(ClaimsPrincipal user)
        => user.IsInRole(Roles.TenantAdmin) || user.IsInRole(Roles.SystemOperator) || user.IsInRole(Roles.PlanningManager) || user.IsInRole(Roles.SecurityManager);

    /// <summary>Vendor members answer vendor forms; the hospital's editors (not Auditor, not Executive) answer its own checklist.</summary>
    public static bool CanAnswer(ClaimsPrincipal user, Forms.FormKind kind = Forms.FormKind.VendorChecklist)
        => kind == Forms.FormKind.HospitalChecklist
            ? CanReview(user)
            : user.IsInRole(Roles.VendorAdmin) || user.IsInRole(Roles.VendorMember);
}
