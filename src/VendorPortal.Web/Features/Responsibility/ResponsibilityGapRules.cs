using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Gaps;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Responsibility;

/// <summary>A matrix's current version as the gap rules see it: its number, the day it was saved (JST), its content and who confirmed it.</summary>
public sealed record GapMatrix(int Version, DateOnly SavedOn, MatrixContent Content, IReadOnlyCollection<Guid> ConfirmedBy);

/// <summary>A system of the hospital that has a matrix or an active engagement (<see cref="EngagedVendors"/>: active today).</summary>
public sealed record GapMatrixSystem(Guid SystemId, string SystemName, IReadOnlyList<GapEngagement> EngagedVendors, GapMatrix? Matrix)
{
    public string Link(Guid hospitalId) => ResponsibilityService.Link(hospitalId, SystemId);
}

/// <summary>Loads <see cref="GapSnapshot.Matrices"/>: two set-based queries (engaged systems; matrices with current version and its confirmations), content parsed once per version.</summary>
public static class ResponsibilityGapData
{
    public static async Task<List<GapMatrixSystem>> LoadAsync(AppDbContext db, ParsedMatrixCache cache, Guid hospitalId, DateOnly today, CancellationToken ct)
    {
        var engaged = (await (from es in db.EngagementSystems.AsNoTracking()
                              join e in db.Engagements on es.EngagementId equals e.Id
                              where e.HospitalId == hospitalId && e.StartsOn <= today && (e.EndsOn == null || e.EndsOn >= today)
                              join o in db.Organizations on e.VendorId equals o.Id
                              join s in db.MedicalSystems on es.SystemId equals s.Id
                              select new { es.SystemId, SystemName = s.Name, e.VendorId, VendorName = o.Name, e.StartsOn }).ToListAsync(ct))
            .ToLookup(x => x.SystemId);
        var matrices = await (from m in db.ResponsibilityMatrices.AsNoTracking()
                              where m.HospitalId == hospitalId
                              join v in db.ResponsibilityMatrixVersions on new { MatrixId = m.Id, Number = m.CurrentVersion } equals new { v.MatrixId, v.Number }
                              join s in db.MedicalSystems on m.SystemId equals s.Id
                              select new
                              {
                                  m.SystemId, SystemName = s.Name, VersionId = v.Id, v.Number, v.CreatedAt,
                                  Confirmed = db.ResponsibilityConfirmations.Where(c => c.MatrixId == m.Id && c.VersionNumber == m.CurrentVersion).Select(c => c.OrganizationId).ToList(),
                              }).ToListAsync(ct);
        var contents = await cache.ContentsAsync(db, [.. matrices.Select(m => m.VersionId)], ct);
        var result = matrices.Select(m => new GapMatrixSystem(m.SystemId, m.SystemName,
            [.. engaged[m.SystemId].DistinctBy(e => e.VendorId).Select(e => new GapEngagement(e.VendorId, e.VendorName, e.StartsOn))],
            new GapMatrix(m.Number, DateOnly.FromDateTime(JapanTime.ToJst(m.CreatedAt).DateTime), contents[m.VersionId], m.Confirmed))).ToList();
        var withMatrix = result.Select(r => r.SystemId).ToHashSet();
        result.AddRange(engaged.Where(g => !withMatrix.Contains(g.Key)).Select(g => new GapMatrixSystem(g.Key, g.First().SystemName,
            [.. g.DistinctBy(e => e.VendorId).Select(e => new GapEngagement(e.VendorId, e.VendorName, e.StartsOn))], null)));
        return result;
    }
}

/// <summary>A row of a matrix with no 主担当: nobody is responsible for that task.</summary>
public sealed class MatrixRowWithoutResponsibleRule : IGapRule
{
    public IEnumerable<ComplianceGap> Evaluate(GapSnapshot s)
        => from m in s.Matrices.Where(m => m.Matrix is not null)
           from r in m.Matrix!.Content.Rows.Where(r => !r.Cells.Values.Contains(MatrixRole.Responsible))
           select new ComplianceGap("MatrixNoResponsible", GapSeverity.Medium, GapActor.Hospital, null, null, m.SystemId, m.SystemName, null, null,
               m.Matrix!.SavedOn, r.Text) { Link = m.Link(s.HospitalId) };
}

/// <summary>A row with more than one 主担当: the responsibility is split and nobody clearly owns it.</summary>
public sealed class MatrixRowManyResponsibleRule : IGapRule
{
    public IEnumerable<ComplianceGap> Evaluate(GapSnapshot s)
        => from m in s.Matrices.Where(m => m.Matrix is not null)
           from r in m.Matrix!.Content.Rows
           let count = r.Cells.Values.Count(v => v == MatrixRole.Responsible)
           where count > 1
           select new ComplianceGap("MatrixManyResponsible", GapSeverity.Low, GapActor.Hospital, null, null, m.SystemId, m.SystemName, null, null,
               m.Matrix!.SavedOn, r.Text, count) { Link = m.Link(s.HospitalId) };
}

/// <summary>A party (the hospital or a vendor) has not confirmed the current version: that party must act.</summary>
public sealed class MatrixNotConfirmedRule : IGapRule
{
    public IEnumerable<ComplianceGap> Evaluate(GapSnapshot s)
    {
        foreach (var m in s.Matrices.Where(m => m.Matrix is not null))
        {
            foreach (var org in ResponsibilityRules.Confirmers(s.HospitalId, m.Matrix!.Content).Where(id => !m.Matrix.ConfirmedBy.Contains(id)))
            {
                var hospital = org == s.HospitalId;
                var name = hospital ? null : m.Matrix.Content.Parties.First(p => p.OrganizationId == org).Name;
                yield return new ComplianceGap("MatrixNotConfirmed", GapSeverity.Medium, hospital ? GapActor.Hospital : GapActor.Vendor,
                    hospital ? null : org, name, m.SystemId, m.SystemName, null, null, m.Matrix!.SavedOn, m.Matrix.Version) { Link = m.Link(s.HospitalId) };
            }
        }
    }
}

/// <summary>A vendor party with no active engagement covering the system: the matrix names someone who no longer serves it.</summary>
public sealed class MatrixVendorNotEngagedRule : IGapRule
{
    public IEnumerable<ComplianceGap> Evaluate(GapSnapshot s)
        => from m in s.Matrices.Where(m => m.Matrix is not null)
           from p in m.Matrix!.Content.Parties.Where(p => p.Kind == PartyKind.Vendor && !m.EngagedVendors.Any(e => e.VendorId == p.OrganizationId))
           select new ComplianceGap("MatrixVendorNotEngaged", GapSeverity.Medium, GapActor.Hospital, p.OrganizationId, p.Name, m.SystemId, m.SystemName, null, null,
               m.Matrix!.SavedOn, p.Name) { Link = m.Link(s.HospitalId) };
}

/// <summary>
/// A subcontractor party without an approved, unexpired 再委託 request: the vendor must obtain approval (or, while the
/// request waits for the hospital, the hospital must decide). An unknown request is the hospital's to correct.
/// </summary>
public sealed class MatrixSubcontractorNotApprovedRule : IGapRule
{
    public IEnumerable<ComplianceGap> Evaluate(GapSnapshot s)
    {
        foreach (var m in s.Matrices.Where(m => m.Matrix is not null))
        {
            foreach (var p in m.Matrix!.Content.Parties.Where(p => p.Kind == PartyKind.Subcontractor))
            {
                var request = s.Subcontracts.FirstOrDefault(x => x.RequestId == p.SubcontractRequestId);
                if (request is { IsApproved: true } && (request.ApprovalEnds is null || request.ApprovalEnds >= s.Today))
                {
                    continue;
                }
                var actor = request is null || Subcontracting.SubcontractWorkflowRules.RolesToActNext(request.State).Count > 0 ? GapActor.Hospital : GapActor.Vendor;
                yield return new ComplianceGap("MatrixSubcontractorNotApproved", GapSeverity.High, actor, request?.VendorId, request?.VendorName,
                    m.SystemId, m.SystemName, null, null, m.Matrix!.SavedOn, p.Name) { Link = m.Link(s.HospitalId) };
            }
        }
    }
}

/// <summary>A system with an active engagement and no matrix at all: the 責任分界 is not written down (経営管理編 1.3.2).</summary>
public sealed class MissingMatrixRule : IGapRule
{
    public IEnumerable<ComplianceGap> Evaluate(GapSnapshot s)
        => s.Matrices.Where(m => m.Matrix is null && m.EngagedVendors.Count > 0)
            .Select(m =>
            {
                var started = m.EngagedVendors.Min(e => e.StartsOn);
                return new ComplianceGap("MissingMatrix", GapSeverity.Medium, GapActor.Hospital, null, null, m.SystemId, m.SystemName, null, null,
                    started > s.Year.FirstDay ? started : s.Year.FirstDay) { Link = m.Link(s.HospitalId) };
            });
}
