using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.Patches;

/// <summary>Registers an advisory with its affected components (hospital editors; a vendor for the components it supplies).</summary>
[Authorize(Policy = Policies.HospitalInRoute)]
public sealed class NewModel(PatchService patches, ITenantContext tenant, IStringLocalizer<SharedResource> l) : AdvisoryFormModel(patches, tenant, l)
{
    public async Task<IActionResult> OnGetAsync(Guid hospitalId)
    {
        HospitalId = hospitalId;
        if (!PatchService.ActorOf(User, Tenant).CanEdit)
        {
            return Forbid();
        }
        ReleasedOn = Patches.Today.ToString("yyyy-MM-dd");
        Severity = AdvisorySeverity.High;
        await LoadPickerAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostSearchAsync(Guid hospitalId)
    {
        HospitalId = hospitalId;
        ModelState.Clear();
        await LoadPickerAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid hospitalId)
    {
        HospitalId = hospitalId;
        ModelState.Clear();
        var result = await Patches.CreateAsync(hospitalId, Input(), Selected, PatchService.ActorOf(User, Tenant));
        return await AfterSaveAsync(result);
    }
}
