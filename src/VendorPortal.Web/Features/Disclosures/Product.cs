using VendorPortal.Features.Forms;

namespace VendorPortal.Features.Disclosures;

/// <summary>
/// A vendor's product (MDS, 製造業者) or service (SDS, サービス事業者) in one version. It has exactly one
/// disclosure: a <see cref="FormSubmission"/> with <see cref="FormSubmission.ProductId"/> pointing here.
/// A new version of the product is a new row that names the one it was copied from.
/// </summary>
public sealed class Product
{
    public Guid Id { get; set; }
    public Guid VendorId { get; set; }
    /// <summary><see cref="FormKind.Mds"/> (a product or device) or <see cref="FormKind.Sds"/> (a service).</summary>
    public FormKind Kind { get; set; }
    public required string Name { get; set; }
    /// <summary>The vendor's own version label, e.g. "5.2" or "2026年4月版".</summary>
    public required string Version { get; set; }
    /// <summary>The product version this one was copied from, if any.</summary>
    public Guid? PreviousProductId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public Guid? CreatedByUserId { get; set; }

    public string Label => $"{Name} {Version}";
}

/// <summary>
/// One hospital that receives a vendor's disclosure. Each hospital reviews on its own row: accepting or
/// returning changes this row, never the shared submission. A hospital sees only its own row (query filter).
/// </summary>
public sealed class FormSubmissionRecipient
{
    public Guid SubmissionId { get; set; }
    public Guid HospitalId { get; set; }
    /// <summary>The vendor that answers the submission (copied here so the tenant filter needs no join).</summary>
    public Guid VendorId { get; set; }
    /// <summary>Draft (not yet submitted), Submitted (awaiting this hospital's review), Returned or Accepted.</summary>
    public SubmissionState ReviewState { get; set; }
    /// <summary>The version the hospital's last decision was about.</summary>
    public int? ReviewedVersion { get; set; }
    public DateTimeOffset? ReviewedAt { get; set; }
    public Guid? ReviewedByUserId { get; set; }
    public DateTimeOffset SharedAt { get; set; }
    public Guid SharedByUserId { get; set; }
    /// <summary>Set when the vendor stops sharing with this hospital; the hospital no longer sees the disclosure.</summary>
    public DateTimeOffset? WithdrawnAt { get; set; }
    public Guid? WithdrawnByUserId { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// A file attached to a submission (the signed PDF, certificates). Once a submitted version lists it, it is
/// part of that immutable snapshot: the database refuses to delete it or change its content.
/// </summary>
public sealed class FormAttachment
{
    public Guid Id { get; set; }
    public Guid SubmissionId { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }
    public required string Sha256 { get; set; }
    public byte[] Content { get; set; } = [];
    public DateTimeOffset UploadedAt { get; set; }
    public Guid UploadedByUserId { get; set; }
    public required string UploadedByName { get; set; }
    /// <summary>Part of the draft, i.e. of the next version to be submitted.</summary>
    public bool InDraft { get; set; } = true;
    /// <summary>The first submitted version that lists it; null while it belongs to the draft only (then it can be deleted).</summary>
    public int? FirstSubmittedVersion { get; set; }
}
