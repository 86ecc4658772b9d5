using Microsoft.EntityFrameworkCore;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Tenancy;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Subcontracting;

/// <summary>A company of the chain with its place in the tree.</summary>
public sealed record SubcontractNode(Subcontractor Subcontractor, int Depth, string? ParentName, IReadOnlyList<SubcontractNode> Children)
{
    public IEnumerable<SubcontractNode> SelfAndDescendants() => Children.SelectMany(c => c.SelfAndDescendants()).Prepend(this);
}

/// <summary>One history line as the viewer may see it: the vendor gets hospital-only comments and the opinion withheld.</summary>
public sealed record SubcontractHistoryItem(Guid Id, SubcontractEventAction Action, int Version, string? Comment, SecurityOpinion? Opinion, bool Withheld,
    string ActorName, string? ActorRole, DateTimeOffset At, string? ContentHash);

/// <summary>Everything the request page and the API show of one request, for one viewer.</summary>
public sealed record SubcontractDetail(
    SubcontractRequest Request,
    string VendorName,
    string HospitalName,
    string EngagementTitle,
    DateOnly EngagementStartsOn,
    DateOnly? EngagementEndsOn,
    IReadOnlyList<string> SystemNames,
    SubcontractNode Root,
    IReadOnlyList<SubcontractAttachment> Attachments,
    IReadOnlyList<SubcontractHistoryItem> History,
    bool NeedsForeignAcknowledgement,
    bool ViewerIsHospital)
{
    public IEnumerable<SubcontractNode> Nodes => Root.SelfAndDescendants();

    /// <summary>When the approval ends (or would end, if approved now without a date of the executive's).</summary>
    public DateOnly ApprovalEndsOn => SubcontractWorkflowRules.ApprovalEndsOn(Root.Subcontractor.PeriodTo, Request.ValidUntil, EngagementEndsOn);

    /// <summary>The reviewer's latest question while the request waits for the vendor's answer.</summary>
    public string? OpenQuestion => Request.State == SubcontractState.InformationRequested
        ? History.Where(h => h.Action == SubcontractEventAction.InformationRequested).MaxBy(h => h.At)?.Comment
        : null;

    /// <summary>The security manager's opinion on the current version (hospital staff only).</summary>
    public SubcontractHistoryItem? CurrentOpinion => ViewerIsHospital && Request.OpinionAt is not null
        ? History.Where(h => h.Action == SubcontractEventAction.OpinionGiven).MaxBy(h => h.At)
        : null;
}

/// <summary>Reads one request for the page and the API, through the tenant filters.</summary>
public sealed class SubcontractReader(AppDbContext db, SubcontractWorkflow workflow, ITenantContext tenant)
{
    public async Task<SubcontractDetail?> DetailAsync(Guid requestId, CancellationToken ct = default)
    {
        var r = await workflow.FindAsync(requestId, ct);
        return r is null ? null : await DetailAsync(r, ct);
    }

    public async Task<SubcontractDetail> DetailAsync(SubcontractRequest r, CancellationToken ct = default)
    {
        var hospitalSide = SubcontractAccess.IsHospitalSide(r, tenant);
        var chain = await workflow.ChainAsync(r.Id, ct);
        // The request is visible, so its own parties and engagement are shown even when today's engagement filter
        // would hide them (an ended engagement): exactly these ids, nothing else.
        var names = await db.Organizations.IgnoreQueryFilters().Where(o => o.Id == r.VendorId || o.Id == r.HospitalId).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        var engagement = await db.Engagements.IgnoreQueryFilters().Where(e => e.Id == r.EngagementId)
            .Select(e => new { e.Title, e.StartsOn, e.EndsOn }).SingleAsync(ct);
        var systems = await (from es in db.EngagementSystems.IgnoreQueryFilters()
                             join m in db.MedicalSystems.IgnoreQueryFilters() on es.SystemId equals m.Id
                             where es.EngagementId == r.EngagementId
                             orderby m.Name
                             select m.Name).ToListAsync(ct);
        var attachments = await db.SubcontractAttachments.AsNoTracking().Where(a => a.RequestId == r.Id).OrderBy(a => a.UploadedAt).ToListAsync(ct);
        var events = await db.SubcontractEvents.AsNoTracking().Where(e => e.RequestId == r.Id).OrderBy(e => e.At)
            .Select(e => new { e.Id, e.Action, e.Version, e.Comment, e.Opinion, e.HospitalOnly, e.ActorName, e.ActorRole, e.At, e.ContentHash })
            .ToListAsync(ct);
        var history = events.Select(e =>
        {
            var withheld = e.HospitalOnly && !hospitalSide;
            return new SubcontractHistoryItem(e.Id, e.Action, e.Version, withheld ? null : e.Comment, withheld ? null : e.Opinion, withheld && (e.Comment is not null || e.Opinion is not null),
                e.ActorName, e.ActorRole, e.At, e.ContentHash);
        }).ToList();
        return new SubcontractDetail(r, names.GetValueOrDefault(r.VendorId, ""), names.GetValueOrDefault(r.HospitalId, ""), engagement.Title, engagement.StartsOn, engagement.EndsOn,
            systems, Tree(chain), attachments, history, SubcontractWorkflowRules.NeedsForeignAcknowledgement(chain), hospitalSide);
    }

    /// <summary>The chain as a tree (one direct subcontractor at the top).</summary>
    public static SubcontractNode Tree(IReadOnlyList<Subcontractor> chain)
    {
        var children = chain.Where(c => c.ParentId is not null).ToLookup(c => c.ParentId!.Value);
        SubcontractNode Build(Subcontractor s, int depth, string? parent)
            => new(s, depth, parent, [.. children[s.Id].OrderBy(c => c.SortOrder).ThenBy(c => c.Name).Select(c => Build(c, depth + 1, s.Name))]);
        return Build(chain.Single(c => c.ParentId is null), 1, null);
    }

    /// <summary>A submitted version's snapshot (JSON) and hash.</summary>
    public async Task<(string Json, string Hash, DateTimeOffset At, string By)?> VersionAsync(Guid requestId, int version, CancellationToken ct = default)
    {
        var ev = await db.SubcontractEvents.AsNoTracking()
            .Where(e => e.RequestId == requestId && e.Action == SubcontractEventAction.Submitted && e.Version == version)
            .Select(e => new { e.Snapshot, e.ContentHash, e.At, e.ActorName }).SingleOrDefaultAsync(ct);
        return ev?.Snapshot is null ? null : (ev.Snapshot, ev.ContentHash!, ev.At, ev.ActorName);
    }

    /// <summary>
    /// Names of the parties of requests already read through the filters. A query of its own on purpose:
    /// IgnoreQueryFilters applies to a whole query, so inside a query over requests it would lift their filter too.
    /// </summary>
    public static async Task<Dictionary<Guid, string>> PartyNamesAsync(AppDbContext db, IEnumerable<Guid> organizationIds, CancellationToken ct = default)
    {
        var ids = organizationIds.Distinct().ToList();
        return await db.Organizations.IgnoreQueryFilters().Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
    }

    public static string Period(DateOnly from, DateOnly to) => $"{Wareki.Format(from)} – {Wareki.Format(to)}";
}
