using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Organizations;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.Disclosures;

/// <summary>
/// MDS/SDS disclosures of one hospital: its staff see every disclosure shared with it (with its own review
/// state); a vendor it serves sees its own disclosures shared with it. {hospitalId} is checked by HospitalInRoute.
/// </summary>
[Authorize(Policy = Policies.HospitalInRoute)]
public sealed class ForHospitalModel(AppDbContext db, DisclosureService disclosures, ITenantContext tenant) : PageModel
{
    public Organization Hospital { get; private set; } = null!;
    public List<DisclosureRow> Rows { get; private set; } = [];
    public bool IsVendor => tenant.OrganizationKind == OrganizationKind.Vendor;

    public async Task<IActionResult> OnGetAsync(Guid hospitalId)
    {
        var hospital = await db.Organizations.SingleOrDefaultAsync(o => o.Id == hospitalId && o.Kind == OrganizationKind.Hospital);
        if (hospital is null)
        {
            return NotFound();
        }
        Hospital = hospital;
        Rows = await disclosures.RowsForHospitalAsync(hospitalId);
        return Page();
    }
}
