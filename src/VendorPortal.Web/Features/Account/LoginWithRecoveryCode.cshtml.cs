using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.Infrastructure.Localization;

namespace VendorPortal.Features.Account;

/// <summary>Sign in with one of the 10 single-use recovery codes (stored hashed by Identity).</summary>
[AllowAnonymous]
public sealed class LoginWithRecoveryCodeModel(
    PortalSignInManager signIn,
    UserManager<AppUser> users,
    AuditLog audit,
    TimeProvider time,
    IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty][Required(ErrorMessage = "Required")][Display(Name = "RecoveryCode")]
    public string RecoveryCode { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnGetAsync()
        => await signIn.GetTwoFactorAuthenticationUserAsync() is null ? RedirectToPage("/Account/Login") : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return RedirectToPage("/Account/Login");
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var result = await signIn.TwoFactorRecoveryCodeSignInAsync(RecoveryCode.Replace(" ", "", StringComparison.Ordinal));
        if (result.Succeeded)
        {
            await LoginModel.MarkSignedInAsync(users, user, time);
            var left = await users.CountRecoveryCodesAsync(user);
            audit.RecordFor(user.Id, user.UserName, user.OrganizationId, AuditActions.RecoveryCodeUsed, new { remaining = left });
            await audit.SaveAsync();
            TempData["Status"] = string.Format(l["RecoveryCodesLeft"], left);
            return LoginModel.AfterSignIn(this, ReturnUrl);
        }
        audit.RecordFor(user.Id, user.UserName, user.OrganizationId,
            result.IsLockedOut ? AuditActions.SignInLockedOut : AuditActions.SecondFactorFailed, new { method = "recovery_code" });
        await audit.SaveAsync();
        ModelState.AddModelError("", result.IsLockedOut ? l["LockedOut"] : l["RecoveryCodeInvalid"]);
        return Page();
    }
}
