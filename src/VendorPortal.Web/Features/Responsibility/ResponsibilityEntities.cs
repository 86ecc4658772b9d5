namespace VendorPortal.Features.Responsibility;

/// <summary>
/// The 責任分界表 of one hospital system (one per system). <see cref="CurrentVersion"/> is the number of the latest
/// version (0 never happens: a matrix is created with its version 1). Content lives in the immutable versions.
/// </summary>
public sealed class ResponsibilityMatrix
{
    public Guid Id { get; set; }
    public Guid HospitalId { get; set; }
    public Guid SystemId { get; set; }
    /// <summary>Also the concurrency token: two saves on the same base cannot both become the next version.</summary>
    public int CurrentVersion { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One saved version: the canonical content JSON kept byte for byte (text, not jsonb) and its SHA-256. Never updated (trigger).</summary>
public sealed class ResponsibilityMatrixVersion
{
    public Guid Id { get; set; }
    public Guid MatrixId { get; set; }
    public int Number { get; set; }
    public string Content { get; set; } = "";
    public string ContentHash { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public Guid? CreatedByUserId { get; set; }
    public string CreatedByName { get; set; } = "";
    public string? ChangeNote { get; set; }
}

/// <summary>An organization (the hospital or a vendor party) confirmed one version. One per version and organization.</summary>
public sealed class ResponsibilityConfirmation
{
    public Guid Id { get; set; }
    public Guid MatrixId { get; set; }
    public int VersionNumber { get; set; }
    public Guid OrganizationId { get; set; }
    public Guid UserId { get; set; }
    public string UserName { get; set; } = "";
    public DateTimeOffset ConfirmedAt { get; set; }
}
