namespace VendorPortal.Features.Inspection.Bcp;

/// <summary>
/// A サイバー攻撃を想定した事業継続計画（BCP） document the hospital keeps on file for the 立入検査 (checked since
/// 令和6年度). Every upload stays as history; the newest upload is the current one (<see cref="BcpRules.Current"/>).
/// Hospital-internal: only the hospital's own staff see it (query filter), vendors never.
/// </summary>
public sealed class BcpDocument
{
    public Guid Id { get; set; }
    public Guid HospitalId { get; set; }
    public required string Title { get; set; }
    /// <summary>策定日 / 改訂日 of the document itself (not the upload day).</summary>
    public DateOnly DocumentDate { get; set; }
    /// <summary>The document's own version label (第2版, v1.1 …), optional.</summary>
    public string? VersionLabel { get; set; }
    public string? Note { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }
    public required string Sha256 { get; set; }
    public Guid UploadedByUserId { get; set; }
    public required string UploadedByName { get; set; }
    public DateTimeOffset UploadedAt { get; set; }
}

/// <summary>The bytes of a BCP document, in their own table so that listing documents never loads them.</summary>
public sealed class BcpDocumentContent
{
    public Guid DocumentId { get; set; }
    public required byte[] Bytes { get; set; }
}
