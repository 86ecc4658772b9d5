using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Forms;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Gaps;

/// <summary>
/// Loads one hospital's snapshot for a 年度 (through the tenant filters) and runs the rules. The latest answers
/// and the templates come parsed from <see cref="ParsedFormCache"/>: both are immutable, and parsing the answers of
/// every checklist of the year on every request was most of this query's cost.
/// </summary>
public sealed class GapQuery(AppDbContext db, ParsedFormCache parsed, TimeProvider time)
{
    public async Task<IReadOnlyList<ComplianceGap>> ForHospitalAsync(Guid hospitalId, FiscalYear? year = null, CancellationToken ct = default)
    {
        var today = JapanTime.TodayInJapan(time);
        var fy = year ?? FiscalYear.Of(today);
        var engagements = await db.Engagements.AsNoTracking()
            .Where(e => e.HospitalId == hospitalId && e.StartsOn <= fy.LastDay && (e.EndsOn == null || e.EndsOn >= fy.FirstDay))
            .Select(e => new { e.VendorId, VendorName = e.Vendor!.Name, e.StartsOn }).ToListAsync(ct);
        var forms = await (from s in db.FormSubmissions.AsNoTracking()
                           join o in db.Organizations on s.RespondentOrganizationId equals o.Id
                           where s.HospitalId == hospitalId && s.FiscalYear == fy.StartYear
                           select new
                           {
                               s.Id, s.Kind, s.RespondentOrganizationId, RespondentName = o.Name, s.SystemId, s.State, s.UpdatedAt, s.TemplateKey,
                               SystemName = db.MedicalSystems.Where(m => m.Id == s.SystemId).Select(m => m.Name).FirstOrDefault(),
                               LatestId = db.FormSubmissionVersions.Where(v => v.SubmissionId == s.Id && v.Number == s.LatestVersion).Select(v => (Guid?)v.Id).FirstOrDefault(),
                           }).ToListAsync(ct);
        var latest = await parsed.AnswersAsync(db, [.. forms.Where(f => f.LatestId is not null).Select(f => f.LatestId!.Value)], ct);
        var templates = new Dictionary<string, FormTemplate>();
        foreach (var key in forms.Select(f => f.TemplateKey).Distinct())
        {
            templates[key] = await parsed.TemplateAsync(db, key, ct);
        }
        // MDS/SDS shared with the hospital and submitted, with the hospital's own review state (any 年度).
        var disclosures = await (from r in db.FormSubmissionRecipients.AsNoTracking()
                                 where r.HospitalId == hospitalId && r.WithdrawnAt == null
                                 join s in db.FormSubmissions on r.SubmissionId equals s.Id
                                 where s.LatestVersion > 0
                                 join p in db.Products on s.ProductId equals p.Id
                                 join o in db.Organizations on s.RespondentOrganizationId equals o.Id
                                 select new { s.Id, VendorId = s.RespondentOrganizationId, VendorName = o.Name, p.Name, p.Version, r.ReviewState, r.UpdatedAt })
                                .ToListAsync(ct);
        // Remote-maintenance disclosures of the hospital's systems, as last submitted (standing: any 年度).
        var remote = await (from s in db.FormSubmissions.AsNoTracking()
                            where s.HospitalId == hospitalId && s.Kind == FormKind.RemoteMaintenance && s.LatestVersion > 0
                            join o in db.Organizations on s.RespondentOrganizationId equals o.Id
                            join v in db.FormSubmissionVersions on new { SubmissionId = s.Id, Number = s.LatestVersion } equals new { v.SubmissionId, v.Number }
                            select new
                            {
                                s.Id, s.RespondentOrganizationId, o.Name, s.SystemId, s.State, s.TemplateKey, v.SubmittedAt, VersionId = v.Id,
                                SystemName = db.MedicalSystems.Where(m => m.Id == s.SystemId).Select(m => m.Name).FirstOrDefault(),
                            }).ToListAsync(ct);
        foreach (var key in remote.Select(f => f.TemplateKey).Distinct().Where(k => !templates.ContainsKey(k)))
        {
            templates[key] = await parsed.TemplateAsync(db, key, ct);
        }
        var remoteAnswers = await parsed.AnswersAsync(db, [.. remote.Select(r => r.VersionId)], ct);
        var snapshot = new GapSnapshot(hospitalId, fy, today,
            [.. engagements.DistinctBy(e => e.VendorId).Select(e => new GapEngagement(e.VendorId, e.VendorName, e.StartsOn))],
            [.. forms.Select(f => new GapForm(f.Id, f.Kind, f.RespondentOrganizationId, f.RespondentName, f.SystemId, f.SystemName, f.State,
                DateOnly.FromDateTime(JapanTime.ToJst(f.UpdatedAt).DateTime), templates[f.TemplateKey], f.LatestId is { } id ? latest.GetValueOrDefault(id) : null))],
            [.. disclosures.Select(d => new GapDisclosure(d.Id, d.VendorId, d.VendorName, $"{d.Name} {d.Version}", d.ReviewState,
                DateOnly.FromDateTime(JapanTime.ToJst(d.UpdatedAt).DateTime)))],
            [.. remote.Select(r => new GapRemoteMaintenance(r.Id, r.RespondentOrganizationId, r.Name, r.SystemId, r.SystemName, r.State,
                DateOnly.FromDateTime(JapanTime.ToJst(r.SubmittedAt).DateTime), templates[r.TemplateKey], remoteAnswers[r.VersionId]))]);
        return GapRules.Evaluate(snapshot);
    }
}
