using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.Infrastructure.Localization;

namespace VendorPortal.Features.Account;

[AllowAnonymous]
public sealed class LoginModel(
    PortalSignInManager signIn,
    UserManager<AppUser> users,
    AuditLog audit,
    IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty] public InputModel Input { get; set; } = new();
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Required")][EmailAddress(ErrorMessage = "ErrorEmailInvalid")][Display(Name = "Email")]
        public string Email { get; set; } = "";
        [Required(ErrorMessage = "Required")][Display(Name = "Password")]
        public string Password { get; set; } = "";
    }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var user = await users.FindByEmailAsync(Input.Email.Trim());
        var result = user is null
            ? Microsoft.AspNetCore.Identity.SignInResult.Failed
            : await signIn.PasswordSignInAsync(user, Input.Password, isPersistent: false, lockoutOnFailure: true);

        if (result.Succeeded || result.RequiresTwoFactor)
        {
            audit.RecordFor(user!.Id, user.UserName, user.OrganizationId, AuditActions.SignIn,
                new { step = result.RequiresTwoFactor ? "password_ok_second_factor_next" : "password_ok_enrolment_next" });
            await audit.SaveAsync();
            // No authenticator yet: the session is password-only and can reach enrolment and sign-out only.
            return result.RequiresTwoFactor
                ? RedirectToPage("/Account/LoginWith2fa", new { ReturnUrl })
                : RedirectToPage("/Account/EnableAuthenticator");
        }
        audit.RecordFor(user?.Id, user?.UserName ?? Input.Email.Trim(), user?.OrganizationId,
            result.IsLockedOut ? AuditActions.SignInLockedOut : AuditActions.SignInFailed,
            new { reason = result.IsLockedOut ? "locked_out" : result.IsNotAllowed ? "not_allowed" : "bad_credentials" });
        await audit.SaveAsync();
        // One message for unknown e-mail and wrong password: do not reveal which accounts exist.
        ModelState.AddModelError("", result.IsLockedOut ? l["LockedOut"] : l["SignInFailed"]);
        return Page();
    }

    internal static IActionResult AfterSignIn(PageModel page, string? returnUrl)
        => !string.IsNullOrEmpty(returnUrl) && page.Url.IsLocalUrl(returnUrl) ? new LocalRedirectResult(returnUrl) : new RedirectResult("/");

    internal static async Task MarkSignedInAsync(UserManager<AppUser> users, AppUser user, TimeProvider time)
    {
        user.LastSignInAt = time.GetUtcNow();
        await users.UpdateAsync(user);
    }
}
