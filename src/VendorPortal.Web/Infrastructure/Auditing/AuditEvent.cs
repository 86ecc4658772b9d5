namespace VendorPortal.Infrastructure.Auditing;

/// <summary>
/// One append-only, hash-chained audit record. <see cref="Hash"/> = SHA-256(PrevHash + canonical content);
/// see <see cref="AuditChain"/>. Rows are never updated; only the retention job deletes old ones.
/// </summary>
public sealed class AuditEvent
{
    public long Id { get; set; }
    public long Sequence { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public Guid? UserId { get; set; }
    public string? UserName { get; set; }
    public Guid? OrganizationId { get; set; }
    public required string Action { get; set; }
    public string? TargetType { get; set; }
    public string? TargetId { get; set; }
    public string? IpAddress { get; set; }
    public string? UserAgent { get; set; }
    /// <summary>JSON object describing what changed; never passwords, tokens or key material.</summary>
    public string Summary { get; set; } = "{}";
    public string PrevHash { get; set; } = "";
    public string Hash { get; set; } = "";
}
