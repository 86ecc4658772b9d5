using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.Infrastructure.Localization;

namespace VendorPortal.Features.Account;

/// <summary>Changing the password renews the security stamp, which ends every other session.</summary>
public sealed class ChangePasswordModel(
    UserManager<AppUser> users,
    PortalSignInManager signIn,
    AuditLog audit,
    IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty] public InputModel Input { get; set; } = new();

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Required")][Display(Name = "CurrentPassword")]
        public string CurrentPassword { get; set; } = "";
        [Required(ErrorMessage = "Required")][Display(Name = "NewPassword")]
        public string NewPassword { get; set; } = "";
        [Required(ErrorMessage = "Required")][Compare(nameof(NewPassword), ErrorMessage = "PasswordMismatch")][Display(Name = "ConfirmPassword")]
        public string ConfirmPassword { get; set; } = "";
    }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return NotFound();
        }
        var result = await users.ChangePasswordAsync(user, Input.CurrentPassword, Input.NewPassword);
        if (!result.Succeeded)
        {
            foreach (var e in result.Errors)
            {
                ModelState.AddModelError("", e.Code == "PasswordMismatch" ? l["CurrentPasswordWrong"] : e.Description);
            }
            return Page();
        }
        audit.Record(AuditActions.PasswordChanged, "user", user.Id.ToString());
        await audit.SaveAsync();
        // Keep this session (it proved the password and holds amr=mfa); every other one ends.
        await signIn.SignInWithSecondFactorAsync(user);
        TempData["Status"] = l["PasswordChanged"].Value;
        return RedirectToPage("/Account/Security");
    }
}
