using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Organizations;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Data;

namespace VendorPortal.Features.Subcontracting;

/// <summary>
/// 再委託先台帳: every approved subcontractor of the hospital's vendors (再々委託 included), current ones by default,
/// filterable by vendor and system, with approval end, flags and certificates (expired ones marked).
/// </summary>
[Authorize(Policy = Policies.HospitalStaffInRoute)]
public sealed class RegisterModel(AppDbContext db, SubcontractRegister register) : PageModel
{
    public Guid HospitalId { get; private set; }
    public IReadOnlyList<RegisterRow> Rows { get; private set; } = [];
    public List<(Guid Id, string Name)> Vendors { get; private set; } = [];
    public List<MedicalSystem> Systems { get; private set; } = [];
    public Guid? VendorId { get; private set; }
    public Guid? SystemId { get; private set; }
    public bool IncludeEnded { get; private set; }

    public async Task OnGetAsync(Guid hospitalId, Guid? vendor, Guid? system, bool ended = false)
    {
        (HospitalId, VendorId, SystemId, IncludeEnded) = (hospitalId, vendor, system, ended);
        Rows = await register.ListAsync(hospitalId, vendor, system, ended);
        Vendors = [.. (await db.Engagements.Where(e => e.HospitalId == hospitalId).Select(e => new { e.VendorId, e.Vendor!.Name }).Distinct().ToListAsync())
            .OrderBy(v => v.Name, StringComparer.Ordinal).Select(v => (v.VendorId, v.Name))];
        Systems = await db.MedicalSystems.Where(m => m.HospitalId == hospitalId).OrderBy(m => m.Name).ToListAsync();
    }
}
