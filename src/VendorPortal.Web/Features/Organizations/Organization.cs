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

/// <summary>A hospital's information system (電子カルテ, PACS, …). The ledger issue extends it.</summary>
public sealed class MedicalSystem
{
    public Guid Id { get; set; }
    public Guid HospitalId { get; set; }
    public required string Name { get; set; }
    public required string Category { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
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
