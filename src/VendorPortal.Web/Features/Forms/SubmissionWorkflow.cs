using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Disclosures;
using VendorPortal.Features.Organizations;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Tenancy;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Forms;

public sealed record WorkflowResult(bool Succeeded, string? ErrorCode = null, IReadOnlyList<FormProblem>? Problems = null, FormSubmission? Submission = null)
{
    public static WorkflowResult Ok(FormSubmission s) => new(true, Submission: s);
    public static WorkflowResult Fail(string code) => new(false, code);
}

/// <summary>
/// Create, save, submit and review forms. Every read goes through the tenant query filters, so a record
/// of another organization is simply not found; role checks live in the policies of the pages and API.
/// </summary>
public sealed class SubmissionWorkflow(AppDbContext db, ITenantContext tenant, AuditLog audit, TimeProvider time)
{
    public ITenantContext Tenant => tenant;

    public async Task<FormSubmission?> FindAsync(Guid id, CancellationToken ct = default)
        => await db.FormSubmissions.SingleOrDefaultAsync(s => s.Id == id, ct);

    public async Task<FormTemplate> TemplateOfAsync(FormSubmission s, CancellationToken ct = default)
        => (await db.FormTemplateVersions.AsNoTracking().SingleAsync(t => t.Key == s.TemplateKey, ct)).Parse();

    /// <summary>A vendor starts its 事業者確認用 checklist for a hospital it serves, for one 年度 (and optionally one system).</summary>
    public async Task<WorkflowResult> CreateVendorChecklistAsync(Guid hospitalId, string templateKey, int fiscalYear, Guid? systemId, CancellationToken ct = default)
    {
        var vendorId = tenant.OrganizationId!.Value;
        // The hospital must be one this vendor serves today (the filters hide every other).
        if (!await db.Engagements.AnyAsync(e => e.HospitalId == hospitalId && e.VendorId == vendorId, ct))
        {
            return WorkflowResult.Fail("NoEngagement");
        }
        if (systemId is { } sys && !await db.MedicalSystems.AnyAsync(s => s.Id == sys && s.HospitalId == hospitalId, ct))
        {
            return WorkflowResult.Fail("SystemInvalid");
        }
        return await CreateAsync(FormKind.VendorChecklist, templateKey, vendorId, hospitalId, fiscalYear, systemId, ct);
    }

    /// <summary>The hospital starts its own 医療機関確認用 checklist for a 年度.</summary>
    public Task<WorkflowResult> CreateHospitalChecklistAsync(string templateKey, int fiscalYear, CancellationToken ct = default)
        => CreateAsync(FormKind.HospitalChecklist, templateKey, tenant.OrganizationId!.Value, tenant.OrganizationId!.Value, fiscalYear, null, ct);

    /// <summary>
    /// A vendor starts its リモートメンテナンス開示 for one system of a hospital: only a vendor engaged today with
    /// that hospital for that system (engagement_systems). No 年度: one standing disclosure per vendor, hospital
    /// and system, versioned by each submission.
    /// </summary>
    public async Task<WorkflowResult> CreateRemoteMaintenanceAsync(Guid hospitalId, string templateKey, Guid? systemId, CancellationToken ct = default)
    {
        var vendorId = tenant.OrganizationId!.Value;
        var today = JapanTime.TodayInJapan(time);
        var engagements = db.Engagements.Where(e => e.HospitalId == hospitalId && e.VendorId == vendorId && e.StartsOn <= today && (e.EndsOn == null || e.EndsOn >= today));
        if (!await engagements.AnyAsync(ct))
        {
            return WorkflowResult.Fail("NoEngagement");
        }
        if (systemId is not { } sys || !await db.EngagementSystems.AnyAsync(es => es.SystemId == sys && engagements.Any(e => e.Id == es.EngagementId), ct))
        {
            return WorkflowResult.Fail("SystemNotEngaged");
        }
        return await CreateAsync(FormKind.RemoteMaintenance, templateKey, vendorId, hospitalId, null, sys, ct);
    }

    /// <summary>
    /// One form per kind, respondent, hospital, 年度 and system, on a current template of that kind (the unique
    /// index, NULLS NOT DISTINCT, holds it too). A remote-maintenance disclosure has no 年度.
    /// </summary>
    private async Task<WorkflowResult> CreateAsync(FormKind kind, string templateKey, Guid respondentId, Guid hospitalId, int? fiscalYear, Guid? systemId, CancellationToken ct)
    {
        var template = await db.FormTemplateVersions.AsNoTracking().SingleOrDefaultAsync(t => t.Key == templateKey && t.RetiredAt == null, ct);
        if (template is null || template.Kind != kind)
        {
            return WorkflowResult.Fail("TemplateInvalid");
        }
        if (kind != FormKind.RemoteMaintenance && (fiscalYear is not { } fy || fy < 2023 || fy > FiscalYear.Of(JapanTime.TodayInJapan(time)).StartYear + 1))
        {
            return WorkflowResult.Fail("FiscalYearInvalid");
        }
        if (await db.FormSubmissions.AnyAsync(s => s.Kind == kind && s.RespondentOrganizationId == respondentId
                && s.HospitalId == hospitalId && s.FiscalYear == fiscalYear && s.SystemId == systemId, ct))
        {
            return WorkflowResult.Fail(kind == FormKind.RemoteMaintenance ? "RemoteMaintenanceExists" : "ChecklistExists");
        }
        var now = time.GetUtcNow();
        var submission = new FormSubmission
        {
            Id = Guid.NewGuid(), TemplateKey = template.Key, Kind = kind, RespondentOrganizationId = respondentId,
            HospitalId = hospitalId, FiscalYear = fiscalYear, SystemId = systemId, State = SubmissionState.Draft,
            DraftAnswers = AnswerJson.Serialize(FormAnswers.Empty(template.Parse())), CreatedAt = now, UpdatedAt = now, UpdatedByUserId = tenant.UserId,
        };
        db.FormSubmissions.Add(submission);
        audit.Record(AuditActions.FormCreated, "form_submissions", submission.Id.ToString(), new { template.Key, hospitalId, fiscalYear, systemId });
        await db.SaveChangesAsync(ct);
        return WorkflowResult.Ok(submission);
    }

    public static bool IsRespondent(FormSubmission s, ITenantContext tenant) => s.RespondentOrganizationId == tenant.OrganizationId;

    /// <param name="importDetails">When the answers come from an uploaded workbook: what to record about the file.</param>
    public async Task<WorkflowResult> SaveDraftAsync(FormSubmission s, FormAnswers answers, CancellationToken ct = default, object? importDetails = null)
    {
        if (!IsRespondent(s, tenant))
        {
            return WorkflowResult.Fail("NotRespondent");
        }
        var template = await TemplateOfAsync(s, ct);
        // Unknown items are refused even in a draft: nothing that the template does not have is stored.
        var known = template.Items.Select(i => i.Id).ToHashSet();
        var unknown = answers.Rounds.SelectMany(r => r.Answers.Keys).Where(k => !known.Contains(k)).Distinct().ToList();
        if (unknown.Count > 0 || answers.Rounds.Any(r => r.Number < 1 || r.Number > 5) || answers.Rounds.Select(r => r.Number).Distinct().Count() != answers.Rounds.Count)
        {
            return new WorkflowResult(false, "AnswersInvalid", [.. unknown.Select(u => new FormProblem(u, 0, "UnknownItem", u))]);
        }
        // MDS/SDS are answered once: a single round without a check date.
        if (!template.IsChecklist && answers.Rounds.Any(r => r.Number != 1 || r.CheckedOn is not null))
        {
            return new WorkflowResult(false, "AnswersInvalid", [new FormProblem(null, 0, "DisclosureOneRound")]);
        }
        s.DraftAnswers = AnswerJson.Serialize(answers);
        s.UpdatedAt = time.GetUtcNow();
        s.UpdatedByUserId = tenant.UserId;
        audit.Record(importDetails is null ? AuditActions.FormDraftSaved : AuditActions.FormImported, "form_submissions", s.Id.ToString(),
            new { draftHash = AnswerJson.Hash(s.DraftAnswers), import = importDetails });
        await db.SaveChangesAsync(ct);
        return WorkflowResult.Ok(s);
    }

    /// <summary>Validates every rule; on success freezes the draft as the next immutable version.</summary>
    public async Task<WorkflowResult> SubmitAsync(FormSubmission s, string actorName, CancellationToken ct = default)
    {
        if (!IsRespondent(s, tenant))
        {
            return WorkflowResult.Fail("NotRespondent");
        }
        var version = await db.FormTemplateVersions.AsNoTracking().SingleAsync(t => t.Key == s.TemplateKey, ct);
        var template = version.Parse();
        var answers = AnswerJson.Deserialize(s.DraftAnswers);
        // 事業者と契約していない医療機関: items about vendors are not required on its own checklist.
        var hasVendorContract = s.Kind != FormKind.HospitalChecklist || await db.Engagements.AnyAsync(e => e.HospitalId == s.RespondentOrganizationId, ct);
        var context = new FormContext(s.FiscalYear is { } fy ? new FiscalYear(fy) : null, hasVendorContract, JapanTime.TodayInJapan(time));
        var problems = FormRules.Validate(template, answers, context);
        if (problems.Count > 0)
        {
            return new WorkflowResult(false, "ValidationFailed", problems, s);
        }
        var canonical = AnswerJson.Serialize(answers);
        // The files attached to the draft are frozen with the answers; the hash covers both.
        var attachments = await db.FormAttachments.AsNoTracking().Where(a => a.SubmissionId == s.Id && a.InDraft)
            .Select(a => new { Entry = new AttachmentManifestEntry(a.Id, a.FileName, a.ContentType, a.Size, a.Sha256), a.FirstSubmittedVersion }).ToListAsync(ct);
        var manifest = attachments.Select(a => a.Entry).ToList();
        var hash = SubmissionSnapshot.ContentHash(canonical, manifest);
        var latestHash = s.LatestVersion == 0 ? null : await db.FormSubmissionVersions
            .Where(v => v.SubmissionId == s.Id && v.Number == s.LatestVersion).Select(v => v.ContentHash).SingleAsync(ct);
        if (!SubmissionWorkflowRules.CanSubmit(s.LatestVersion, latestHash, hash))
        {
            return WorkflowResult.Fail("NothingChanged");
        }
        var now = time.GetUtcNow();
        s.LatestVersion++;
        // A hospital's own checklist is recorded; a vendor's waits for the hospital's review.
        s.State = s.Kind == FormKind.HospitalChecklist ? SubmissionState.Recorded : SubmissionState.Submitted;
        s.UpdatedAt = now;
        foreach (var a in attachments.Where(a => a.FirstSubmittedVersion is null))
        {
            // Only the version number is written; the file's content is never loaded for this.
            FormAttachmentStub.Attach(db, s.Id, a.Entry).FirstSubmittedVersion = s.LatestVersion;
        }
        // Each hospital a disclosure is shared with now has a new version awaiting its review.
        if (s.ProductId is not null)
        {
            foreach (var r in await db.FormSubmissionRecipients.Where(r => r.SubmissionId == s.Id && r.WithdrawnAt == null).ToListAsync(ct))
            {
                r.ReviewState = RecipientRules.StateAfterSubmission;
                r.UpdatedAt = now;
            }
        }
        db.FormSubmissionVersions.Add(new FormSubmissionVersion
        {
            Id = Guid.NewGuid(), SubmissionId = s.Id, Number = s.LatestVersion, Answers = canonical, ContentHash = hash,
            Attachments = SubmissionSnapshot.SerializeManifest(manifest),
            TemplateHash = version.ContentHash, SubmittedAt = now, SubmittedByUserId = tenant.UserId!.Value, SubmittedByName = actorName,
        });
        db.FormReviewEvents.Add(new FormReviewEvent
        {
            Id = Guid.NewGuid(), SubmissionId = s.Id, VersionNumber = s.LatestVersion, Action = ReviewAction.Submitted,
            ActorUserId = tenant.UserId!.Value, ActorName = actorName, ActorOrganizationId = tenant.OrganizationId!.Value, At = now,
        });
        audit.Record(AuditActions.FormSubmitted, "form_submissions", s.Id.ToString(), new
        {
            version = s.LatestVersion, contentHash = hash, templateHash = version.ContentHash,
            attachments = manifest.Count == 0 ? null : manifest.Select(m => new { m.FileName, m.Sha256 }),
        });
        await db.SaveChangesAsync(ct);
        return WorkflowResult.Ok(s);
    }

    /// <summary>The hospital accepts or returns the latest submitted version.</summary>
    public async Task<WorkflowResult> ReviewAsync(FormSubmission s, bool accept, string? comment, IReadOnlyDictionary<string, string> itemComments, string actorName, CancellationToken ct = default)
    {
        // A disclosure is reviewed by each hospital it is shared with, on that hospital's recipient row.
        var recipient = s.ProductId is null || tenant.OrganizationKind != OrganizationKind.Hospital ? null
            : await db.FormSubmissionRecipients.SingleOrDefaultAsync(r => r.SubmissionId == s.Id && r.HospitalId == tenant.OrganizationId && r.WithdrawnAt == null, ct);
        if (IsRespondent(s, tenant) || (s.ProductId is null ? s.HospitalId != tenant.OrganizationId : recipient is null))
        {
            return WorkflowResult.Fail("NotReviewer");
        }
        if (recipient is null ? !SubmissionWorkflowRules.CanReview(s.State) : !RecipientRules.CanReview(recipient))
        {
            return WorkflowResult.Fail("NotAwaitingReview");
        }
        var cleaned = itemComments.Where(c => !string.IsNullOrWhiteSpace(c.Value)).ToDictionary(c => c.Key, c => c.Value.Trim());
        if (!accept && !SubmissionWorkflowRules.ReturnHasReason(comment, cleaned))
        {
            return WorkflowResult.Fail("ReturnNeedsComment");
        }
        var template = await TemplateOfAsync(s, ct);
        if (cleaned.Keys.Any(k => template.Items.All(i => i.Id != k)) || (comment?.Length ?? 0) > FormRules.MaxTextLength
            || cleaned.Values.Any(c => c.Length > FormRules.MaxTextLength))
        {
            return WorkflowResult.Fail("CommentInvalid");
        }
        var now = time.GetUtcNow();
        if (recipient is null)
        {
            s.State = accept ? SubmissionState.Accepted : SubmissionState.Returned;
            s.UpdatedAt = now;
        }
        else
        {
            // The shared submission is left alone (its state and time would tell other hospitals of this decision).
            recipient.ReviewState = RecipientRules.StateAfterReview(accept);
            recipient.ReviewedVersion = s.LatestVersion;
            recipient.ReviewedAt = now;
            recipient.ReviewedByUserId = tenant.UserId;
            recipient.UpdatedAt = now;
        }
        db.FormReviewEvents.Add(new FormReviewEvent
        {
            Id = Guid.NewGuid(), SubmissionId = s.Id, VersionNumber = s.LatestVersion, Action = accept ? ReviewAction.Accepted : ReviewAction.Returned,
            Comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim(), ItemComments = JsonSerializer.Serialize(cleaned, FormTemplate.Json),
            ActorUserId = tenant.UserId!.Value, ActorName = actorName, ActorOrganizationId = tenant.OrganizationId!.Value, At = now,
        });
        audit.Record(accept ? AuditActions.FormAccepted : AuditActions.FormReturned, "form_submissions", s.Id.ToString(),
            new { version = s.LatestVersion, comment, itemComments = cleaned.Count });
        await db.SaveChangesAsync(ct);
        return WorkflowResult.Ok(s);
    }
}
