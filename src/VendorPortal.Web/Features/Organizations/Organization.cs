using VendorPortal.Features.Ledger;

namespace VendorPortal.Features.Organizations;

public enum OrganizationKind
{
    /// <summary>The operator of the portal itself; manages organizations, never sees tenant evidence.</summary>
    Platform = 0,
    /// <summary>医療機関 (hospital, clinic or pharmacy).</summary>
    Hospital = 1,
    /// <summary>医療情報システム・サービス事業者.</summary>
    Vendor = 2,
}

public enum HospitalKind
{
    Hospital = 1,
    Clinic = 2,
    Pharmacy = 3,
}

[Flags]
public enum VendorKind
{
    None = 0,
    /// <summary>製造業者 (files MDS).</summary>
    Manufacturer = 1,
    /// <summary>サービス事業者 (files SDS).</summary>
    ServiceProvider = 2,
}

/// <summary>A tenant: a hospital or a vendor. Every user belongs to exactly one.</summary>
public sealed class Organization
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public string? NameEn { get; set; }
    public OrganizationKind Kind { get; set; }
    public HospitalKind? HospitalKind { get; set; }
    public VendorKind VendorKinds { get; set; }
    /// <summary>法人番号 (13 digits), optional.</summary>
    public string? CorporateNumber { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// A hospital's information system (電子カルテ, レセコン, PACS, 部門システム, network …): the head of its part of the
/// 医療情報システム台帳, with the 機器管理票's fields (利用目的, 設置部署, 管理者, 格付け). Its devices are
/// <see cref="SystemComponent"/> rows; the vendors engaged for it come from <see cref="EngagementSystem"/>.
/// </summary>
public sealed class MedicalSystem
{
    public Guid Id { get; set; }
    public Guid HospitalId { get; set; }
    public required string Name { get; set; }
    public required string Category { get; set; }
    /// <summary>利用目的・利用内容</summary>
    public string? Description { get; set; }
    /// <summary>設置部署 / 管理部署</summary>
    public string? OwnerDepartment { get; set; }
    /// <summary>管理者</summary>
    public string? Administrator { get; set; }
    public NetworkSegment? NetworkSegment { get; set; }
    public SecurityClass? Confidentiality { get; set; }
    public SecurityClass? Integrity { get; set; }
    public SecurityClass? Availability { get; set; }
    /// <summary>運用終了日: a retired system stays in the ledger but raises no reminders.</summary>
    public DateOnly? RetiredOn { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }
}

/// <summary>契約: a hospital engages a vendor for a period and for some of its systems.</summary>
public sealed class Engagement
{
    public Guid Id { get; set; }
    public Guid HospitalId { get; set; }
    public Guid VendorId { get; set; }
    public required string Title { get; set; }
    public DateOnly StartsOn { get; set; }
    public DateOnly? EndsOn { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public List<EngagementSystem> Systems { get; set; } = [];

    public Organization? Hospital { get; set; }
    public Organization? Vendor { get; set; }

    public bool IsActiveOn(DateOnly day) => StartsOn <= day && (EndsOn is null || EndsOn >= day);
}

public sealed class EngagementSystem
{
    public Guid EngagementId { get; set; }
    public Guid SystemId { get; set; }
    public MedicalSystem? System { get; set; }
}
