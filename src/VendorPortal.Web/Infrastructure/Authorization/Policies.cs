using Microsoft.AspNetCore.Authorization;
using VendorPortal.Features.Account;
using VendorPortal.Features.Organizations;

namespace VendorPortal.Infrastructure.Authorization;

/// <summary>
/// Every policy of the portal, one line each. Each is a <see cref="PortalRequirement"/> checked by
/// <see cref="PortalAuthorizationHandler"/>: the one place where organization, role and second factor are enforced.
/// </summary>
public static class Policies
{
    /// <summary>Any active member who completed MFA. Also the fallback policy for every endpoint.</summary>
    public const string Member = "Member";
    /// <summary>Signed in with a password, second factor possibly not yet enrolled (enrolment and sign-out only).</summary>
    public const string PasswordOnly = "PasswordOnly";
    public const string OrganizationAdmin = "OrganizationAdmin";
    public const string HospitalStaff = "HospitalStaff";
    /// <summary>The {hospitalId} in the route is the user's own hospital or one their vendor actively serves.</summary>
    public const string HospitalInRoute = "HospitalInRoute";
    /// <summary>Staff of the hospital named by the route (vendors never): gaps and other hospital-internal views.</summary>
    public const string HospitalStaffInRoute = "HospitalStaffInRoute";
    /// <summary>Staff of a vendor (products and their MDS/SDS disclosures, 再委託 requests).</summary>
    public const string VendorStaff = "VendorStaff";
    public const string AuditReader = "AuditReader";
    /// <summary>Members of a hospital or a vendor (tenant work such as 再委託 requests; not the platform).</summary>
    public const string HospitalOrVendor = "HospitalOrVendor";
    /// <summary>立入検査用 evidence bundle: Auditor, SecurityManager or Executive of the hospital in the route.</summary>
    public const string InspectionExportInRoute = "InspectionExportInRoute";
    public const string PlatformOperator = "PlatformOperator";

    public static void Register(AuthorizationOptions options)
    {
        var member = Build(new PortalRequirement());
        options.FallbackPolicy = member;
        options.DefaultPolicy = member;
        options.AddPolicy(Member, member);
        options.AddPolicy(PasswordOnly, new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        options.AddPolicy(OrganizationAdmin, Build(new PortalRequirement(Roles: [Roles.TenantAdmin, Roles.VendorAdmin, Roles.PlatformOperator])));
        options.AddPolicy(HospitalStaff, Build(new PortalRequirement(Kinds: [OrganizationKind.Hospital])));
        options.AddPolicy(HospitalInRoute, Build(new PortalRequirement(Kinds: [OrganizationKind.Hospital, OrganizationKind.Vendor], RouteHospital: true)));
        options.AddPolicy(HospitalStaffInRoute, Build(new PortalRequirement(Kinds: [OrganizationKind.Hospital], RouteHospital: true)));
        options.AddPolicy(VendorStaff, Build(new PortalRequirement(Kinds: [OrganizationKind.Vendor])));
        options.AddPolicy(AuditReader, Build(new PortalRequirement(Kinds: [OrganizationKind.Hospital, OrganizationKind.Vendor], Roles: [Roles.SecurityManager, Roles.Auditor, Roles.TenantAdmin, Roles.VendorAdmin])));
        options.AddPolicy(InspectionExportInRoute, Build(new PortalRequirement(Kinds: [OrganizationKind.Hospital], Roles: [Roles.Auditor, Roles.SecurityManager, Roles.Executive], RouteHospital: true)));
        options.AddPolicy(HospitalOrVendor, Build(new PortalRequirement(Kinds: [OrganizationKind.Hospital, OrganizationKind.Vendor])));
        options.AddPolicy(PlatformOperator, Build(new PortalRequirement(Kinds: [OrganizationKind.Platform], Roles: [Roles.PlatformOperator])));
    }

    private static AuthorizationPolicy Build(PortalRequirement requirement)
        => new AuthorizationPolicyBuilder().RequireAuthenticatedUser().AddRequirements(requirement).Build();
}

/// <param name="Kinds">Organization kinds allowed; null means any.</param>
/// <param name="Roles">Roles allowed (any of); null means any role.</param>
/// <param name="RouteHospital">Whether the route's {hospitalId} must be visible to the user's organization.</param>
public sealed record PortalRequirement(
    OrganizationKind[]? Kinds = null,
    string[]? Roles = null,
    bool RouteHospital = false) : IAuthorizationRequirement;
