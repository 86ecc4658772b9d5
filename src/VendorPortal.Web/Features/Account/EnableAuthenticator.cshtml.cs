using System.ComponentModel.DataAnnotations;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using QRCoder;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Localization;

namespace VendorPortal.Features.Account;

/// <summary>
/// Authenticator enrolment, mandatory for every account: QR code and the key as text, then a code to
/// confirm. Success enables 2FA, issues 10 recovery codes and upgrades the session to "amr=mfa".
/// </summary>
[Authorize(Policy = Policies.PasswordOnly)]
public sealed class EnableAuthenticatorModel(
    UserManager<AppUser> users,
    PortalSignInManager signIn,
    AuditLog audit,
    TimeProvider time,
    IStringLocalizer<SharedResource> l) : PageModel
{
    public const int RecoveryCodeCount = 10;

    public string SharedKey { get; private set; } = "";
    public string FormattedKey { get; private set; } = "";
    public string QrCodeDataUri { get; private set; } = "";
    public bool Required { get; private set; }

    [BindProperty][Required(ErrorMessage = "Required")][Display(Name = "AuthenticatorCode")]
    public string Code { get; set; } = "";

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return RedirectToPage("/Account/Login");
        }
        if (user.TwoFactorEnabled && PortalAuthorizationHandler.HasCompletedSecondFactor(User))
        {
            return RedirectToPage("/Account/Security");
        }
        await LoadKeyAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return RedirectToPage("/Account/Login");
        }
        if (user.TwoFactorEnabled && PortalAuthorizationHandler.HasCompletedSecondFactor(User))
        {
            return RedirectToPage("/Account/Security");
        }
        if (!ModelState.IsValid)
        {
            await LoadKeyAsync(user);
            return Page();
        }
        var code = Code.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        var valid = await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code);
        if (!valid)
        {
            // Wrong codes count towards lockout like wrong passwords.
            await users.AccessFailedAsync(user);
            audit.RecordFor(user.Id, user.UserName, user.OrganizationId, AuditActions.SecondFactorFailed, new { method = "totp", during = "enrolment" });
            await audit.SaveAsync();
            if (await users.IsLockedOutAsync(user))
            {
                await signIn.SignOutAsync();
                TempData["Status"] = l["LockedOut"].Value;
                return RedirectToPage("/Account/Login");
            }
            ModelState.AddModelError(nameof(Code), l["CodeInvalid"]);
            await LoadKeyAsync(user);
            return Page();
        }

        await users.SetTwoFactorEnabledAsync(user, true);
        await users.ResetAccessFailedCountAsync(user);
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))!.ToArray();
        user.LastSignInAt = time.GetUtcNow();
        await users.UpdateAsync(user);
        audit.RecordFor(user.Id, user.UserName, user.OrganizationId, AuditActions.MfaEnabled, new { method = "totp" });
        audit.RecordFor(user.Id, user.UserName, user.OrganizationId, AuditActions.RecoveryCodesGenerated, new { count = codes.Length });
        await audit.SaveAsync();
        await signIn.SignInWithSecondFactorAsync(user);
        TempData[ShowRecoveryCodesModel.TempDataKey] = string.Join(" ", codes);
        return RedirectToPage("/Account/ShowRecoveryCodes");
    }

    private async Task LoadKeyAsync(AppUser user)
    {
        Required = !PortalAuthorizationHandler.HasCompletedSecondFactor(User);
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user);
            // Resetting the key renews the security stamp; keep this (password-only) session valid.
            await signIn.RefreshSignInAsync(user);
        }
        SharedKey = key!;
        FormattedKey = FormatKey(key!);
        var uri = AuthenticatorUri(user.Email!, key!);
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.Q);
        var png = new PngByteQRCode(data).GetGraphic(5);
        QrCodeDataUri = "data:image/png;base64," + Convert.ToBase64String(png);
    }

    public static string AuthenticatorUri(string email, string key)
        => $"otpauth://totp/{Uri.EscapeDataString("VendorPortal")}:{Uri.EscapeDataString(email)}?secret={key}&issuer={Uri.EscapeDataString("VendorPortal")}&digits=6";

    public static string FormatKey(string key)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            sb.Append(key.AsSpan(i, Math.Min(4, key.Length - i))).Append(' ');
        }
        return sb.ToString().TrimEnd().ToLowerInvariant();
    }
}
