using VendorPortal.Features.Organizations;

namespace VendorPortal.Features.Account;

/// <summary>The roles of the portal. A role belongs to one kind of organization.</summary>
public static class Roles
{
    // Hospital roles
    public const string TenantAdmin = "TenantAdmin";
    /// <summary>システム運用担当者</summary>
    public const string SystemOperator = "SystemOperator";
    /// <summary>企画管理者</summary>
    public const string PlanningManager = "PlanningManager";
    /// <summary>医療情報システム安全管理責任者</summary>
    public const string SecurityManager = "SecurityManager";
    /// <summary>経営層</summary>
    public const string Executive = "Executive";
    /// <summary>Read-only; may export evidence.</summary>
    public const string Auditor = "Auditor";

    // Vendor roles
    public const string VendorAdmin = "VendorAdmin";
    public const string VendorMember = "VendorMember";

    // Platform
    public const string PlatformOperator = "PlatformOperator";

    public static readonly IReadOnlyList<string> Hospital =
        [TenantAdmin, SystemOperator, PlanningManager, SecurityManager, Executive, Auditor];

    public static readonly IReadOnlyList<string> Vendor = [VendorAdmin, VendorMember];

    public static readonly IReadOnlyList<string> Platform = [PlatformOperator];

    public static IEnumerable<string> All => Hospital.Concat(Vendor).Concat(Platform);

    public static IReadOnlyList<string> For(OrganizationKind kind) => kind switch
    {
        OrganizationKind.Hospital => Hospital,
        OrganizationKind.Vendor => Vendor,
        _ => Platform,
    };

    public static bool IsValidFor(OrganizationKind kind, string role) => For(kind).Contains(role);

    /// <summary>The roles that administer users of their own organization.</summary>
    public static bool IsAdmin(string role) => role is TenantAdmin or VendorAdmin or PlatformOperator;
}
