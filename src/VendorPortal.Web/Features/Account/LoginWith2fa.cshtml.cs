using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.Infrastructure.Localization;

namespace VendorPortal.Features.Account;

/// <summary>Second step of sign-in: a 6-digit code from the authenticator app (RFC 6238, Identity's own).</summary>
[AllowAnonymous]
public sealed class LoginWith2faModel(
    PortalSignInManager signIn,
    UserManager<AppUser> users,
    AuditLog audit,
    TimeProvider time,
    IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty][Required(ErrorMessage = "Required")][Display(Name = "AuthenticatorCode")]
    public string Code { get; set; } = "";
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
        var code = Code.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        var result = await signIn.TwoFactorAuthenticatorSignInAsync(code, isPersistent: false, rememberClient: false);
        if (result.Succeeded)
        {
            await LoginModel.MarkSignedInAsync(users, user, time);
            audit.RecordFor(user.Id, user.UserName, user.OrganizationId, AuditActions.SignIn, new { step = "second_factor_ok", method = "totp" });
            await audit.SaveAsync();
            return LoginModel.AfterSignIn(this, ReturnUrl);
        }
        audit.RecordFor(user.Id, user.UserName, user.OrganizationId,
            result.IsLockedOut ? AuditActions.SignInLockedOut : AuditActions.SecondFactorFailed, new { method = "totp" });
        await audit.SaveAsync();
        ModelState.AddModelError("", result.IsLockedOut ? l["LockedOut"] : l["CodeInvalid"]);
        return Page();
    }
}
