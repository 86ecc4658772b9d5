namespace VendorPortal.Features.Patches;

public enum AdvisorySeverity
{
    Low = 1,
    Medium = 2,
    High = 3,
    Critical = 4,
}

/// <summary>
/// A vulnerability advisory or patch release the hospital tracks: a CVE, a JVN entry or a vendor bulletin, with its
/// severity and release date. Its per-component status lives in <see cref="PatchStatus"/>.
/// </summary>
public sealed class SecurityAdvisory
{
    public Guid Id { get; set; }
    public Guid HospitalId { get; set; }
    /// <summary>CVE-2024-3400, JVNDB-2024-000001, a vendor bulletin number …; unique in the hospital.</summary>
    public required string Identifier { get; set; }
    public required string Title { get; set; }
    public AdvisorySeverity Severity { get; set; }
    public DateOnly ReleasedOn { get; set; }
    public string? Url { get; set; }
    public string? Description { get; set; }
    public Guid CreatedByOrganizationId { get; set; }
    public string CreatedByName { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>Where one component stands with one advisory.</summary>
public enum PatchState
{
    /// <summary>未対応: affected, nothing decided yet.</summary>
    Open = 0,
    /// <summary>適用予定 (with a date).</summary>
    Planned = 1,
    /// <summary>適用済 (date, by whom).</summary>
    Applied = 2,
    /// <summary>対象外 (with a reason).</summary>
    NotApplicable = 3,
    /// <summary>見送り (reason and compensating measure; counts only once the SecurityManager approved it).</summary>
    Deferred = 4,
}

/// <summary>One advisory on one affected component.</summary>
public sealed class PatchStatus
{
    public Guid Id { get; set; }
    public Guid HospitalId { get; set; }
    public Guid AdvisoryId { get; set; }
    public Guid ComponentId { get; set; }
    public PatchState State { get; set; }
    public DateOnly? PlannedOn { get; set; }
    /// <summary>The vendor that committed to the planned date (its reminder goes to the vendor).</summary>
    public Guid? CommittedByVendorId { get; set; }
    public DateOnly? AppliedOn { get; set; }
    public string? AppliedByName { get; set; }
    /// <summary>Why not applicable, or why deferred.</summary>
    public string? Reason { get; set; }
    /// <summary>代替措置 of a deferral.</summary>
    public string? CompensatingMeasure { get; set; }
    /// <summary>Who asked for the deferral: that person may not approve it (four eyes).</summary>
    public Guid? DeferredByUserId { get; set; }
    public Guid? DeferralApprovedByUserId { get; set; }
    public string? DeferralApprovedByName { get; set; }
    public DateTimeOffset? DeferralApprovedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string UpdatedByName { get; set; } = "";
    public int Revision { get; set; }
}
