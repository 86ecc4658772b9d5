using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using VendorPortal.Features.Account;
using VendorPortal.Features.ApiKeys;
using VendorPortal.Features.Disclosures;
using VendorPortal.Features.Forms;
using VendorPortal.Features.Ledger;
using VendorPortal.Features.Organizations;
using VendorPortal.Features.Patches;
using VendorPortal.Features.Policy;
using VendorPortal.Features.Responsibility;
using VendorPortal.Features.Reminders;
using VendorPortal.Features.Subcontracting;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.Infrastructure.Notifications;
using VendorPortal.Infrastructure.Tenancy;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Infrastructure.Data;

/// <summary>
/// The one database context. Tenant isolation is backed here by global query filters keyed on
/// <see cref="ITenantContext"/>; audit events are hash-chained and saved with the change they describe.
/// The schema itself lives in versioned SQL files (Migrations/*.sql); SchemaMatchesModelTests keeps both in step.
/// </summary>
public sealed class AppDbContext(
    DbContextOptions<AppDbContext> options,
    ITenantContext tenant,
    IAuditActor actor,
    TimeProvider time)
    : IdentityDbContext<AppUser, AppRole, Guid>(options)
{
    /// <summary>Arbitrary constant: the advisory lock that serialises appends to the audit chain.</summary>
    private const long AuditChainLockKey = 7_262_001;

    public DbSet<Organization> Organizations => Set<Organization>();
    public DbSet<Engagement> Engagements => Set<Engagement>();
    public DbSet<EngagementSystem> EngagementSystems => Set<EngagementSystem>();
    public DbSet<MedicalSystem> MedicalSystems => Set<MedicalSystem>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<DataProtectionKeyRecord> DataProtectionKeys => Set<DataProtectionKeyRecord>();
    public DbSet<FormTemplateVersion> FormTemplateVersions => Set<FormTemplateVersion>();
    public DbSet<FormSubmission> FormSubmissions => Set<FormSubmission>();
    public DbSet<FormSubmissionVersion> FormSubmissionVersions => Set<FormSubmissionVersion>();
    public DbSet<FormReviewEvent> FormReviewEvents => Set<FormReviewEvent>();
    public DbSet<Product> Products => Set<Product>();
    public DbSet<FormSubmissionRecipient> FormSubmissionRecipients => Set<FormSubmissionRecipient>();
    public DbSet<FormAttachment> FormAttachments => Set<FormAttachment>();
    public DbSet<SubcontractRequest> SubcontractRequests => Set<SubcontractRequest>();
    public DbSet<Subcontractor> Subcontractors => Set<Subcontractor>();
    public DbSet<SubcontractorCertification> SubcontractorCertifications => Set<SubcontractorCertification>();
    public DbSet<SubcontractEvent> SubcontractEvents => Set<SubcontractEvent>();
    public DbSet<SubcontractAttachment> SubcontractAttachments => Set<SubcontractAttachment>();
    public DbSet<SubcontractAttachmentContent> SubcontractAttachmentContents => Set<SubcontractAttachmentContent>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<NotificationRead> NotificationReads => Set<NotificationRead>();
    public DbSet<SystemComponent> SystemComponents => Set<SystemComponent>();
    public DbSet<ComponentSupportDate> ComponentSupportDates => Set<ComponentSupportDate>();
    public DbSet<SecurityAdvisory> SecurityAdvisories => Set<SecurityAdvisory>();
    public DbSet<PatchStatus> PatchStatuses => Set<PatchStatus>();
    public DbSet<CompliancePolicy> CompliancePolicies => Set<CompliancePolicy>();
    public DbSet<ResponsibilityMatrix> ResponsibilityMatrices => Set<ResponsibilityMatrix>();
    public DbSet<ResponsibilityMatrixVersion> ResponsibilityMatrixVersions => Set<ResponsibilityMatrixVersion>();
    public DbSet<ResponsibilityConfirmation> ResponsibilityConfirmations => Set<ResponsibilityConfirmation>();
    public DbSet<ComponentProposal> ComponentProposals => Set<ComponentProposal>();
    public DbSet<Reminder> Reminders => Set<Reminder>();
    public DbSet<ReminderEvent> ReminderEvents => Set<ReminderEvent>();
    public DbSet<ReminderEmailPreference> ReminderEmailPreferences => Set<ReminderEmailPreference>();
    public DbSet<ReminderDigest> ReminderDigests => Set<ReminderDigest>();
    public DbSet<Features.Contacts.VendorContact> VendorContacts => Set<Features.Contacts.VendorContact>();
    public DbSet<Features.Contacts.VendorContactConfirmation> VendorContactConfirmations => Set<Features.Contacts.VendorContactConfirmation>();
    public DbSet<Features.Contacts.HospitalContact> HospitalContacts => Set<Features.Contacts.HospitalContact>();
    public DbSet<Features.Inspection.Export.InspectionExport> InspectionExports => Set<Features.Inspection.Export.InspectionExport>();
    public DbSet<Features.Inspection.Bcp.BcpDocument> BcpDocuments => Set<Features.Inspection.Bcp.BcpDocument>();
    public DbSet<Features.Inspection.Bcp.BcpDocumentContent> BcpDocumentContents => Set<Features.Inspection.Bcp.BcpDocumentContent>();

    // Read by the query filters at query time (EF parameterises members of the context).
    private Guid? CurrentOrganizationId => tenant.OrganizationId;
    private Guid? CurrentUserId => tenant.UserId;
    private bool IsUnscoped => tenant.OrganizationId is null;
    private bool IsPlatform => tenant.OrganizationKind == OrganizationKind.Platform;
    private DateOnly Today => JapanTime.TodayInJapan(time);

    protected override void OnModelCreating(ModelBuilder b)
    {
        base.OnModelCreating(b);

        b.Entity<AppUser>(e =>
        {
            e.ToTable("users");
            e.Property(u => u.DisplayName).HasMaxLength(200);
            e.HasIndex(u => u.OrganizationId);
            e.HasOne<Organization>().WithMany().HasForeignKey(u => u.OrganizationId).OnDelete(DeleteBehavior.Restrict);
            e.HasQueryFilter(u => IsUnscoped || u.OrganizationId == CurrentOrganizationId);
        });
        b.Entity<AppRole>().ToTable("roles");
        b.Entity<IdentityUserRole<Guid>>().ToTable("user_roles");
        b.Entity<IdentityUserClaim<Guid>>().ToTable("user_claims");
        b.Entity<IdentityUserLogin<Guid>>().ToTable("user_logins");
        b.Entity<IdentityUserToken<Guid>>().ToTable("user_tokens");
        b.Entity<IdentityRoleClaim<Guid>>().ToTable("role_claims");

        b.Entity<Organization>(e =>
        {
            e.ToTable("organizations");
            e.Property(o => o.Name).HasMaxLength(200);
            e.Property(o => o.NameEn).HasMaxLength(200);
            e.Property(o => o.CorporateNumber).HasMaxLength(13);
            e.Property(o => o.Kind).HasConversion<string>().HasMaxLength(20);
            e.Property(o => o.HospitalKind).HasConversion<string>().HasMaxLength(20);
            e.Property(o => o.VendorKinds).HasConversion<int>();
            e.HasIndex(o => o.Name);
            // A hospital sees itself and every vendor it has engaged; a vendor sees itself and the
            // hospitals of its active engagements.
            e.HasQueryFilter(o => IsUnscoped || IsPlatform || o.Id == CurrentOrganizationId
                || Engagements.Any(en => en.HospitalId == CurrentOrganizationId && en.VendorId == o.Id)
                || Engagements.Any(en => en.VendorId == CurrentOrganizationId && en.HospitalId == o.Id
                    && en.StartsOn <= Today && (en.EndsOn == null || en.EndsOn >= Today)));
        });

        b.Entity<MedicalSystem>(e =>
        {
            e.ToTable("medical_systems");
            e.Property(s => s.Name).HasMaxLength(200);
            e.Property(s => s.Category).HasMaxLength(100);
            e.Property(s => s.Description).HasColumnType("text");
            e.Property(s => s.OwnerDepartment).HasMaxLength(200);
            e.Property(s => s.Administrator).HasMaxLength(200);
            e.Property(s => s.NetworkSegment).HasConversion<string>().HasMaxLength(20);
            e.Property(s => s.Confidentiality).HasConversion<string>().HasMaxLength(1);
            e.Property(s => s.Integrity).HasConversion<string>().HasMaxLength(1);
            e.Property(s => s.Availability).HasConversion<string>().HasMaxLength(1);
            e.HasIndex(s => s.HospitalId);
            e.HasOne<Organization>().WithMany().HasForeignKey(s => s.HospitalId).OnDelete(DeleteBehavior.Restrict);
            e.HasQueryFilter(s => IsUnscoped || s.HospitalId == CurrentOrganizationId
                || EngagementSystems.Any(es => es.SystemId == s.Id && Engagements.Any(en => en.Id == es.EngagementId
                    && en.VendorId == CurrentOrganizationId && en.StartsOn <= Today && (en.EndsOn == null || en.EndsOn >= Today))));
        });

        b.Entity<Engagement>(e =>
        {
            e.ToTable("engagements");
            e.Property(x => x.Title).HasMaxLength(200);
            // (hospital, vendor): the organization filter asks "has this hospital engaged that vendor?" for every row
            // of a list that shows vendor names; the hospital's own lists use the leading column.
            e.HasIndex(x => new { x.HospitalId, x.VendorId });
            e.HasIndex(x => x.VendorId);
            e.HasOne(x => x.Hospital).WithMany().HasForeignKey(x => x.HospitalId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne(x => x.Vendor).WithMany().HasForeignKey(x => x.VendorId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Systems).WithOne().HasForeignKey(x => x.EngagementId).OnDelete(DeleteBehavior.Cascade);
            e.HasQueryFilter(x => IsUnscoped || IsPlatform || x.HospitalId == CurrentOrganizationId
                || (x.VendorId == CurrentOrganizationId && x.StartsOn <= Today && (x.EndsOn == null || x.EndsOn >= Today)));
        });

        b.Entity<EngagementSystem>(e =>
        {
            e.ToTable("engagement_systems");
            e.HasKey(x => new { x.EngagementId, x.SystemId });
            e.HasOne(x => x.System).WithMany().HasForeignKey(x => x.SystemId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => x.SystemId);
            e.HasQueryFilter(x => IsUnscoped || Engagements.Any(en => en.Id == x.EngagementId));
        });

        b.Entity<Invitation>(e =>
        {
            e.ToTable("invitations");
            e.Property(x => x.Email).HasMaxLength(256);
            e.Property(x => x.Role).HasMaxLength(50);
            e.Property(x => x.TokenHash).HasMaxLength(64);
            e.HasIndex(x => x.TokenHash).IsUnique();
            e.HasIndex(x => x.OrganizationId);
            e.HasOne<Organization>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
            e.HasQueryFilter(x => IsUnscoped || IsPlatform || x.OrganizationId == CurrentOrganizationId);
        });

        b.Entity<ApiKey>(e =>
        {
            e.ToTable("api_keys");
            e.Property(x => x.Name).HasMaxLength(100);
            e.Property(x => x.Prefix).HasMaxLength(32);
            e.Property(x => x.SecretHash).HasMaxLength(64);
            e.HasIndex(x => x.Prefix).IsUnique();
            e.HasIndex(x => x.UserId);
            e.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
            e.HasQueryFilter(x => IsUnscoped || x.OrganizationId == CurrentOrganizationId);
        });

        b.Entity<AuditEvent>(e =>
        {
            e.ToTable("audit_events");
            e.Property(x => x.Action).HasMaxLength(100);
            e.Property(x => x.TargetType).HasMaxLength(100);
            e.Property(x => x.TargetId).HasMaxLength(100);
            e.Property(x => x.UserName).HasMaxLength(256);
            e.Property(x => x.IpAddress).HasMaxLength(64);
            e.Property(x => x.UserAgent).HasMaxLength(400);
            e.Property(x => x.PrevHash).HasMaxLength(64);
            e.Property(x => x.Hash).HasMaxLength(64);
            e.HasIndex(x => x.Sequence).IsUnique();
            e.HasIndex(x => new { x.OrganizationId, x.OccurredAt });
            e.HasIndex(x => x.OccurredAt);
            // Events of one organization are readable only inside it (and by system jobs).
            e.HasQueryFilter(x => IsUnscoped || x.OrganizationId == CurrentOrganizationId);
        });

        b.Entity<DataProtectionKeyRecord>(e =>
        {
            e.ToTable("data_protection_keys");
            e.Property(x => x.FriendlyName).HasMaxLength(200);
        });

        b.Entity<FormTemplateVersion>(e =>
        {
            e.ToTable("form_template_versions");
            e.Property(x => x.Key).HasMaxLength(100);
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.Title).HasMaxLength(300);
            e.Property(x => x.VersionLabel).HasMaxLength(100);
            e.Property(x => x.GuidelineEdition).HasMaxLength(20);
            e.Property(x => x.Content).HasColumnType("text"); // text, not jsonb: kept byte for byte so its hash stays verifiable
            e.Property(x => x.ContentHash).HasMaxLength(64);
            e.Property(x => x.Origin).HasMaxLength(20);
            e.HasIndex(x => x.Key).IsUnique();
            e.HasIndex(x => new { x.Kind, x.EffectiveFrom });
        });

        b.Entity<FormSubmission>(e =>
        {
            e.ToTable("form_submissions");
            e.Property(x => x.TemplateKey).HasMaxLength(100);
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.State).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.DraftAnswers).HasColumnType("text");
            e.HasOne<Organization>().WithMany().HasForeignKey(x => x.RespondentOrganizationId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Organization>().WithMany().HasForeignKey(x => x.HospitalId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<MedicalSystem>().WithMany().HasForeignKey(x => x.SystemId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Product>().WithMany().HasForeignKey(x => x.ProductId).OnDelete(DeleteBehavior.Restrict);
            // One checklist per vendor, hospital, 年度 and system ("no system" counts as one value); one
            // disclosure per product (hospital, 年度 and system are null there, the product decides).
            e.HasIndex(x => new { x.Kind, x.RespondentOrganizationId, x.HospitalId, x.FiscalYear, x.SystemId, x.ProductId }).IsUnique().AreNullsDistinct(false);
            e.HasIndex(x => new { x.HospitalId, x.State });
            // The respondent sees its forms; the hospital sees them once submitted (drafts stay private); a
            // disclosure is seen by each hospital it is shared with, once submitted.
            e.HasQueryFilter(x => IsUnscoped || x.RespondentOrganizationId == CurrentOrganizationId
                || (x.HospitalId == CurrentOrganizationId && x.LatestVersion > 0)
                || (x.ProductId != null && x.LatestVersion > 0 && FormSubmissionRecipients.Any(r =>
                    r.SubmissionId == x.Id && r.HospitalId == CurrentOrganizationId && r.WithdrawnAt == null)));
        });
        b.Entity<FormSubmissionVersion>(e =>
        {
            e.ToTable("form_submission_versions");
            e.Property(x => x.Answers).HasColumnType("text");
            e.Property(x => x.Attachments).HasColumnType("text");
            e.Property(x => x.ContentHash).HasMaxLength(64);
            e.Property(x => x.TemplateHash).HasMaxLength(64);
            e.Property(x => x.SubmittedByName).HasMaxLength(256);
            e.HasOne<FormSubmission>().WithMany().HasForeignKey(x => x.SubmissionId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.SubmissionId, x.Number }).IsUnique();
            e.HasQueryFilter(x => IsUnscoped || FormSubmissions.Any(s => s.Id == x.SubmissionId));
        });
        b.Entity<FormReviewEvent>(e =>
        {
            e.ToTable("form_review_events");
            e.Property(x => x.Action).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.ItemComments).HasColumnType("text");
            e.Property(x => x.ActorName).HasMaxLength(256);
            e.Ignore(x => x.ItemCommentMap);
            e.HasOne<FormSubmission>().WithMany().HasForeignKey(x => x.SubmissionId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.SubmissionId, x.At });
            // A disclosure goes to several hospitals that must not learn of each other: a hospital sees the
            // vendor's submissions and its own decisions only. Everything else: whoever sees the form.
            e.HasQueryFilter(x => IsUnscoped || FormSubmissions.Any(s => s.Id == x.SubmissionId
                && (s.ProductId == null || s.RespondentOrganizationId == CurrentOrganizationId
                    || x.Action == ReviewAction.Submitted || x.ActorOrganizationId == CurrentOrganizationId)));
        });

        b.Entity<Product>(e =>
        {
            e.ToTable("vendor_products");
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.Version).HasMaxLength(50);
            e.Ignore(x => x.Label);
            e.HasOne<Organization>().WithMany().HasForeignKey(x => x.VendorId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Product>().WithMany().HasForeignKey(x => x.PreviousProductId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => new { x.VendorId, x.Name, x.Version }).IsUnique();
            // The vendor sees its products; a hospital those whose disclosure was shared with it and submitted.
            e.HasQueryFilter(x => IsUnscoped || x.VendorId == CurrentOrganizationId
                || FormSubmissions.Any(s => s.ProductId == x.Id));
        });
        b.Entity<FormSubmissionRecipient>(e =>
        {
            e.ToTable("form_submission_recipients");
            e.HasKey(x => new { x.SubmissionId, x.HospitalId });
            e.Property(x => x.ReviewState).HasConversion<string>().HasMaxLength(20);
            e.HasOne<FormSubmission>().WithMany().HasForeignKey(x => x.SubmissionId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Organization>().WithMany().HasForeignKey(x => x.HospitalId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Organization>().WithMany().HasForeignKey(x => x.VendorId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => x.HospitalId);
            e.HasIndex(x => x.VendorId);
            // The vendor sees every recipient; a hospital only its own row (never who else receives it).
            e.HasQueryFilter(x => IsUnscoped || x.VendorId == CurrentOrganizationId
                || (x.HospitalId == CurrentOrganizationId && x.WithdrawnAt == null));
        });
        b.Entity<FormAttachment>(e =>
        {
            e.ToTable("form_attachments");
            e.Property(x => x.FileName).HasMaxLength(200);
            e.Property(x => x.ContentType).HasMaxLength(100);
            e.Property(x => x.Sha256).HasMaxLength(64);
            e.Property(x => x.UploadedByName).HasMaxLength(256);
            e.HasOne<FormSubmission>().WithMany().HasForeignKey(x => x.SubmissionId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => x.SubmissionId);
            // The respondent sees all of its files; anyone else who sees the form only files of a submitted version.
            e.HasQueryFilter(x => IsUnscoped || FormSubmissions.Any(s => s.Id == x.SubmissionId
                && (s.RespondentOrganizationId == CurrentOrganizationId || x.FirstSubmittedVersion != null)));
        });

        ConfigureSubcontracting(b);
        ConfigureNotifications(b);
        ConfigureLedger(b);
        ConfigureResponsibility(b);
        ConfigureLedgerProposals(b);
        ConfigureReminders(b);
        ConfigureContacts(b);
        ConfigureInspection(b);
        ConfigureBcp(b);

        SnakeCaseNames.Apply(b);
    }

    private void ConfigureSubcontracting(ModelBuilder b)
    {
        b.Entity<SubcontractRequest>(e =>
        {
            e.ToTable("subcontract_requests");
            e.Property(x => x.State).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.Revision).IsConcurrencyToken();
            e.Property(x => x.ContentHash).HasMaxLength(64);
            e.Property(x => x.DecisionReason).HasColumnType("text");
            e.Property(x => x.Conditions).HasColumnType("text");
            e.Ignore(x => x.IsApproved);
            e.HasOne<Organization>().WithMany().HasForeignKey(x => x.VendorId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Organization>().WithMany().HasForeignKey(x => x.HospitalId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Engagement>().WithMany().HasForeignKey(x => x.EngagementId).OnDelete(DeleteBehavior.Restrict);
            // The register and the queues read a hospital's requests by state.
            e.HasIndex(x => new { x.HospitalId, x.State });
            e.HasIndex(x => new { x.VendorId, x.UpdatedAt });
            e.HasIndex(x => x.EngagementId);
            // The vendor sees its requests; the hospital sees those addressed to it once submitted (drafts stay private).
            e.HasQueryFilter(x => IsUnscoped || x.VendorId == CurrentOrganizationId
                || (x.HospitalId == CurrentOrganizationId && x.FirstSubmittedAt != null));
        });
        b.Entity<Subcontractor>(e =>
        {
            e.ToTable("subcontractors");
            e.Property(x => x.Name).HasMaxLength(SubcontractValidation.MaxNameLength);
            e.Property(x => x.CorporateNumber).HasMaxLength(CorporateNumber.Length);
            e.Property(x => x.Address).HasMaxLength(SubcontractValidation.MaxAddressLength);
            e.Property(x => x.Country).HasMaxLength(2);
            e.Property(x => x.DataStorageCountry).HasMaxLength(2);
            e.Property(x => x.GoverningLaw).HasMaxLength(SubcontractValidation.MaxLawLength);
            e.Property(x => x.Work).HasColumnType("text");
            e.Property(x => x.InformationDescription).HasColumnType("text");
            e.Property(x => x.SecurityDuties).HasColumnType("text");
            e.Ignore(x => x.IsForeign);
            e.HasOne<SubcontractRequest>().WithMany().HasForeignKey(x => x.RequestId).OnDelete(DeleteBehavior.Cascade);
            // Removing a company removes the 再々委託 below it.
            e.HasOne<Subcontractor>().WithMany().HasForeignKey(x => x.ParentId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(x => x.Certifications).WithOne().HasForeignKey(x => x.SubcontractorId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => x.RequestId);
            e.HasIndex(x => x.ParentId);
            e.HasQueryFilter(x => IsUnscoped || SubcontractRequests.Any(r => r.Id == x.RequestId));
        });
        b.Entity<SubcontractorCertification>(e =>
        {
            e.ToTable("subcontractor_certifications");
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Number).HasMaxLength(SubcontractValidation.MaxCertificateNumberLength);
            e.HasOne<SubcontractRequest>().WithMany().HasForeignKey(x => x.RequestId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.SubcontractorId, x.Kind }).IsUnique();
            e.HasIndex(x => x.RequestId);
            e.HasQueryFilter(x => IsUnscoped || SubcontractRequests.Any(r => r.Id == x.RequestId));
        });
        b.Entity<SubcontractEvent>(e =>
        {
            e.ToTable("subcontract_events");
            e.Property(x => x.Action).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.Opinion).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.Comment).HasColumnType("text");
            e.Property(x => x.Snapshot).HasColumnType("text");
            e.Property(x => x.ContentHash).HasMaxLength(64);
            e.Property(x => x.ActorName).HasMaxLength(256);
            e.Property(x => x.ActorRole).HasMaxLength(50);
            e.HasOne<SubcontractRequest>().WithMany().HasForeignKey(x => x.RequestId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.RequestId, x.At });
            e.HasQueryFilter(x => IsUnscoped || SubcontractRequests.Any(r => r.Id == x.RequestId));
        });
        b.Entity<SubcontractAttachment>(e =>
        {
            e.ToTable("subcontract_attachments");
            e.Property(x => x.FileName).HasMaxLength(200); // AttachmentRules cleans names to at most 150 characters
            e.Property(x => x.ContentType).HasMaxLength(50);
            e.Property(x => x.Sha256).HasMaxLength(64);
            e.Property(x => x.Description).HasMaxLength(200);
            e.Property(x => x.UploadedByName).HasMaxLength(256);
            e.HasOne<SubcontractRequest>().WithMany().HasForeignKey(x => x.RequestId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => x.RequestId);
            e.HasQueryFilter(x => IsUnscoped || SubcontractRequests.Any(r => r.Id == x.RequestId));
        });
        b.Entity<SubcontractAttachmentContent>(e =>
        {
            e.ToTable("subcontract_attachment_contents");
            e.HasKey(x => x.AttachmentId);
            e.HasOne<SubcontractAttachment>().WithOne().HasForeignKey<SubcontractAttachmentContent>(x => x.AttachmentId).OnDelete(DeleteBehavior.Cascade);
            e.HasQueryFilter(x => IsUnscoped || SubcontractAttachments.Any(a => a.Id == x.AttachmentId));
        });
    }

    private void ConfigureNotifications(ModelBuilder b)
    {
        b.Entity<Notification>(e =>
        {
            e.ToTable("notifications");
            e.Property(x => x.RecipientRole).HasMaxLength(50);
            e.Property(x => x.TextKey).HasMaxLength(100);
            e.Property(x => x.Args).HasColumnType("text");
            e.Property(x => x.Link).HasMaxLength(400);
            e.Property(x => x.SubjectType).HasMaxLength(100);
            e.Property(x => x.SubjectId).HasMaxLength(100);
            e.HasOne<Organization>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.OrganizationId, x.CreatedAt });
            e.HasIndex(x => x.RecipientUserId);
            // An organization's notifications; one addressed to a user only to that user (roles are matched by NotificationInbox).
            e.HasQueryFilter(x => IsUnscoped || (x.OrganizationId == CurrentOrganizationId
                && (x.RecipientUserId == null || x.RecipientUserId == CurrentUserId)));
        });
        b.Entity<NotificationRead>(e =>
        {
            e.ToTable("notification_reads");
            e.HasKey(x => new { x.NotificationId, x.UserId });
            e.HasOne<Notification>().WithMany().HasForeignKey(x => x.NotificationId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => x.UserId);
            e.HasQueryFilter(x => IsUnscoped || x.UserId == CurrentUserId);
        });
    }

    private void ConfigureLedger(ModelBuilder b)
    {
        b.Entity<SystemComponent>(e =>
        {
            e.ToTable("system_components");
            e.Property(x => x.ManagementNumber).HasMaxLength(50);
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Name).HasMaxLength(200);
            foreach (var p in new[] { nameof(SystemComponent.Maker), nameof(SystemComponent.Model), nameof(SystemComponent.SerialNumber),
                nameof(SystemComponent.Software), nameof(SystemComponent.Os), nameof(SystemComponent.Location), nameof(SystemComponent.Users),
                nameof(SystemComponent.OwnerDepartment) })
            {
                e.Property(p).HasMaxLength(200);
            }
            foreach (var p in new[] { nameof(SystemComponent.SoftwareVersion), nameof(SystemComponent.OsVersion), nameof(SystemComponent.Firmware) })
            {
                e.Property(p).HasMaxLength(100);
            }
            e.Property(x => x.IpAddress).HasMaxLength(100);
            e.Property(x => x.HostName).HasMaxLength(253);
            e.Property(x => x.NetworkSegment).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Confidentiality).HasConversion<string>().HasMaxLength(1);
            e.Property(x => x.Integrity).HasConversion<string>().HasMaxLength(1);
            e.Property(x => x.Availability).HasConversion<string>().HasMaxLength(1);
            e.Property(x => x.Notes).HasColumnType("text");
            e.Property(x => x.Revision).IsConcurrencyToken();
            e.HasOne<Organization>().WithMany().HasForeignKey(x => x.HospitalId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<MedicalSystem>().WithMany().HasForeignKey(x => x.SystemId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Organization>().WithMany().HasForeignKey(x => x.SupplierVendorId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => new { x.HospitalId, x.ManagementNumber }).IsUnique();
            e.HasIndex(x => x.SystemId);
            e.HasIndex(x => x.SupplierVendorId);
            // The hospital sees its ledger; a vendor the components it supplies, while engaged by that hospital
            // (the engagement filter keeps only a vendor's active engagements).
            e.HasQueryFilter(x => IsUnscoped || x.HospitalId == CurrentOrganizationId
                || (x.SupplierVendorId == CurrentOrganizationId && Engagements.Any(en => en.HospitalId == x.HospitalId && en.VendorId == CurrentOrganizationId)));
        });
        b.Entity<ComponentSupportDate>(e =>
        {
            e.ToTable("component_support_dates");
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Subject).HasMaxLength(200);
            e.Property(x => x.Source).HasMaxLength(500);
            e.Property(x => x.EnteredByName).HasMaxLength(256);
            e.HasOne<SystemComponent>().WithMany().HasForeignKey(x => x.ComponentId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Organization>().WithMany().HasForeignKey(x => x.HospitalId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => x.ComponentId);
            // The gap view reads a hospital's dates; the daily reminder run scans by date across hospitals.
            e.HasIndex(x => new { x.HospitalId, x.EndsOn });
            e.HasIndex(x => x.EndsOn);
            e.HasQueryFilter(x => IsUnscoped || SystemComponents.Any(c => c.Id == x.ComponentId));
        });
        b.Entity<SecurityAdvisory>(e =>
        {
            e.ToTable("security_advisories");
            e.Property(x => x.Identifier).HasMaxLength(100);
            e.Property(x => x.Title).HasMaxLength(300);
            e.Property(x => x.Severity).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Url).HasMaxLength(1000);
            e.Property(x => x.Description).HasColumnType("text");
            e.Property(x => x.CreatedByName).HasMaxLength(256);
            e.HasOne<Organization>().WithMany().HasForeignKey(x => x.HospitalId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => new { x.HospitalId, x.Identifier }).IsUnique();
            // The hospital sees its advisories; a vendor those that affect a component it can see.
            e.HasQueryFilter(x => IsUnscoped || x.HospitalId == CurrentOrganizationId
                || PatchStatuses.Any(p => p.AdvisoryId == x.Id));
        });
        b.Entity<PatchStatus>(e =>
        {
            e.ToTable("patch_statuses");
            e.Property(x => x.State).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.AppliedByName).HasMaxLength(256);
            e.Property(x => x.Reason).HasColumnType("text");
            e.Property(x => x.CompensatingMeasure).HasColumnType("text");
            e.Property(x => x.DeferralApprovedByName).HasMaxLength(256);
            e.Property(x => x.UpdatedByName).HasMaxLength(256);
            e.Property(x => x.Revision).IsConcurrencyToken();
            e.HasOne<SecurityAdvisory>().WithMany().HasForeignKey(x => x.AdvisoryId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<SystemComponent>().WithMany().HasForeignKey(x => x.ComponentId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Organization>().WithMany().HasForeignKey(x => x.HospitalId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Organization>().WithMany().HasForeignKey(x => x.CommittedByVendorId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => new { x.AdvisoryId, x.ComponentId }).IsUnique();
            e.HasIndex(x => x.ComponentId);
            e.HasIndex(x => new { x.HospitalId, x.State });
            e.HasQueryFilter(x => IsUnscoped || x.HospitalId == CurrentOrganizationId
                || SystemComponents.Any(c => c.Id == x.ComponentId));
        });
        b.Entity<CompliancePolicy>(e =>
        {
            e.ToTable("compliance_policies");
            e.HasKey(x => x.HospitalId);
            e.Property(x => x.UpdatedByName).HasMaxLength(256);
            e.HasOne<Organization>().WithMany().HasForeignKey(x => x.HospitalId).OnDelete(DeleteBehavior.Cascade);
            e.HasQueryFilter(x => IsUnscoped || x.HospitalId == CurrentOrganizationId);
        });
    }

    private void ConfigureResponsibility(ModelBuilder b)
    {
        b.Entity<ResponsibilityMatrix>(e =>
        {
            e.ToTable("responsibility_matrices");
            e.Property(x => x.CurrentVersion).IsConcurrencyToken();
            e.HasOne<Organization>().WithMany().HasForeignKey(x => x.HospitalId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<MedicalSystem>().WithMany().HasForeignKey(x => x.SystemId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => x.SystemId).IsUnique();
            e.HasIndex(x => x.HospitalId);
            // The hospital sees its matrices; a vendor those of systems it is actively engaged for (the system filter).
            e.HasQueryFilter(x => IsUnscoped || x.HospitalId == CurrentOrganizationId || MedicalSystems.Any(s => s.Id == x.SystemId));
        });
        b.Entity<ResponsibilityMatrixVersion>(e =>
        {
            e.ToTable("responsibility_matrix_versions");
            e.Property(x => x.Content).HasColumnType("text"); // text, not jsonb: kept byte for byte so its hash stays verifiable
            e.Property(x => x.ContentHash).HasMaxLength(64);
            e.Property(x => x.CreatedByName).HasMaxLength(256);
            e.Property(x => x.ChangeNote).HasMaxLength(1000);
            e.HasOne<ResponsibilityMatrix>().WithMany().HasForeignKey(x => x.MatrixId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.MatrixId, x.Number }).IsUnique();
            e.HasQueryFilter(x => IsUnscoped || ResponsibilityMatrices.Any(m => m.Id == x.MatrixId));
        });
        b.Entity<ResponsibilityConfirmation>(e =>
        {
            e.ToTable("responsibility_confirmations");
            e.Property(x => x.UserName).HasMaxLength(256);
            e.HasOne<ResponsibilityMatrix>().WithMany().HasForeignKey(x => x.MatrixId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Organization>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => new { x.MatrixId, x.VersionNumber, x.OrganizationId }).IsUnique();
            e.HasQueryFilter(x => IsUnscoped || ResponsibilityMatrices.Any(m => m.Id == x.MatrixId));
        });
    }

    private void ConfigureLedgerProposals(ModelBuilder b)
    {
        b.Entity<ComponentProposal>(e =>
        {
            e.ToTable("component_proposals");
            e.Property(x => x.ProposedValues).HasColumnType("text");
            e.Property(x => x.State).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Comment).HasMaxLength(2000);
            e.Property(x => x.ProposedByName).HasMaxLength(256);
            e.Property(x => x.DecidedByName).HasMaxLength(256);
            e.Property(x => x.RejectionReason).HasMaxLength(2000);
            e.Property(x => x.Revision).IsConcurrencyToken();
            e.HasOne<Organization>().WithMany().HasForeignKey(x => x.HospitalId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Organization>().WithMany().HasForeignKey(x => x.VendorId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<MedicalSystem>().WithMany().HasForeignKey(x => x.SystemId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<SystemComponent>().WithMany().HasForeignKey(x => x.ComponentId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => new { x.HospitalId, x.State });
            e.HasIndex(x => x.VendorId);
            e.HasIndex(x => x.ComponentId);
            e.HasIndex(x => x.SystemId);
            // The hospital sees every proposal to its ledger; a vendor its own, while engaged by that hospital.
            e.HasQueryFilter(x => IsUnscoped || x.HospitalId == CurrentOrganizationId
                || (x.VendorId == CurrentOrganizationId && Engagements.Any(en => en.HospitalId == x.HospitalId && en.VendorId == CurrentOrganizationId)));
        });
    }

    private void ConfigureReminders(ModelBuilder b)
    {
        b.Entity<Reminder>(e =>
        {
            e.ToTable("reminders");
            e.Property(x => x.RecipientRole).HasMaxLength(50);
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.State).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.SubjectType).HasMaxLength(100);
            e.Property(x => x.SubjectId).HasMaxLength(100);
            e.Property(x => x.DedupeKey).HasMaxLength(200);
            e.Property(x => x.TextKey).HasMaxLength(100);
            e.Property(x => x.Args).HasColumnType("text");
            e.Property(x => x.Link).HasMaxLength(400);
            e.Property(x => x.SnoozeReason).HasMaxLength(1000);
            e.Property(x => x.Revision).IsConcurrencyToken();
            e.HasOne<Organization>().WithMany().HasForeignKey(x => x.HospitalId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Organization>().WithMany().HasForeignKey(x => x.OwnerOrganizationId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Organization>().WithMany().HasForeignKey(x => x.RecipientOrganizationId).OnDelete(DeleteBehavior.Cascade);
            // Exactly once: the daily run inserts with ON CONFLICT DO NOTHING on this key.
            e.HasIndex(x => x.DedupeKey).IsUnique();
            // The EOS source asks which windows of a date were raised already.
            e.HasIndex(x => x.SubjectId);
            e.HasIndex(x => new { x.HospitalId, x.State });
            e.HasIndex(x => new { x.OwnerOrganizationId, x.State });
            e.HasIndex(x => new { x.RecipientOrganizationId, x.State });
            // The sources' clearing queries read the open reminders of one kind; the escalation pass those due.
            e.HasIndex(x => x.Kind, "ix_reminders_kind_open").HasFilter("state <> 'Resolved'");
            e.HasIndex(x => x.NextEscalationOn, "ix_reminders_next_escalation_on").HasFilter("next_escalation_on IS NOT NULL");
            // The hospital sees every reminder about it (also a vendor's, e.g. after escalation); a vendor those it owns.
            e.HasQueryFilter(x => IsUnscoped || x.HospitalId == CurrentOrganizationId || x.OwnerOrganizationId == CurrentOrganizationId
                || x.RecipientOrganizationId == CurrentOrganizationId);
        });
        b.Entity<ReminderEvent>(e =>
        {
            e.ToTable("reminder_events");
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.ActorName).HasMaxLength(256);
            e.Property(x => x.Note).HasMaxLength(1000);
            e.HasOne<Reminder>().WithMany().HasForeignKey(x => x.ReminderId).OnDelete(DeleteBehavior.Cascade);
            // Exactly once per level: one Created, one Escalated to level N, one Emailed per level.
            e.HasIndex(x => new { x.ReminderId, x.Kind, x.Level }, "ux_reminder_events_reminder_kind_level").IsUnique().HasFilter("level IS NOT NULL");
            e.HasIndex(x => x.ReminderId);
            e.HasIndex(x => x.OccurredAt, "ix_reminder_events_email_pending").HasFilter("email_pending");
            e.HasQueryFilter(x => IsUnscoped || Reminders.Any(r => r.Id == x.ReminderId));
        });
        b.Entity<ReminderEmailPreference>(e =>
        {
            e.ToTable("reminder_email_preferences");
            e.HasKey(x => x.UserId);
            e.Property(x => x.Mode).HasConversion<string>().HasMaxLength(20);
            e.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
            e.HasQueryFilter(x => IsUnscoped || x.UserId == CurrentUserId);
        });
        b.Entity<ReminderDigest>(e =>
        {
            e.ToTable("reminder_digests");
            e.HasKey(x => new { x.UserId, x.Day });
            e.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
            e.HasQueryFilter(x => IsUnscoped || x.UserId == CurrentUserId);
        });
        // The patch sources read only unsettled statuses.
        b.Entity<PatchStatus>().HasIndex(x => x.AdvisoryId, "ix_patch_statuses_unsettled").HasFilter("state IN ('Open', 'Planned', 'Deferred')");
    }

    private void ConfigureInspection(ModelBuilder b)
    {
        // A hospital sees its own export jobs; vendors never do.
        b.Entity<Features.Inspection.Export.InspectionExport>(e =>
        {
            e.ToTable("inspection_exports");
            e.Property(x => x.RequestedByName).HasMaxLength(256);
            e.Property(x => x.WorkerId).HasMaxLength(200);
            e.Property(x => x.ProgressStage).HasMaxLength(200);
            e.Property(x => x.ManifestSha256).HasMaxLength(64);
            e.Property(x => x.ZipSha256).HasMaxLength(64);
            e.Property(x => x.StorageName).HasMaxLength(100);
            e.Property(x => x.DownloadName).HasMaxLength(300);
            e.Property(x => x.Error).HasMaxLength(2000);
            e.Property(x => x.Revision).IsConcurrencyToken();
            e.HasOne<Organization>().WithMany().HasForeignKey(x => x.HospitalId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => new { x.HospitalId, x.RequestedAt });
            e.HasIndex(x => x.State);
            e.HasQueryFilter(x => IsUnscoped || x.HospitalId == CurrentOrganizationId);
        });
    }

    private void ConfigureBcp(ModelBuilder b)
    {
        // BCP documents are hospital-internal: the hospital's own staff only (a vendor's organization is never the hospital).
        b.Entity<Features.Inspection.Bcp.BcpDocument>(e =>
        {
            e.ToTable("bcp_documents");
            e.Property(x => x.Title).HasMaxLength(200);
            e.Property(x => x.VersionLabel).HasMaxLength(50);
            e.Property(x => x.Note).HasMaxLength(500);
            e.Property(x => x.FileName).HasMaxLength(200); // AttachmentRules cleans names to at most 150 characters
            e.Property(x => x.ContentType).HasMaxLength(50);
            e.Property(x => x.Sha256).HasMaxLength(64);
            e.Property(x => x.UploadedByName).HasMaxLength(256);
            e.HasOne<Organization>().WithMany().HasForeignKey(x => x.HospitalId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.HospitalId, x.UploadedAt });
            e.HasQueryFilter(x => IsUnscoped || x.HospitalId == CurrentOrganizationId);
        });
        b.Entity<Features.Inspection.Bcp.BcpDocumentContent>(e =>
        {
            e.ToTable("bcp_document_contents");
            e.HasKey(x => x.DocumentId);
            e.HasOne<Features.Inspection.Bcp.BcpDocument>().WithOne().HasForeignKey<Features.Inspection.Bcp.BcpDocumentContent>(x => x.DocumentId).OnDelete(DeleteBehavior.Cascade);
            e.HasQueryFilter(x => IsUnscoped || BcpDocuments.Any(d => d.Id == x.DocumentId));
        });
    }

    private void ConfigureContacts(ModelBuilder b)
    {
        // A vendor sees its own contacts; a hospital those of vendors it actively engages.
        b.Entity<Features.Contacts.VendorContact>(e =>
        {
            e.ToTable("vendor_contacts");
            e.Property(x => x.RoleLabel).HasMaxLength(100);
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.Phone24h).HasMaxLength(30);
            e.Property(x => x.OtherChannel).HasMaxLength(300);
            e.Property(x => x.Email).HasMaxLength(256);
            e.Property(x => x.Hours).HasMaxLength(500);
            e.HasOne<Organization>().WithMany().HasForeignKey(x => x.VendorId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.VendorId, x.Position });
            e.HasQueryFilter(x => IsUnscoped || x.VendorId == CurrentOrganizationId
                || Engagements.Any(en => en.HospitalId == CurrentOrganizationId && en.VendorId == x.VendorId && en.StartsOn <= Today && (en.EndsOn == null || en.EndsOn >= Today)));
        });
        b.Entity<Features.Contacts.VendorContactConfirmation>(e =>
        {
            e.ToTable("vendor_contact_confirmations");
            e.HasKey(x => x.VendorId);
            e.Property(x => x.ConfirmedByName).HasMaxLength(256);
            e.HasOne<Organization>().WithMany().HasForeignKey(x => x.VendorId).OnDelete(DeleteBehavior.Cascade);
            e.HasQueryFilter(x => IsUnscoped || x.VendorId == CurrentOrganizationId
                || Engagements.Any(en => en.HospitalId == CurrentOrganizationId && en.VendorId == x.VendorId && en.StartsOn <= Today && (en.EndsOn == null || en.EndsOn >= Today)));
        });
        b.Entity<Features.Contacts.HospitalContact>(e =>
        {
            e.ToTable("hospital_contacts");
            e.Property(x => x.Role).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.Phone).HasMaxLength(30);
            e.Property(x => x.PhoneOutOfHours).HasMaxLength(30);
            e.Property(x => x.Email).HasMaxLength(256);
            e.Property(x => x.Note).HasMaxLength(500);
            e.Property(x => x.UpdatedByName).HasMaxLength(256);
            e.HasOne<Organization>().WithMany().HasForeignKey(x => x.HospitalId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.HospitalId, x.Role }).IsUnique();
            e.HasQueryFilter(x => IsUnscoped || x.HospitalId == CurrentOrganizationId);
        });
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
        => throw new NotSupportedException("Use SaveChangesAsync: audit chaining needs an async transaction.");

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        AddEntityChangeEvents();
        var pending = ChangeTracker.Entries<AuditEvent>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        if (pending.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        var ownTransaction = Database.CurrentTransaction is null
            ? await Database.BeginTransactionAsync(cancellationToken)
            : null;
        try
        {
            await Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({AuditChainLockKey})", cancellationToken);
            var last = await AuditEvents.IgnoreQueryFilters().AsNoTracking()
                .OrderByDescending(a => a.Sequence)
                .Select(a => new { a.Sequence, a.Hash })
                .FirstOrDefaultAsync(cancellationToken);
            var (sequence, hash) = last is null ? (0L, AuditChain.Genesis) : (last.Sequence, last.Hash);
            foreach (var ev in pending)
            {
                AuditChain.Link(ev, sequence, hash);
                (sequence, hash) = (ev.Sequence, ev.Hash);
            }
            var result = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            if (ownTransaction is not null)
            {
                await ownTransaction.CommitAsync(cancellationToken);
            }
            return result;
        }
        finally
        {
            if (ownTransaction is not null)
            {
                await ownTransaction.DisposeAsync();
            }
        }
    }

    /// <summary>Properties whose values never go into an audit summary (secrets) or whose change is noise.</summary>
    private static readonly HashSet<string> UnauditedProperties =
    [
        nameof(AppUser.PasswordHash), nameof(AppUser.SecurityStamp), nameof(AppUser.ConcurrencyStamp),
        nameof(AppUser.AccessFailedCount), nameof(AppUser.LastSignInAt), nameof(AppUser.LockoutEnd),
        nameof(AppUser.NormalizedEmail), nameof(AppUser.NormalizedUserName),
        nameof(Invitation.TokenHash), nameof(ApiKey.SecretHash), nameof(ApiKey.LastUsedAt),
    ];

    private static readonly HashSet<Type> AuditedEntityTypes =
    [
        typeof(Organization), typeof(Engagement), typeof(EngagementSystem), typeof(MedicalSystem),
        typeof(Invitation), typeof(ApiKey), typeof(AppUser), typeof(IdentityUserRole<Guid>),
        typeof(SystemComponent), typeof(ComponentSupportDate), typeof(SecurityAdvisory), typeof(PatchStatus), typeof(CompliancePolicy),
    ];

    /// <summary>Every create/update/delete of tenant data writes an audit event, from one place.</summary>
    private void AddEntityChangeEvents()
    {
        ChangeTracker.DetectChanges();
        var now = time.GetUtcNow();
        foreach (var entry in ChangeTracker.Entries().ToList())
        {
            if (!AuditedEntityTypes.Contains(entry.Entity.GetType())
                || entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }
            var changes = DescribeChanges(entry);
            if (entry.State == EntityState.Modified && changes.Count == 0)
            {
                continue;
            }
            var action = entry.State switch
            {
                EntityState.Added => AuditActions.EntityCreated,
                EntityState.Deleted => AuditActions.EntityDeleted,
                _ => AuditActions.EntityUpdated,
            };
            AuditEvents.Add(new AuditEvent
            {
                OccurredAt = now,
                UserId = actor.UserId,
                UserName = actor.UserName,
                OrganizationId = OwningOrganization(entry) ?? actor.OrganizationId,
                Action = action,
                TargetType = entry.Metadata.GetTableName() ?? SnakeCaseNames.ToSnakeCase(entry.Metadata.ClrType.Name),
                TargetId = string.Join("/", entry.Metadata.FindPrimaryKey()!.Properties.Select(p => entry.Property(p.Name).CurrentValue)),
                IpAddress = actor.IpAddress,
                UserAgent = actor.UserAgent,
                Summary = JsonSerializer.Serialize(changes, AuditJson.Options),
            });
        }
    }

    private static Guid? OwningOrganization(EntityEntry entry) => entry.Entity switch
    {
        Organization o => o.Id,
        Engagement en => en.HospitalId,
        MedicalSystem s => s.HospitalId,
        SystemComponent c => c.HospitalId,
        ComponentSupportDate d => d.HospitalId,
        SecurityAdvisory a => a.HospitalId,
        PatchStatus p => p.HospitalId,
        CompliancePolicy p => p.HospitalId,
        Invitation i => i.OrganizationId,
        ApiKey k => k.OrganizationId,
        AppUser u => u.OrganizationId,
        _ => null,
    };

    private static Dictionary<string, object?> DescribeChanges(EntityEntry entry)
    {
        var result = new Dictionary<string, object?>();
        foreach (var p in entry.Properties)
        {
            var name = p.Metadata.Name;
            if (UnauditedProperties.Contains(name))
            {
                continue;
            }
            switch (entry.State)
            {
                case EntityState.Added:
                    result[name] = p.CurrentValue?.ToString();
                    break;
                case EntityState.Deleted:
                    result[name] = p.OriginalValue?.ToString();
                    break;
                case EntityState.Modified when p.IsModified && !Equals(p.OriginalValue, p.CurrentValue):
                    result[name] = new { from = p.OriginalValue?.ToString(), to = p.CurrentValue?.ToString() };
                    break;
            }
        }
        return result;
    }
}

/// <summary>An ASP.NET Core Data Protection key ring entry, shared by every instance of the portal.</summary>
public sealed class DataProtectionKeyRecord
{
    public int Id { get; set; }
    public string? FriendlyName { get; set; }
    public string Xml { get; set; } = "";
}
