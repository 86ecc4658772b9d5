using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using VendorPortal.Features.Patches;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.Contacts;

/// <summary>A role row of the hospital's chart form.</summary>
public sealed class HospitalContactForm
{
    public HospitalContactRole Role { get; set; }
    public string? Name { get; set; }
    public string? Phone { get; set; }
    public string? PhoneOutOfHours { get; set; }
    public string? Email { get; set; }
    public string? Note { get; set; }
}

/// <summary>
/// /Hospitals/{hospitalId}/Contacts: the data of the 連絡体制図 — the hospital's own roles and the authorities (TenantAdmin and
/// SecurityManager edit; national authorities prefilled from seed-data/contacts), and every actively engaged vendor's
/// incident contacts with the date the vendor last confirmed them.
/// </summary>
[Authorize(Policy = Policies.HospitalStaffInRoute)]
public sealed class HospitalModel(ContactService service, ITenantContext tenant, IStringLocalizer<SharedResource> l, TimeProvider time) : PageModel
{
    public HospitalChart Chart { get; private set; } = null!;
    public bool CanEdit { get; private set; }
    public DateOnly Today { get; private set; }

    [BindProperty] public List<HospitalContactForm> Rows { get; set; } = [];

    public async Task OnGetAsync(Guid hospitalId)
    {
        await LoadAsync(hospitalId);
        Rows = [.. Chart.Internal.Concat(Chart.Authorities).Select(r => new HospitalContactForm
            { Role = r.Role, Name = r.Name, Phone = r.Phone, PhoneOutOfHours = r.PhoneOutOfHours, Email = r.Email, Note = r.Note })];
    }

    public async Task<IActionResult> OnPostAsync(Guid hospitalId)
    {
        await LoadAsync(hospitalId);
        if (!CanEdit)
        {
            return Forbid();
        }
        ModelState.Clear();
        var errors = await service.SaveHospitalAsync(hospitalId,
            Rows.Select(r => new HospitalContactInput(r.Role, r.Name, r.Phone, r.PhoneOutOfHours, r.Email, r.Note)), PatchService.ActorOf(User, tenant).Name);
        if (errors.Count > 0)
        {
            foreach (var e in errors)
            {
                var role = e.Index >= 0 && e.Index < Rows.Count ? l["ContactRole" + Rows[e.Index].Role].Value : "";
                ModelState.AddModelError("", $"{role}: {l[e.Key].Value}");
            }
            return Page();
        }
        TempData["Status"] = l["ContactsHospitalSaved"].Value;
        return RedirectToPage(new { hospitalId });
    }

    private async Task LoadAsync(Guid hospitalId)
    {
        Chart = await service.HospitalAsync(hospitalId);
        CanEdit = ContactService.HospitalEditorRoles.Any(User.IsInRole);
        Today = Infrastructure.Time.JapanTime.TodayInJapan(time);
    }
}
