using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.Infrastructure.Localization;

namespace VendorPortal.Features.Account;

/// <summary>The user's own sign-in security: recovery codes, authenticator reset, password, sessions.</summary>
public sealed class SecurityModel(
    UserManager<AppUser> users,
    PortalSignInManager signIn,
    AuditLog audit,
    IStringLocalizer<SharedResource> l) : PageModel
{
    public string Email { get; private set; } = "";
    public int RecoveryCodesLeft { get; private set; }
    public DateTimeOffset? LastSignInAt { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return NotFound();
        }
        Email = user.Email!;
        RecoveryCodesLeft = await users.CountRecoveryCodesAsync(user);
        LastSignInAt = user.LastSignInAt;
        return Page();
    }

    public async Task<IActionResult> OnPostRegenerateCodesAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return NotFound();
        }
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, EnableAuthenticatorModel.RecoveryCodeCount))!.ToArray();
        audit.Record(AuditActions.RecoveryCodesGenerated, "user", user.Id.ToString(), new { count = codes.Length });
        await audit.SaveAsync();
        TempData[ShowRecoveryCodesModel.TempDataKey] = string.Join(" ", codes);
        return RedirectToPage("/Account/ShowRecoveryCodes");
    }

    public async Task<IActionResult> OnPostResetAuthenticatorAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return NotFound();
        }
        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user); // also renews the security stamp: other sessions end
        audit.Record(AuditActions.MfaReset, "user", user.Id.ToString());
        await audit.SaveAsync();
        // This session drops back to password-only and must enrol the new key before anything else.
        await signIn.SignInAsync(user, isPersistent: false);
        return RedirectToPage("/Account/EnableAuthenticator");
    }

    public async Task<IActionResult> OnPostSignOutEverywhereAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return NotFound();
        }
        await users.UpdateSecurityStampAsync(user);
        audit.Record(AuditActions.SignOutEverywhere, "user", user.Id.ToString());
        await audit.SaveAsync();
        await signIn.SignOutAsync();
        TempData["Status"] = l["SignedOutEverywhere"].Value;
        return RedirectToPage("/Account/Login");
    }
}
