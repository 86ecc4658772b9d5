using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Account;
using VendorPortal.Features.Disclosures;
using VendorPortal.Features.Forms;
using VendorPortal.Features.Ledger;
using VendorPortal.Features.Organizations;
using VendorPortal.Features.Subcontracting;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Files;

namespace VendorPortal.Infrastructure.Seeding;

/// <summary>
/// Loads seed-data/demo.json once (when no organization exists yet). Refused in Production.
/// Ids are derived from the keys in the file, so docs and tests can name demo records.
/// </summary>
public sealed class DemoDataSeeder(
    AppDbContext db,
    UserManager<AppUser> users,
    IHostEnvironment env,
    TimeProvider time,
    AuditLog audit,
    SubcontractWorkflow subcontracts,
    VendorPortal.Features.Responsibility.MatrixTemplate matrixTemplate,
    ILogger<DemoDataSeeder> logger)
{
    public static Guid IdFor(string key) => new(MD5.HashData(Encoding.UTF8.GetBytes("vendorportal-demo:" + key)));

    public async Task<bool> SeedAsync(string path, CancellationToken ct = default)
    {
        if (env.IsProduction())
        {
            throw new InvalidOperationException("Demo data is never loaded in the Production environment.");
        }
        if (await db.Organizations.IgnoreQueryFilters().AnyAsync(ct))
        {
            logger.LogInformation("Demo data: organizations exist already, nothing loaded");
            return false;
        }
        var data = JsonSerializer.Deserialize<DemoData>(await File.ReadAllTextAsync(path, ct), JsonOptions)
            ?? throw new InvalidOperationException($"{path} is empty.");
        var now = time.GetUtcNow();

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var o in data.Organizations)
        {
            db.Organizations.Add(new Organization
            {
                Id = IdFor(o.Key), Name = o.Name, NameEn = o.NameEn, Kind = o.Kind, HospitalKind = o.HospitalKind,
                VendorKinds = o.VendorKinds, CorporateNumber = o.CorporateNumber, CreatedAt = now,
            });
        }
        foreach (var s in data.Systems)
        {
            db.MedicalSystems.Add(new MedicalSystem { Id = IdFor(s.Key), HospitalId = IdFor(s.Hospital), Name = s.Name, Category = s.Category, CreatedAt = now });
        }
        foreach (var e in data.Engagements)
        {
            var id = IdFor(e.Key);
            db.Engagements.Add(new Engagement
            {
                Id = id, HospitalId = IdFor(e.Hospital), VendorId = IdFor(e.Vendor), Title = e.Title,
                StartsOn = e.StartsOn, EndsOn = e.EndsOn, CreatedAt = now,
                Systems = e.Systems.Select(s => new EngagementSystem { EngagementId = id, SystemId = IdFor(s) }).ToList(),
            });
        }
        await db.SaveChangesAsync(ct);

        foreach (var u in data.Users)
        {
            var user = new AppUser
            {
                Id = IdFor("user:" + u.Email), UserName = u.Email, Email = u.Email, EmailConfirmed = true,
                DisplayName = u.Name, OrganizationId = IdFor(u.Organization), CreatedAt = now, LockoutEnabled = true,
            };
            var result = await users.CreateAsync(user, u.Password);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"Demo user {u.Email}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
            }
            await users.AddToRoleAsync(user, u.Role);
        }
        await SeedProductsAsync(data.Products ?? [], data.Users, now, ct);
        await SeedRemoteMaintenanceAsync(data.RemoteMaintenance ?? [], data.Users, now, ct);
        foreach (var sc in data.Subcontracts ?? [])
        {
            await SeedSubcontractAsync(sc, data.Users, ct);
        }
        await SeedLedgerAsync(data.Ledger, now, ct);
        await DemoPatches.SeedAsync(db, now, VendorPortal.Infrastructure.Time.JapanTime.TodayInJapan(time), ct);
        await SeedResponsibilityAsync(data, now, ct);
        await DemoContacts.SeedAsync(db, now, ct);
        await DemoChecklists.SeedAsync(db, audit, now, VendorPortal.Infrastructure.Time.JapanTime.TodayInJapan(time), ct);
        await DemoBcp.SeedAsync(db, now, VendorPortal.Infrastructure.Time.JapanTime.TodayInJapan(time), ct);
        await tx.CommitAsync(ct);
        logger.LogInformation("Demo data loaded: {Orgs} organizations, {Users} users, {Products} products, {Subcontracts} re-subcontracting requests",
            data.Organizations.Count, data.Users.Count, data.Products?.Count ?? 0, data.Subcontracts?.Count ?? 0);
        return true;
    }

    /// <summary>
    /// Products with their MDS/SDS: answered はい (いいえ with a 備考 where the file says so), shared with the listed
    /// hospitals, and — when <c>submittedBy</c> is set — submitted as version 1 with a demo PDF attached. A product
    /// with <c>previous</c> starts from a copy of that one's answers and recipients, as the portal does.
    /// </summary>
    private async Task SeedProductsAsync(List<DemoProduct> products, List<DemoUser> demoUsers, DateTimeOffset now, CancellationToken ct)
    {
        var answersByKey = new Dictionary<string, FormAnswers>();
        var recipientsByKey = new Dictionary<string, List<string>>();
        foreach (var p in products)
        {
            var template = (await db.FormTemplateVersions.AsNoTracking().SingleOrDefaultAsync(t => t.Key == p.Template, ct)
                ?? throw new InvalidOperationException($"Demo product {p.Key}: form template {p.Template} is not published (run migrate first).")).Parse();
            var answers = p.Previous is { } prev ? DisclosureCopy.MapAnswers(answersByKey[prev], template).Answers : DemoAnswers(template, p.No ?? []);
            var recipients = p.Recipients ?? (p.Previous is { } pr ? recipientsByKey[pr] : []);
            answersByKey[p.Key] = answers;
            recipientsByKey[p.Key] = recipients;
            var vendorId = IdFor(p.Vendor);
            var submitter = p.SubmittedBy is { } email ? demoUsers.Single(u => u.Email == email) : null;
            var submitterId = submitter is null ? (Guid?)null : IdFor("user:" + submitter.Email);
            var product = new Product
            {
                Id = IdFor("product:" + p.Key), VendorId = vendorId, Kind = p.Kind, Name = p.Name, Version = p.Version,
                PreviousProductId = p.Previous is null ? null : IdFor("product:" + p.Previous), CreatedAt = now,
            };
            var canonical = AnswerJson.Serialize(answers);
            var submission = new FormSubmission
            {
                Id = IdFor("disclosure:" + p.Key), TemplateKey = template.Key, Kind = p.Kind, RespondentOrganizationId = vendorId, ProductId = product.Id,
                State = submitter is null ? SubmissionState.Draft : SubmissionState.Submitted, DraftAnswers = canonical,
                LatestVersion = submitter is null ? 0 : 1, CreatedAt = now, UpdatedAt = now, UpdatedByUserId = submitterId,
            };
            db.Products.Add(product);
            db.FormSubmissions.Add(submission);
            foreach (var h in recipients)
            {
                db.FormSubmissionRecipients.Add(new FormSubmissionRecipient
                {
                    SubmissionId = submission.Id, HospitalId = IdFor(h), VendorId = vendorId, ReviewState = RecipientRules.StateWhenShared(submission.LatestVersion),
                    SharedAt = now, SharedByUserId = submitterId ?? IdFor("user:" + demoUsers.First(u => u.Organization == p.Vendor).Email), UpdatedAt = now,
                });
            }
            if (submitter is not null)
            {
                var manifest = new List<AttachmentManifestEntry>();
                if (p.Attachment is { } fileName)
                {
                    var pdf = DemoPdf($"VendorPortal demo: MDS {p.Version} (placeholder for the signed PDF)");
                    var attachment = new FormAttachment
                    {
                        Id = IdFor("attachment:" + p.Key), SubmissionId = submission.Id, FileName = AttachmentRules.SanitizeFileName(fileName, AttachmentRules.Pdf),
                        ContentType = AttachmentRules.Pdf, Size = pdf.Length, Sha256 = AttachmentRules.Sha256Of(pdf), Content = pdf, UploadedAt = now,
                        UploadedByUserId = submitterId!.Value, UploadedByName = submitter.Email, InDraft = true, FirstSubmittedVersion = 1,
                    };
                    db.FormAttachments.Add(attachment);
                    manifest.Add(new AttachmentManifestEntry(attachment.Id, attachment.FileName, attachment.ContentType, attachment.Size, attachment.Sha256));
                }
                var hash = SubmissionSnapshot.ContentHash(canonical, manifest);
                var templateHash = await db.FormTemplateVersions.Where(t => t.Key == template.Key).Select(t => t.ContentHash).SingleAsync(ct);
                db.FormSubmissionVersions.Add(new FormSubmissionVersion
                {
                    Id = IdFor("disclosure-v1:" + p.Key), SubmissionId = submission.Id, Number = 1, Answers = canonical, Attachments = SubmissionSnapshot.SerializeManifest(manifest),
                    ContentHash = hash, TemplateHash = templateHash, SubmittedAt = now, SubmittedByUserId = submitterId!.Value, SubmittedByName = submitter.Email,
                });
                db.FormReviewEvents.Add(new FormReviewEvent
                {
                    Id = IdFor("disclosure-event:" + p.Key), SubmissionId = submission.Id, VersionNumber = 1, Action = ReviewAction.Submitted,
                    ActorUserId = submitterId!.Value, ActorName = submitter.Email, ActorOrganizationId = vendorId, At = now,
                });
                audit.Record(AuditActions.FormSubmitted, "form_submissions", submission.Id.ToString(), new { version = 1, contentHash = hash, templateHash, demo = true }, vendorId);
            }
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Remote-maintenance disclosures: every item answered (はい, the first choice, a demo text) unless the file
    /// gives the answer, items that do not apply dropped, checked against the form's rules, and — when
    /// <c>submittedBy</c> is set — submitted as version 1 for the hospital's review.
    /// </summary>
    private async Task SeedRemoteMaintenanceAsync(List<DemoRemoteMaintenance> disclosures, List<DemoUser> demoUsers, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var d in disclosures)
        {
            var version = await db.FormTemplateVersions.AsNoTracking().SingleOrDefaultAsync(t => t.Key == d.Template, ct)
                ?? throw new InvalidOperationException($"Demo remote maintenance {d.Key}: form template {d.Template} is not published (run migrate first).");
            var template = version.Parse();
            var given = DemoAnswers(template, []).Rounds[0].Answers.ToDictionary(a => a.Key, a => a.Value);
            foreach (var (item, value) in d.Answers ?? [])
            {
                given[item] = new ItemAnswer(value);
            }
            var round = new CheckRound(1, null, given);
            foreach (var item in template.Items.Where(i => i.Rules?.Any(r => r.Kind == RuleKind.ApplicableWhen) == true))
            {
                var applies = item.Rules!.Where(r => r.Kind == RuleKind.ApplicableWhen).All(r => given.TryGetValue(r.Item!, out var other)
                    && (r.Value is not null ? other.Value == r.Value : FormRules.ParseYesNo(other.Value) == r.Answer));
                if (!applies)
                {
                    given.Remove(item.Id);
                }
            }
            var answers = new FormAnswers([round]);
            var problems = FormRules.Validate(template, answers, new FormContext(null, true, DateOnly.FromDateTime(now.UtcDateTime)));
            if (problems.Count > 0)
            {
                throw new InvalidOperationException($"Demo remote maintenance {d.Key}: {string.Join(", ", problems.Select(p => $"{p.ItemId} {p.Code}"))}");
            }
            var vendorId = IdFor(d.Vendor);
            var submitter = d.SubmittedBy is { } email ? demoUsers.Single(u => u.Email == email) : null;
            var submitterId = submitter is null ? (Guid?)null : IdFor("user:" + submitter.Email);
            var canonical = AnswerJson.Serialize(answers);
            var submission = new FormSubmission
            {
                Id = IdFor("remote-maintenance:" + d.Key), TemplateKey = template.Key, Kind = FormKind.RemoteMaintenance, RespondentOrganizationId = vendorId,
                HospitalId = IdFor(d.Hospital), SystemId = IdFor(d.System), State = submitter is null ? SubmissionState.Draft : SubmissionState.Submitted,
                DraftAnswers = canonical, LatestVersion = submitter is null ? 0 : 1, CreatedAt = now, UpdatedAt = now, UpdatedByUserId = submitterId,
            };
            db.FormSubmissions.Add(submission);
            if (submitter is not null)
            {
                var hash = SubmissionSnapshot.ContentHash(canonical, []);
                db.FormSubmissionVersions.Add(new FormSubmissionVersion
                {
                    Id = IdFor("remote-maintenance-v1:" + d.Key), SubmissionId = submission.Id, Number = 1, Answers = canonical, Attachments = SubmissionSnapshot.SerializeManifest([]),
                    ContentHash = hash, TemplateHash = version.ContentHash, SubmittedAt = now, SubmittedByUserId = submitterId!.Value, SubmittedByName = submitter.Email,
                });
                db.FormReviewEvents.Add(new FormReviewEvent
                {
                    Id = IdFor("remote-maintenance-event:" + d.Key), SubmissionId = submission.Id, VersionNumber = 1, Action = ReviewAction.Submitted,
                    ActorUserId = submitterId!.Value, ActorName = submitter.Email, ActorOrganizationId = vendorId, At = now,
                });
                audit.Record(AuditActions.FormSubmitted, "form_submissions", submission.Id.ToString(), new { version = 1, contentHash = hash, templateHash = version.ContentHash, demo = true }, vendorId);
            }
        }
        await db.SaveChangesAsync(ct);
    }

    internal static FormAnswers DemoAnswers(FormTemplate template, Dictionary<string, string> no)
        => new([new CheckRound(1, null, template.Items.ToDictionary(i => i.Id, i => no.TryGetValue(i.Id, out var remark)
            ? new ItemAnswer("No", Remark: remark)
            : i.AnswerType switch
            {
                AnswerType.YesNo or AnswerType.YesNoNa => new ItemAnswer("Yes"),
                AnswerType.Choice => new ItemAnswer(i.Choices![0]),
                AnswerType.Date => new ItemAnswer("2026-04-01"),
                _ => new ItemAnswer("特記事項なし（デモデータ）"),
            }))]);

    /// <summary>A one-page PDF with one line of ASCII text (the xref offsets computed, so viewers open it).</summary>
    internal static byte[] DemoPdf(string line)
    {
        var text = line.Replace("\\", "\\\\").Replace("(", "\\(").Replace(")", "\\)");
        var stream = $"BT /F1 14 Tf 50 780 Td ({text}) Tj ET";
        string[] objects =
        [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
            $"<< /Length {stream.Length} >>\nstream\n{stream}\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ];
        var sb = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(sb.Length);
            sb.Append($"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }
        var xref = sb.Length;
        sb.Append($"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var o in offsets)
        {
            sb.Append($"{o:D10} 00000 n \n");
        }
        sb.Append($"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    /// <summary>
    /// A 再委託 request filed and taken through its steps by the demo users, through the workflow itself (same
    /// validation, history, audit events and notifications as in use), so the demo shows a real request.
    /// </summary>
    /// <summary>
    /// 責任分界表 of 中央総合病院's 電子カルテシステム: version 1 from the template (the hospital and the engaged EMR vendor),
    /// confirmed by the hospital's security manager, waiting for the vendor (asked by a notification).
    /// </summary>
    private async Task SeedResponsibilityAsync(DemoData data, DateTimeOffset now, CancellationToken ct)
    {
        const string Hospital = "chuo-hospital", System = "chuo-emr", Vendor = "emr-vendor", Confirmer = "security@chuo-hospital.example";
        if (data.Systems.All(x => x.Key != System) || data.Organizations.All(o => o.Key != Vendor) || data.Users.All(u => u.Email != Confirmer))
        {
            return;
        }
        var hospital = data.Organizations.Single(o => o.Key == Hospital);
        var vendor = data.Organizations.Single(o => o.Key == Vendor);
        var confirmer = data.Users.Single(u => u.Email == Confirmer);
        var content = matrixTemplate.Create([
            new VendorPortal.Features.Responsibility.MatrixParty("hospital", VendorPortal.Features.Responsibility.PartyKind.HospitalDepartment, hospital.Name),
            new VendorPortal.Features.Responsibility.MatrixParty(VendorPortal.Features.Responsibility.ResponsibilityService.VendorKey(IdFor(Vendor)),
                VendorPortal.Features.Responsibility.PartyKind.Vendor, vendor.Name, IdFor(Vendor))]);
        var json = VendorPortal.Features.Responsibility.MatrixJson.Serialize(content);
        var matrixId = IdFor("matrix:" + System);
        db.ResponsibilityMatrices.Add(new VendorPortal.Features.Responsibility.ResponsibilityMatrix
        {
            Id = matrixId, HospitalId = IdFor(Hospital), SystemId = IdFor(System), CurrentVersion = 1, CreatedAt = now, UpdatedAt = now,
        });
        db.ResponsibilityMatrixVersions.Add(new VendorPortal.Features.Responsibility.ResponsibilityMatrixVersion
        {
            Id = IdFor("matrix-version:" + System + ":1"), MatrixId = matrixId, Number = 1, Content = json,
            ContentHash = VendorPortal.Features.Responsibility.MatrixJson.Hash(json), CreatedAt = now, CreatedByUserId = IdFor("user:" + Confirmer),
            CreatedByName = confirmer.Name, ChangeNote = "テンプレートから作成（デモデータ）",
        });
        db.ResponsibilityConfirmations.Add(new VendorPortal.Features.Responsibility.ResponsibilityConfirmation
        {
            Id = IdFor("matrix-confirmation:" + System + ":1:" + Hospital), MatrixId = matrixId, VersionNumber = 1, OrganizationId = IdFor(Hospital),
            UserId = IdFor("user:" + Confirmer), UserName = Confirmer, ConfirmedAt = now,
        });
        db.Notifications.Add(new VendorPortal.Infrastructure.Notifications.Notification
        {
            Id = IdFor("notification:matrix:" + System), OrganizationId = IdFor(Vendor), TextKey = "Notify_MatrixConfirmationRequested",
            Args = JsonSerializer.Serialize(new[] { hospital.Name, data.Systems.Single(x => x.Key == System).Name, "1" }),
            Link = VendorPortal.Features.Responsibility.ResponsibilityService.Link(IdFor(Hospital), IdFor(System)),
            SubjectType = VendorPortal.Features.Responsibility.ResponsibilityService.Table, SubjectId = matrixId.ToString(), CreatedAt = now,
        });
        audit.Record(AuditActions.ResponsibilitySaved, VendorPortal.Features.Responsibility.ResponsibilityService.Table, matrixId.ToString(),
            new { systemId = IdFor(System), version = 1, demo = true }, IdFor(Hospital));
        await db.SaveChangesAsync(ct);
    }

    private async Task SeedSubcontractAsync(DemoSubcontract sc, List<DemoUser> demoUsers, CancellationToken ct)
    {
        SubcontractActor Actor(string email)
        {
            var u = demoUsers.Single(x => x.Email == email);
            return new SubcontractActor(IdFor("user:" + email), IdFor(u.Organization), [u.Role]);
        }
        string Name(string email) => demoUsers.Single(x => x.Email == email).Name;

        var (root, problems) = SubcontractsApi.ToInput(sc.Subcontractor, "subcontractor.");
        var created = problems.Count == 0 ? await subcontracts.CreateAsync(Actor(sc.FiledBy), Name(sc.FiledBy), IdFor(sc.Engagement), null, root, ct) : SubcontractResult.Invalid(problems);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException($"Demo subcontract {sc.Engagement}: {created.ErrorCode} {string.Join("; ", created.Problems?.Select(p => p.Field + " " + p.Code) ?? [])}");
        }
        foreach (var step in sc.Steps)
        {
            var request = (await subcontracts.FindAsync(created.Id!.Value, ct))!;
            var result = await subcontracts.ApplyAsync(request, step.Action, new SubcontractStepInput(step.Comment, step.Conditions, step.Opinion, step.AcknowledgeForeign), Actor(step.By), Name(step.By), ct);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"Demo subcontract {sc.Engagement}, step {step.Action}: {result.ErrorCode}");
            }
        }
    }

    public static string? FindDefaultPath(string contentRoot) => SeedData.Find(contentRoot, "seed-data/demo.json");

    /// <summary>
    /// 医療情報システム台帳: the 機器管理票 fields of the listed systems, their components (checked by LedgerRules),
    /// EOS dates entered by the named users, and vendors' pending proposals (with the SystemOperator's notification).
    /// </summary>
    private async Task SeedLedgerAsync(DemoLedger? ledger, DateTimeOffset now, CancellationToken ct)
    {
        if (ledger is null)
        {
            return;
        }
        var today = VendorPortal.Infrastructure.Time.JapanTime.TodayInJapan(time);
        foreach (var s in ledger.Systems ?? [])
        {
            var system = await db.MedicalSystems.SingleAsync(m => m.Id == IdFor(s.Key), ct);
            new SystemValues
            {
                Name = system.Name, Category = system.Category, Description = s.Description, OwnerDepartment = s.OwnerDepartment, Administrator = s.Administrator,
                NetworkSegment = s.NetworkSegment, Confidentiality = s.Confidentiality, Integrity = s.Integrity, Availability = s.Availability,
            }.ApplyTo(system);
            system.UpdatedAt = now;
        }
        var components = new Dictionary<string, (SystemComponent Entity, ComponentValues Values)>();
        foreach (var c in ledger.Components ?? [])
        {
            var values = new ComponentValues
            {
                SystemId = IdFor(c.System), ManagementNumber = c.Number, Kind = c.Kind, Name = c.Name, Maker = c.Maker, Model = c.Model,
                SerialNumber = c.SerialNumber, Software = c.Software, SoftwareVersion = c.SoftwareVersion, Os = c.Os, OsVersion = c.OsVersion,
                Firmware = c.Firmware, IpAddress = c.IpAddress, HostName = c.HostName, Location = c.Location, Users = c.Users, RegisteredOn = c.RegisteredOn,
                OwnerDepartment = c.OwnerDepartment, SupplierVendorId = c.Supplier is { } v ? IdFor(v) : null, UsesRemoteMaintenance = c.UsesRemoteMaintenance,
                NetworkSegment = c.NetworkSegment, Confidentiality = c.Confidentiality, Integrity = c.Integrity, Availability = c.Availability,
                AntiMalware = c.AntiMalware, Notes = c.Notes,
            };
            if (LedgerRules.ValidateComponent(values, today) is { Count: > 0 } problems)
            {
                throw new InvalidOperationException($"Demo component {c.Number}: {string.Join(", ", problems.Select(p => p.Field + " " + p.Code))}");
            }
            var hospitalId = (await db.MedicalSystems.AsNoTracking().SingleAsync(m => m.Id == values.SystemId, ct)).HospitalId;
            var entity = new SystemComponent { Id = IdFor("component:" + c.Number), HospitalId = hospitalId, ManagementNumber = "", Name = "", CreatedAt = now, UpdatedAt = now, Revision = 1 };
            values.ApplyTo(entity);
            db.SystemComponents.Add(entity);
            components[c.Number] = (entity, values);
            foreach (var d in c.SupportDates ?? [])
            {
                var by = await users.FindByEmailAsync(d.EnteredBy) ?? throw new InvalidOperationException($"Demo EOS date: no user {d.EnteredBy}");
                db.ComponentSupportDates.Add(new ComponentSupportDate
                {
                    Id = IdFor($"eos:{c.Number}:{d.Subject}"), HospitalId = hospitalId, ComponentId = entity.Id, Kind = d.Kind, Subject = d.Subject,
                    EndsOn = d.EndsOn, Source = d.Source, EnteredByOrganizationId = by.OrganizationId, EnteredByUserId = by.Id,
                    EnteredByName = by.DisplayName, EnteredAt = now,
                });
            }
        }
        foreach (var p in ledger.Proposals ?? [])
        {
            var (entity, before) = components[p.Component];
            var proposed = before.Copy();
            foreach (var (field, value) in p.Changes)
            {
                typeof(ComponentValues).GetProperty(field, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase)!
                    .SetValue(proposed, value);
            }
            var by = await users.FindByEmailAsync(p.By) ?? throw new InvalidOperationException($"Demo proposal: no user {p.By}");
            var proposal = new ComponentProposal
            {
                Id = IdFor($"proposal:{p.Component}"), HospitalId = entity.HospitalId, SystemId = entity.SystemId, ComponentId = entity.Id, VendorId = IdFor(p.Vendor),
                ProposedValues = JsonSerializer.Serialize(proposed, LedgerService.ValuesJson), BaseRevision = entity.Revision, State = ProposalState.Pending,
                Comment = p.Comment, ProposedByUserId = by.Id, ProposedByName = by.DisplayName, ProposedAt = now, Revision = 1,
            };
            db.ComponentProposals.Add(proposal);
            audit.Record(AuditActions.LedgerProposalCreated, LedgerService.ProposalTable, proposal.Id.ToString(),
                new { hospitalId = entity.HospitalId, componentId = entity.Id, fields = LedgerRules.Diff(before, proposed).Select(d => d.Field).ToArray() }, entity.HospitalId);
            var vendorName = await db.Organizations.Where(o => o.Id == proposal.VendorId).Select(o => o.Name).SingleAsync(ct);
            db.Notifications.Add(new VendorPortal.Infrastructure.Notifications.Notification
            {
                Id = Guid.NewGuid(), OrganizationId = entity.HospitalId, RecipientRole = Roles.SystemOperator, TextKey = "Notify_LedgerProposal",
                Args = JsonSerializer.Serialize(new[] { vendorName, entity.Name }), Link = $"/Hospitals/{entity.HospitalId}/Ledger/Proposals/{proposal.Id}",
                SubjectType = LedgerService.ProposalTable, SubjectId = proposal.Id.ToString(), CreatedAt = now,
            });
        }
        await db.SaveChangesAsync(ct);
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        Converters = { new JsonStringEnumConverter() },
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    private sealed record DemoData(List<DemoOrg> Organizations, List<DemoSystem> Systems, List<DemoEngagement> Engagements, List<DemoUser> Users, List<DemoProduct>? Products,
        List<DemoRemoteMaintenance>? RemoteMaintenance = null, List<DemoSubcontract>? Subcontracts = null, DemoLedger? Ledger = null);
    private sealed record DemoRemoteMaintenance(string Key, string Vendor, string Hospital, string System, string Template, string? SubmittedBy, Dictionary<string, string>? Answers);
    private sealed record DemoProduct(string Key, string Vendor, FormKind Kind, string Name, string Version, string Template, string? Previous,
        string? SubmittedBy, List<string>? Recipients, Dictionary<string, string>? No, string? Attachment);
    private sealed record DemoSubcontract(string Engagement, string FiledBy, SubcontractorBody Subcontractor, List<DemoStep> Steps);
    private sealed record DemoStep(SubcontractAction Action, string By, string? Comment, string? Conditions, SecurityOpinion? Opinion, bool AcknowledgeForeign);
    private sealed record DemoOrg(string Key, string Name, string? NameEn, OrganizationKind Kind, HospitalKind? HospitalKind, VendorKind VendorKinds, string? CorporateNumber);
    private sealed record DemoSystem(string Key, string Hospital, string Name, string Category);
    private sealed record DemoEngagement(string Key, string Hospital, string Vendor, string Title, DateOnly StartsOn, DateOnly? EndsOn, List<string> Systems);
    private sealed record DemoUser(string Email, string Name, string Organization, string Role, string Password);
    private sealed record DemoLedger(List<DemoLedgerSystem>? Systems, List<DemoComponent>? Components, List<DemoProposal>? Proposals);
    private sealed record DemoLedgerSystem(string Key, string? Description, string? OwnerDepartment, string? Administrator, NetworkSegment? NetworkSegment,
        SecurityClass? Confidentiality, SecurityClass? Integrity, SecurityClass? Availability);
    private sealed record DemoComponent(string Number, string System, ComponentKind Kind, string Name, string? Maker, string? Model, string? SerialNumber,
        string? Software, string? SoftwareVersion, string? Os, string? OsVersion, string? Firmware, string? IpAddress, string? HostName, string? Location,
        string? Users, DateOnly? RegisteredOn, string? OwnerDepartment, string? Supplier, bool UsesRemoteMaintenance, NetworkSegment? NetworkSegment,
        SecurityClass? Confidentiality, SecurityClass? Integrity, SecurityClass? Availability, bool? AntiMalware, string? Notes, List<DemoSupportDate>? SupportDates);
    private sealed record DemoSupportDate(SupportKind Kind, string Subject, DateOnly EndsOn, string Source, string EnteredBy);
    private sealed record DemoProposal(string Vendor, string By, string Component, Dictionary<string, string> Changes, string? Comment);
}

/// <summary>Ensures every role row exists (roles are fixed by the code, not data).</summary>
public sealed class RoleSeeder(AppDbContext db)
{
    public async Task EnsureRolesAsync(CancellationToken ct = default)
    {
        var existing = await db.Roles.Select(r => r.Name).ToListAsync(ct);
        foreach (var role in Roles.All.Where(r => !existing.Contains(r)))
        {
            db.Roles.Add(new AppRole(role) { Id = DemoDataSeeder.IdFor("role:" + role), NormalizedName = role.ToUpperInvariant() });
        }
        await db.SaveChangesAsync(ct);
    }
}
