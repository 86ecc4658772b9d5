using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using VendorPortal.Features.Organizations;
using VendorPortal.Features.Subcontracting;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Notifications;
using VendorPortal.Infrastructure.Tenancy;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Responsibility;

/// <summary>A version as listed in the history, with the confirmations given for it.</summary>
public sealed record MatrixVersionInfo(Guid Id, int Number, string ContentHash, DateTimeOffset CreatedAt, string CreatedByName, string? ChangeNote,
    IReadOnlyList<ResponsibilityConfirmation> Confirmations);

/// <summary>An organization that has to confirm the current version, and its confirmation if given.</summary>
public sealed record MatrixConfirmer(Guid OrganizationId, string Name, bool IsHospital, ResponsibilityConfirmation? Confirmation);

/// <summary>One system's matrix as a page or the API shows it.</summary>
public sealed record MatrixState(Organization Hospital, MedicalSystem System, ResponsibilityMatrix? Matrix, IReadOnlyList<MatrixVersionInfo> Versions,
    MatrixContent? Current, IReadOnlyList<MatrixConfirmer> Confirmers)
{
    public MatrixVersionInfo? CurrentVersion => Versions.FirstOrDefault(v => v.Number == Matrix?.CurrentVersion);
}

/// <summary>A line of the list page: a system and its matrix state.</summary>
public sealed record MatrixOverviewRow(Guid SystemId, string SystemName, string? Category, int? Version, DateTimeOffset? UpdatedAt,
    IReadOnlyList<string> ConfirmedBy, IReadOnlyList<string> WaitingFor);

/// <summary>Parties the edit page offers: the system's engaged vendors and the approved direct subcontractors of their engagements.</summary>
public sealed record PartyCandidates(IReadOnlyList<(Guid Id, string Name)> Vendors, IReadOnlyList<(Guid RequestId, string Name, string VendorName)> Subcontractors);

public enum MatrixOutcome { Saved, Unchanged, Invalid, Stale, NotFound, Forbidden }

public sealed record MatrixSaveResult(MatrixOutcome Outcome, int Version = 0, IReadOnlyList<MatrixProblem>? Problems = null);

public enum ConfirmOutcome { Confirmed, AlreadyConfirmed, NotCurrent, NotParty, Forbidden, NotFound }

/// <summary>
/// The 責任分界表 of a hospital's systems: read, create from the template, save a new version when the content
/// changed, confirm a version, export it. Every read goes through the tenant filters: a system the caller cannot see
/// is not found. A save that changes the content creates version N+1 (confirmations of N no longer count) and asks
/// every vendor party to confirm; a vendor's confirmation is announced to the hospital.
/// </summary>
public sealed class ResponsibilityService(AppDbContext db, AuditLog audit, Notifier notifier, IAuditActor actor, ITenantContext tenant,
    MatrixTemplate template, SubcontractRegister register, ParsedMatrixCache cache, TimeProvider time)
{
    public const string Table = "responsibility_matrices";

    public static string Link(Guid hospitalId, Guid systemId) => $"/Hospitals/{hospitalId}/Responsibility/{systemId}";

    public MatrixTemplate Template => template;

    /// <summary>Every system of the hospital the caller sees (a vendor: those it is engaged for), with its matrix state. Three queries.</summary>
    public async Task<IReadOnlyList<MatrixOverviewRow>> OverviewAsync(Guid hospitalId, CancellationToken ct = default)
    {
        var rows = await (from s in db.MedicalSystems.AsNoTracking()
                          where s.HospitalId == hospitalId
                          join m in db.ResponsibilityMatrices on s.Id equals m.SystemId into ms
                          from m in ms.DefaultIfEmpty()
                          orderby s.Name
                          select new
                          {
                              s.Id, s.Name, s.Category, MatrixId = (Guid?)m.Id, Version = (int?)m.CurrentVersion, UpdatedAt = (DateTimeOffset?)m.UpdatedAt,
                              VersionId = db.ResponsibilityMatrixVersions.Where(v => v.MatrixId == m.Id && v.Number == m.CurrentVersion).Select(v => (Guid?)v.Id).FirstOrDefault(),
                              Confirmed = db.ResponsibilityConfirmations.Where(c => c.MatrixId == m.Id && c.VersionNumber == m.CurrentVersion).Select(c => c.OrganizationId).ToList(),
                          }).ToListAsync(ct);
        var contents = await ContentsAsync([.. rows.Where(r => r.VersionId is not null).Select(r => r.VersionId!.Value)], ct);
        var names = await NamesAsync(hospitalId, contents.Values, ct);
        return [.. rows.Select(r =>
        {
            if (r.VersionId is not { } vid || !contents.TryGetValue(vid, out var content))
            {
                return new MatrixOverviewRow(r.Id, r.Name, r.Category, null, null, [], []);
            }
            var confirmers = ResponsibilityRules.Confirmers(hospitalId, content);
            return new MatrixOverviewRow(r.Id, r.Name, r.Category, r.Version, r.UpdatedAt,
                [.. confirmers.Where(r.Confirmed.Contains).Select(id => names.GetValueOrDefault(id, "?"))],
                [.. confirmers.Where(id => !r.Confirmed.Contains(id)).Select(id => names.GetValueOrDefault(id, "?"))]);
        })];
    }

    /// <summary>One system's matrix, its versions and confirmations; null when the caller cannot see the system.</summary>
    public async Task<MatrixState?> LoadAsync(Guid hospitalId, Guid systemId, CancellationToken ct = default)
    {
        var system = await db.MedicalSystems.AsNoTracking().SingleOrDefaultAsync(s => s.Id == systemId && s.HospitalId == hospitalId, ct);
        var hospital = system is null ? null : await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == hospitalId && o.Kind == OrganizationKind.Hospital, ct);
        if (system is null || hospital is null)
        {
            return null;
        }
        var matrix = await db.ResponsibilityMatrices.AsNoTracking().SingleOrDefaultAsync(m => m.SystemId == systemId, ct);
        if (matrix is null)
        {
            return new MatrixState(hospital, system, null, [], null, []);
        }
        var versions = await db.ResponsibilityMatrixVersions.AsNoTracking().Where(v => v.MatrixId == matrix.Id).OrderByDescending(v => v.Number)
            .Select(v => new { v.Id, v.Number, v.ContentHash, v.CreatedAt, v.CreatedByName, v.ChangeNote }).ToListAsync(ct);
        var confirmations = (await db.ResponsibilityConfirmations.AsNoTracking().Where(c => c.MatrixId == matrix.Id).OrderBy(c => c.ConfirmedAt).ThenBy(c => c.OrganizationId).ToListAsync(ct))
            .ToLookup(c => c.VersionNumber);
        var infos = versions.Select(v => new MatrixVersionInfo(v.Id, v.Number, v.ContentHash, v.CreatedAt, v.CreatedByName, v.ChangeNote, [.. confirmations[v.Number]])).ToList();
        var currentId = infos.Single(v => v.Number == matrix.CurrentVersion).Id;
        var current = (await ContentsAsync([currentId], ct))[currentId];
        var names = await NamesAsync(hospitalId, [current], ct);
        var confirmers = ResponsibilityRules.Confirmers(hospitalId, current)
            .Select(id => new MatrixConfirmer(id, names.GetValueOrDefault(id, "?"), id == hospitalId, confirmations[matrix.CurrentVersion].FirstOrDefault(c => c.OrganizationId == id)))
            .ToList();
        return new MatrixState(hospital, system, matrix, infos, current, confirmers);
    }

    /// <summary>The content of version <paramref name="number"/> of a matrix the caller can see.</summary>
    public async Task<(MatrixVersionInfo Info, MatrixContent Content)?> VersionAsync(MatrixState state, int number, CancellationToken ct = default)
    {
        if (state.Versions.FirstOrDefault(v => v.Number == number) is not { } info)
        {
            return null;
        }
        return (info, (await ContentsAsync([info.Id], ct))[info.Id]);
    }

    /// <summary>Vendors actively engaged for the system and approved, still running direct subcontractors of theirs for it.</summary>
    public async Task<PartyCandidates> CandidatesAsync(Guid hospitalId, Guid systemId, CancellationToken ct = default)
    {
        var today = JapanTime.TodayInJapan(time);
        var vendors = await (from es in db.EngagementSystems.AsNoTracking()
                             where es.SystemId == systemId
                             join e in db.Engagements on es.EngagementId equals e.Id
                             where e.HospitalId == hospitalId && e.StartsOn <= today && (e.EndsOn == null || e.EndsOn >= today)
                             join o in db.Organizations on e.VendorId equals o.Id
                             select new { o.Id, o.Name }).Distinct().ToListAsync(ct);
        var subs = tenant.OrganizationKind == OrganizationKind.Hospital
            ? (await register.ListAsync(hospitalId, systemId: systemId, ct: ct)).Where(r => r.Depth == 0 && r.Status != RegisterStatus.Ended)
                .Select(r => (r.RequestId, r.Name, r.VendorName)).DistinctBy(r => r.RequestId).ToList()
            : [];
        return new PartyCandidates([.. vendors.OrderBy(v => v.Name).Select(v => (v.Id, v.Name))], subs);
    }

    /// <summary>Creates version 1 from the template: one party for the hospital and one per engaged vendor, cells by the template's defaults.</summary>
    public async Task<MatrixSaveResult> CreateFromTemplateAsync(ClaimsPrincipal user, Guid hospitalId, Guid systemId, CancellationToken ct = default)
    {
        var state = await LoadAsync(hospitalId, systemId, ct);
        if (state is null)
        {
            return new MatrixSaveResult(MatrixOutcome.NotFound);
        }
        if (state.Matrix is not null)
        {
            return new MatrixSaveResult(MatrixOutcome.Stale, state.Matrix.CurrentVersion);
        }
        var candidates = await CandidatesAsync(hospitalId, systemId, ct);
        List<MatrixParty> parties = [new MatrixParty("hospital", PartyKind.HospitalDepartment, state.Hospital.Name),
            .. candidates.Vendors.Select(v => new MatrixParty(VendorKey(v.Id), PartyKind.Vendor, v.Name, v.Id))];
        return await SaveAsync(user, hospitalId, systemId, MatrixJson.ToDto(template.Create(parties)), null, null, ct);
    }

    public static string VendorKey(Guid organizationId) => "v-" + organizationId.ToString("N");
    public static string SubcontractorKey(Guid requestId) => "s-" + requestId.ToString("N");

    /// <summary>
    /// Saves <paramref name="dto"/> on top of version <paramref name="baseVersion"/> (null or 0: the matrix must not
    /// exist yet). Same content: nothing saved. Vendor party names come from the organization; vendors must be ones the
    /// hospital engages (or engaged), subcontractors the hospital's 再委託 requests of that vendor.
    /// </summary>
    public async Task<MatrixSaveResult> SaveAsync(ClaimsPrincipal user, Guid hospitalId, Guid systemId, MatrixJson.ContentDto dto, int? baseVersion,
        string? note, CancellationToken ct = default)
    {
        var system = await db.MedicalSystems.AsNoTracking().SingleOrDefaultAsync(s => s.Id == systemId && s.HospitalId == hospitalId, ct);
        if (system is null)
        {
            return new MatrixSaveResult(MatrixOutcome.NotFound);
        }
        if (!ResponsibilityRules.CanEdit(user, tenant.OrganizationKind) || tenant.OrganizationId != hospitalId)
        {
            return new MatrixSaveResult(MatrixOutcome.Forbidden);
        }
        var (parsed, problems) = MatrixJson.FromDto(dto);
        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (note is { Length: > 1000 })
        {
            return new MatrixSaveResult(MatrixOutcome.Invalid, 0, [.. problems, new MatrixProblem("ChangeNote")]);
        }
        if (parsed is null)
        {
            return new MatrixSaveResult(MatrixOutcome.Invalid, 0, problems);
        }
        var (content, referenceProblems) = await CheckReferencesAsync(hospitalId, parsed, ct);
        if (referenceProblems.Count > 0)
        {
            return new MatrixSaveResult(MatrixOutcome.Invalid, 0, referenceProblems);
        }
        var json = MatrixJson.Serialize(content);
        var matrix = await db.ResponsibilityMatrices.SingleOrDefaultAsync(m => m.SystemId == systemId, ct);
        var now = time.GetUtcNow();
        if (matrix is null)
        {
            if (baseVersion is > 0)
            {
                return new MatrixSaveResult(MatrixOutcome.Stale);
            }
            matrix = new ResponsibilityMatrix { Id = Guid.NewGuid(), HospitalId = hospitalId, SystemId = systemId, CurrentVersion = 0, CreatedAt = now, UpdatedAt = now };
            db.ResponsibilityMatrices.Add(matrix);
        }
        else
        {
            if (baseVersion != matrix.CurrentVersion)
            {
                return new MatrixSaveResult(MatrixOutcome.Stale, matrix.CurrentVersion);
            }
            var currentJson = await db.ResponsibilityMatrixVersions.AsNoTracking().Where(v => v.MatrixId == matrix.Id && v.Number == matrix.CurrentVersion)
                .Select(v => v.Content).SingleAsync(ct);
            if (currentJson == json)
            {
                return new MatrixSaveResult(MatrixOutcome.Unchanged, matrix.CurrentVersion);
            }
        }
        var number = matrix.CurrentVersion + 1;
        matrix.CurrentVersion = number;
        matrix.UpdatedAt = now;
        var hash = MatrixJson.Hash(json);
        db.ResponsibilityMatrixVersions.Add(new ResponsibilityMatrixVersion
        {
            Id = Guid.NewGuid(), MatrixId = matrix.Id, Number = number, Content = json, ContentHash = hash, CreatedAt = now,
            CreatedByUserId = actor.UserId, CreatedByName = actor.UserName ?? "", ChangeNote = note,
        });
        audit.Record(AuditActions.ResponsibilitySaved, Table, matrix.Id.ToString(),
            new { systemId, version = number, hash, parties = content.Parties.Count, rows = content.Rows.Count, note }, hospitalId);
        var hospitalName = await db.Organizations.Where(o => o.Id == hospitalId).Select(o => o.Name).SingleAsync(ct);
        foreach (var vendorId in ResponsibilityRules.Confirmers(hospitalId, content).Where(id => id != hospitalId))
        {
            notifier.Add(new NotificationTarget(vendorId), "Notify_MatrixConfirmationRequested", [hospitalName, system.Name, number.ToString()],
                Link(hospitalId, systemId), Table, matrix.Id.ToString());
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return new MatrixSaveResult(MatrixOutcome.Stale);
        }
        await notifier.SendEmailsAsync(actor.UserId, ct);
        return new MatrixSaveResult(MatrixOutcome.Saved, number);
    }

    /// <summary>Vendor parties must name a vendor the hospital engages or engaged (the name is taken from it); subcontractor parties a 再委託 request of the hospital.</summary>
    private async Task<(MatrixContent Content, List<MatrixProblem> Problems)> CheckReferencesAsync(Guid hospitalId, MatrixContent content, CancellationToken ct)
    {
        var problems = new List<MatrixProblem>();
        var orgIds = content.Parties.Where(p => p.OrganizationId is not null).Select(p => p.OrganizationId!.Value).ToList();
        var vendors = await db.Organizations.AsNoTracking()
            .Where(o => orgIds.Contains(o.Id) && o.Kind == OrganizationKind.Vendor && db.Engagements.Any(e => e.HospitalId == hospitalId && e.VendorId == o.Id))
            .ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        var requestIds = content.Parties.Where(p => p.SubcontractRequestId is not null).Select(p => p.SubcontractRequestId!.Value).ToList();
        var requests = await db.SubcontractRequests.AsNoTracking().Where(r => requestIds.Contains(r.Id) && r.HospitalId == hospitalId).Select(r => r.Id).ToListAsync(ct);
        var parties = new List<MatrixParty>();
        foreach (var p in content.Parties)
        {
            if (p.OrganizationId is { } orgId)
            {
                if (!vendors.TryGetValue(orgId, out var name))
                {
                    problems.Add(new MatrixProblem("UnknownVendor", p.Key));
                    continue;
                }
                parties.Add(p with { Name = name });
                continue;
            }
            if (p.SubcontractRequestId is { } requestId && !requests.Contains(requestId))
            {
                problems.Add(new MatrixProblem("UnknownSubcontract", p.Key));
            }
            parties.Add(p);
        }
        return (content with { Parties = parties }, problems);
    }

    /// <summary>Confirms version <paramref name="version"/> for the caller's organization (it must be the current one).</summary>
    public async Task<(ConfirmOutcome Outcome, int Current)> ConfirmAsync(ClaimsPrincipal user, Guid hospitalId, Guid systemId, int version, CancellationToken ct = default)
    {
        var state = await LoadAsync(hospitalId, systemId, ct);
        if (state?.Matrix is null || state.Current is null)
        {
            return (ConfirmOutcome.NotFound, 0);
        }
        var current = state.Matrix.CurrentVersion;
        if (!ResponsibilityRules.CanConfirmFor(user, tenant.OrganizationKind) || tenant.OrganizationId is not { } orgId)
        {
            return (ConfirmOutcome.Forbidden, current);
        }
        if (version != current)
        {
            return (ConfirmOutcome.NotCurrent, current);
        }
        var me = state.Confirmers.FirstOrDefault(c => c.OrganizationId == orgId);
        if (me is null)
        {
            return (ConfirmOutcome.NotParty, current);
        }
        if (me.Confirmation is not null)
        {
            return (ConfirmOutcome.AlreadyConfirmed, current);
        }
        var now = time.GetUtcNow();
        db.ResponsibilityConfirmations.Add(new ResponsibilityConfirmation
        {
            Id = Guid.NewGuid(), MatrixId = state.Matrix.Id, VersionNumber = current, OrganizationId = orgId, UserId = actor.UserId ?? Guid.Empty,
            UserName = actor.UserName ?? "", ConfirmedAt = now,
        });
        var hash = state.CurrentVersion!.ContentHash;
        audit.Record(AuditActions.ResponsibilityConfirmed, Table, state.Matrix.Id.ToString(), new { systemId, version = current, hash, organizationId = orgId });
        if (orgId != hospitalId)
        {
            foreach (var role in ResponsibilityRules.HospitalConfirmRoles)
            {
                notifier.Add(new NotificationTarget(hospitalId, Role: role), "Notify_MatrixConfirmed", [me.Name, state.System.Name, current.ToString()],
                    Link(hospitalId, systemId), Table, state.Matrix.Id.ToString());
            }
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return (ConfirmOutcome.AlreadyConfirmed, current);
        }
        await notifier.SendEmailsAsync(actor.UserId, ct);
        return (ConfirmOutcome.Confirmed, current);
    }

    /// <summary>
    /// The .xlsx of version <paramref name="number"/> (the current one when null) of a system's matrix, or null when
    /// not found. Callable without HTTP (the inspection bundle uses it); the caller decides whether to audit the export.
    /// </summary>
    /// <remarks><paramref name="asOf"/> is the 作成日 written into the workbook (default today).</remarks>
    public async Task<(byte[] Content, string FileName)?> ExportAsync(Guid hospitalId, Guid systemId, int? number = null, CancellationToken ct = default, DateOnly? asOf = null)
    {
        var state = await LoadAsync(hospitalId, systemId, ct);
        if (state?.Matrix is null)
        {
            return null;
        }
        var loaded = await VersionAsync(state, number ?? state.Matrix.CurrentVersion, ct);
        if (loaded is not { } v)
        {
            return null;
        }
        var names = await NamesAsync(hospitalId, [v.Content], ct);
        var confirmations = v.Info.Confirmations.Select(c => new MatrixWorkbookConfirmation(names.GetValueOrDefault(c.OrganizationId, "?"), c.UserName, c.ConfirmedAt)).ToList();
        var bytes = MatrixWorkbookWriter.Write(new MatrixWorkbookHeader(state.Hospital.Name, state.System.Name, v.Info.Number, v.Info.ContentHash, v.Info.CreatedAt,
            v.Info.CreatedByName, asOf ?? JapanTime.TodayInJapan(time), confirmations), template, v.Content);
        return (bytes, $"responsibility-{state.System.Id:N}-v{v.Info.Number}.xlsx");
    }

    private Task<IReadOnlyDictionary<Guid, MatrixContent>> ContentsAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct)
        => cache.ContentsAsync(db, ids, ct);

    /// <summary>Organization names for confirmers: the hospital and the vendor parties (the party name if the organization is not visible).</summary>
    private async Task<Dictionary<Guid, string>> NamesAsync(Guid hospitalId, IEnumerable<MatrixContent> contents, CancellationToken ct)
    {
        var names = new Dictionary<Guid, string>();
        foreach (var p in contents.SelectMany(c => c.Parties).Where(p => p.OrganizationId is not null))
        {
            names[p.OrganizationId!.Value] = p.Name;
        }
        var ids = names.Keys.Append(hospitalId).ToList();
        foreach (var o in await db.Organizations.AsNoTracking().Where(o => ids.Contains(o.Id)).Select(o => new { o.Id, o.Name }).ToListAsync(ct))
        {
            names[o.Id] = o.Name;
        }
        return names;
    }
}
