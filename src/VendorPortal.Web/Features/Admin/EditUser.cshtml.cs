using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using VendorPortal.Features.Account;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.Admin;

/// <summary>Change a user's role, deactivate or reactivate them. Users of other organizations are 404 (query filter).</summary>
[Authorize(Policy = Policies.OrganizationAdmin)]
public sealed class EditUserModel(
    AppDbContext db, UserManager<AppUser> users, ITenantContext tenant, AuditLog audit, TimeProvider time, IStringLocalizer<SharedResource> l) : PageModel
{
    public AppUser Target { get; private set; } = null!;
    public string? CurrentRole { get; private set; }
    public IReadOnlyList<string> AvailableRoles => Roles.For(tenant.OrganizationKind!.Value);

    public async Task<IActionResult> OnGetAsync(Guid userId) => await LoadAsync(userId) ? Page() : NotFound();

    public async Task<IActionResult> OnPostRoleAsync(Guid userId, string? role)
    {
        if (!await LoadAsync(userId))
        {
            return NotFound();
        }
        if (role is null || !AvailableRoles.Contains(role))
        {
            ModelState.AddModelError("", l["ErrorRoleInvalid"]);
            return Page();
        }
        if (Target.Id == tenant.UserId)
        {
            ModelState.AddModelError("", l["CannotChangeOwnRole"]);
            return Page();
        }
        var old = await users.GetRolesAsync(Target);
        await using var tx = await db.Database.BeginTransactionAsync();
        await users.RemoveFromRolesAsync(Target, old);
        await users.AddToRoleAsync(Target, role);
        await users.UpdateSecurityStampAsync(Target); // the new role applies at the next request
        audit.Record(AuditActions.RoleChanged, "user", Target.Id.ToString(), new { from = old, to = role });
        await db.SaveChangesAsync();
        await tx.CommitAsync();
        TempData["Status"] = l["RoleChanged"].Value;
        return RedirectToPage(new { userId });
    }

    /// <summary>For a user who lost both their authenticator and recovery codes: they must enrol again at next sign-in.</summary>
    public async Task<IActionResult> OnPostResetMfaAsync(Guid userId)
    {
        if (!await LoadAsync(userId))
        {
            return NotFound();
        }
        if (Target.Id == tenant.UserId)
        {
            ModelState.AddModelError("", l["UseSecurityPageForSelf"]);
            return Page();
        }
        await users.SetTwoFactorEnabledAsync(Target, false);
        await users.ResetAuthenticatorKeyAsync(Target); // new security stamp: the user's sessions end
        await users.GenerateNewTwoFactorRecoveryCodesAsync(Target, 0);
        audit.Record(AuditActions.MfaReset, "user", Target.Id.ToString(), new { by = "admin" });
        await db.SaveChangesAsync();
        TempData["Status"] = l["UserMfaResetMsg"].Value;
        return RedirectToPage(new { userId });
    }

    public async Task<IActionResult> OnPostDeactivateAsync(Guid userId)
    {
        if (!await LoadAsync(userId))
        {
            return NotFound();
        }
        if (Target.Id == tenant.UserId)
        {
            ModelState.AddModelError("", l["CannotDeactivateSelf"]);
            return Page();
        }
        Target.IsActive = false;
        Target.DeactivatedAt = time.GetUtcNow();
        await users.UpdateSecurityStampAsync(Target); // ends the user's sessions
        audit.Record(AuditActions.UserDeactivated, "user", Target.Id.ToString(), new { reason = "admin" });
        await db.SaveChangesAsync();
        TempData["Status"] = l["UserDeactivatedMsg"].Value;
        return RedirectToPage(new { userId });
    }

    public async Task<IActionResult> OnPostReactivateAsync(Guid userId)
    {
        if (!await LoadAsync(userId))
        {
            return NotFound();
        }
        Target.IsActive = true;
        Target.DeactivatedAt = null;
        // Counts as use, or the daily sweep would deactivate the account again at once.
        Target.LastSignInAt = time.GetUtcNow();
        await users.UpdateAsync(Target);
        audit.Record(AuditActions.UserReactivated, "user", Target.Id.ToString());
        await db.SaveChangesAsync();
        TempData["Status"] = l["UserReactivatedMsg"].Value;
        return RedirectToPage(new { userId });
    }

    private async Task<bool> LoadAsync(Guid userId)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId && u.OrganizationId == tenant.OrganizationId);
        if (user is null)
        {
            return false;
        }
        Target = user;
        CurrentRole = (await users.GetRolesAsync(user)).FirstOrDefault();
        return true;
    }
}
