using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.Patches;

/// <summary>Edits an advisory and adds affected components (hospital editors; a vendor only an advisory it registered).</summary>
[Authorize(Policy = Policies.HospitalInRoute)]
public sealed class EditModel(PatchService patches, AppDbContext db, ITenantContext tenant, IStringLocalizer<SharedResource> l) : AdvisoryFormModel(patches, tenant, l)
{
    private async Task<IActionResult?> LoadAsync(Guid hospitalId, Guid advisoryId)
    {
        HospitalId = hospitalId;
        Advisory = await Patches.FindAsync(hospitalId, advisoryId);
        if (Advisory is null)
        {
            return NotFound();
        }
        if (!PatchService.CanEditAdvisory(Advisory, PatchService.ActorOf(User, Tenant)))
        {
            return Forbid();
        }
        AlreadyAffected = [.. await db.PatchStatuses.Where(p => p.AdvisoryId == advisoryId).Select(p => p.ComponentId).ToListAsync()];
        return null;
    }

    public async Task<IActionResult> OnGetAsync(Guid hospitalId, Guid advisoryId)
    {
        if (await LoadAsync(hospitalId, advisoryId) is { } refused)
        {
            return refused;
        }
        var a = Advisory!;
        (Identifier, Title, Severity, ReleasedOn, Link, Description) = (a.Identifier, a.Title, a.Severity, a.ReleasedOn.ToString("yyyy-MM-dd"), a.Url, a.Description);
        await LoadPickerAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostSearchAsync(Guid hospitalId, Guid advisoryId)
    {
        if (await LoadAsync(hospitalId, advisoryId) is { } refused)
        {
            return refused;
        }
        ModelState.Clear();
        await LoadPickerAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid hospitalId, Guid advisoryId)
    {
        if (await LoadAsync(hospitalId, advisoryId) is { } refused)
        {
            return refused;
        }
        ModelState.Clear();
        var result = await Patches.UpdateAsync(Advisory!, Input(), Selected, PatchService.ActorOf(User, Tenant));
        return await AfterSaveAsync(result);
    }
}
