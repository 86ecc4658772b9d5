using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Forms;
using VendorPortal.Features.Subcontracting;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Gaps;

/// <summary>
/// Loads one hospital's snapshot for a 年度 (through the tenant filters) and runs the rules. The latest answers
/// and the templates come parsed from <see cref="ParsedFormCache"/>: both are immutable, and parsing the answers of
/// every checklist of the year on every request was most of this query's cost.
/// </summary>
public sealed class GapQuery(AppDbContext db, ParsedFormCache parsed, Responsibility.ParsedMatrixCache matrices, TimeProvider time)
{
    /// <param name="asOf">The day the gaps are judged on (the inspection bundle passes its own date); today (JST) when null.</param>
    public async Task<IReadOnlyList<ComplianceGap>> ForHospitalAsync(Guid hospitalId, FiscalYear? year = null, CancellationToken ct = default, DateOnly? asOf = null)
    {
        var today = asOf ?? JapanTime.TodayInJapan(time);
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
                DateOnly.FromDateTime(JapanTime.ToJst(r.SubmittedAt).DateTime), templates[r.TemplateKey], remoteAnswers[r.VersionId]))])
        {
            Subcontracts = await SubcontractsAsync(hospitalId, today, ct),
            Matrices = await Responsibility.ResponsibilityGapData.LoadAsync(db, matrices, hospitalId, today, ct),
            Contacts = await Contacts.ContactService.GapDataAsync(db, hospitalId, today, ct),
            Bcp = await Inspection.Bcp.BcpService.GapDataAsync(db, hospitalId, ct),
        };
        snapshot = await WithEosAndPatchesAsync(snapshot, ct);
        return GapRules.Evaluate(snapshot);
    }

    /// <summary>
    /// The policy, EOS dates and unsettled patch statuses (<see cref="GapEos"/>, <see cref="GapPatchGroup"/>): set-based, grouped in SQL,
    /// reading only rows that can make a gap — dates within the largest window or passed, statuses still unsettled —
    /// of components in use.
    /// </summary>
    private async Task<GapSnapshot> WithEosAndPatchesAsync(GapSnapshot s, CancellationToken ct)
    {
        var hospitalId = s.HospitalId;
        var policy = await Policy.CompliancePolicyStore.ReadAsync(db, hospitalId, ct);
        var horizon = s.Today.AddDays(Policy.PolicyRules.Horizon(policy.EosWarningDays));
        var inUse = db.SystemComponents.AsNoTracking().Where(c => c.HospitalId == hospitalId && c.RetiredOn == null);
        var eos = await (from d in db.ComponentSupportDates.AsNoTracking()
                         where d.HospitalId == hospitalId && d.EndsOn <= horizon
                         join c in inUse on d.ComponentId equals c.Id
                         group c.ManagementNumber by new { c.SystemId, c.SupplierVendorId, d.Subject, d.EndsOn } into g
                         select new { g.Key.SystemId, g.Key.SupplierVendorId, g.Key.Subject, g.Key.EndsOn, Count = g.Count(), First = g.Min() }).ToListAsync(ct);
        var open = new[] { Patches.PatchState.Open, Patches.PatchState.Planned, Patches.PatchState.Deferred };
        var today = s.Today;
        var patches = await (from p in db.PatchStatuses.AsNoTracking()
                             where p.HospitalId == hospitalId && open.Contains(p.State) && p.DeferralApprovedAt == null
                             join c in inUse on p.ComponentId equals c.Id
                             group p by new { p.AdvisoryId, p.State, p.CommittedByVendorId, Passed = p.PlannedOn != null && p.PlannedOn < today } into g
                             select new { g.Key.AdvisoryId, g.Key.State, g.Key.CommittedByVendorId, g.Key.Passed, Count = g.Count(),
                                 Planned = g.Min(p => p.PlannedOn), Changed = g.Min(p => p.UpdatedAt) }).ToListAsync(ct);
        var advisoryIds = patches.Select(p => p.AdvisoryId).Distinct().ToList();
        var advisories = await db.SecurityAdvisories.AsNoTracking().Where(a => advisoryIds.Contains(a.Id))
            .Select(a => new { a.Id, a.Identifier, a.Severity, a.ReleasedOn }).ToDictionaryAsync(a => a.Id, ct);
        var systemIds = eos.Select(e => e.SystemId).Distinct().ToList();
        var systems = await db.MedicalSystems.AsNoTracking().Where(m => systemIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => m.Name, ct);
        var orgIds = eos.Select(e => e.SupplierVendorId).Concat(patches.Select(p => p.CommittedByVendorId)).OfType<Guid>().Distinct().ToList();
        var orgs = await db.Organizations.AsNoTracking().IgnoreQueryFilters().Where(o => orgIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        return s with
        {
            Policy = policy,
            EosDates = [.. eos.Select(e => new GapEos(e.SystemId, systems.GetValueOrDefault(e.SystemId, ""), e.SupplierVendorId,
                e.SupplierVendorId is { } v ? orgs.GetValueOrDefault(v) : null, e.Subject, e.EndsOn, e.Count, e.First))],
            UnsettledPatches = [.. patches.Where(p => advisories.ContainsKey(p.AdvisoryId)).Select(p =>
            {
                var a = advisories[p.AdvisoryId];
                return new GapPatchGroup(a.Id, a.Identifier, a.Severity, a.ReleasedOn, p.State, p.CommittedByVendorId,
                    p.CommittedByVendorId is { } v ? orgs.GetValueOrDefault(v) : null, p.Passed, p.Count, p.Planned,
                    DateOnly.FromDateTime(JapanTime.ToJst(p.Changed).DateTime));
            })],
        };
    }

    /// <summary>Approved requests with their chain and certificates, and those waiting for a hospital step: four set-based queries.</summary>
    private async Task<List<GapSubcontract>> SubcontractsAsync(Guid hospitalId, DateOnly today, CancellationToken ct)
    {
        var states = new[] { SubcontractState.Approved, SubcontractState.ApprovedWithConditions, SubcontractState.Submitted, SubcontractState.Reviewed, SubcontractState.OpinionGiven };
        var requests = db.SubcontractRequests.AsNoTracking().Where(r => r.HospitalId == hospitalId && states.Contains(r.State));
        var heads = await (from r in requests
                           join e in db.Engagements on r.EngagementId equals e.Id
                           join o in db.Organizations on r.VendorId equals o.Id
                           select new { r.Id, r.VendorId, o.Name, r.State, r.StateChangedAt, r.ValidUntil, e.StartsOn, e.EndsOn }).ToListAsync(ct);
        var nodes = (await (from n in db.Subcontractors.AsNoTracking()
                            join r in requests on n.RequestId equals r.Id
                            select new { n.Id, n.RequestId, n.ParentId, n.Name, n.CorporateNumber, n.PeriodFrom, n.PeriodTo }).ToListAsync(ct))
            .ToLookup(n => n.RequestId);
        var certificates = (await (from c in db.SubcontractorCertifications.AsNoTracking()
                                   join r in requests on c.RequestId equals r.Id
                                   select new { c.SubcontractorId, c.Kind, c.Number, c.ExpiresOn }).ToListAsync(ct))
            .ToLookup(c => c.SubcontractorId, c => new GapCertificate(c.Kind, c.Number, c.ExpiresOn));
        return [.. heads.Select(h =>
        {
            // The direct subcontractor first: rules name the request by it.
            var chain = nodes[h.Id].OrderBy(n => n.ParentId is null ? 0 : 1).ToList();
            var root = chain.FirstOrDefault(n => n.ParentId is null);
            var approved = h.State is SubcontractState.Approved or SubcontractState.ApprovedWithConditions && root is not null;
            return new GapSubcontract(h.Id, h.VendorId, h.Name, h.State, DateOnly.FromDateTime(JapanTime.ToJst(h.StateChangedAt).DateTime),
                h.StartsOn <= today && (h.EndsOn == null || h.EndsOn >= today),
                approved ? root!.PeriodFrom : null, approved ? SubcontractWorkflowRules.ApprovalEndsOn(root!.PeriodTo, h.ValidUntil, h.EndsOn) : null,
                [.. chain.Select(n => new GapSubcontractor(n.Name, n.CorporateNumber, n.PeriodFrom, n.PeriodTo, [.. certificates[n.Id]]))]);
        })];
    }
}
