using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using VendorPortal.Features.Organizations;
using VendorPortal.Features.Policy;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Notifications;
using VendorPortal.Infrastructure.Time;
using VendorPortal.Features.Account;

namespace VendorPortal.Features.Ledger;

/// <summary>
/// The outcome of a ledger change. ErrorCode: NotFound (404), Forbidden (403), Conflict (409: someone changed the
/// record meanwhile, or a proposal is no longer pending or its component changed since), Invalid (problems by field).
/// </summary>
public sealed record LedgerResult(bool Succeeded, Guid? Id = null, string? ErrorCode = null, IReadOnlyList<LedgerProblem>? Problems = null)
{
    public static LedgerResult Ok(Guid id) => new(true, id);
    public static LedgerResult Fail(string code) => new(false, null, code);
    public static LedgerResult Invalid(IReadOnlyList<LedgerProblem> problems) => new(false, null, "Invalid", problems);
    public static LedgerResult Invalid(string field, string code, params object[] args) => Invalid([new LedgerProblem(field, code, args)]);
}

public sealed record VendorRef(Guid Id, string Name);

public sealed record SystemRow(MedicalSystem System, int Components, int RemoteMaintenance, IReadOnlyList<VendorRef> Vendors);

public sealed record ComponentRow(SystemComponent Component, string SystemName, string? SupplierName, DateOnly? NextEndOfSupport);

public sealed record SupportDateRow(ComponentSupportDate Date, string EnteredByOrganization, EosStanding Standing);

public sealed record ProposalRow(ComponentProposal Proposal, string VendorName, string SystemName, string? ComponentName, string? ManagementNumber);

/// <summary>
/// Reads and changes the 医療情報システム台帳: systems, components, end-of-support dates and vendors' proposals.
/// Rows are scoped by the query filters (a vendor reads only the components it supplies); what a caller may change
/// is decided here from <see cref="LedgerActor"/>. Each change is one SaveChangesAsync: the entity audit records
/// systems, components and dates; proposals and their decisions get their own audit events and notifications.
/// </summary>
public sealed class LedgerService(AppDbContext db, AuditLog audit, Notifier notifier, TimeProvider time)
{
    public const string ProposalTable = "component_proposals";

    public static readonly JsonSerializerOptions ValuesJson = new()
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public DateOnly Today => JapanTime.TodayInJapan(time);

    // ---------------------------------------------------------------- reading

    public Task<Organization?> HospitalAsync(Guid hospitalId)
        => db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == hospitalId && o.Kind == OrganizationKind.Hospital);

    public Task<CompliancePolicy> PolicyAsync(Guid hospitalId) => CompliancePolicyStore.ReadAsync(db, hospitalId);

    /// <summary>The vendors actively engaged for each of the hospital's systems (for a vendor caller: only itself).</summary>
    public async Task<Dictionary<Guid, List<VendorRef>>> EngagedVendorsAsync(Guid hospitalId, DateOnly? asOf = null)
    {
        var today = asOf ?? Today;
        var rows = await (from es in db.EngagementSystems
                          join en in db.Engagements on es.EngagementId equals en.Id
                          where en.HospitalId == hospitalId && en.StartsOn <= today && (en.EndsOn == null || en.EndsOn >= today)
                          select new { es.SystemId, en.VendorId, VendorName = en.Vendor!.Name }).AsNoTracking().ToListAsync();
        return rows.GroupBy(r => r.SystemId).ToDictionary(g => g.Key,
            g => g.Select(r => new VendorRef(r.VendorId, r.VendorName)).DistinctBy(v => v.Id).OrderBy(v => v.Name, StringComparer.Ordinal).ToList());
    }

    /// <summary>The hospital's systems by name with component counts and the vendors engaged on <paramref name="asOf"/> (default today).</summary>
    public async Task<List<SystemRow>> SystemsAsync(Guid hospitalId, DateOnly? asOf = null)
    {
        var systems = await db.MedicalSystems.AsNoTracking().Where(s => s.HospitalId == hospitalId).OrderBy(s => s.Name).ToListAsync();
        var counts = await db.SystemComponents.AsNoTracking().Where(c => c.HospitalId == hospitalId && c.RetiredOn == null)
            .GroupBy(c => c.SystemId)
            .Select(g => new { SystemId = g.Key, Count = g.Count(), Remote = g.Count(c => c.UsesRemoteMaintenance) })
            .ToDictionaryAsync(x => x.SystemId);
        var vendors = await EngagedVendorsAsync(hospitalId, asOf);
        return [.. systems.Select(s => new SystemRow(s,
            counts.TryGetValue(s.Id, out var c) ? c.Count : 0,
            counts.TryGetValue(s.Id, out var r) ? r.Remote : 0,
            vendors.TryGetValue(s.Id, out var v) ? v : []))];
    }

    public Task<MedicalSystem?> SystemAsync(Guid hospitalId, Guid systemId)
        => db.MedicalSystems.SingleOrDefaultAsync(s => s.Id == systemId && s.HospitalId == hospitalId);

    public async Task<List<ComponentRow>> ComponentsAsync(Guid hospitalId, Guid? systemId = null)
    {
        var q = db.SystemComponents.AsNoTracking().Where(c => c.HospitalId == hospitalId);
        if (systemId is { } sid)
        {
            q = q.Where(c => c.SystemId == sid);
        }
        var rows = await q.OrderBy(c => c.ManagementNumber)
            .Select(c => new
            {
                Component = c,
                SystemName = db.MedicalSystems.Where(s => s.Id == c.SystemId).Select(s => s.Name).FirstOrDefault(),
                Supplier = db.Organizations.Where(o => o.Id == c.SupplierVendorId).Select(o => o.Name).FirstOrDefault(),
                NextEos = db.ComponentSupportDates.Where(d => d.ComponentId == c.Id).Min(d => (DateOnly?)d.EndsOn),
            }).ToListAsync();
        return [.. rows.Select(r => new ComponentRow(r.Component, r.SystemName ?? "", r.Supplier, r.NextEos))];
    }

    public Task<SystemComponent?> ComponentAsync(Guid hospitalId, Guid componentId)
        => db.SystemComponents.SingleOrDefaultAsync(c => c.Id == componentId && c.HospitalId == hospitalId);

    public async Task<List<SupportDateRow>> SupportDatesAsync(Guid hospitalId, Guid componentId)
    {
        var policy = await PolicyAsync(hospitalId);
        var today = Today;
        var rows = await db.ComponentSupportDates.AsNoTracking().Where(d => d.ComponentId == componentId && d.HospitalId == hospitalId)
            .OrderBy(d => d.EndsOn)
            .Select(d => new { Date = d, Org = db.Organizations.Where(o => o.Id == d.EnteredByOrganizationId).Select(o => o.Name).FirstOrDefault() })
            .ToListAsync();
        return [.. rows.Select(r => new SupportDateRow(r.Date, r.Org ?? "", PolicyRules.Eos(r.Date.EndsOn, today, policy.EosWarningDays)))];
    }

    public async Task<List<ProposalRow>> ProposalsAsync(Guid hospitalId, ProposalState? state = null, Guid? componentId = null)
    {
        var q = db.ComponentProposals.AsNoTracking().Where(p => p.HospitalId == hospitalId);
        if (state is { } s)
        {
            q = q.Where(p => p.State == s);
        }
        if (componentId is { } cid)
        {
            q = q.Where(p => p.ComponentId == cid);
        }
        var rows = await q.OrderByDescending(p => p.ProposedAt).Take(500)
            .Select(p => new
            {
                Proposal = p,
                Vendor = db.Organizations.Where(o => o.Id == p.VendorId).Select(o => o.Name).FirstOrDefault(),
                SystemName = db.MedicalSystems.Where(m => m.Id == p.SystemId).Select(m => m.Name).FirstOrDefault(),
                Component = db.SystemComponents.Where(c => c.Id == p.ComponentId).Select(c => new { c.Name, c.ManagementNumber }).FirstOrDefault(),
            }).ToListAsync();
        return [.. rows.Select(r => new ProposalRow(r.Proposal, r.Vendor ?? "", r.SystemName ?? "", r.Component?.Name, r.Component?.ManagementNumber))];
    }

    public async Task<ProposalRow?> ProposalAsync(Guid hospitalId, Guid proposalId)
    {
        var p = await db.ComponentProposals.SingleOrDefaultAsync(x => x.Id == proposalId && x.HospitalId == hospitalId);
        if (p is null)
        {
            return null;
        }
        var vendor = await db.Organizations.Where(o => o.Id == p.VendorId).Select(o => o.Name).FirstOrDefaultAsync();
        var system = await db.MedicalSystems.Where(m => m.Id == p.SystemId).Select(m => m.Name).FirstOrDefaultAsync();
        var component = p.ComponentId is { } cid ? await db.SystemComponents.AsNoTracking().SingleOrDefaultAsync(c => c.Id == cid) : null;
        return new ProposalRow(p, vendor ?? "", system ?? "", component?.Name, component?.ManagementNumber);
    }

    public static ComponentValues ProposedValues(ComponentProposal p)
        => JsonSerializer.Deserialize<ComponentValues>(p.ProposedValues, ValuesJson) ?? new ComponentValues();

    // ---------------------------------------------------------------- systems

    /// <summary>The hospital's engagements still running today, to say which cover a system.</summary>
    public async Task<List<EngagementOption>> EngagementOptionsAsync(Guid hospitalId)
    {
        var today = Today;
        return await db.Engagements.AsNoTracking()
            .Where(e => e.HospitalId == hospitalId && (e.EndsOn == null || e.EndsOn >= today))
            .OrderBy(e => e.Vendor!.Name).ThenBy(e => e.Title)
            .Select(e => new EngagementOption(e.Id, e.Title, e.Vendor!.Name)).ToListAsync();
    }

    public async Task<HashSet<Guid>> EngagementsOfSystemAsync(Guid systemId)
        => [.. await db.EngagementSystems.AsNoTracking().Where(es => es.SystemId == systemId).Select(es => es.EngagementId).ToListAsync()];

    /// <summary>
    /// Creates (systemId null) or updates a system as a hospital editor. <paramref name="engagementIds"/>, when given,
    /// are the hospital's engagements that cover the system (their vendors may then supply its components); ids of
    /// other hospitals' engagements are not visible and so ignored.
    /// </summary>
    public async Task<LedgerResult> SaveSystemAsync(LedgerActor actor, Guid hospitalId, Guid? systemId, SystemValues values,
        IReadOnlyCollection<Guid>? engagementIds = null)
    {
        MedicalSystem? system = null;
        if (systemId is { } id && (system = await SystemAsync(hospitalId, id)) is null)
        {
            return LedgerResult.Fail("NotFound");
        }
        if (!actor.CanEdit || actor.OrganizationId != hospitalId)
        {
            return LedgerResult.Fail("Forbidden");
        }
        var problems = LedgerRules.ValidateSystem(values, Today);
        var name = LedgerRules.Clean(values.Name);
        if (problems.Count == 0 && await db.MedicalSystems.AnyAsync(s => s.HospitalId == hospitalId && s.Name == name && s.Id != (systemId ?? Guid.Empty)))
        {
            problems.Add(new LedgerProblem(nameof(SystemValues.Name), "SystemNameTaken"));
        }
        if (problems.Count > 0)
        {
            return LedgerResult.Invalid(problems);
        }
        var now = time.GetUtcNow();
        if (system is null)
        {
            system = new MedicalSystem { Id = Guid.NewGuid(), HospitalId = hospitalId, Name = "", Category = "", CreatedAt = now };
            db.MedicalSystems.Add(system);
        }
        values.ApplyTo(system);
        system.UpdatedAt = now;
        if (engagementIds is not null)
        {
            var own = await db.Engagements.Where(e => e.HospitalId == hospitalId).Select(e => e.Id).ToListAsync();
            var wanted = engagementIds.Where(own.Contains).ToHashSet();
            var current = await db.EngagementSystems.Where(es => es.SystemId == system.Id).ToListAsync();
            db.EngagementSystems.RemoveRange(current.Where(es => !wanted.Contains(es.EngagementId)));
            db.EngagementSystems.AddRange(wanted.Where(id => current.All(es => es.EngagementId != id))
                .Select(id => new EngagementSystem { EngagementId = id, SystemId = system.Id }));
        }
        await db.SaveChangesAsync();
        return LedgerResult.Ok(system.Id);
    }

    // ---------------------------------------------------------------- components

    /// <summary>
    /// Creates (componentId null) or updates a component as a hospital editor. <paramref name="expectedRevision"/> is the
    /// Revision the editor saw; a different one means someone saved in between (Conflict).
    /// </summary>
    public async Task<LedgerResult> SaveComponentAsync(LedgerActor actor, Guid hospitalId, Guid? componentId, ComponentValues values, int? expectedRevision)
    {
        SystemComponent? component = null;
        if (componentId is { } id && (component = await ComponentAsync(hospitalId, id)) is null)
        {
            return LedgerResult.Fail("NotFound");
        }
        if (!actor.CanEdit || actor.OrganizationId != hospitalId)
        {
            return LedgerResult.Fail("Forbidden");
        }
        if (component is not null && expectedRevision != component.Revision)
        {
            return LedgerResult.Fail("Conflict");
        }
        var problems = await CheckComponentAsync(hospitalId, component, values, await EngagedVendorsAsync(hospitalId));
        if (problems.Count > 0)
        {
            return LedgerResult.Invalid(problems);
        }
        component = Apply(hospitalId, component, values);
        return await SaveAsync(component.Id, "ManagementNumber");
    }

    /// <summary>The rules plus what needs the database: the system exists, 管理番号 is free, the supplier is engaged.</summary>
    internal async Task<List<LedgerProblem>> CheckComponentAsync(Guid hospitalId, SystemComponent? existing, ComponentValues values,
        Dictionary<Guid, List<VendorRef>> engaged)
    {
        var problems = LedgerRules.ValidateComponent(values, Today);
        if (values.SystemId != Guid.Empty && !await db.MedicalSystems.AnyAsync(s => s.Id == values.SystemId && s.HospitalId == hospitalId))
        {
            problems.Add(new LedgerProblem(nameof(ComponentValues.SystemId), "SystemUnknown"));
        }
        if (LedgerRules.Clean(values.ManagementNumber) is { } number && problems.All(p => p.Field != nameof(ComponentValues.ManagementNumber))
            && await db.SystemComponents.AnyAsync(c => c.HospitalId == hospitalId && c.ManagementNumber == number && c.Id != (existing == null ? Guid.Empty : existing.Id)))
        {
            problems.Add(new LedgerProblem(nameof(ComponentValues.ManagementNumber), "ManagementNumberTaken", number));
        }
        problems.AddRange(CheckSupplier(existing, values, engaged));
        return problems;
    }

    /// <summary>
    /// A new or changed supplier (or a component moved to another system) must be a vendor actively engaged for the
    /// system; a supplier whose engagement has since ended stays on rows nobody reassigns.
    /// </summary>
    internal static IEnumerable<LedgerProblem> CheckSupplier(SystemComponent? existing, ComponentValues values, Dictionary<Guid, List<VendorRef>> engaged)
    {
        if (values.SupplierVendorId is not { } vendorId)
        {
            yield break;
        }
        var unchanged = existing is not null && existing.SupplierVendorId == vendorId && existing.SystemId == values.SystemId;
        if (!unchanged && !(engaged.TryGetValue(values.SystemId, out var vendors) && vendors.Any(v => v.Id == vendorId)))
        {
            yield return new LedgerProblem(nameof(ComponentValues.SupplierVendorId), "SupplierNotEngaged");
        }
    }

    /// <summary>Adds or updates the tracked entity; Revision and UpdatedAt move only when a value actually changed.</summary>
    internal SystemComponent Apply(Guid hospitalId, SystemComponent? component, ComponentValues values)
    {
        var now = time.GetUtcNow();
        if (component is null)
        {
            component = new SystemComponent { Id = Guid.NewGuid(), HospitalId = hospitalId, ManagementNumber = "", Name = "", CreatedAt = now, UpdatedAt = now, Revision = 1 };
            values.ApplyTo(component);
            db.SystemComponents.Add(component);
            return component;
        }
        values.ApplyTo(component);
        var entry = db.Entry(component);
        entry.DetectChanges();
        if (entry.Properties.Any(p => p.IsModified && !Equals(p.OriginalValue, p.CurrentValue)))
        {
            component.Revision++;
            component.UpdatedAt = now;
        }
        return component;
    }

    private async Task<LedgerResult> SaveAsync(Guid id, string uniqueField)
    {
        try
        {
            await db.SaveChangesAsync();
            return LedgerResult.Ok(id);
        }
        catch (DbUpdateConcurrencyException)
        {
            return LedgerResult.Fail("Conflict");
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return LedgerResult.Invalid(uniqueField, "ManagementNumberTaken", "");
        }
    }

    // ---------------------------------------------------------------- end-of-support dates

    public async Task<LedgerResult> AddSupportDateAsync(LedgerActor actor, Guid hospitalId, Guid componentId,
        SupportKind? kind, string? subject, DateOnly? endsOn, string? source)
    {
        if (await ComponentAsync(hospitalId, componentId) is not { } c)
        {
            return LedgerResult.Fail("NotFound");
        }
        if (!CanAddSupportDate(actor, c))
        {
            return LedgerResult.Fail("Forbidden");
        }
        var problems = LedgerRules.ValidateSupportDate(kind, subject, endsOn, source);
        if (problems.Count > 0)
        {
            return LedgerResult.Invalid(problems);
        }
        var date = new ComponentSupportDate
        {
            Id = Guid.NewGuid(), HospitalId = hospitalId, ComponentId = c.Id, Kind = kind!.Value, Subject = LedgerRules.Clean(subject)!,
            EndsOn = endsOn!.Value, Source = LedgerRules.Clean(source)!, EnteredByOrganizationId = actor.OrganizationId,
            EnteredByUserId = actor.UserId, EnteredByName = actor.Name, EnteredAt = time.GetUtcNow(),
        };
        db.ComponentSupportDates.Add(date);
        await db.SaveChangesAsync();
        return LedgerResult.Ok(date.Id);
    }

    /// <summary>Hospital editors remove any date; the supplying vendor the ones its own organization entered.</summary>
    public async Task<LedgerResult> RemoveSupportDateAsync(LedgerActor actor, Guid hospitalId, Guid componentId, Guid supportDateId)
    {
        if (await ComponentAsync(hospitalId, componentId) is not { } c
            || await db.ComponentSupportDates.SingleOrDefaultAsync(d => d.Id == supportDateId && d.ComponentId == componentId) is not { } date)
        {
            return LedgerResult.Fail("NotFound");
        }
        if (!(actor.CanEdit && actor.OrganizationId == hospitalId)
            && !(CanAddSupportDate(actor, c) && date.EnteredByOrganizationId == actor.OrganizationId))
        {
            return LedgerResult.Fail("Forbidden");
        }
        db.ComponentSupportDates.Remove(date);
        await db.SaveChangesAsync();
        return LedgerResult.Ok(date.Id);
    }

    public static bool CanAddSupportDate(LedgerActor actor, SystemComponent c)
        => (actor.CanEdit && actor.OrganizationId == c.HospitalId) || (actor.CanPropose && c.SupplierVendorId == actor.OrganizationId);

    // ---------------------------------------------------------------- proposals

    /// <summary>
    /// A vendor proposes new values for a component it supplies (componentId set) or a new component for a system it
    /// is engaged for. The vendor stays the supplier; the SystemOperator role of the hospital is notified.
    /// </summary>
    public async Task<LedgerResult> ProposeAsync(LedgerActor actor, Guid hospitalId, Guid? componentId, ComponentValues values, string? comment)
    {
        SystemComponent? component = null;
        if (componentId is { } id && (component = await ComponentAsync(hospitalId, id)) is null)
        {
            return LedgerResult.Fail("NotFound");
        }
        if (!actor.CanPropose || (component is not null && component.SupplierVendorId != actor.OrganizationId))
        {
            return LedgerResult.Fail("Forbidden");
        }
        values.SupplierVendorId = actor.OrganizationId;
        var engaged = await EngagedVendorsAsync(hospitalId);
        var problems = LedgerRules.ValidateComponent(values, Today);
        if (values.SystemId != Guid.Empty && !(engaged.TryGetValue(values.SystemId, out var vendors) && vendors.Any(v => v.Id == actor.OrganizationId)))
        {
            problems.Add(new LedgerProblem(nameof(ComponentValues.SystemId), "SystemNotEngaged"));
        }
        if (LedgerRules.Clean(comment) is { Length: > LedgerRules.MaxReason })
        {
            problems.Add(new LedgerProblem("Comment", "TooLong", LedgerRules.MaxReason));
        }
        if (problems.Count == 0 && component is not null && LedgerRules.Diff(ComponentValues.Of(component), values).Count == 0)
        {
            problems.Add(new LedgerProblem("", "ProposalNoChange"));
        }
        if (problems.Count > 0)
        {
            return LedgerResult.Invalid(problems);
        }
        var proposal = new ComponentProposal
        {
            Id = Guid.NewGuid(), HospitalId = hospitalId, SystemId = values.SystemId, ComponentId = component?.Id, VendorId = actor.OrganizationId,
            ProposedValues = JsonSerializer.Serialize(values, ValuesJson), BaseRevision = component?.Revision, State = ProposalState.Pending,
            Comment = LedgerRules.Clean(comment), ProposedByUserId = actor.UserId, ProposedByName = actor.Name, ProposedAt = time.GetUtcNow(), Revision = 1,
        };
        db.ComponentProposals.Add(proposal);
        var vendorName = await db.Organizations.Where(o => o.Id == actor.OrganizationId).Select(o => o.Name).SingleAsync();
        audit.Record(AuditActions.LedgerProposalCreated, ProposalTable, proposal.Id.ToString(), new
        {
            hospitalId, systemId = values.SystemId, componentId = component?.Id, managementNumber = LedgerRules.Clean(values.ManagementNumber),
            fields = LedgerRules.Diff(component is null ? null : ComponentValues.Of(component), values).Select(d => d.Field).ToArray(),
        }, hospitalId);
        notifier.Add(new NotificationTarget(hospitalId, Role: Roles.SystemOperator), "Notify_LedgerProposal",
            [vendorName, LedgerRules.Clean(values.Name) ?? ""], $"/Hospitals/{hospitalId}/Ledger/Proposals/{proposal.Id}", ProposalTable, proposal.Id.ToString());
        await db.SaveChangesAsync();
        await notifier.SendEmailsAsync(actor.UserId);
        return LedgerResult.Ok(proposal.Id);
    }

    /// <summary>
    /// A hospital editor accepts a pending proposal: the values are applied in the same transaction as the decision,
    /// refused when the component changed after the proposal was made (its Revision moved) or when the values no
    /// longer pass (管理番号 taken meanwhile, the vendor no longer engaged).
    /// </summary>
    public async Task<LedgerResult> AcceptAsync(LedgerActor actor, Guid hospitalId, Guid proposalId, int? expectedRevision = null)
    {
        if (await db.ComponentProposals.SingleOrDefaultAsync(x => x.Id == proposalId && x.HospitalId == hospitalId) is not { } p)
        {
            return LedgerResult.Fail("NotFound");
        }
        if (!actor.CanEdit || actor.OrganizationId != hospitalId)
        {
            return LedgerResult.Fail("Forbidden");
        }
        if (p.State != ProposalState.Pending || (expectedRevision is { } er && er != p.Revision))
        {
            return LedgerResult.Fail("NotPending");
        }
        SystemComponent? component = null;
        if (p.ComponentId is { } cid)
        {
            component = await ComponentAsync(hospitalId, cid);
            if (component is null || component.Revision != p.BaseRevision)
            {
                return LedgerResult.Fail("ProposalStale");
            }
        }
        var values = ProposedValues(p);
        values.SupplierVendorId = p.VendorId;
        var problems = await CheckComponentAsync(hospitalId, component, values, await EngagedVendorsAsync(hospitalId));
        if (problems.Count > 0)
        {
            return LedgerResult.Invalid(problems);
        }
        var fields = LedgerRules.Diff(component is null ? null : ComponentValues.Of(component), values).Select(d => d.Field).ToArray();
        component = Apply(hospitalId, component, values);
        Decide(p, actor, ProposalState.Accepted, null);
        p.ComponentId = component.Id;
        audit.Record(AuditActions.LedgerProposalAccepted, ProposalTable, p.Id.ToString(), new { hospitalId, componentId = component.Id, fields }, hospitalId);
        NotifyVendor(p, "Notify_LedgerProposalAccepted", hospitalId, values.Name);
        var result = await SaveAsync(p.Id, "ManagementNumber");
        if (result.Succeeded)
        {
            await notifier.SendEmailsAsync(actor.UserId);
        }
        return result;
    }

    public async Task<LedgerResult> RejectAsync(LedgerActor actor, Guid hospitalId, Guid proposalId, string? reason, int? expectedRevision = null)
    {
        if (await db.ComponentProposals.SingleOrDefaultAsync(x => x.Id == proposalId && x.HospitalId == hospitalId) is not { } p)
        {
            return LedgerResult.Fail("NotFound");
        }
        if (!actor.CanEdit || actor.OrganizationId != hospitalId)
        {
            return LedgerResult.Fail("Forbidden");
        }
        if (p.State != ProposalState.Pending || (expectedRevision is { } er && er != p.Revision))
        {
            return LedgerResult.Fail("NotPending");
        }
        var problems = LedgerRules.ValidateRejection(reason);
        if (problems.Count > 0)
        {
            return LedgerResult.Invalid(problems);
        }
        Decide(p, actor, ProposalState.Rejected, LedgerRules.Clean(reason));
        audit.Record(AuditActions.LedgerProposalRejected, ProposalTable, p.Id.ToString(), new { hospitalId, componentId = p.ComponentId, reason = p.RejectionReason }, hospitalId);
        NotifyVendor(p, "Notify_LedgerProposalRejected", hospitalId, ProposedValues(p).Name);
        var result = await SaveAsync(p.Id, "");
        if (result.Succeeded)
        {
            await notifier.SendEmailsAsync(actor.UserId);
        }
        return result;
    }

    private void Decide(ComponentProposal p, LedgerActor actor, ProposalState state, string? reason)
    {
        // The proposal's Revision is its concurrency token: a second decision at the same moment fails to save.
        p.State = state;
        p.RejectionReason = reason;
        p.DecidedByUserId = actor.UserId;
        p.DecidedByName = actor.Name;
        p.DecidedAt = time.GetUtcNow();
        p.Revision++;
    }

    private void NotifyVendor(ComponentProposal p, string key, Guid hospitalId, string? componentName)
    {
        var hospitalName = db.Organizations.Local.FirstOrDefault(o => o.Id == hospitalId)?.Name
            ?? db.Organizations.AsNoTracking().Where(o => o.Id == hospitalId).Select(o => o.Name).Single();
        notifier.Add(new NotificationTarget(p.VendorId, UserId: p.ProposedByUserId), key, [hospitalName, LedgerRules.Clean(componentName) ?? ""],
            $"/Hospitals/{hospitalId}/Ledger/Proposals/{p.Id}", ProposalTable, p.Id.ToString());
    }
}
