using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Email;
using VendorPortal.Infrastructure.Localization;

namespace VendorPortal.Features.Account;

public sealed class AccountOptions
{
    /// <summary>Accounts not used for this many days are deactivated (the MHLW checklist: remove unused accounts).</summary>
    public int DeactivateAfterDays { get; set; } = 90;
    public int InvitationLifetimeHours { get; set; } = 72;
    public int IdleTimeoutMinutes { get; set; } = 30;
    /// <summary>How often a session re-checks its security stamp (sign out everywhere, password change).</summary>
    public int SecurityStampValidationMinutes { get; set; } = 1;
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:5080";
}

/// <summary>
/// The daily sweep: deactivates accounts idle for longer than the policy, ends their sessions
/// (new security stamp) and tells each organization's administrators. Runs as a system job.
/// </summary>
public sealed class UnusedAccountDeactivation(
    AppDbContext db,
    UserManager<AppUser> users,
    AuditLog audit,
    IEmailSender email,
    IOptions<AccountOptions> options,
    IStringLocalizer<SharedResource> l,
    TimeProvider time,
    ILogger<UnusedAccountDeactivation> logger)
{
    public async Task<int> RunAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var cutoff = now.AddDays(-options.Value.DeactivateAfterDays);
        var idle = await db.Users.IgnoreQueryFilters()
            .Where(u => u.IsActive && (u.LastSignInAt ?? u.CreatedAt) < cutoff)
            .OrderBy(u => u.Id)
            .ToListAsync(ct);
        foreach (var user in idle)
        {
            user.IsActive = false;
            user.DeactivatedAt = now;
            await users.UpdateSecurityStampAsync(user);
            audit.RecordFor(user.Id, user.UserName, user.OrganizationId, AuditActions.UserDeactivated,
                new { reason = "unused", lastSignInAt = user.LastSignInAt, days = options.Value.DeactivateAfterDays });
        }
        await db.SaveChangesAsync(ct);

        foreach (var group in idle.GroupBy(u => u.OrganizationId))
        {
            var adminRoleIds = await db.Roles.Where(r => r.Name == Roles.TenantAdmin || r.Name == Roles.VendorAdmin)
                .Select(r => r.Id).ToListAsync(ct);
            var admins = await db.Users.IgnoreQueryFilters()
                .Where(u => u.OrganizationId == group.Key && u.IsActive && u.Email != null
                    && db.UserRoles.Any(ur => ur.UserId == u.Id && adminRoleIds.Contains(ur.RoleId)))
                .Select(u => u.Email!).ToListAsync(ct);
            var names = string.Join("\n", group.Select(u => $"- {u.DisplayName} <{u.Email}>"));
            foreach (var to in admins)
            {
                await email.SendAsync(new EmailMessage(to, l["MailDeactivatedSubject"], string.Format(l["MailDeactivatedBody"], options.Value.DeactivateAfterDays, names)), ct);
            }
        }
        if (idle.Count > 0)
        {
            logger.LogInformation("Deactivated {Count} unused accounts", idle.Count);
        }
        return idle.Count;
    }
}
