using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Account;
using VendorPortal.Features.Inspection.Bcp;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Inspection.Readiness;

/// <summary>
/// /Hospitals/{hospitalId}/Inspection: what the 立入検査 asks for in a 年度 (this one unless chosen) and whether each is
/// ready, with what is missing and where it is fixed. Every hospital role may look; vendors never.
/// </summary>
[Authorize(Policy = Policies.HospitalStaffInRoute)]
public sealed class IndexModel(ReadinessService readiness, BcpService bcp, AppDbContext db, TimeProvider time) : PageModel
{
    /// <summary>Who sees the link to the bundle export (the roles of <see cref="Policies.InspectionExportInRoute"/>).</summary>
    public static readonly string[] ExportRoles = [Roles.Auditor, Roles.SecurityManager, Roles.Executive];

    public ReadinessReport Report { get; private set; } = null!;
    public FiscalYear Year { get; private set; }
    public int CurrentYear { get; private set; }
    public string HospitalName { get; private set; } = "";
    public Guid HospitalId { get; private set; }
    public BcpDocumentView? CurrentBcp { get; private set; }
    public bool CanExport => ExportRoles.Any(User.IsInRole);

    [BindProperty(SupportsGet = true)] public int? FiscalYearStart { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid hospitalId)
    {
        HospitalId = hospitalId;
        if (await db.Organizations.AsNoTracking().Where(o => o.Id == hospitalId).Select(o => o.Name).SingleOrDefaultAsync() is not { } name)
        {
            return NotFound();
        }
        HospitalName = name;
        CurrentYear = FiscalYear.Of(JapanTime.TodayInJapan(time)).StartYear;
        // Next year back to five years ago: an inspection may look back.
        Year = new FiscalYear(FiscalYearStart is { } y && y >= CurrentYear - 5 && y <= CurrentYear + 1 ? y : CurrentYear);
        Report = await readiness.BuildAsync(hospitalId, Year);
        CurrentBcp = (await bcp.ListAsync(hospitalId)).FirstOrDefault(d => d.IsCurrent);
        return Page();
    }
}
