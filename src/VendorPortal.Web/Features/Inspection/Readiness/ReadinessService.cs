using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Gaps;
using VendorPortal.Features.Subcontracting;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Inspection.Readiness;

/// <summary>
/// Builds the readiness report of a hospital and 年度: the compliance gaps (<see cref="GapQuery"/>) mapped by
/// <see cref="ReadinessRules"/>, plus the one query gaps do not cover (再委託 requests waiting for a hospital step).
/// </summary>
public sealed class ReadinessService(AppDbContext db, GapQuery gaps)
{
    /// <summary>States of a request the hospital has not (yet) approved and that is still live.</summary>
    public static readonly SubcontractState[] PendingStates =
        [SubcontractState.Submitted, SubcontractState.InformationRequested, SubcontractState.Reviewed, SubcontractState.OpinionGiven];

    public async Task<ReadinessReport> BuildAsync(Guid hospitalId, FiscalYear year, CancellationToken ct = default)
    {
        var found = await gaps.ForHospitalAsync(hospitalId, year, ct);
        var pending = await (from r in db.SubcontractRequests.AsNoTracking()
                             where r.HospitalId == hospitalId && PendingStates.Contains(r.State)
                             join o in db.Organizations on r.VendorId equals o.Id
                             orderby o.Name, r.Id
                             select new ReadinessPendingSubcontract(r.Id, r.VendorId, o.Name,
                                 db.Subcontractors.Where(n => n.RequestId == r.Id && n.ParentId == null).Select(n => n.Name).FirstOrDefault(), r.State))
                            .ToListAsync(ct);
        return ReadinessRules.Build(hospitalId, found, pending);
    }
}
