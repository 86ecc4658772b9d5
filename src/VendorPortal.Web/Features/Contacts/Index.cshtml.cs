using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using VendorPortal.Features.Patches;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.Contacts;

/// <summary>A row of the vendor's contact form.</summary>
public sealed class VendorContactForm
{
    public string? RoleLabel { get; set; }
    public string? Name { get; set; }
    public string? Phone24h { get; set; }
    public string? OtherChannel { get; set; }
    public string? Email { get; set; }
    public string? Hours { get; set; }
}

/// <summary>
/// /Contacts: the vendor's incident contacts for its hospitals' 連絡体制図. VendorAdmin edits (saving confirms) or confirms
/// them unchanged; VendorMember reads. Blank rows are ignored; two spare rows are offered (no JavaScript).
/// </summary>
[Authorize(Policy = Policies.VendorStaff)]
public sealed class IndexModel(ContactService service, ITenantContext tenant, IStringLocalizer<SharedResource> l) : PageModel
{
    public VendorContactSheet Sheet { get; private set; } = null!;
    public bool CanEdit { get; private set; }

    [BindProperty] public List<VendorContactForm> Rows { get; set; } = [];

    public async Task OnGetAsync()
    {
        await LoadAsync();
        Rows = [.. Sheet.Contacts.Select(c => new VendorContactForm
            { RoleLabel = c.RoleLabel, Name = c.Name, Phone24h = c.Phone24h, OtherChannel = c.OtherChannel, Email = c.Email, Hours = c.Hours })];
        Pad();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await LoadAsync();
        if (!CanEdit)
        {
            return Forbid();
        }
        ModelState.Clear();
        var errors = await service.ReplaceVendorAsync(Sheet.VendorId,
            Rows.Select(r => new VendorContactInput(r.RoleLabel, r.Name, r.Phone24h, r.OtherChannel, r.Email, r.Hours)), PatchService.ActorOf(User, tenant).Name);
        if (errors.Count > 0)
        {
            // Indexes refer to the non-blank rows: name the row by its position among them.
            foreach (var e in errors)
            {
                ModelState.AddModelError("", e.Index < 0 ? l[e.Key].Value : l["ContactsRowError", e.Index + 1, l[e.Key].Value].Value);
            }
            Pad();
            return Page();
        }
        TempData["Status"] = l["ContactsSaved"].Value;
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostConfirmAsync()
    {
        await LoadAsync();
        if (!CanEdit)
        {
            return Forbid();
        }
        if (!await service.ConfirmVendorAsync(Sheet.VendorId, PatchService.ActorOf(User, tenant).Name))
        {
            ModelState.AddModelError("", l["ContactsNothingToConfirm"].Value);
            Rows = [];
            Pad();
            return Page();
        }
        TempData["Status"] = l["ContactsConfirmedStatus"].Value;
        return RedirectToPage();
    }

    private async Task LoadAsync()
    {
        Sheet = await service.VendorAsync(tenant.OrganizationId!.Value);
        CanEdit = ContactService.VendorEditorRoles.Any(User.IsInRole);
    }

    private void Pad()
    {
        if (!CanEdit)
        {
            return;
        }
        for (var spare = 0; spare < 2 && Rows.Count < ContactRules.MaxVendorContacts; spare++)
        {
            Rows.Add(new VendorContactForm());
        }
    }
}
