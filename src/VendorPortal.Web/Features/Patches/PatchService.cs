using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Account;
using VendorPortal.Features.Ledger;
using VendorPortal.Features.Organizations;
using VendorPortal.Features.Policy;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Notifications;
using VendorPortal.Infrastructure.Tenancy;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Patches;

public sealed record PatchResult(bool Succeeded, string? ErrorCode = null, IReadOnlyList<(string Field, string Key)>? Problems = null, Guid? Id = null)
{
    public static PatchResult Ok(Guid? id = null) => new(true, Id: id);
    public static PatchResult Fail(string code) => new(false, code);
    public static PatchResult Invalid(IReadOnlyList<(string Field, string Key)> problems) => new(false, "Invalid", problems);
    /// <summary>The caller may not do this at all (403): the record itself is visible.</summary>
    public bool IsForbidden => ErrorCode is "NotAllowed" or "VendorCannotDecide" or "NotSecurityManager";
}

/// <summary>One advisory in the list: counts per state (of the statuses the reader can see) and how many are overdue.</summary>
public sealed record AdvisoryRow(Guid Id, string Identifier, string Title, AdvisorySeverity Severity, DateOnly ReleasedOn, DateOnly DueOn,
    IReadOnlyDictionary<PatchState, int> Counts, int AwaitingApproval, int Unsettled, int Overdue, string CreatedByName);

/// <summary>One affected component's status with what the table shows of its component.</summary>
public sealed record StatusRow(PatchStatus Status, string SystemName, string ManagementNumber, string ComponentName, ComponentKind Kind,
    Guid? SupplierVendorId, string? SupplierName);

/// <summary>A component the picker offers.</summary>
public sealed record ComponentOption(Guid Id, string ManagementNumber, string Name, ComponentKind Kind, string SystemName, string? Os, string? Software, string? SupplierName);

public sealed record ComponentFilter(Guid? SystemId, ComponentKind? Kind, string? Text);

public sealed record AdvisoryInput(string? Identifier, string? Title, AdvisorySeverity? Severity, DateOnly? ReleasedOn, string? Url, string? Description);

/// <summary>
/// Advisories and per-component patch statuses. Reads go through the tenant filters (a hospital sees its own, a
/// vendor the statuses of components it supplies and the advisories that touch them); every change is saved in one
/// SaveChanges with its audit (the entity audit writes from → to for each status; approvals add their own event).
/// </summary>
public sealed class PatchService(AppDbContext db, CompliancePolicyStore policies, AuditLog audit, Notifier notifier, TimeProvider time)
{
    public const string SubjectType = "security_advisories";
    public const int MaxPickerRows = 500;

    public DateOnly Today => JapanTime.TodayInJapan(time);

    public static PatchActor ActorOf(ClaimsPrincipal user, ITenantContext tenant)
        => new(tenant.OrganizationId ?? Guid.Empty, tenant.UserId,
            user.FindFirstValue(PortalClaims.DisplayName) is { Length: > 0 } name ? name : user.Identity?.Name ?? "",
            tenant.OrganizationKind == OrganizationKind.Vendor,
            [.. Roles.All.Where(user.IsInRole)]);

    public static string Link(Guid hospitalId, Guid advisoryId) => $"/Hospitals/{hospitalId}/Patches/{advisoryId}";

    public Task<SecurityAdvisory?> FindAsync(Guid hospitalId, Guid advisoryId, CancellationToken ct = default)
        => db.SecurityAdvisories.SingleOrDefaultAsync(a => a.Id == advisoryId && a.HospitalId == hospitalId, ct);

    /// <summary>The hospital's advisories with counts, newest release first, filtered by state, severity and overdue.</summary>
    /// <remarks><paramref name="asOf"/> is the day overdue is judged on (default today).</remarks>
    public async Task<List<AdvisoryRow>> ListAsync(Guid hospitalId, PatchState? state = null, AdvisorySeverity? severity = null, bool overdueOnly = false, CancellationToken ct = default,
        DateOnly? asOf = null)
    {
        var policy = await policies.GetAsync(hospitalId, ct);
        var advisories = await db.SecurityAdvisories.AsNoTracking().Where(a => a.HospitalId == hospitalId)
            .Where(a => severity == null || a.Severity == severity)
            .OrderByDescending(a => a.ReleasedOn).ThenBy(a => a.Identifier)
            .Select(a => new { a.Id, a.Identifier, a.Title, a.Severity, a.ReleasedOn, a.CreatedByName }).ToListAsync(ct);
        var counts = (await db.PatchStatuses.AsNoTracking().Where(p => p.HospitalId == hospitalId)
                .GroupBy(p => new { p.AdvisoryId, p.State, Approved = p.DeferralApprovedAt != null })
                .Select(g => new { g.Key.AdvisoryId, g.Key.State, g.Key.Approved, Count = g.Count() }).ToListAsync(ct))
            .ToLookup(c => c.AdvisoryId);
        var today = asOf ?? Today;
        var rows = new List<AdvisoryRow>();
        foreach (var a in advisories)
        {
            var mine = counts[a.Id].ToList();
            var due = PolicyRules.PatchDueOn(a.Severity, a.ReleasedOn, policy);
            var byState = mine.GroupBy(c => c.State).ToDictionary(g => g.Key, g => g.Sum(c => c.Count));
            var unsettled = mine.Where(c => PolicyRules.PatchUnsettled(c.State, c.Approved)).Sum(c => c.Count);
            var overdue = mine.Where(c => PolicyRules.PatchOverdue(c.State, c.Approved, due, today)).Sum(c => c.Count);
            var awaiting = mine.Where(c => c.State == PatchState.Deferred && !c.Approved).Sum(c => c.Count);
            if ((state is { } s && !byState.ContainsKey(s)) || (overdueOnly && overdue == 0))
            {
                continue;
            }
            rows.Add(new AdvisoryRow(a.Id, a.Identifier, a.Title, a.Severity, a.ReleasedOn, due, byState, awaiting, unsettled, overdue, a.CreatedByName));
        }
        return rows;
    }

    /// <summary>The affected components of an advisory (those the reader can see), by system and 管理番号.</summary>
    public async Task<List<StatusRow>> StatusesAsync(Guid advisoryId, CancellationToken ct = default)
    {
        // No IgnoreQueryFilters anywhere here: it would lift the tenant filters of the whole query, not just of one table.
        var rows = await (from p in db.PatchStatuses.AsNoTracking()
                          where p.AdvisoryId == advisoryId
                          join c in db.SystemComponents on p.ComponentId equals c.Id
                          select new
                          {
                              Status = p, c.ManagementNumber, c.Name, c.Kind, c.SupplierVendorId,
                              SystemName = db.MedicalSystems.Where(m => m.Id == c.SystemId).Select(m => m.Name).FirstOrDefault() ?? "",
                              SupplierName = db.Organizations.Where(o => o.Id == c.SupplierVendorId).Select(o => o.Name).FirstOrDefault(),
                          }).ToListAsync(ct);
        return [.. rows.OrderBy(r => r.SystemName).ThenBy(r => r.ManagementNumber)
            .Select(r => new StatusRow(r.Status, r.SystemName, r.ManagementNumber, r.Name, r.Kind, r.SupplierVendorId, r.SupplierName))];
    }

    /// <summary>The systems that have components the reader can see (the picker's system filter).</summary>
    public async Task<List<(Guid Id, string Name)>> SystemsAsync(Guid hospitalId, CancellationToken ct = default)
        => [.. (await db.SystemComponents.AsNoTracking().Where(c => c.HospitalId == hospitalId && c.RetiredOn == null)
                .Select(c => c.SystemId).Distinct()
                .Select(id => new { Id = id, Name = db.MedicalSystems.Where(m => m.Id == id).Select(m => m.Name).FirstOrDefault() ?? "" })
                .ToListAsync(ct))
            .OrderBy(s => s.Name).Select(s => (s.Id, s.Name))];

    /// <summary>
    /// Components in use that the reader can see (a vendor: those it supplies), matching the filter: a system, a
    /// kind, and text found in the OS, software, name or model. At most <see cref="MaxPickerRows"/>.
    /// </summary>
    public async Task<List<ComponentOption>> ComponentsAsync(Guid hospitalId, ComponentFilter filter, CancellationToken ct = default)
    {
        var q = db.SystemComponents.AsNoTracking().Where(c => c.HospitalId == hospitalId && c.RetiredOn == null);
        if (filter.SystemId is { } systemId)
        {
            q = q.Where(c => c.SystemId == systemId);
        }
        if (filter.Kind is { } kind)
        {
            q = q.Where(c => c.Kind == kind);
        }
        if (PatchStatusRules.Clean(filter.Text) is { } text)
        {
            var pattern = "%" + text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            q = q.Where(c => EF.Functions.ILike(c.Os ?? "", pattern) || EF.Functions.ILike(c.OsVersion ?? "", pattern)
                || EF.Functions.ILike(c.Software ?? "", pattern) || EF.Functions.ILike(c.SoftwareVersion ?? "", pattern)
                || EF.Functions.ILike(c.Name, pattern) || EF.Functions.ILike(c.Model ?? "", pattern) || EF.Functions.ILike(c.Firmware ?? "", pattern));
        }
        var rows = await (from c in q
                          let systemName = db.MedicalSystems.Where(m => m.Id == c.SystemId).Select(m => m.Name).FirstOrDefault() ?? ""
                          orderby systemName, c.ManagementNumber
                          select new
                          {
                              c.Id, c.ManagementNumber, c.Name, c.Kind, SystemName = systemName, c.Os, c.OsVersion, c.Software, c.SoftwareVersion,
                              SupplierName = db.Organizations.Where(o => o.Id == c.SupplierVendorId).Select(o => o.Name).FirstOrDefault(),
                          }).Take(MaxPickerRows).ToListAsync(ct);
        return [.. rows.Select(r => new ComponentOption(r.Id, r.ManagementNumber, r.Name, r.Kind, r.SystemName,
            Join(r.Os, r.OsVersion), Join(r.Software, r.SoftwareVersion), r.SupplierName))];
    }

    private static string? Join(string? a, string? b) => PatchStatusRules.Clean($"{a} {b}");

    /// <summary>
    /// Registers an advisory of the hospital with its affected components (each gets a 未対応 status). A hospital
    /// editor picks any of the hospital's components; a vendor only those it supplies (the filters show it nothing
    /// else), and the advisory is still the hospital's, marked as registered by the vendor.
    /// </summary>
    public async Task<PatchResult> CreateAsync(Guid hospitalId, AdvisoryInput input, IReadOnlyCollection<Guid> componentIds, PatchActor actor, CancellationToken ct = default)
    {
        if (!actor.CanEdit)
        {
            return PatchResult.Fail("NotAllowed");
        }
        var problems = AdvisoryRules.Validate(input.Identifier, input.Title, input.ReleasedOn, input.Url, Today);
        if (input.Severity is not { } severity || !Enum.IsDefined(severity))
        {
            problems.Add(("severity", "AdvisorySeverityRequired"));
            severity = AdvisorySeverity.Low;
        }
        if (componentIds.Count == 0)
        {
            problems.Add(("components", "AdvisoryComponentsRequired"));
        }
        var identifier = AdvisoryRules.NormalizeIdentifier(input.Identifier);
        if (identifier is not null && await db.SecurityAdvisories.IgnoreQueryFilters().AnyAsync(a => a.HospitalId == hospitalId && a.Identifier == identifier, ct))
        {
            problems.Add(("identifier", "AdvisoryIdentifierTaken"));
        }
        var components = await ComponentsForAsync(hospitalId, componentIds, actor, ct);
        if (components is null)
        {
            problems.Add(("components", "AdvisoryComponentsInvalid"));
        }
        if (problems.Count > 0)
        {
            return PatchResult.Invalid(problems);
        }
        var now = time.GetUtcNow();
        var advisory = new SecurityAdvisory
        {
            Id = Guid.NewGuid(), HospitalId = hospitalId, Identifier = identifier!, Title = PatchStatusRules.Clean(input.Title)!, Severity = severity,
            ReleasedOn = input.ReleasedOn!.Value, Url = PatchStatusRules.Clean(input.Url), Description = PatchStatusRules.Clean(input.Description),
            CreatedByOrganizationId = actor.OrganizationId, CreatedByName = actor.Name, CreatedAt = now,
        };
        db.SecurityAdvisories.Add(advisory);
        AddStatuses(advisory, components!, actor, now);
        return await SaveAsync(advisory.Id, ct);
    }

    /// <summary>
    /// Edits an advisory and adds affected components (new statuses start 未対応; existing ones are kept: a status
    /// with a history is never removed here). The hospital's editors edit any advisory, a vendor those it registered.
    /// </summary>
    public async Task<PatchResult> UpdateAsync(SecurityAdvisory advisory, AdvisoryInput input, IReadOnlyCollection<Guid> addComponentIds, PatchActor actor, CancellationToken ct = default)
    {
        if (!CanEditAdvisory(advisory, actor))
        {
            return PatchResult.Fail("NotAllowed");
        }
        var problems = AdvisoryRules.Validate(input.Identifier, input.Title, input.ReleasedOn, input.Url, Today);
        if (input.Severity is not { } severity || !Enum.IsDefined(severity))
        {
            problems.Add(("severity", "AdvisorySeverityRequired"));
            severity = advisory.Severity;
        }
        var identifier = AdvisoryRules.NormalizeIdentifier(input.Identifier);
        if (identifier is not null && identifier != advisory.Identifier
            && await db.SecurityAdvisories.IgnoreQueryFilters().AnyAsync(a => a.HospitalId == advisory.HospitalId && a.Identifier == identifier, ct))
        {
            problems.Add(("identifier", "AdvisoryIdentifierTaken"));
        }
        var existing = await db.PatchStatuses.Where(p => p.AdvisoryId == advisory.Id).Select(p => p.ComponentId).ToListAsync(ct);
        var added = addComponentIds.Except(existing).ToList();
        var components = await ComponentsForAsync(advisory.HospitalId, added, actor, ct);
        if (components is null)
        {
            problems.Add(("components", "AdvisoryComponentsInvalid"));
        }
        if (problems.Count > 0)
        {
            return PatchResult.Invalid(problems);
        }
        advisory.Identifier = identifier!;
        advisory.Title = PatchStatusRules.Clean(input.Title)!;
        advisory.Severity = severity;
        advisory.ReleasedOn = input.ReleasedOn!.Value;
        advisory.Url = PatchStatusRules.Clean(input.Url);
        advisory.Description = PatchStatusRules.Clean(input.Description);
        AddStatuses(advisory, components!, actor, time.GetUtcNow());
        return await SaveAsync(advisory.Id, ct);
    }

    public static bool CanEditAdvisory(SecurityAdvisory advisory, PatchActor actor)
        => actor.IsHospitalEditor || (actor.IsVendorStaff && advisory.CreatedByOrganizationId == actor.OrganizationId);

    /// <summary>The named components when all are the hospital's, in use and visible to the actor (a vendor's: supplied by it); else null.</summary>
    private async Task<List<SystemComponent>?> ComponentsForAsync(Guid hospitalId, IReadOnlyCollection<Guid> ids, PatchActor actor, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        var distinct = ids.Distinct().ToList();
        var found = await db.SystemComponents.AsNoTracking()
            .Where(c => distinct.Contains(c.Id) && c.HospitalId == hospitalId && c.RetiredOn == null)
            .Where(c => !actor.IsVendor || c.SupplierVendorId == actor.OrganizationId).ToListAsync(ct);
        return found.Count == distinct.Count ? found : null;
    }

    private void AddStatuses(SecurityAdvisory advisory, IEnumerable<SystemComponent> components, PatchActor actor, DateTimeOffset now)
    {
        foreach (var c in components)
        {
            db.PatchStatuses.Add(new PatchStatus
            {
                Id = Guid.NewGuid(), HospitalId = advisory.HospitalId, AdvisoryId = advisory.Id, ComponentId = c.Id, State = PatchState.Open,
                UpdatedAt = now, UpdatedByName = actor.Name,
            });
        }
    }

    /// <summary>
    /// One step on one or more statuses of an advisory, all or nothing: each named status must be visible, at the
    /// revision the caller saw (else "Conflict"), and allowed for the actor (<see cref="PatchStatusRules"/>). A
    /// deferral notifies the hospital's SecurityManagers; an approval or refusal is audit-logged as such.
    /// </summary>
    public async Task<PatchResult> ChangeAsync(SecurityAdvisory advisory, IReadOnlyDictionary<Guid, int> revisions, PatchAction action, PatchInput input,
        PatchActor actor, CancellationToken ct = default)
    {
        if (revisions.Count == 0)
        {
            return PatchResult.Fail("NothingSelected");
        }
        var ids = revisions.Keys.ToList();
        var statuses = await db.PatchStatuses.Where(p => p.AdvisoryId == advisory.Id && ids.Contains(p.Id)).ToListAsync(ct);
        if (statuses.Count != ids.Count)
        {
            return PatchResult.Fail("NotFound");
        }
        var componentIds = statuses.Select(s => s.ComponentId).ToList();
        var suppliers = await db.SystemComponents.AsNoTracking().Where(c => componentIds.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, c => c.SupplierVendorId, ct);
        var today = Today;
        foreach (var s in statuses)
        {
            var supplied = actor.IsVendor && suppliers.GetValueOrDefault(s.ComponentId) == actor.OrganizationId;
            if (PatchStatusRules.Forbidden(s, action, actor, supplied) is { } forbidden)
            {
                return PatchResult.Fail(forbidden);
            }
            if (s.Revision != revisions[s.Id])
            {
                return PatchResult.Fail("Conflict");
            }
            if (PatchStatusRules.Problem(s, action, input, actor, today) is { } problem)
            {
                return PatchResult.Fail(problem);
            }
        }
        var now = time.GetUtcNow();
        foreach (var s in statuses)
        {
            PatchStatusRules.Apply(s, action, input, actor, now);
        }
        if (action is PatchAction.ApproveDeferral or PatchAction.RefuseDeferral)
        {
            audit.Record(action == PatchAction.ApproveDeferral ? AuditActions.PatchDeferralApproved : AuditActions.PatchDeferralRefused, SubjectType, advisory.Id.ToString(),
                new { advisory = advisory.Identifier, statuses = statuses.Select(s => s.Id), reason = statuses.Select(s => s.Reason).FirstOrDefault() }, advisory.HospitalId);
        }
        if (action == PatchAction.Defer)
        {
            notifier.Add(new NotificationTarget(advisory.HospitalId, Role: Roles.SecurityManager), "Notify_PatchDeferralRequested",
                [advisory.Identifier, statuses.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)], Link(advisory.HospitalId, advisory.Id), SubjectType, advisory.Id.ToString());
        }
        var saved = await SaveAsync(advisory.Id, ct);
        if (saved.Succeeded)
        {
            await notifier.SendEmailsAsync(actor.UserId, ct);
        }
        return saved;
    }

    private async Task<PatchResult> SaveAsync(Guid id, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return PatchResult.Ok(id);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return PatchResult.Fail("Conflict");
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: "23505" })
        {
            db.ChangeTracker.Clear();
            return PatchResult.Invalid([("identifier", "AdvisoryIdentifierTaken")]);
        }
    }
}
