namespace VendorPortal.Features.Contacts;

/// <summary>One incident contact of a vendor (障害受付窓口, セキュリティ責任者…), kept current by its VendorAdmin.</summary>
public sealed class VendorContact
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid VendorId { get; set; }
    public int Position { get; set; }
    public string RoleLabel { get; set; } = "";
    public string Name { get; set; } = "";
    /// <summary>A line answered 24 hours a day; at least one contact of the vendor must have one.</summary>
    public string? Phone24h { get; set; }
    /// <summary>A way that is not e-mail (携帯, FAX, 専用窓口 URL): mail may be down during an incident.</summary>
    public string OtherChannel { get; set; } = "";
    public string? Email { get; set; }
    public string? Hours { get; set; }
}

/// <summary>When a vendor last confirmed its contacts (saving them confirms too) and who did.</summary>
public sealed class VendorContactConfirmation
{
    public Guid VendorId { get; set; }
    public DateTimeOffset ConfirmedAt { get; set; }
    public string ConfirmedByName { get; set; } = "";
}

/// <summary>The roles of a hospital's 連絡体制図: internal ones and the authorities.</summary>
public enum HospitalContactRole
{
    SafetyManager, Csirt, Executive, Operations,
    AuthorityMhlw, AuthorityPolice, AuthorityHealthCenter, AuthorityPpc, AuthorityIpa,
}

/// <summary>One role of the hospital's chart: who (or which office) and how to reach them in and out of hours.</summary>
public sealed class HospitalContact
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid HospitalId { get; set; }
    public HospitalContactRole Role { get; set; }
    public string Name { get; set; } = "";
    public string? Phone { get; set; }
    public string? PhoneOutOfHours { get; set; }
    public string? Email { get; set; }
    public string? Note { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string UpdatedByName { get; set; } = "";
}
