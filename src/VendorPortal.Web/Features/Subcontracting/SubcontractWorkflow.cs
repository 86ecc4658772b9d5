using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Organizations;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Files;
using VendorPortal.Infrastructure.Notifications;
using VendorPortal.Infrastructure.Tenancy;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Subcontracting;

public sealed record SubcontractResult(bool Succeeded, string? ErrorCode = null, IReadOnlyList<SubcontractProblem>? Problems = null, Guid? Id = null)
{
    public static SubcontractResult Ok(Guid? id = null) => new(true, Id: id);
    public static SubcontractResult Fail(string code) => new(false, code);
    public static SubcontractResult Invalid(IReadOnlyList<SubcontractProblem> problems) => new(false, "Invalid", problems);
}

/// <summary>
/// Applies every change to a 再委託 request: the vendor's content (chain, certifications, attachments) and each
/// workflow step. Reads go through the tenant filters, so another organization's request is simply not found; the
/// step rules are <see cref="SubcontractWorkflowRules"/>. Each change is audit-logged in the same transaction, the
/// in-app notification for whoever acts next is saved with it, and e-mail follows once it is committed.
/// </summary>
public sealed class SubcontractWorkflow(AppDbContext db, ITenantContext tenant, AuditLog audit, Notifier notifier, TimeProvider time)
{
    public const int MaxAttachments = 20;
    /// <summary>The audit target type and the notifications' subject type of a request.</summary>
    public const string SubjectType = "subcontract_requests";
    private const string Table = SubjectType;

    private DateOnly Today => JapanTime.TodayInJapan(time);

    public Task<SubcontractRequest?> FindAsync(Guid id, CancellationToken ct = default)
        => db.SubcontractRequests.SingleOrDefaultAsync(r => r.Id == id, ct);

    /// <summary>The chain of a request with certifications, in display order (parents before children, siblings by position).</summary>
    public async Task<List<Subcontractor>> ChainAsync(Guid requestId, CancellationToken ct = default)
        => await db.Subcontractors.Include(s => s.Certifications).Where(s => s.RequestId == requestId)
            .OrderBy(s => s.SortOrder).ThenBy(s => s.Name).ToListAsync(ct);

    /// <summary>
    /// A vendor files a new request (a draft) for one of its active engagements, with the direct subcontractor and,
    /// through the API, the whole chain. The actor decides, not the request's principal, so the demo seeder files
    /// requests the same way.
    /// </summary>
    public async Task<SubcontractResult> CreateAsync(SubcontractActor actor, string actorName, Guid engagementId, Guid? hospitalId, SubcontractorInput root, CancellationToken ct = default)
    {
        if (!SubcontractWorkflowRules.IsVendorStaff(actor) || (tenant.OrganizationId is { } org && org != actor.OrganizationId))
        {
            return SubcontractResult.Fail("NotVendor");
        }
        // The filters show a vendor only its active engagements; the hospital must be the one the caller named.
        var engagement = await db.Engagements.SingleOrDefaultAsync(e => e.Id == engagementId && e.VendorId == actor.OrganizationId, ct);
        if (engagement is null || !engagement.IsActiveOn(Today) || (hospitalId is { } h && engagement.HospitalId != h))
        {
            return SubcontractResult.Fail("NoEngagement");
        }
        var problems = SubcontractValidation.ValidateTree(root, Today);
        if (problems.Count > 0)
        {
            return SubcontractResult.Invalid(problems);
        }
        var now = time.GetUtcNow();
        var request = new SubcontractRequest
        {
            Id = Guid.NewGuid(), VendorId = actor.OrganizationId, HospitalId = engagement.HospitalId, EngagementId = engagement.Id,
            State = SubcontractState.Draft, CreatedAt = now, CreatedByUserId = actor.UserId, UpdatedAt = now, StateChangedAt = now,
        };
        db.SubcontractRequests.Add(request);
        db.SubcontractEvents.Add(new SubcontractEvent
        {
            Id = Guid.NewGuid(), RequestId = request.Id, Action = SubcontractEventAction.Created, ActorUserId = actor.UserId, ActorName = actorName,
            ActorOrganizationId = actor.OrganizationId, ActorRole = actor.Roles.FirstOrDefault(), At = now,
        });
        var nodes = AddTree(request.Id, root, null, 0);
        audit.Record(AuditActions.SubcontractCreated, Table, request.Id.ToString(),
            new { hospitalId = request.HospitalId, engagementId = request.EngagementId, subcontractors = nodes.Select(n => n.Name) });
        await db.SaveChangesAsync(ct);
        return SubcontractResult.Ok(request.Id);
    }

    /// <summary>Adds (no <paramref name="nodeId"/>, under <paramref name="parentId"/>) or edits one subcontractor of a request the vendor holds.</summary>
    public async Task<SubcontractResult> SaveSubcontractorAsync(SubcontractRequest r, SubcontractActor actor, Guid? nodeId, Guid? parentId, SubcontractorInput input, CancellationToken ct = default)
    {
        if (EditRefusal(r, actor) is { } refusal)
        {
            return refusal;
        }
        var problems = SubcontractValidation.ValidateNode(input, Today);
        if (problems.Count > 0)
        {
            return SubcontractResult.Invalid(problems);
        }
        var chain = await ChainAsync(r.Id, ct);
        Subcontractor node;
        if (nodeId is { } id)
        {
            if (chain.SingleOrDefault(n => n.Id == id) is not { } existing)
            {
                return SubcontractResult.Fail("NotFound");
            }
            node = existing;
            Apply(node, input);
            UpdateCertifications(node, input);
        }
        else
        {
            if (parentId is not { } pid || chain.All(n => n.Id != pid))
            {
                return SubcontractResult.Fail("NotFound");
            }
            node = NewNode(r.Id, pid, chain.Count(n => n.ParentId == pid), input);
            db.Subcontractors.Add(node);
            chain.Add(node);
        }
        var chainProblems = SubcontractValidation.ValidateChain([.. chain.Select(ToChainNode)]);
        if (chainProblems.Count > 0)
        {
            db.ChangeTracker.Clear();
            return SubcontractResult.Invalid([.. chainProblems.Select(p => p with { Field = "" })]);
        }
        Touch(r);
        audit.Record(AuditActions.SubcontractUpdated, Table, r.Id.ToString(), new { subcontractor = node.Id, name = node.Name, change = nodeId is null ? "added" : "edited" });
        return await SaveAsync(node.Id, ct);
    }

    /// <summary>Removes a 再々委託 and everything below it (the direct subcontractor stays: withdraw the request instead).</summary>
    public async Task<SubcontractResult> DeleteSubcontractorAsync(SubcontractRequest r, SubcontractActor actor, Guid nodeId, CancellationToken ct = default)
    {
        if (EditRefusal(r, actor) is { } refusal)
        {
            return refusal;
        }
        var chain = await ChainAsync(r.Id, ct);
        if (chain.SingleOrDefault(n => n.Id == nodeId) is not { } node)
        {
            return SubcontractResult.Fail("NotFound");
        }
        if (node.ParentId is null)
        {
            return SubcontractResult.Fail("CannotRemoveDirect");
        }
        var removed = Subtree(chain, node).ToList();
        db.Subcontractors.RemoveRange(removed);
        Touch(r);
        audit.Record(AuditActions.SubcontractUpdated, Table, r.Id.ToString(), new { change = "removed", subcontractors = removed.Select(n => n.Name) });
        return await SaveAsync(null, ct);
    }

    /// <summary>Replaces the whole chain at once (the API's PUT).</summary>
    public async Task<SubcontractResult> ReplaceChainAsync(SubcontractRequest r, SubcontractActor actor, SubcontractorInput root, CancellationToken ct = default)
    {
        if (EditRefusal(r, actor) is { } refusal)
        {
            return refusal;
        }
        var problems = SubcontractValidation.ValidateTree(root, Today);
        if (problems.Count > 0)
        {
            return SubcontractResult.Invalid(problems);
        }
        // Old and new nodes in one save: EF orders the deletes (children first) and the inserts (parents first).
        db.Subcontractors.RemoveRange(await ChainAsync(r.Id, ct));
        var nodes = AddTree(r.Id, root, null, 0);
        Touch(r);
        audit.Record(AuditActions.SubcontractUpdated, Table, r.Id.ToString(), new { change = "replaced", subcontractors = nodes.Select(n => n.Name) });
        return await SaveAsync(r.Id, ct);
    }

    public async Task<SubcontractResult> AddAttachmentAsync(SubcontractRequest r, SubcontractActor actor, string actorName, string? fileName, byte[] bytes, string? description, CancellationToken ct = default)
    {
        if (EditRefusal(r, actor) is { } refusal)
        {
            return refusal;
        }
        if (AttachmentFiles.Check(bytes) is { } bad)
        {
            return SubcontractResult.Fail(bad);
        }
        if ((description?.Trim().Length ?? 0) > 200)
        {
            return SubcontractResult.Fail("AttachmentDescriptionTooLong");
        }
        if (await db.SubcontractAttachments.CountAsync(a => a.RequestId == r.Id, ct) >= MaxAttachments)
        {
            return SubcontractResult.Fail("TooManyAttachments");
        }
        var type = AttachmentRules.Sniff(bytes)!;
        var attachment = new SubcontractAttachment
        {
            Id = Guid.NewGuid(), RequestId = r.Id, FileName = AttachmentRules.SanitizeFileName(fileName, type), ContentType = type, Size = bytes.Length,
            Sha256 = AttachmentRules.Sha256Of(bytes), Description = SubcontractValidation.Clean(description),
            UploadedByUserId = actor.UserId, UploadedByName = actorName, UploadedAt = time.GetUtcNow(),
        };
        db.SubcontractAttachments.Add(attachment);
        db.SubcontractAttachmentContents.Add(new SubcontractAttachmentContent { AttachmentId = attachment.Id, Bytes = bytes });
        Touch(r);
        audit.Record(AuditActions.SubcontractAttachmentAdded, Table, r.Id.ToString(), new { attachment = attachment.Id, attachment.FileName, attachment.ContentType, attachment.Size, attachment.Sha256 });
        return await SaveAsync(attachment.Id, ct);
    }

    public async Task<SubcontractResult> RemoveAttachmentAsync(SubcontractRequest r, SubcontractActor actor, Guid attachmentId, CancellationToken ct = default)
    {
        if (EditRefusal(r, actor) is { } refusal)
        {
            return refusal;
        }
        if (await db.SubcontractAttachments.SingleOrDefaultAsync(a => a.Id == attachmentId && a.RequestId == r.Id, ct) is not { } attachment)
        {
            return SubcontractResult.Fail("NotFound");
        }
        db.SubcontractAttachments.Remove(attachment);
        Touch(r);
        audit.Record(AuditActions.SubcontractAttachmentRemoved, Table, r.Id.ToString(), new { attachment = attachment.Id, attachment.FileName, attachment.Sha256 });
        return await SaveAsync(null, ct);
    }

    /// <summary>An attachment's bytes for someone who can see the request; the download is audit-logged (evidence leaves the portal).</summary>
    public async Task<(SubcontractAttachment Attachment, byte[] Bytes)?> ReadAttachmentAsync(SubcontractRequest r, Guid attachmentId, CancellationToken ct = default)
    {
        var attachment = await db.SubcontractAttachments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == attachmentId && a.RequestId == r.Id, ct);
        if (attachment is null)
        {
            return null;
        }
        var bytes = await db.SubcontractAttachmentContents.Where(c => c.AttachmentId == attachmentId).Select(c => c.Bytes).SingleAsync(ct);
        audit.Record(AuditActions.SubcontractAttachmentDownloaded, Table, r.Id.ToString(), new { attachment = attachment.Id, attachment.FileName, attachment.Sha256 });
        await db.SaveChangesAsync(ct);
        return (attachment, bytes);
    }

    /// <summary>One workflow step: checked by the rules, recorded (request, history, audit), and announced to whoever acts next.</summary>
    public async Task<SubcontractResult> ApplyAsync(SubcontractRequest r, SubcontractAction action, SubcontractStepInput input, SubcontractActor actor, string actorName, CancellationToken ct = default)
    {
        var chain = await ChainAsync(r.Id, ct);
        var root = chain.Single(n => n.ParentId is null);
        var facts = SubcontractFacts.Of(r, SubcontractWorkflowRules.NeedsForeignAcknowledgement(chain), root.PeriodFrom, Today);
        var verdict = SubcontractWorkflowRules.Evaluate(facts, action, actor, input);
        if (!verdict.Allowed)
        {
            return SubcontractResult.Fail(verdict.Refusal!);
        }
        var now = time.GetUtcNow();
        var comment = SubcontractValidation.Clean(input.Comment);
        var ev = new SubcontractEvent
        {
            Id = Guid.NewGuid(), RequestId = r.Id, Version = r.Version, Comment = comment, ActorUserId = actor.UserId, ActorName = actorName,
            ActorOrganizationId = actor.OrganizationId, ActorRole = actor.Roles.FirstOrDefault(), At = now,
        };
        var parties = await PartyNamesAsync(r, ct);
        var link = $"/Subcontracts/{r.Id}";
        var wasWaitingFor = SubcontractWorkflowRules.RolesToActNext(r.State);
        var answering = r.State == SubcontractState.InformationRequested;
        string auditAction;
        object summary;

        switch (action)
        {
            case SubcontractAction.Submit:
            {
                if (await SubmissionProblemsAsync(r, chain, ct) is { Count: > 0 } problems)
                {
                    return SubcontractResult.Invalid(problems);
                }
                var snapshot = await SnapshotAsync(r, chain, r.Version + 1, ct);
                r.Version++;
                r.FirstSubmittedAt ??= now;
                r.SubmittedAt = now;
                r.SubmittedByUserId = actor.UserId;
                // A resubmission starts the hospital's steps again.
                (r.ReviewedAt, r.ReviewedByUserId, r.OpinionAt, r.OpinionByUserId) = (null, null, null, null);
                r.ContentHash = snapshot.Hash;
                (ev.Action, ev.Version, ev.Snapshot, ev.ContentHash) = (SubcontractEventAction.Submitted, r.Version, snapshot.Json, snapshot.Hash);
                auditAction = AuditActions.SubcontractSubmitted;
                summary = new { version = r.Version, contentHash = snapshot.Hash, answer = answering };
                foreach (var role in SubcontractWorkflowRules.RolesToActNext(SubcontractState.Submitted))
                {
                    notifier.Add(new NotificationTarget(r.HospitalId, Role: role), answering ? "Notify_SubcontractAnswered" : "Notify_SubcontractSubmitted",
                        [parties.Vendor, root.Name], link, Table, r.Id.ToString());
                }
                break;
            }
            case SubcontractAction.RequestInformation:
                ev.Action = SubcontractEventAction.InformationRequested;
                auditAction = AuditActions.SubcontractInformationRequested;
                summary = new { version = r.Version, question = comment };
                notifier.Add(new NotificationTarget(r.VendorId, UserId: r.SubmittedByUserId), "Notify_SubcontractInformationRequested",
                    [parties.Hospital, root.Name], link, Table, r.Id.ToString());
                break;
            case SubcontractAction.CompleteReview:
                (r.ReviewedAt, r.ReviewedByUserId) = (now, actor.UserId);
                (ev.Action, ev.HospitalOnly) = (SubcontractEventAction.Reviewed, true);
                auditAction = AuditActions.SubcontractReviewed;
                summary = new { version = r.Version };
                NotifyHospital(r, SubcontractState.Reviewed, "Notify_SubcontractReviewed", parties.Vendor, root.Name, link);
                break;
            case SubcontractAction.GiveOpinion:
                (r.OpinionAt, r.OpinionByUserId) = (now, actor.UserId);
                (ev.Action, ev.Opinion, ev.HospitalOnly) = (SubcontractEventAction.OpinionGiven, input.Opinion, true);
                auditAction = AuditActions.SubcontractOpinionGiven;
                summary = new { version = r.Version, opinion = input.Opinion.ToString() };
                NotifyHospital(r, SubcontractState.OpinionGiven, "Notify_SubcontractOpinionGiven", parties.Vendor, root.Name, link);
                break;
            case SubcontractAction.Approve or SubcontractAction.ApproveWithConditions or SubcontractAction.Reject:
            {
                var approve = action != SubcontractAction.Reject;
                (r.DecidedAt, r.DecidedByUserId, r.DecisionReason) = (now, actor.UserId, comment);
                r.Conditions = action == SubcontractAction.ApproveWithConditions ? SubcontractValidation.Clean(input.Conditions) : null;
                r.ValidUntil = approve ? input.ValidUntil : null;
                if (approve && facts.NeedsForeignAcknowledgement)
                {
                    (r.ForeignAcknowledgedAt, r.ForeignAcknowledgedByUserId) = (now, actor.UserId);
                }
                (ev.Action, ev.ContentHash) = (action switch
                {
                    SubcontractAction.Approve => SubcontractEventAction.Approved,
                    SubcontractAction.ApproveWithConditions => SubcontractEventAction.ApprovedWithConditions,
                    _ => SubcontractEventAction.Rejected,
                }, r.ContentHash);
                auditAction = action switch
                {
                    SubcontractAction.Approve => AuditActions.SubcontractApproved,
                    SubcontractAction.ApproveWithConditions => AuditActions.SubcontractApprovedWithConditions,
                    _ => AuditActions.SubcontractRejected,
                };
                var engagementEnds = await db.Engagements.Where(e => e.Id == r.EngagementId).Select(e => e.EndsOn).SingleOrDefaultAsync(ct);
                summary = new
                {
                    version = r.Version, contentHash = r.ContentHash, reason = comment, conditions = r.Conditions, validUntil = r.ValidUntil,
                    approvalEndsOn = approve ? SubcontractWorkflowRules.ApprovalEndsOn(root.PeriodTo, r.ValidUntil, engagementEnds) : (DateOnly?)null,
                    foreignAcknowledged = r.ForeignAcknowledgedAt is not null,
                };
                notifier.Add(new NotificationTarget(r.VendorId, UserId: r.SubmittedByUserId), "Notify_Subcontract" + ev.Action,
                    [parties.Hospital, root.Name], link, Table, r.Id.ToString());
                break;
            }
            case SubcontractAction.Withdraw:
                ev.Action = SubcontractEventAction.Withdrawn;
                auditAction = AuditActions.SubcontractWithdrawn;
                summary = new { version = r.Version, comment };
                foreach (var role in wasWaitingFor)
                {
                    notifier.Add(new NotificationTarget(r.HospitalId, Role: role), "Notify_SubcontractWithdrawn", [parties.Vendor, root.Name], link, Table, r.Id.ToString());
                }
                break;
            default:
                return SubcontractResult.Fail("WrongState");
        }

        r.State = verdict.Next!.Value;
        r.StateChangedAt = now;
        Touch(r);
        db.SubcontractEvents.Add(ev);
        audit.Record(auditAction, Table, r.Id.ToString(), summary);
        var saved = await SaveAsync(r.Id, ct);
        if (saved.Succeeded)
        {
            await notifier.SendEmailsAsync(actor.UserId, ct);
        }
        return saved;
    }

    /// <summary>What must hold before a (re)submission: every company complete and current, the chain well formed, the engagement still active.</summary>
    private async Task<List<SubcontractProblem>> SubmissionProblemsAsync(SubcontractRequest r, List<Subcontractor> chain, CancellationToken ct)
    {
        var problems = new List<SubcontractProblem>();
        if (!await db.Engagements.AnyAsync(e => e.Id == r.EngagementId && e.VendorId == r.VendorId && e.StartsOn <= Today && (e.EndsOn == null || e.EndsOn >= Today), ct))
        {
            problems.Add(new SubcontractProblem("", "NoEngagement"));
        }
        foreach (var node in chain)
        {
            problems.AddRange(SubcontractValidation.ValidateNode(ToInput(node), Today).Select(p => p with { Field = $"{node.Id}.{p.Field}" }));
        }
        problems.AddRange(SubcontractValidation.ValidateChain([.. chain.Select(ToChainNode)]));
        return problems;
    }

    private void NotifyHospital(SubcontractRequest r, SubcontractState next, string key, string vendorName, string subcontractorName, string link)
    {
        foreach (var role in SubcontractWorkflowRules.RolesToActNext(next))
        {
            notifier.Add(new NotificationTarget(r.HospitalId, Role: role), key, [vendorName, subcontractorName], link, Table, r.Id.ToString());
        }
    }

    private static SubcontractResult? EditRefusal(SubcontractRequest r, SubcontractActor actor)
    {
        if (SubcontractWorkflowRules.CanEditContent(r, actor))
        {
            return null;
        }
        return SubcontractResult.Fail(actor.OrganizationId != r.VendorId ? "WrongParty" : SubcontractWorkflowRules.IsEditable(r.State) ? "RoleNotAllowed" : "NotEditable");
    }

    /// <summary>The names of the two parties, for notification texts. Exactly the request's own parties, whatever today's engagement filter shows.</summary>
    private async Task<(string Vendor, string Hospital)> PartyNamesAsync(SubcontractRequest r, CancellationToken ct)
    {
        var names = await db.Organizations.IgnoreQueryFilters().Where(o => o.Id == r.VendorId || o.Id == r.HospitalId).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        return (names.GetValueOrDefault(r.VendorId, ""), names.GetValueOrDefault(r.HospitalId, ""));
    }

    private async Task<SubcontractResult> SaveAsync(Guid? id, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return SubcontractResult.Ok(id);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return SubcontractResult.Fail("Conflict");
        }
    }

    private void Touch(SubcontractRequest r)
    {
        r.UpdatedAt = time.GetUtcNow();
        r.Revision++;
    }

    private List<Subcontractor> AddTree(Guid requestId, SubcontractorInput input, Guid? parentId, int position)
    {
        var node = NewNode(requestId, parentId, position, input);
        db.Subcontractors.Add(node);
        var added = new List<Subcontractor> { node };
        var children = input.Subcontractors ?? [];
        for (var i = 0; i < children.Count; i++)
        {
            added.AddRange(AddTree(requestId, children[i], node.Id, i));
        }
        return added;
    }

    private static Subcontractor NewNode(Guid requestId, Guid? parentId, int position, SubcontractorInput input)
    {
        var node = new Subcontractor
        {
            Id = Guid.NewGuid(), RequestId = requestId, ParentId = parentId, SortOrder = position,
            Name = "", Address = "", Country = "", GoverningLaw = "", Work = "", SecurityDuties = "",
        };
        Apply(node, input);
        node.Certifications = Certifications(node, input);
        return node;
    }

    private static void Apply(Subcontractor node, SubcontractorInput input)
    {
        node.Name = input.Name!.Trim();
        node.CorporateNumber = CorporateNumber.Normalize(input.CorporateNumber);
        node.Address = input.Address!.Trim();
        node.Country = input.Country!;
        node.DataStorageCountry = SubcontractValidation.Clean(input.DataStorageCountry);
        node.GoverningLaw = input.GoverningLaw!.Trim();
        node.Work = input.Work!.Trim();
        node.HandlesPersonalInformation = input.HandlesPersonalInformation;
        node.HandlesMedicalInformation = input.HandlesMedicalInformation;
        node.InformationDescription = SubcontractValidation.Clean(input.InformationDescription);
        node.PeriodFrom = input.PeriodFrom!.Value;
        node.PeriodTo = input.PeriodTo!.Value;
        node.SecurityDuties = input.SecurityDuties!.Trim();
    }

    /// <summary>Certifications updated in place by kind (a kind removed is deleted, a new one added).</summary>
    private void UpdateCertifications(Subcontractor node, SubcontractorInput input)
    {
        foreach (var existing in node.Certifications.ToList())
        {
            if (input.Certifications.FirstOrDefault(c => c.Kind == existing.Kind) is { } updated)
            {
                existing.Number = updated.Number!.Trim();
                existing.ExpiresOn = updated.ExpiresOn!.Value;
            }
            else
            {
                node.Certifications.Remove(existing);
                db.SubcontractorCertifications.Remove(existing);
            }
        }
        var added = input.Certifications.Where(c => node.Certifications.All(e => e.Kind != c.Kind))
            .Select(c => new SubcontractorCertification { Id = Guid.NewGuid(), SubcontractorId = node.Id, RequestId = node.RequestId, Kind = c.Kind, Number = c.Number!.Trim(), ExpiresOn = c.ExpiresOn!.Value })
            .ToList();
        node.Certifications.AddRange(added);
        db.SubcontractorCertifications.AddRange(added);
    }

    private static List<SubcontractorCertification> Certifications(Subcontractor node, SubcontractorInput input)
        => [.. input.Certifications.OrderBy(c => c.Kind).Select(c => new SubcontractorCertification
        {
            Id = Guid.NewGuid(), SubcontractorId = node.Id, RequestId = node.RequestId, Kind = c.Kind, Number = c.Number!.Trim(), ExpiresOn = c.ExpiresOn!.Value,
        })];

    public static SubcontractorInput ToInput(Subcontractor s) => new(
        s.Name, s.CorporateNumber, s.Address, s.Country, s.DataStorageCountry, s.GoverningLaw, s.Work, s.HandlesPersonalInformation,
        s.HandlesMedicalInformation, s.InformationDescription, s.PeriodFrom, s.PeriodTo, s.SecurityDuties,
        [.. s.Certifications.OrderBy(c => c.Kind).Select(c => new CertificationInput(c.Kind, c.Number, c.ExpiresOn))]);

    private static ChainNode ToChainNode(Subcontractor s) => new(s.Id, s.ParentId, s.Name, s.PeriodFrom, s.PeriodTo);

    /// <summary>The node and everything below it, parents before children.</summary>
    private static IEnumerable<Subcontractor> Subtree(List<Subcontractor> chain, Subcontractor node)
    {
        yield return node;
        foreach (var child in chain.Where(c => c.ParentId == node.Id))
        {
            foreach (var n in Subtree(chain, child))
            {
                yield return n;
            }
        }
    }

    private static readonly JsonSerializerOptions SnapshotJson = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = false };

    /// <summary>The canonical content of a submission: request, chain, certifications and the attachments' hashes, with its SHA-256.</summary>
    private async Task<(string Json, string Hash)> SnapshotAsync(SubcontractRequest r, List<Subcontractor> chain, int version, CancellationToken ct)
    {
        var attachments = await db.SubcontractAttachments.AsNoTracking().Where(a => a.RequestId == r.Id).OrderBy(a => a.Sha256).ThenBy(a => a.FileName)
            .Select(a => new { a.FileName, a.ContentType, a.Size, a.Sha256, a.Description }).ToListAsync(ct);
        var content = new
        {
            request = r.Id, vendor = r.VendorId, hospital = r.HospitalId, engagement = r.EngagementId, version,
            subcontractors = chain.OrderBy(n => n.Id).Select(n => new
            {
                id = n.Id, parent = n.ParentId, n.Name, n.CorporateNumber, n.Address, n.Country, n.DataStorageCountry, n.GoverningLaw, n.Work,
                n.HandlesPersonalInformation, n.HandlesMedicalInformation, n.InformationDescription,
                periodFrom = n.PeriodFrom.ToString("yyyy-MM-dd"), periodTo = n.PeriodTo.ToString("yyyy-MM-dd"), n.SecurityDuties,
                certifications = n.Certifications.OrderBy(c => c.Kind).Select(c => new { kind = c.Kind.ToString(), c.Number, expiresOn = c.ExpiresOn.ToString("yyyy-MM-dd") }),
            }),
            attachments,
        };
        var json = JsonSerializer.Serialize(content, SnapshotJson);
        return (json, Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(json))));
    }
}
