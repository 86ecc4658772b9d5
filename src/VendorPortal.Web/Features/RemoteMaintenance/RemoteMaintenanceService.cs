using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Forms;
using VendorPortal.Features.Organizations;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Tenancy;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.RemoteMaintenance;

/// <summary>One remote-maintenance disclosure in a list, with the flags of its latest submitted version.</summary>
public sealed record RemoteMaintenanceRow(Guid Id, Guid VendorId, string VendorName, Guid? SystemId, string? SystemName, SubmissionState State,
    int LatestVersion, DateTimeOffset UpdatedAt, IReadOnlyList<RemoteMaintenanceFlag> Flags);

/// <summary>
/// Lists and flags of リモートメンテナンス開示 for one hospital. The forms themselves are ordinary form submissions
/// (kind RemoteMaintenance): created through <see cref="SubmissionWorkflow.CreateRemoteMaintenanceAsync"/>, filled,
/// submitted, reviewed, versioned and exported like every other form. Reads go through the tenant filters: a
/// vendor sees its own, the hospital every submitted one.
/// </summary>
public sealed class RemoteMaintenanceService(AppDbContext db, ITenantContext tenant, TimeProvider time)
{
    public async Task<List<RemoteMaintenanceRow>> RowsAsync(Guid hospitalId, CancellationToken ct = default)
    {
        var rows = await (from s in db.FormSubmissions.AsNoTracking()
                          where s.HospitalId == hospitalId && s.Kind == FormKind.RemoteMaintenance
                          join o in db.Organizations on s.RespondentOrganizationId equals o.Id
                          select new
                          {
                              s.Id, s.RespondentOrganizationId, o.Name, s.SystemId, s.State, s.LatestVersion, s.UpdatedAt,
                              SystemName = db.MedicalSystems.Where(m => m.Id == s.SystemId).Select(m => m.Name).FirstOrDefault(),
                              Latest = db.FormSubmissionVersions.Where(v => v.SubmissionId == s.Id && v.Number == s.LatestVersion).Select(v => v.Answers).FirstOrDefault(),
                          }).ToListAsync(ct);
        var year = FiscalYear.Of(JapanTime.TodayInJapan(time));
        return [.. rows.Select(r => new RemoteMaintenanceRow(r.Id, r.RespondentOrganizationId, r.Name, r.SystemId, r.SystemName, r.State, r.LatestVersion, r.UpdatedAt,
                r.Latest is null ? [] : RemoteMaintenanceFlags.Compute(AnswerJson.Deserialize(r.Latest), year)))
            .OrderBy(r => r.SystemName, StringComparer.Ordinal).ThenBy(r => r.VendorName, StringComparer.Ordinal)];
    }

    /// <summary>The hospital's systems the signed-in vendor is engaged for today (empty for anyone else).</summary>
    public async Task<List<MedicalSystem>> EngagedSystemsAsync(Guid hospitalId, CancellationToken ct = default)
    {
        if (tenant.OrganizationKind != OrganizationKind.Vendor)
        {
            return [];
        }
        var vendorId = tenant.OrganizationId!.Value;
        var today = JapanTime.TodayInJapan(time);
        return await db.MedicalSystems.AsNoTracking()
            .Where(m => m.HospitalId == hospitalId && db.EngagementSystems.Any(es => es.SystemId == m.Id && db.Engagements.Any(e => e.Id == es.EngagementId
                && e.HospitalId == hospitalId && e.VendorId == vendorId && e.StartsOn <= today && (e.EndsOn == null || e.EndsOn >= today))))
            .OrderBy(m => m.Name).ToListAsync(ct);
    }

    /// <summary>Current (not retired) remote-maintenance templates, newest first.</summary>
    public Task<List<FormTemplateVersion>> TemplatesAsync(CancellationToken ct = default)
        => db.FormTemplateVersions.AsNoTracking().Where(t => t.Kind == FormKind.RemoteMaintenance && t.RetiredAt == null)
            .OrderByDescending(t => t.EffectiveFrom).ToListAsync(ct);
}
