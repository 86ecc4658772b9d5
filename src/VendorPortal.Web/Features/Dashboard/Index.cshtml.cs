using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Organizations;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Tenancy;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Dashboard;

/// <summary>
/// The landing page. What it lists is whatever the query filters let this organization see:
/// a hospital its own engagements, a vendor the hospitals of its active engagements.
/// </summary>
public sealed class IndexModel(AppDbContext db, ITenantContext tenant, TimeProvider time, VendorPortal.Features.Gaps.GapQuery gaps) : PageModel
{
    public Guid OrganizationId { get; private set; }
    public int GapCount { get; private set; }
    /// <summary>The 年度's gaps by severity, most severe first (each links to the gap view filtered by it).</summary>
    public IReadOnlyDictionary<VendorPortal.Features.Gaps.GapSeverity, int> GapsBySeverity { get; private set; } = new Dictionary<VendorPortal.Features.Gaps.GapSeverity, int>();
    public string OrganizationName { get; private set; } = "";
    public string Kind { get; private set; } = "";
    public string FiscalYearLabel { get; private set; } = "";
    public List<EngagementDto> Engagements { get; private set; } = [];
    public int SystemCount { get; private set; }
    public int UserCount { get; private set; }

    public async Task OnGetAsync()
    {
        var org = await db.Organizations.SingleAsync(o => o.Id == tenant.OrganizationId);
        OrganizationName = org.Name;
        OrganizationId = org.Id;
        Kind = org.Kind.ToString();
        var today = JapanTime.TodayInJapan(time);
        var fy = FiscalYear.Of(today);
        FiscalYearLabel = $"{fy.ToWarekiString()}（{fy}）";
        if (org.Kind == OrganizationKind.Platform)
        {
            return;
        }
        var query = db.Engagements.AsQueryable();
        if (org.Kind == OrganizationKind.Vendor)
        {
            query = query.Where(e => e.VendorId == org.Id);
        }
        Engagements = await query.OrderBy(e => e.Hospital!.Name).ThenBy(e => e.Title)
            .Select(e => new EngagementDto(e.Id, e.HospitalId, e.Hospital!.Name, e.VendorId, e.Vendor!.Name, e.Title, e.StartsOn, e.EndsOn,
                e.StartsOn <= today && (e.EndsOn == null || e.EndsOn >= today)))
            .ToListAsync();
        if (org.Kind == OrganizationKind.Hospital)
        {
            SystemCount = await db.MedicalSystems.CountAsync(s => s.HospitalId == org.Id);
            UserCount = await db.Users.CountAsync(u => u.OrganizationId == org.Id && u.IsActive);
            var summary = VendorPortal.Features.Gaps.GapSummary.Of(await gaps.ForHospitalAsync(org.Id));
            GapCount = summary.Count;
            GapsBySeverity = summary.BySeverity;
        }
    }
}
