using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using VendorPortal.Features.Account;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.Admin;

/// <summary>An administrator invites someone into their own organization (never another).</summary>
[Authorize(Policy = Policies.OrganizationAdmin)]
public sealed class InviteModel(Invitations invitations, ITenantContext tenant, IStringLocalizer<SharedResource> l,
    Microsoft.Extensions.Options.IOptions<AccountOptions> options) : PageModel
{
    public int LifetimeHours => options.Value.InvitationLifetimeHours;

    [BindProperty][Required(ErrorMessage = "Required")][EmailAddress(ErrorMessage = "ErrorEmailInvalid")][Display(Name = "Email")]
    public string Email { get; set; } = "";
    [BindProperty][Required(ErrorMessage = "Required")][Display(Name = "Role")]
    public string Role { get; set; } = "";

    public IReadOnlyList<string> AvailableRoles => Roles.For(tenant.OrganizationKind!.Value);

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var result = await invitations.InviteAsync(tenant.OrganizationId!.Value, Email, Role, tenant.UserId!.Value);
        if (!result.Succeeded)
        {
            ModelState.AddModelError("", result.Error!);
            return Page();
        }
        TempData["Status"] = string.Format(l["InvitationSent"], Email.Trim());
        return RedirectToPage("/Admin/Users");
    }
}
