using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.Infrastructure.Localization;

namespace VendorPortal.Features.Account;

/// <summary>The user's own sign-in security: recovery codes, authenticator reset, password, sessions.</summary>
public sealed class SecurityModel(
    UserManager<AppUser> users,
    PortalSignInManager signIn,
    AuditLog audit,
    AppDbContext db,
    TimeProvider time,
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

    public async Task<IActionResult> OnPostRegenerateCodesAsync(string? password)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return NotFound();
        }
        if (!await ConfirmPasswordAsync(user, password))
        {
            return await OnGetAsync();
        }
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, EnableAuthenticatorModel.RecoveryCodeCount))!.ToArray();
        audit.Record(AuditActions.RecoveryCodesGenerated, "user", user.Id.ToString(), new { count = codes.Length });
        await audit.SaveAsync();
        TempData[ShowRecoveryCodesModel.TempDataKey] = string.Join(" ", codes);
        return RedirectToPage("/Account/ShowRecoveryCodes");
    }

    public async Task<IActionResult> OnPostResetAuthenticatorAsync(string? password)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return NotFound();
        }
        if (!await ConfirmPasswordAsync(user, password))
        {
            return await OnGetAsync();
        }
        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user); // also renews the security stamp: other sessions end
        audit.Record(AuditActions.MfaReset, "user", user.Id.ToString());
        await audit.SaveAsync();
        // This session drops back to password-only and must enrol the new key before anything else.
        await signIn.SignInAsync(user, isPersistent: false);
        return RedirectToPage("/Account/EnableAuthenticator");
    }

    /// <summary>Sensitive changes ask for the password again (a left-open session is not enough); wrong tries count towards lockout.</summary>
    private async Task<bool> ConfirmPasswordAsync(AppUser user, string? password)
    {
        if (!string.IsNullOrEmpty(password) && await users.CheckPasswordAsync(user, password))
        {
            return true;
        }
        await users.AccessFailedAsync(user);
        ModelState.AddModelError("", l["CurrentPasswordWrong"]);
        return false;
    }

    public async Task<IActionResult> OnPostSignOutEverywhereAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return NotFound();
        }
        await users.UpdateSecurityStampAsync(user);
        // Keys are sessions too: signing out everywhere revokes them.
        var now = time.GetUtcNow();
        var keys = await db.ApiKeys.Where(k => k.UserId == user.Id && k.RevokedAt == null).ToListAsync();
        keys.ForEach(k => k.RevokedAt = now);
        audit.Record(AuditActions.SignOutEverywhere, "user", user.Id.ToString(), new { apiKeysRevoked = keys.Count });
        await audit.SaveAsync();
        await signIn.SignOutAsync();
        TempData["Status"] = l["SignedOutEverywhere"].Value;
        return RedirectToPage("/Account/Login");
    }
}
