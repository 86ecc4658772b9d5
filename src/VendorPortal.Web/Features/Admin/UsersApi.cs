using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Account;
using VendorPortal.Infrastructure.Api;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.Admin;

public sealed record UserDto(Guid Id, string Email, string DisplayName, string[] Roles, bool IsActive, DateTimeOffset? LastSignInAt, bool TwoFactorEnabled);
public sealed record InviteRequest(string? Email, string? Role);
public sealed record InvitationDto(Guid Id, string Email, string Role, DateTimeOffset ExpiresAt);

/// <summary>The organization's users and invitations, for its administrators.</summary>
public static class UsersApi
{
    public static void Map(RouteGroupBuilder v1)
    {
        var g = v1.MapGroup("").WithTags("Users").RequireAuthorization(Policies.OrganizationAdmin);
        g.MapGet("/users", async (UserDirectory directory) => await directory.ListAsync()).WithName("ListUsers");
        g.MapPost("/invitations", async (InviteRequest request, ITenantContext tenant, Invitations invitations) =>
        {
            var result = await invitations.InviteAsync(tenant.OrganizationId!.Value, request.Email ?? "", request.Role ?? "", tenant.UserId!.Value);
            return result.Succeeded
                ? Results.Created($"/api/v1/invitations/{result.Invitation!.Id}", new InvitationDto(result.Invitation.Id, result.Invitation.Email, result.Invitation.Role, result.Invitation.ExpiresAt))
                : ApiResults.Invalid("invitation", result.Error!);
        }).WithName("InviteUser");
    }
}

/// <summary>Lists users of the caller's organization (the users query filter scopes it).</summary>
public sealed class UserDirectory(AppDbContext db, ITenantContext tenant)
{
    public async Task<List<UserDto>> ListAsync()
    {
        var users = await db.Users.Where(u => u.OrganizationId == tenant.OrganizationId).OrderBy(u => u.DisplayName).ToListAsync();
        var ids = users.Select(u => u.Id).ToList();
        var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ids.Contains(ur.UserId) select new { ur.UserId, r.Name }).ToListAsync();
        var byUser = roles.ToLookup(r => r.UserId, r => r.Name!);
        return users.Select(u => new UserDto(u.Id, u.Email!, u.DisplayName, [.. byUser[u.Id]], u.IsActive, u.LastSignInAt, u.TwoFactorEnabled)).ToList();
    }
}
