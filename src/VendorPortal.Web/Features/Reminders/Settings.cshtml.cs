using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Localization;

namespace VendorPortal.Features.Reminders;

/// <summary>The user's own choice of reminder mail: immediately, a daily digest (default) or none.</summary>
[Authorize(Policy = Policies.HospitalOrVendor)]
public sealed class SettingsModel(ReminderBoard board, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty] public ReminderEmailMode Mode { get; set; }

    public async Task OnGetAsync() => Mode = await board.EmailModeAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid || !Enum.IsDefined(Mode))
        {
            ModelState.Clear();
            ModelState.AddModelError(nameof(Mode), l["ReminderEmailModeInvalid"].Value);
            return Page();
        }
        await board.SetEmailModeAsync(Mode);
        TempData["Status"] = l["ReminderSettingsSaved"].Value;
        return RedirectToPage();
    }
}
