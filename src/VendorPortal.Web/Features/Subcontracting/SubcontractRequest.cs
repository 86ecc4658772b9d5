namespace VendorPortal.Features.Subcontracting;

/// <summary>Where a 再委託 request stands. The order of the hospital's steps is fixed (see <see cref="SubcontractWorkflowRules"/>).</summary>
public enum SubcontractState
{
    /// <summary>The vendor is preparing it; the hospital cannot see it.</summary>
    Draft,
    /// <summary>Waiting for the hospital's review (システム運用担当者 or 企画管理者).</summary>
    Submitted,
    /// <summary>The reviewer asked for more information; back with the vendor, who answers and resubmits.</summary>
    InformationRequested,
    /// <summary>Reviewed; waiting for the 医療情報システム安全管理責任者's opinion.</summary>
    Reviewed,
    /// <summary>Opinion given; waiting for the 経営層's decision.</summary>
    OpinionGiven,
    Approved,
    /// <summary>承認（条件付き）: approved, with conditions the vendor must keep.</summary>
    ApprovedWithConditions,
    Rejected,
    /// <summary>取下げ by the vendor before a decision.</summary>
    Withdrawn,
}

/// <summary>The security manager's opinion on a request.</summary>
public enum SecurityOpinion
{
    Favourable,
    FavourableWithConditions,
    Unfavourable,
}

/// <summary>Certifications the guideline's vendor selection names (経営管理編 / 5.2版 8.1.2 f, g).</summary>
public enum CertificationKind
{
    /// <summary>プライバシーマーク (JIS Q 15001).</summary>
    PrivacyMark,
    /// <summary>ISMS (JIS Q 27001 / ISO/IEC 27001).</summary>
    Isms,
    /// <summary>ISMS クラウドセキュリティ (ISO/IEC 27017).</summary>
    Iso27017,
    /// <summary>ISMAP (政府情報システムのためのセキュリティ評価制度) registration.</summary>
    Ismap,
}

/// <summary>
/// 再委託申請: a vendor asks a hospital, under one engagement, for approval to subcontract work (経営管理編 5.2.2).
/// The subcontractor and any 再々委託 below it are <see cref="Subcontractor"/> rows forming a tree.
/// The step fields (who and when) are what the workflow rules check; the full history is in <see cref="SubcontractEvent"/>.
/// </summary>
public sealed class SubcontractRequest
{
    public Guid Id { get; set; }
    public Guid VendorId { get; set; }
    public Guid HospitalId { get; set; }
    public Guid EngagementId { get; set; }
    public SubcontractState State { get; set; }
    /// <summary>Number of submissions so far (each freezes a snapshot with its hash in the history).</summary>
    public int Version { get; set; }
    /// <summary>Optimistic concurrency: two people acting on the same step at once cannot both succeed.</summary>
    public int Revision { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public Guid CreatedByUserId { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>When the request entered its current state (overdue steps are measured from here).</summary>
    public DateTimeOffset StateChangedAt { get; set; }
    /// <summary>Null until first submitted: the hospital never sees a draft.</summary>
    public DateTimeOffset? FirstSubmittedAt { get; set; }
    public DateTimeOffset? SubmittedAt { get; set; }
    public Guid? SubmittedByUserId { get; set; }
    /// <summary>SHA-256 of the latest submitted snapshot (request, chain, certifications, attachment hashes).</summary>
    public string? ContentHash { get; set; }
    public DateTimeOffset? ReviewedAt { get; set; }
    public Guid? ReviewedByUserId { get; set; }
    public DateTimeOffset? OpinionAt { get; set; }
    public Guid? OpinionByUserId { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public Guid? DecidedByUserId { get; set; }
    /// <summary>The executive's written reason (every decision has one).</summary>
    public string? DecisionReason { get; set; }
    /// <summary>Conditions of an approval with conditions.</summary>
    public string? Conditions { get; set; }
    /// <summary>An end date the executive gave; the approval also ends with the subcontract period and the engagement.</summary>
    public DateOnly? ValidUntil { get; set; }
    /// <summary>The executive acknowledged the caution for a subcontractor or data outside Japan.</summary>
    public DateTimeOffset? ForeignAcknowledgedAt { get; set; }
    public Guid? ForeignAcknowledgedByUserId { get; set; }

    public bool IsApproved => State is SubcontractState.Approved or SubcontractState.ApprovedWithConditions;
}

/// <summary>
/// One company in the chain: the direct subcontractor (no parent) or a 再々委託 under another node.
/// </summary>
public sealed class Subcontractor
{
    public Guid Id { get; set; }
    public Guid RequestId { get; set; }
    /// <summary>The company that subcontracts to this one; null for the vendor's direct subcontractor.</summary>
    public Guid? ParentId { get; set; }
    public int SortOrder { get; set; }
    public required string Name { get; set; }
    /// <summary>法人番号 (13 digits, check digit verified); required for a company in Japan.</summary>
    public string? CorporateNumber { get; set; }
    public required string Address { get; set; }
    /// <summary>ISO 3166-1 alpha-2 code of the country where it works.</summary>
    public required string Country { get; set; }
    /// <summary>Where it would store the data; null when it stores none.</summary>
    public string? DataStorageCountry { get; set; }
    /// <summary>準拠法: the law that governs its contract.</summary>
    public required string GoverningLaw { get; set; }
    /// <summary>再委託する業務の内容.</summary>
    public required string Work { get; set; }
    public bool HandlesPersonalInformation { get; set; }
    public bool HandlesMedicalInformation { get; set; }
    /// <summary>Which personal or medical information it touches.</summary>
    public string? InformationDescription { get; set; }
    public DateOnly PeriodFrom { get; set; }
    public DateOnly PeriodTo { get; set; }
    /// <summary>Security duties passed down in its contract (同等の義務).</summary>
    public required string SecurityDuties { get; set; }
    public List<SubcontractorCertification> Certifications { get; set; } = [];

    /// <summary>Outside Japan, or storing data outside Japan: the guideline's caution applies.</summary>
    public bool IsForeign => Country != SubcontractCountries.Japan || (DataStorageCountry is { } d && d != SubcontractCountries.Japan);
}

public sealed class SubcontractorCertification
{
    public Guid Id { get; set; }
    public Guid SubcontractorId { get; set; }
    /// <summary>Denormalised from the subcontractor so the register and the tenant filter need no extra join.</summary>
    public Guid RequestId { get; set; }
    public CertificationKind Kind { get; set; }
    public required string Number { get; set; }
    public DateOnly ExpiresOn { get; set; }
}

public enum SubcontractEventAction
{
    Created,
    Submitted,
    InformationRequested,
    Reviewed,
    OpinionGiven,
    Approved,
    ApprovedWithConditions,
    Rejected,
    Withdrawn,
}

/// <summary>The history: who did which step, when, with what comment. Both sides see it, minus hospital-only comments.</summary>
public sealed class SubcontractEvent
{
    public Guid Id { get; set; }
    public Guid RequestId { get; set; }
    public SubcontractEventAction Action { get; set; }
    public int Version { get; set; }
    public string? Comment { get; set; }
    public SecurityOpinion? Opinion { get; set; }
    /// <summary>The comment is the hospital's internal deliberation (review note, security opinion): the vendor sees only that the step happened.</summary>
    public bool HospitalOnly { get; set; }
    /// <summary>For a submission: SHA-256 of <see cref="Snapshot"/>; for a decision: the hash of the version decided.</summary>
    public string? ContentHash { get; set; }
    /// <summary>For a submission: the canonical JSON of what was submitted.</summary>
    public string? Snapshot { get; set; }
    public Guid ActorUserId { get; set; }
    public required string ActorName { get; set; }
    public Guid ActorOrganizationId { get; set; }
    public string? ActorRole { get; set; }
    public DateTimeOffset At { get; set; }
}

/// <summary>A document attached to a request (contract excerpt, certificate copy, …). PDF, PNG or JPEG, by content.</summary>
public sealed class SubcontractAttachment
{
    public Guid Id { get; set; }
    public Guid RequestId { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }
    public required string Sha256 { get; set; }
    public string? Description { get; set; }
    public Guid UploadedByUserId { get; set; }
    public required string UploadedByName { get; set; }
    public DateTimeOffset UploadedAt { get; set; }
}

/// <summary>The bytes of an attachment, in their own table so that listing attachments never loads them.</summary>
public sealed class SubcontractAttachmentContent
{
    public Guid AttachmentId { get; set; }
    public required byte[] Bytes { get; set; }
}
