using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Gaps;

/// <summary>The hospital's compliance gaps for a 年度, filterable by vendor, kind and severity.</summary>
[Authorize(Policy = Policies.HospitalStaffInRoute)]
public sealed class IndexModel(GapQuery query, TimeProvider time) : PageModel
{
    public IReadOnlyList<ComplianceGap> All { get; private set; } = [];
    public IReadOnlyList<ComplianceGap> Shown { get; private set; } = [];
    public FiscalYear Year { get; private set; }
    public Guid HospitalId { get; private set; }

    public async Task OnGetAsync(Guid hospitalId, int? fiscalYear, Guid? vendor, string? kind, GapSeverity? severity)
    {
        HospitalId = hospitalId;
        Year = fiscalYear is { } fy && fy is >= 2023 and <= 2100 ? new FiscalYear(fy) : FiscalYear.Of(JapanTime.TodayInJapan(time));
        All = await query.ForHospitalAsync(hospitalId, Year);
        Shown = All.Where(g => (vendor is null || g.VendorId == vendor) && (string.IsNullOrEmpty(kind) || g.Kind == kind) && (severity is null || g.Severity == severity)).ToList();
    }
}
