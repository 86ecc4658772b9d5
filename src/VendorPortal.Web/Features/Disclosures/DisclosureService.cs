using Microsoft.EntityFrameworkCore;
using Npgsql;
using VendorPortal.Features.Forms;
using VendorPortal.Features.Organizations;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Files;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.Disclosures;

public sealed record DisclosureResult<T>(bool Succeeded, T? Value, string? ErrorCode = null, object[]? Args = null)
{
    public static DisclosureResult<T> Ok(T value) => new(true, value);
    public static DisclosureResult<T> Fail(string code, params object[] args) => new(false, default, code, args);
}

public sealed record CreatedProduct(Product Product, FormSubmission Submission, int DroppedAnswers, IReadOnlyList<Guid> CopiedRecipients);

/// <summary>One hospital a disclosure goes to, as the vendor sees it (a hospital sees only its own).</summary>
public sealed record RecipientView(Guid HospitalId, string HospitalName, SubmissionState State, int? ReviewedVersion, DateTimeOffset? ReviewedAt,
    DateTimeOffset SharedAt, bool Withdrawn);

public sealed record AttachmentView(Guid Id, string FileName, string ContentType, long Size, string Sha256, DateTimeOffset UploadedAt,
    string UploadedBy, bool InDraft, int? FirstSubmittedVersion)
{
    public bool CanDelete => FirstSubmittedVersion is null;
}

public sealed record EngagedHospital(Guid Id, string Name);

/// <summary>A product in the vendor's list, with its disclosure and the current recipients' review states.</summary>
public sealed record ProductRow(Guid Id, FormKind Kind, string Name, string Version, Guid? PreviousProductId, Guid? SubmissionId, SubmissionState? State,
    int LatestVersion, DateTimeOffset UpdatedAt, string TemplateKey, IReadOnlyList<RecipientView> Recipients);

/// <summary>A disclosure shared with a hospital, in the hospital's lists (its review state is its own).</summary>
public sealed record DisclosureRow(Guid SubmissionId, Guid ProductId, string VendorName, FormKind Kind, string ProductName, string Version,
    SubmissionState ReviewState, int LatestVersion, int? ReviewedVersion, DateTimeOffset UpdatedAt);

/// <summary>A disclosure as the checklist page shows it (built by <see cref="DisclosureService.ViewAsync"/>).</summary>
public sealed record DisclosureView(Product Product, string? PreviousLabel, string VendorName, FormSubmission Submission, bool IsRespondent, bool Editing,
    IReadOnlyList<RecipientView> Recipients, FormSubmissionRecipient? Own, IReadOnlyList<AttachmentView> Attachments, int? ShownVersion)
{
    /// <summary>The state to show: a hospital sees its own review state, the vendor the submission's.</summary>
    public SubmissionState State => Own?.ReviewState ?? Submission.State;

    public bool AnyReturned => Recipients.Any(r => !r.Withdrawn && r.State == SubmissionState.Returned);

    /// <summary>
    /// The item comments to show next to the items: a hospital sees its own last return (the history is already
    /// filtered to it); the vendor sees each hospital's last return, named.
    /// </summary>
    public IReadOnlyDictionary<string, string> ItemComments(IEnumerable<FormReviewEvent> history)
    {
        var returns = history.Where(e => e.Action == ReviewAction.Returned).GroupBy(e => e.ActorOrganizationId)
            .Select(g => g.OrderByDescending(e => e.At).First()).ToList();
        if (!IsRespondent)
        {
            return returns.OrderByDescending(e => e.At).FirstOrDefault()?.ItemCommentMap ?? new Dictionary<string, string>();
        }
        var names = Recipients.ToDictionary(r => r.HospitalId, r => r.HospitalName);
        return returns.SelectMany(e => e.ItemCommentMap.Select(c => (c.Key, Text: $"【{names.GetValueOrDefault(e.ActorOrganizationId)}】{c.Value}")))
            .GroupBy(c => c.Key).ToDictionary(g => g.Key, g => string.Join("\n", g.Select(c => c.Text).Order(StringComparer.Ordinal)));
    }

    /// <summary>The reviewing hospital's name next to its decisions in the history (vendor only).</summary>
    public string? OrganizationOf(FormReviewEvent e)
        => IsRespondent && e.Action != ReviewAction.Submitted ? Recipients.FirstOrDefault(r => r.HospitalId == e.ActorOrganizationId)?.HospitalName : null;
}

/// <summary>
/// Products, recipients and attachments of MDS/SDS disclosures. Filling, submitting and reviewing go through
/// <see cref="SubmissionWorkflow"/> like every form. Every read goes through the tenant filters; every change
/// writes an audit event in the same transaction.
/// </summary>
public sealed class DisclosureService(AppDbContext db, ITenantContext tenant, AuditLog audit, TimeProvider time)
{
    public const int MaxAttachmentsInDraft = 20;

    public static bool IsDisclosureKind(FormKind kind) => kind is FormKind.Mds or FormKind.Sds;

    private Guid Me => tenant.OrganizationId!.Value;

    public ITenantContext Tenant => tenant;

    public async Task<Product?> FindProductAsync(Guid id, CancellationToken ct = default)
        => await db.Products.SingleOrDefaultAsync(p => p.Id == id, ct);

    public async Task<FormSubmission?> DisclosureOfAsync(Guid productId, CancellationToken ct = default)
        => await db.FormSubmissions.SingleOrDefaultAsync(s => s.ProductId == productId, ct);

    /// <summary>Current (not retired) templates of the kind: MDS for products, SDS for services.</summary>
    public async Task<List<FormTemplateVersion>> TemplatesAsync(FormKind kind, CancellationToken ct = default)
        => await db.FormTemplateVersions.AsNoTracking().Where(t => t.Kind == kind && t.RetiredAt == null)
            .OrderByDescending(t => t.EffectiveFrom).ThenBy(t => t.Key).ToListAsync(ct);

    /// <summary>Hospitals the vendor serves today (the engagement filter shows a vendor only its active ones).</summary>
    public async Task<List<EngagedHospital>> EngagedHospitalsAsync(CancellationToken ct = default)
    {
        var ids = await db.Engagements.Where(e => e.VendorId == Me).Select(e => e.HospitalId).Distinct().ToListAsync(ct);
        return await db.Organizations.Where(o => ids.Contains(o.Id)).OrderBy(o => o.Name).Select(o => new EngagedHospital(o.Id, o.Name)).ToListAsync(ct);
    }

    /// <summary>
    /// A new product (or a new version of one) with its empty or copied disclosure. Copying takes the previous
    /// version's latest submitted answers (its draft if never submitted), keeps only the items the chosen
    /// template has, and shares the new draft with the same hospitals (those still served today).
    /// </summary>
    public async Task<DisclosureResult<CreatedProduct>> CreateProductAsync(FormKind kind, string? name, string? version, string? templateKey, Guid? copyFrom, CancellationToken ct = default)
    {
        name = name?.Trim() ?? "";
        version = version?.Trim() ?? "";
        if (!IsDisclosureKind(kind))
        {
            return DisclosureResult<CreatedProduct>.Fail("ProductKindInvalid");
        }
        if (name.Length is 0 or > 200)
        {
            return DisclosureResult<CreatedProduct>.Fail("ProductNameInvalid");
        }
        if (version.Length is 0 or > 50)
        {
            return DisclosureResult<CreatedProduct>.Fail("ProductVersionInvalid");
        }
        var template = await db.FormTemplateVersions.AsNoTracking().SingleOrDefaultAsync(t => t.Key == templateKey && t.RetiredAt == null, ct);
        if (template is null || template.Kind != kind)
        {
            return DisclosureResult<CreatedProduct>.Fail("TemplateInvalid");
        }
        Product? previous = null;
        if (copyFrom is { } from)
        {
            previous = await db.Products.SingleOrDefaultAsync(p => p.Id == from && p.VendorId == Me, ct);
            if (previous is null)
            {
                return DisclosureResult<CreatedProduct>.Fail("CopyFromInvalid");
            }
            if (previous.Kind != kind)
            {
                return DisclosureResult<CreatedProduct>.Fail("CopyKindMismatch");
            }
        }
        if (await db.Products.AnyAsync(p => p.VendorId == Me && p.Name == name && p.Version == version, ct))
        {
            return DisclosureResult<CreatedProduct>.Fail("ProductExists");
        }

        var parsed = template.Parse();
        var answers = FormAnswers.Empty(parsed);
        var dropped = 0;
        var recipients = new List<Guid>();
        if (previous is not null && await DisclosureOfAsync(previous.Id, ct) is { } source)
        {
            var sourceJson = source.LatestVersion > 0
                ? await db.FormSubmissionVersions.Where(v => v.SubmissionId == source.Id && v.Number == source.LatestVersion).Select(v => v.Answers).SingleAsync(ct)
                : source.DraftAnswers;
            (answers, dropped) = DisclosureCopy.MapAnswers(AnswerJson.Deserialize(sourceJson), parsed);
            var engaged = (await EngagedHospitalsAsync(ct)).Select(h => h.Id).ToHashSet();
            recipients = await db.FormSubmissionRecipients.Where(r => r.SubmissionId == source.Id && r.WithdrawnAt == null)
                .Select(r => r.HospitalId).ToListAsync(ct);
            recipients = [.. recipients.Where(engaged.Contains).Order()];
        }

        var now = time.GetUtcNow();
        var product = new Product
        {
            Id = Guid.NewGuid(), VendorId = Me, Kind = kind, Name = name, Version = version, PreviousProductId = previous?.Id,
            CreatedAt = now, CreatedByUserId = tenant.UserId,
        };
        var submission = new FormSubmission
        {
            Id = Guid.NewGuid(), TemplateKey = template.Key, Kind = kind, RespondentOrganizationId = Me, ProductId = product.Id,
            State = SubmissionState.Draft, DraftAnswers = AnswerJson.Serialize(answers), CreatedAt = now, UpdatedAt = now, UpdatedByUserId = tenant.UserId,
        };
        db.Products.Add(product);
        db.FormSubmissions.Add(submission);
        foreach (var h in recipients)
        {
            db.FormSubmissionRecipients.Add(NewRecipient(submission, h, now));
        }
        audit.Record(AuditActions.ProductCreated, "vendor_products", product.Id.ToString(),
            new { kind = kind.ToString(), name, version, previousProductId = previous?.Id, templateKey = template.Key, droppedAnswers = dropped });
        audit.Record(AuditActions.FormCreated, "form_submissions", submission.Id.ToString(), new { template.Key, productId = product.Id });
        foreach (var h in recipients)
        {
            audit.Record(AuditActions.FormRecipientAdded, "form_submissions", submission.Id.ToString(), new { hospitalId = h, copiedFrom = previous?.Id });
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Two requests creating the same name and version at once: the index decides.
            db.ChangeTracker.Clear();
            return DisclosureResult<CreatedProduct>.Fail("ProductExists");
        }
        return DisclosureResult<CreatedProduct>.Ok(new CreatedProduct(product, submission, dropped, recipients));
    }

    private FormSubmissionRecipient NewRecipient(FormSubmission s, Guid hospitalId, DateTimeOffset now) => new()
    {
        SubmissionId = s.Id, HospitalId = hospitalId, VendorId = s.RespondentOrganizationId,
        ReviewState = RecipientRules.StateWhenShared(s.LatestVersion), SharedAt = now, SharedByUserId = tenant.UserId!.Value, UpdatedAt = now,
    };

    /// <summary>
    /// Makes <paramref name="hospitalIds"/> the recipients: new ones must be hospitals the vendor serves today;
    /// hospitals left out are withdrawn (they no longer see the disclosure). Each change is audit-logged.
    /// </summary>
    public async Task<DisclosureResult<IReadOnlyList<RecipientView>>> SetRecipientsAsync(FormSubmission s, IEnumerable<Guid> hospitalIds, CancellationToken ct = default)
    {
        if (s.ProductId is null)
        {
            return DisclosureResult<IReadOnlyList<RecipientView>>.Fail("NotDisclosure");
        }
        if (!SubmissionWorkflow.IsRespondent(s, tenant))
        {
            return DisclosureResult<IReadOnlyList<RecipientView>>.Fail("NotRespondent");
        }
        var rows = await db.FormSubmissionRecipients.Where(r => r.SubmissionId == s.Id).ToListAsync(ct);
        var engaged = (await EngagedHospitalsAsync(ct)).Select(h => h.Id).ToHashSet();
        var plan = RecipientRules.Plan(rows, hospitalIds, engaged);
        if (!plan.IsValid)
        {
            return DisclosureResult<IReadOnlyList<RecipientView>>.Fail("RecipientNotEngaged");
        }
        var now = time.GetUtcNow();
        foreach (var h in plan.Add)
        {
            db.FormSubmissionRecipients.Add(NewRecipient(s, h, now));
        }
        foreach (var row in rows.Where(r => plan.Reshare.Contains(r.HospitalId)))
        {
            row.WithdrawnAt = null;
            row.WithdrawnByUserId = null;
            row.ReviewState = RecipientRules.StateWhenShared(s.LatestVersion);
            row.SharedAt = now;
            row.SharedByUserId = tenant.UserId!.Value;
            row.UpdatedAt = now;
        }
        foreach (var row in rows.Where(r => plan.Withdraw.Contains(r.HospitalId)))
        {
            row.WithdrawnAt = now;
            row.WithdrawnByUserId = tenant.UserId;
            row.UpdatedAt = now;
        }
        foreach (var h in plan.Add.Concat(plan.Reshare))
        {
            audit.Record(AuditActions.FormRecipientAdded, "form_submissions", s.Id.ToString(), new { hospitalId = h, version = s.LatestVersion });
        }
        foreach (var h in plan.Withdraw)
        {
            audit.Record(AuditActions.FormRecipientWithdrawn, "form_submissions", s.Id.ToString(), new { hospitalId = h });
        }
        await db.SaveChangesAsync(ct);
        return DisclosureResult<IReadOnlyList<RecipientView>>.Ok(await RecipientsAsync(s, ct));
    }

    /// <summary>
    /// The recipients the caller may see: the vendor every hospital (with names, even after an engagement
    /// ended), a hospital only its own row.
    /// </summary>
    public async Task<IReadOnlyList<RecipientView>> RecipientsAsync(FormSubmission s, CancellationToken ct = default)
    {
        var rows = await db.FormSubmissionRecipients.AsNoTracking().Where(r => r.SubmissionId == s.Id).ToListAsync(ct);
        var ids = rows.Select(r => r.HospitalId).ToList();
        // The rows themselves are filtered; their names are read unfiltered because the vendor chose these hospitals.
        var names = await db.Organizations.IgnoreQueryFilters().Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        return [.. rows.OrderBy(r => r.WithdrawnAt is not null).ThenBy(r => names.GetValueOrDefault(r.HospitalId), StringComparer.Ordinal)
            .Select(r => new RecipientView(r.HospitalId, names.GetValueOrDefault(r.HospitalId) ?? "", r.ReviewState, r.ReviewedVersion, r.ReviewedAt, r.SharedAt, r.WithdrawnAt is not null))];
    }

    /// <summary>Attachments the caller sees: the vendor all of them, others only those of submitted versions (filter).</summary>
    public async Task<List<AttachmentView>> AttachmentsAsync(Guid submissionId, CancellationToken ct = default)
        => await db.FormAttachments.AsNoTracking().Where(a => a.SubmissionId == submissionId).OrderBy(a => a.UploadedAt)
            .Select(a => new AttachmentView(a.Id, a.FileName, a.ContentType, a.Size, a.Sha256, a.UploadedAt, a.UploadedByName, a.InDraft, a.FirstSubmittedVersion))
            .ToListAsync(ct);

    /// <summary>Adds a file to the draft: at most 10 MB, a PDF, PNG or JPEG by its first bytes, its name cleaned.</summary>
    public async Task<DisclosureResult<AttachmentView>> UploadAsync(FormSubmission s, string? fileName, byte[] content, string actorName, CancellationToken ct = default)
    {
        if (s.ProductId is null)
        {
            return DisclosureResult<AttachmentView>.Fail("NotDisclosure");
        }
        if (!SubmissionWorkflow.IsRespondent(s, tenant))
        {
            return DisclosureResult<AttachmentView>.Fail("NotRespondent");
        }
        if (content.Length == 0)
        {
            return DisclosureResult<AttachmentView>.Fail("AttachmentEmpty");
        }
        if (content.Length > AttachmentRules.MaxBytes)
        {
            return DisclosureResult<AttachmentView>.Fail("AttachmentTooLarge", AttachmentRules.MaxBytes / 1024 / 1024);
        }
        if (AttachmentRules.Sniff(content) is not { } contentType)
        {
            return DisclosureResult<AttachmentView>.Fail("AttachmentTypeInvalid");
        }
        if (await db.FormAttachments.CountAsync(a => a.SubmissionId == s.Id && a.InDraft, ct) >= MaxAttachmentsInDraft)
        {
            return DisclosureResult<AttachmentView>.Fail("AttachmentTooMany", MaxAttachmentsInDraft);
        }
        var now = time.GetUtcNow();
        var attachment = new FormAttachment
        {
            Id = Guid.NewGuid(), SubmissionId = s.Id, FileName = AttachmentRules.SanitizeFileName(fileName, contentType), ContentType = contentType,
            Size = content.Length, Sha256 = AttachmentRules.Sha256Of(content), Content = content, UploadedAt = now,
            UploadedByUserId = tenant.UserId!.Value, UploadedByName = actorName, InDraft = true,
        };
        db.FormAttachments.Add(attachment);
        s.UpdatedAt = now;
        s.UpdatedByUserId = tenant.UserId;
        audit.Record(AuditActions.FormAttachmentUploaded, "form_submissions", s.Id.ToString(),
            new { attachmentId = attachment.Id, attachment.FileName, attachment.ContentType, attachment.Size, attachment.Sha256 });
        await db.SaveChangesAsync(ct);
        return DisclosureResult<AttachmentView>.Ok(new AttachmentView(attachment.Id, attachment.FileName, contentType, attachment.Size, attachment.Sha256,
            now, actorName, true, null));
    }

    /// <summary>
    /// Takes a file out of the draft. A file no submitted version lists is deleted; one that a submitted version
    /// lists stays (that version is immutable) and is only left out of the next version. Returns whether it was deleted.
    /// </summary>
    public async Task<DisclosureResult<bool>> RemoveAttachmentAsync(FormSubmission s, Guid attachmentId, CancellationToken ct = default)
    {
        if (!SubmissionWorkflow.IsRespondent(s, tenant))
        {
            return DisclosureResult<bool>.Fail("NotRespondent");
        }
        var found = await db.FormAttachments.AsNoTracking().Where(x => x.Id == attachmentId && x.SubmissionId == s.Id && x.InDraft)
            .Select(x => new { Entry = new AttachmentManifestEntry(x.Id, x.FileName, x.ContentType, x.Size, x.Sha256), x.FirstSubmittedVersion })
            .SingleOrDefaultAsync(ct);
        if (found is null)
        {
            return DisclosureResult<bool>.Fail("AttachmentNotFound");
        }
        var a = FormAttachmentStub.Attach(db, s.Id, found.Entry, found.FirstSubmittedVersion);
        var deleted = a.FirstSubmittedVersion is null;
        if (deleted)
        {
            db.FormAttachments.Remove(a);
        }
        else
        {
            a.InDraft = false;
        }
        s.UpdatedAt = time.GetUtcNow();
        s.UpdatedByUserId = tenant.UserId;
        audit.Record(AuditActions.FormAttachmentRemoved, "form_submissions", s.Id.ToString(),
            new { attachmentId = a.Id, a.FileName, a.Sha256, deleted, keptForVersion = a.FirstSubmittedVersion });
        await db.SaveChangesAsync(ct);
        return DisclosureResult<bool>.Ok(deleted);
    }

    /// <summary>One file with its content, if the caller may see it; the download is audit-logged.</summary>
    public async Task<FormAttachment?> DownloadAsync(FormSubmission s, Guid attachmentId, CancellationToken ct = default)
    {
        var a = await db.FormAttachments.AsNoTracking().SingleOrDefaultAsync(x => x.Id == attachmentId && x.SubmissionId == s.Id, ct);
        if (a is null)
        {
            return null;
        }
        audit.Record(AuditActions.FormAttachmentDownloaded, "form_submissions", s.Id.ToString(), new { attachmentId = a.Id, a.FileName, a.Sha256 });
        await db.SaveChangesAsync(ct);
        return a;
    }

    /// <summary>The manifest frozen with one submitted version.</summary>
    public async Task<IReadOnlyList<AttachmentManifestEntry>> ManifestAsync(Guid submissionId, int version, CancellationToken ct = default)
        => SubmissionSnapshot.DeserializeManifest(await db.FormSubmissionVersions.AsNoTracking()
            .Where(v => v.SubmissionId == submissionId && v.Number == version).Select(v => v.Attachments).SingleOrDefaultAsync(ct));

    /// <summary>
    /// What the checklist page shows of a disclosure: the product, the recipients (the vendor all, a hospital
    /// its own row), and the attachments of the shown version (or of the draft while the vendor edits it).
    /// </summary>
    public async Task<DisclosureView> ViewAsync(FormSubmission s, int? shownVersion, bool editing, CancellationToken ct = default)
    {
        var product = await db.Products.AsNoTracking().SingleAsync(p => p.Id == s.ProductId, ct);
        var previous = product.PreviousProductId is { } prev
            ? await db.Products.AsNoTracking().Where(p => p.Id == prev).Select(p => p.Name + " " + p.Version).SingleOrDefaultAsync(ct)
            : null;
        var respondent = SubmissionWorkflow.IsRespondent(s, tenant);
        var recipients = respondent ? await RecipientsAsync(s, ct) : [];
        var own = await OwnRecipientAsync(s, ct);
        IReadOnlyList<AttachmentView> attachments;
        if (editing)
        {
            attachments = (await AttachmentsAsync(s.Id, ct)).Where(a => a.InDraft).ToList();
        }
        else if (shownVersion is { } n)
        {
            var uploaded = (await AttachmentsAsync(s.Id, ct)).ToDictionary(a => a.Id);
            attachments = [.. (await ManifestAsync(s.Id, n, ct)).Select(m => uploaded.TryGetValue(m.Id, out var a) ? a
                : new AttachmentView(m.Id, m.FileName, m.ContentType, m.Size, m.Sha256, default, "", false, n))];
        }
        else
        {
            attachments = [];
        }
        var vendorName = await db.Organizations.Where(o => o.Id == s.RespondentOrganizationId).Select(o => o.Name).SingleOrDefaultAsync(ct) ?? "";
        return new DisclosureView(product, previous, vendorName, s, respondent, editing, recipients, own, attachments, shownVersion);
    }

    /// <summary>The vendor's products with their disclosure and each recipient's review state, newest version first within a name.</summary>
    public async Task<List<ProductRow>> ProductRowsAsync(CancellationToken ct = default)
    {
        var rows = await (from p in db.Products.AsNoTracking()
                          where p.VendorId == Me
                          join s in db.FormSubmissions on p.Id equals s.ProductId into ss
                          from s in ss.DefaultIfEmpty()
                          select new { p, s }).ToListAsync(ct);
        var submissionIds = rows.Where(x => x.s != null).Select(x => x.s!.Id).ToList();
        var recipients = await db.FormSubmissionRecipients.AsNoTracking().Where(r => submissionIds.Contains(r.SubmissionId) && r.WithdrawnAt == null).ToListAsync(ct);
        var hospitalIds = recipients.Select(r => r.HospitalId).Distinct().ToList();
        var names = await db.Organizations.IgnoreQueryFilters().Where(o => hospitalIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        return [.. rows.OrderBy(x => x.p.Name, StringComparer.Ordinal).ThenByDescending(x => x.p.CreatedAt)
            .Select(x => new ProductRow(x.p.Id, x.p.Kind, x.p.Name, x.p.Version, x.p.PreviousProductId, x.s?.Id, x.s?.State, x.s?.LatestVersion ?? 0,
                x.s?.UpdatedAt ?? x.p.CreatedAt, x.s?.TemplateKey ?? "",
                [.. recipients.Where(r => r.SubmissionId == x.s?.Id).OrderBy(r => names.GetValueOrDefault(r.HospitalId), StringComparer.Ordinal)
                    .Select(r => new RecipientView(r.HospitalId, names.GetValueOrDefault(r.HospitalId) ?? "", r.ReviewState, r.ReviewedVersion, r.ReviewedAt, r.SharedAt, false))]))];
    }

    /// <summary>
    /// Disclosures shared with one hospital: for its staff those submitted (each with the hospital's own review
    /// state); for a vendor its own ones shared with that hospital, drafts included.
    /// </summary>
    public async Task<List<DisclosureRow>> RowsForHospitalAsync(Guid hospitalId, CancellationToken ct = default)
        => (await (from r in db.FormSubmissionRecipients.AsNoTracking()
                   where r.HospitalId == hospitalId && r.WithdrawnAt == null
                   join s in db.FormSubmissions on r.SubmissionId equals s.Id
                   join p in db.Products on s.ProductId equals p.Id
                   join v in db.Organizations on s.RespondentOrganizationId equals v.Id
                   select new DisclosureRow(s.Id, p.Id, v.Name, p.Kind, p.Name, p.Version, r.ReviewState, s.LatestVersion, r.ReviewedVersion, r.UpdatedAt))
                .ToListAsync(ct))
            .OrderBy(x => x.VendorName, StringComparer.Ordinal).ThenBy(x => x.ProductName, StringComparer.Ordinal).ThenBy(x => x.Version, StringComparer.Ordinal).ToList();

    /// <summary>The caller's own recipient row (a hospital) or null.</summary>
    public async Task<FormSubmissionRecipient?> OwnRecipientAsync(FormSubmission s, CancellationToken ct = default)
        => tenant.OrganizationKind != OrganizationKind.Hospital ? null
            : await db.FormSubmissionRecipients.AsNoTracking().SingleOrDefaultAsync(r => r.SubmissionId == s.Id && r.HospitalId == tenant.OrganizationId && r.WithdrawnAt == null, ct);
}

/// <summary>
/// Tracks an attachment by its key and metadata without loading its content, so that a change writes only
/// the columns that changed (or a DELETE by key).
/// </summary>
public static class FormAttachmentStub
{
    public static FormAttachment Attach(AppDbContext db, Guid submissionId, AttachmentManifestEntry entry, int? firstSubmittedVersion = null)
    {
        var stub = new FormAttachment
        {
            Id = entry.Id, SubmissionId = submissionId, FileName = entry.FileName, ContentType = entry.ContentType, Size = entry.Size,
            Sha256 = entry.Sha256, UploadedByName = "", InDraft = true, FirstSubmittedVersion = firstSubmittedVersion,
        };
        db.FormAttachments.Attach(stub);
        return stub;
    }
}
