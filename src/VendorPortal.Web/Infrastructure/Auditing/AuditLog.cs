using System.Text.Json;
using VendorPortal.Infrastructure.Data;

namespace VendorPortal.Infrastructure.Auditing;

/// <summary>Audit action names. Dotted, lower case, stable: they are searched and exported.</summary>
public static class AuditActions
{
    public const string SignIn = "auth.sign_in";
    public const string SignInFailed = "auth.sign_in_failed";
    public const string SignInLockedOut = "auth.locked_out";
    public const string SecondFactorFailed = "auth.second_factor_failed";
    public const string SignOut = "auth.sign_out";
    public const string SignOutEverywhere = "auth.sign_out_everywhere";
    public const string PasswordChanged = "auth.password_changed";
    public const string MfaEnabled = "mfa.enabled";
    public const string MfaReset = "mfa.reset";
    public const string RecoveryCodesGenerated = "mfa.recovery_codes_generated";
    public const string RecoveryCodeUsed = "mfa.recovery_code_used";
    public const string InvitationSent = "invitation.sent";
    public const string InvitationAccepted = "invitation.accepted";
    public const string InvitationRevoked = "invitation.revoked";
    public const string RoleChanged = "user.role_changed";
    public const string UserDeactivated = "user.deactivated";
    public const string UserReactivated = "user.reactivated";
    public const string ApiKeyCreated = "api_key.created";
    public const string ApiKeyRevoked = "api_key.revoked";
    public const string ApiKeyUsed = "api_key.used";
    public const string AuditExported = "audit.exported";
    public const string AuditRetention = "audit.retention";
    public const string FormTemplatePublished = "form_template.published";
    public const string FormTemplateRetired = "form_template.retired";
    public const string FormCreated = "form.created";
    public const string FormDraftSaved = "form.draft_saved";
    public const string FormSubmitted = "form.submitted";
    public const string FormAccepted = "form.accepted";
    public const string FormReturned = "form.returned";
    public const string FormImported = "form.imported_xlsx";
    public const string FormExported = "form.exported_xlsx";
    public const string GapsExported = "gaps.exported_xlsx";
    /// <summary>An inspection bundle was requested (page or API): scope.</summary>
    public const string InspectionBundleRequested = "inspection.bundle_requested";
    /// <summary>An inspection bundle was written: scope, manifestSha256, file count, ZIP size and SHA-256.</summary>
    public const string InspectionBundleExported = "inspection.bundle_exported";
    /// <summary>A finished bundle was downloaded.</summary>
    public const string InspectionBundleDownloaded = "inspection.bundle_downloaded";
    /// <summary>A BCP document was uploaded: title, date, file name, size, SHA-256.</summary>
    public const string BcpUploaded = "bcp.uploaded";
    /// <summary>A BCP document was downloaded (page or API).</summary>
    public const string BcpDownloaded = "bcp.downloaded";
    /// <summary>A BCP document was deleted (TenantAdmin/SecurityManager): what it was.</summary>
    public const string BcpDeleted = "bcp.deleted";
    public const string ProductCreated = "product.created";
    public const string FormRecipientAdded = "form.recipient_added";
    public const string FormRecipientWithdrawn = "form.recipient_withdrawn";
    public const string FormAttachmentUploaded = "form.attachment_uploaded";
    public const string FormAttachmentRemoved = "form.attachment_removed";
    public const string FormAttachmentDownloaded = "form.attachment_downloaded";
    public const string SubcontractCreated = "subcontract.created";
    /// <summary>The vendor changed a request's content: a subcontractor added, edited or removed, or the chain replaced.</summary>
    public const string SubcontractUpdated = "subcontract.updated";
    public const string SubcontractSubmitted = "subcontract.submitted";
    public const string SubcontractInformationRequested = "subcontract.information_requested";
    public const string SubcontractReviewed = "subcontract.reviewed";
    public const string SubcontractOpinionGiven = "subcontract.opinion_given";
    public const string SubcontractApproved = "subcontract.approved";
    public const string SubcontractApprovedWithConditions = "subcontract.approved_with_conditions";
    public const string SubcontractRejected = "subcontract.rejected";
    public const string SubcontractWithdrawn = "subcontract.withdrawn";
    public const string SubcontractAttachmentAdded = "subcontract.attachment_added";
    public const string SubcontractAttachmentRemoved = "subcontract.attachment_removed";
    public const string SubcontractAttachmentDownloaded = "subcontract.attachment_downloaded";
    /// <summary>A 責任分界表 saved as a new version (summary: system, version, hash).</summary>
    public const string ResponsibilitySaved = "responsibility.saved";
    public const string ResponsibilityConfirmed = "responsibility.confirmed";
    public const string ResponsibilityExported = "responsibility.exported_xlsx";
    public const string LedgerProposalCreated = "ledger.proposal_created";
    public const string LedgerProposalAccepted = "ledger.proposal_accepted";
    public const string LedgerProposalRejected = "ledger.proposal_rejected";
    public const string LedgerImported = "ledger.imported_xlsx";
    public const string LedgerExported = "ledger.exported_xlsx";
    public const string ReminderAcknowledged = "reminder.acknowledged";
    public const string ReminderSnoozed = "reminder.snoozed";
    public const string ReminderResolved = "reminder.resolved";
    public const string ReminderEmailPreferenceChanged = "reminder.email_preference_changed";
    public const string PatchDeferralApproved = "patch.deferral_approved";
    public const string PatchDeferralRefused = "patch.deferral_refused";
    /// <summary>A vendor replaced its incident contacts (summary: count); saving also confirms them.</summary>
    public const string ContactsUpdated = "contacts.updated";
    public const string ContactsConfirmed = "contacts.confirmed";
    /// <summary>A hospital saved the roles and authorities of its 連絡体制図 (summary: roles filled).</summary>
    public const string HospitalContactsUpdated = "contacts.hospital_updated";
    public const string EntityCreated = "entity.created";
    public const string EntityUpdated = "entity.updated";
    public const string EntityDeleted = "entity.deleted";
}

/// <summary>
/// Adds audit events to the unit of work. They are chained and written by
/// <see cref="AppDbContext.SaveChangesAsync(CancellationToken)"/> in the same transaction as the change they describe.
/// </summary>
public sealed class AuditLog(AppDbContext db, IAuditActor actor, TimeProvider time)
{
    public void Record(string action, string? targetType = null, string? targetId = null, object? summary = null, Guid? organizationId = null)
    {
        db.AuditEvents.Add(new AuditEvent
        {
            OccurredAt = time.GetUtcNow(),
            UserId = actor.UserId,
            UserName = actor.UserName,
            OrganizationId = organizationId ?? actor.OrganizationId,
            Action = action,
            TargetType = targetType,
            TargetId = targetId,
            IpAddress = actor.IpAddress,
            UserAgent = actor.UserAgent,
            Summary = summary is null ? "{}" : JsonSerializer.Serialize(summary, AuditJson.Options),
        });
    }

    /// <summary>Records an event about a user who is not (yet) the signed-in principal, e.g. at sign-in.</summary>
    public void RecordFor(Guid? userId, string? userName, Guid? organizationId, string action, object? summary = null)
    {
        db.AuditEvents.Add(new AuditEvent
        {
            OccurredAt = time.GetUtcNow(),
            UserId = userId,
            UserName = userName,
            OrganizationId = organizationId,
            Action = action,
            TargetType = "user",
            TargetId = userId?.ToString(),
            IpAddress = actor.IpAddress,
            UserAgent = actor.UserAgent,
            Summary = summary is null ? "{}" : JsonSerializer.Serialize(summary, AuditJson.Options),
        });
    }

    public Task SaveAsync(CancellationToken ct = default) => db.SaveChangesAsync(ct);
}

public static class AuditJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };
}
