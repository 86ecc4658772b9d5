using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Organizations;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Data;

namespace VendorPortal.Features.Responsibility;

/// <summary>責任分界表 of a hospital: every system with its matrix state. A vendor sees the systems it is engaged for.</summary>
[Authorize(Policy = Policies.HospitalInRoute)]
public sealed class IndexModel(AppDbContext db, ResponsibilityService service) : PageModel
{
    public Organization Hospital { get; private set; } = null!;
    public IReadOnlyList<MatrixOverviewRow> Rows { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid hospitalId)
    {
        var hospital = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == hospitalId && o.Kind == OrganizationKind.Hospital);
        if (hospital is null)
        {
            return NotFound();
        }
        Hospital = hospital;
        Rows = await service.OverviewAsync(hospitalId);
        return Page();
    }
}
