using System.Security.Claims;
using VendorPortal.Features.Account;
using VendorPortal.Features.Organizations;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.Subcontracting;

/// <summary>
/// Who may do what with a 再委託 request once the tenant filters have shown it to them. The step rules themselves
/// (which role acts in which state) are in <see cref="SubcontractWorkflowRules"/>; this class turns the signed-in
/// principal into an actor and answers the few questions pages and the API ask before any step.
/// </summary>
public static class SubcontractAccess
{
    public static SubcontractActor ActorOf(ClaimsPrincipal user, ITenantContext tenant)
        => new(tenant.UserId ?? Guid.Empty, tenant.OrganizationId ?? Guid.Empty, [.. user.FindAll(ClaimTypes.Role).Select(c => c.Value)]);

    /// <summary>Vendor staff file requests (VendorAdmin, VendorMember).</summary>
    public static bool CanFile(ClaimsPrincipal user, ITenantContext tenant)
        => tenant.OrganizationKind == OrganizationKind.Vendor && (user.IsInRole(Roles.VendorAdmin) || user.IsInRole(Roles.VendorMember));

    /// <summary>The addressed hospital's staff read the hospital-only comments (review notes, the security opinion); the vendor does not.</summary>
    public static bool IsHospitalSide(SubcontractRequest r, ITenantContext tenant) => r.HospitalId == tenant.OrganizationId;

    public static bool IsRequestingVendor(SubcontractRequest r, ITenantContext tenant) => r.VendorId == tenant.OrganizationId;

    /// <summary>Hospital staff see the queue of requests waiting for one of their roles.</summary>
    public static IReadOnlyList<SubcontractState> StatesWaitingFor(ClaimsPrincipal user)
        => [.. new[] { SubcontractState.Submitted, SubcontractState.Reviewed, SubcontractState.OpinionGiven }
            .Where(s => SubcontractWorkflowRules.RolesToActNext(s).Any(user.IsInRole))];
}
