using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Organizations;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Hospitals;

/// <summary>One hospital as its own staff or an engaged vendor sees it. Any other hospital is 404 (policy + filters).</summary>
[Authorize(Policy = Policies.HospitalInRoute)]
public sealed class DetailModel(AppDbContext db, TimeProvider time) : PageModel
{
    public HospitalDto Hospital { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid hospitalId)
    {
        var today = JapanTime.TodayInJapan(time);
        var hospital = await db.Organizations.SingleOrDefaultAsync(o => o.Id == hospitalId && o.Kind == OrganizationKind.Hospital);
        if (hospital is null)
        {
            return NotFound();
        }
        var engagements = await db.Engagements.Where(e => e.HospitalId == hospitalId).OrderBy(e => e.Title)
            .Select(e => new EngagementDto(e.Id, e.HospitalId, hospital.Name, e.VendorId, e.Vendor!.Name, e.Title, e.StartsOn, e.EndsOn,
                e.StartsOn <= today && (e.EndsOn == null || e.EndsOn >= today)))
            .ToArrayAsync();
        var systems = await db.MedicalSystems.Where(s => s.HospitalId == hospitalId).OrderBy(s => s.Name)
            .Select(s => new SystemDto(s.Id, s.Name, s.Category)).ToArrayAsync();
        Hospital = new HospitalDto(hospital.Id, hospital.Name, hospital.HospitalKind?.ToString(), engagements, systems);
        return Page();
    }
}
