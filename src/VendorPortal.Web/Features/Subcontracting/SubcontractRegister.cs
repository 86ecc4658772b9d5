using Microsoft.EntityFrameworkCore;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Subcontracting;

public enum RegisterStatus { Upcoming, Active, Ended }

public sealed record RegisterCertification(CertificationKind Kind, string Number, DateOnly ExpiresOn, bool Expired);

/// <summary>One approved subcontractor (a direct one or a 再々委託) in a hospital's register.</summary>
public sealed record RegisterRow(
    Guid RequestId,
    Guid SubcontractorId,
    Guid? ParentId,
    string? ParentName,
    int Depth,
    Guid VendorId,
    string VendorName,
    Guid EngagementId,
    string EngagementTitle,
    IReadOnlyList<string> Systems,
    string Name,
    string? CorporateNumber,
    string Country,
    string? DataStorageCountry,
    bool Foreign,
    bool HandlesPersonalInformation,
    bool HandlesMedicalInformation,
    string Work,
    DateOnly PeriodFrom,
    DateOnly PeriodTo,
    DateOnly ApprovalEndsOn,
    SubcontractState Decision,
    string? Conditions,
    DateTimeOffset DecidedAt,
    RegisterStatus Status,
    IReadOnlyList<RegisterCertification> Certifications);

/// <summary>One decision of the hospital's executive, as the evidence bundle lists it.</summary>
public sealed record DecisionRow(
    Guid RequestId,
    Guid VendorId,
    string VendorName,
    string EngagementTitle,
    string SubcontractorName,
    int SubcontractorCount,
    SubcontractEventAction Decision,
    int Version,
    string? Reason,
    string? Conditions,
    DateOnly? ApprovalEndsOn,
    bool ForeignAcknowledged,
    string DecidedBy,
    DateTimeOffset DecidedAt,
    string? ContentHash);

/// <summary>
/// A hospital's 再委託 register: every company of every approved request, with its approval window, flags and
/// certifications; and the list of every decision. Written for a hospital with hundreds of vendors and relationships:
/// a fixed number of set-based queries (requests, chain, certifications, systems), each on an index
/// (subcontract_requests (hospital_id, state), subcontractors (request_id), subcontractor_certifications (request_id),
/// engagement_systems (engagement_id …)), joined in memory; never a query per row.
/// </summary>
public sealed class SubcontractRegister(AppDbContext db, TimeProvider time)
{
    /// <remarks><paramref name="asOf"/> is the day the status (upcoming, active, ended) and expired certifications are judged on (default today).</remarks>
    public async Task<IReadOnlyList<RegisterRow>> ListAsync(Guid hospitalId, Guid? vendorId = null, Guid? systemId = null, bool includeEnded = false, CancellationToken ct = default,
        DateOnly? asOf = null)
    {
        var today = asOf ?? JapanTime.TodayInJapan(time);
        var requests = db.SubcontractRequests.AsNoTracking()
            .Where(r => r.HospitalId == hospitalId && (r.State == SubcontractState.Approved || r.State == SubcontractState.ApprovedWithConditions));
        if (vendorId is { } v)
        {
            requests = requests.Where(r => r.VendorId == v);
        }
        if (systemId is { } sys)
        {
            requests = requests.Where(r => db.EngagementSystems.Any(es => es.EngagementId == r.EngagementId && es.SystemId == sys));
        }

        var heads = await (from r in requests
                           join e in db.Engagements on r.EngagementId equals e.Id
                           join o in db.Organizations on r.VendorId equals o.Id
                           select new
                           {
                               r.Id, r.VendorId, VendorName = o.Name, r.EngagementId, e.Title, EngagementEnds = e.EndsOn, r.State, r.Conditions, r.ValidUntil,
                               DecidedAt = r.DecidedAt ?? r.UpdatedAt,
                           }).ToListAsync(ct);
        var nodes = await (from s in db.Subcontractors.AsNoTracking()
                           join r in requests on s.RequestId equals r.Id
                           select s).ToListAsync(ct);
        var certifications = (await (from c in db.SubcontractorCertifications.AsNoTracking()
                                     join r in requests on c.RequestId equals r.Id
                                     select c).ToListAsync(ct)).ToLookup(c => c.SubcontractorId);
        var engagementIds = heads.Select(h => h.EngagementId).Distinct().ToList();
        var systems = (await (from es in db.EngagementSystems
                              join m in db.MedicalSystems on es.SystemId equals m.Id
                              where engagementIds.Contains(es.EngagementId)
                              select new { es.EngagementId, m.Name }).ToListAsync(ct))
            .ToLookup(x => x.EngagementId, x => x.Name);

        var byRequest = nodes.ToLookup(n => n.RequestId);
        var rows = new List<RegisterRow>(nodes.Count);
        foreach (var h in heads)
        {
            var chain = byRequest[h.Id].ToList();
            var root = chain.SingleOrDefault(n => n.ParentId is null);
            if (root is null)
            {
                continue;
            }
            var ends = SubcontractWorkflowRules.ApprovalEndsOn(root.PeriodTo, h.ValidUntil, h.EngagementEnds);
            var byId = chain.ToDictionary(n => n.Id);
            foreach (var n in chain)
            {
                var nodeEnds = n.PeriodTo < ends ? n.PeriodTo : ends;
                var status = today < n.PeriodFrom ? RegisterStatus.Upcoming : today > nodeEnds ? RegisterStatus.Ended : RegisterStatus.Active;
                if (status == RegisterStatus.Ended && !includeEnded)
                {
                    continue;
                }
                var depth = 1;
                for (var p = n.ParentId; p is { } pid && byId.TryGetValue(pid, out var parent); p = parent.ParentId)
                {
                    depth++;
                }
                rows.Add(new RegisterRow(h.Id, n.Id, n.ParentId, n.ParentId is { } pp && byId.TryGetValue(pp, out var up) ? up.Name : null, depth,
                    h.VendorId, h.VendorName, h.EngagementId, h.Title, [.. systems[h.EngagementId].Order(StringComparer.Ordinal)],
                    n.Name, n.CorporateNumber, n.Country, n.DataStorageCountry, n.IsForeign, n.HandlesPersonalInformation, n.HandlesMedicalInformation, n.Work,
                    n.PeriodFrom, n.PeriodTo, nodeEnds, h.State, h.Conditions, h.DecidedAt, status,
                    [.. certifications[n.Id].OrderBy(c => c.Kind).Select(c => new RegisterCertification(c.Kind, c.Number, c.ExpiresOn, c.ExpiresOn < today))]));
            }
        }
        return [.. rows.OrderBy(r => r.VendorName, StringComparer.Ordinal).ThenBy(r => r.RequestId).ThenBy(r => r.Depth).ThenBy(r => r.Name, StringComparer.Ordinal)];
    }

    /// <summary>Every decision on requests addressed to the hospital, newest first.</summary>
    public async Task<IReadOnlyList<DecisionRow>> DecisionsAsync(Guid hospitalId, CancellationToken ct = default)
    {
        var decisions = new[] { SubcontractEventAction.Approved, SubcontractEventAction.ApprovedWithConditions, SubcontractEventAction.Rejected };
        var rows = await (from ev in db.SubcontractEvents.AsNoTracking()
                          join r in db.SubcontractRequests on ev.RequestId equals r.Id
                          join e in db.Engagements on r.EngagementId equals e.Id
                          join o in db.Organizations on r.VendorId equals o.Id
                          where r.HospitalId == hospitalId && decisions.Contains(ev.Action)
                          orderby ev.At descending
                          select new
                          {
                              r.Id, r.VendorId, VendorName = o.Name, e.Title, EngagementEnds = e.EndsOn, ev.Action, ev.Version, ev.Comment, r.Conditions, r.ValidUntil,
                              r.ForeignAcknowledgedAt, ev.ActorName, ev.At, ev.ContentHash,
                              Root = db.Subcontractors.Where(s => s.RequestId == r.Id && s.ParentId == null).Select(s => new { s.Name, s.PeriodTo }).FirstOrDefault(),
                              Count = db.Subcontractors.Count(s => s.RequestId == r.Id),
                          }).ToListAsync(ct);
        return [.. rows.Select(x => new DecisionRow(x.Id, x.VendorId, x.VendorName, x.Title, x.Root?.Name ?? "", x.Count, x.Action, x.Version, x.Comment,
            x.Action == SubcontractEventAction.ApprovedWithConditions ? x.Conditions : null,
            x.Action != SubcontractEventAction.Rejected && x.Root is not null ? SubcontractWorkflowRules.ApprovalEndsOn(x.Root.PeriodTo, x.ValidUntil, x.EngagementEnds) : null,
            x.ForeignAcknowledgedAt is not null && x.Action != SubcontractEventAction.Rejected, x.ActorName, x.At, x.ContentHash))];
    }
}
