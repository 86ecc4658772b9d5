using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using VendorPortal.Features.Organizations;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Email;
using VendorPortal.Infrastructure.Localization;

namespace VendorPortal.Features.Account;

public sealed record InvitationResult(bool Succeeded, string? Error, Invitation? Invitation = null)
{
    public static InvitationResult Fail(string error) => new(false, error);
}

/// <summary>Invite a user by e-mail into an organization with a role; accept the link once, before it expires.</summary>
public sealed class Invitations(
    AppDbContext db,
    UserManager<AppUser> users,
    AuditLog audit,
    IEmailSender email,
    IOptions<AccountOptions> options,
    IStringLocalizer<SharedResource> l,
    TimeProvider time)
{
    public static string HashToken(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Invites into <paramref name="organizationId"/>; the caller's authorization decides who may call this for which organization.</summary>
    public async Task<InvitationResult> InviteAsync(Guid organizationId, string emailAddress, string role, Guid invitedBy, CancellationToken ct = default)
    {
        emailAddress = emailAddress.Trim();
        var org = await db.Organizations.SingleOrDefaultAsync(o => o.Id == organizationId, ct);
        if (org is null)
        {
            return InvitationResult.Fail(l["ErrorNotFound"]);
        }
        if (!new System.ComponentModel.DataAnnotations.EmailAddressAttribute().IsValid(emailAddress))
        {
            return InvitationResult.Fail(l["ErrorEmailInvalid"]);
        }
        if (!Roles.IsValidFor(org.Kind, role))
        {
            return InvitationResult.Fail(l["ErrorRoleInvalid"]);
        }
        if (await db.Users.IgnoreQueryFilters().AnyAsync(u => u.NormalizedEmail == emailAddress.ToUpperInvariant(), ct))
        {
            return InvitationResult.Fail(l["ErrorEmailTaken"]);
        }
        var now = time.GetUtcNow();
        // A new invitation replaces any open one for the same address.
        var open = await db.Invitations.Where(i => i.OrganizationId == organizationId && i.Email == emailAddress
            && i.AcceptedAt == null && i.RevokedAt == null).ToListAsync(ct);
        open.ForEach(i => i.RevokedAt = now);

        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var invitation = new Invitation
        {
            Id = Guid.NewGuid(),
            OrganizationId = organizationId,
            Email = emailAddress,
            Role = role,
            TokenHash = HashToken(token),
            CreatedAt = now,
            ExpiresAt = now.AddHours(options.Value.InvitationLifetimeHours),
            InvitedByUserId = invitedBy,
        };
        db.Invitations.Add(invitation);
        audit.Record(AuditActions.InvitationSent, "invitation", invitation.Id.ToString(),
            new { email = emailAddress, role, expiresAt = invitation.ExpiresAt }, organizationId);
        await db.SaveChangesAsync(ct);

        var link = $"{options.Value.PublicBaseUrl.TrimEnd('/')}/Account/AcceptInvitation?token={token}";
        await email.SendAsync(new EmailMessage(emailAddress, string.Format(l["MailInviteSubject"], org.Name),
            string.Format(l["MailInviteBody"], org.Name, l["Role_" + role], link, options.Value.InvitationLifetimeHours)), ct);
        return new InvitationResult(true, null, invitation);
    }

    public async Task<(Invitation Invitation, Organization Organization)?> FindUsableAsync(string? token, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 100)
        {
            return null;
        }
        var hash = HashToken(token);
        var invitation = await db.Invitations.IgnoreQueryFilters().SingleOrDefaultAsync(i => i.TokenHash == hash, ct);
        if (invitation is null || !invitation.IsUsable(time.GetUtcNow()))
        {
            return null;
        }
        var org = await db.Organizations.IgnoreQueryFilters().SingleAsync(o => o.Id == invitation.OrganizationId, ct);
        return (invitation, org);
    }

    /// <summary>Creates the account. All or nothing: a refused password leaves the invitation usable.</summary>
    public async Task<(AppUser? User, IEnumerable<string> Errors)> AcceptAsync(string token, string displayName, string password, CancellationToken ct = default)
    {
        var found = await FindUsableAsync(token, ct);
        if (found is null)
        {
            return (null, [l["InvitationInvalid"]]);
        }
        var (invitation, org) = found.Value;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var user = new AppUser
        {
            Id = Guid.NewGuid(),
            UserName = invitation.Email,
            Email = invitation.Email,
            EmailConfirmed = true,
            DisplayName = displayName.Trim(),
            OrganizationId = org.Id,
            CreatedAt = time.GetUtcNow(),
            LockoutEnabled = true,
        };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            await tx.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return (null, created.Errors.Select(e => e.Description));
        }
        await users.AddToRoleAsync(user, invitation.Role);
        invitation.AcceptedAt = time.GetUtcNow();
        invitation.AcceptedUserId = user.Id;
        audit.RecordFor(user.Id, user.UserName, org.Id, AuditActions.InvitationAccepted, new { invitationId = invitation.Id, invitation.Role });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (user, []);
    }
}
