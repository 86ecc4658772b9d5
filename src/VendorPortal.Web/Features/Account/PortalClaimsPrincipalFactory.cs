using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.Account;

/// <summary>Puts the user's organization and its kind into the principal, where the tenant context reads them.</summary>
public sealed class PortalClaimsPrincipalFactory(
    UserManager<AppUser> users,
    RoleManager<AppRole> roles,
    IOptions<IdentityOptions> options,
    AppDbContext db)
    : UserClaimsPrincipalFactory<AppUser, AppRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        var kind = await db.Organizations.IgnoreQueryFilters()
            .Where(o => o.Id == user.OrganizationId).Select(o => o.Kind).SingleAsync();
        identity.AddClaim(new Claim(PortalClaims.OrganizationId, user.OrganizationId.ToString()));
        identity.AddClaim(new Claim(PortalClaims.OrganizationKind, kind.ToString()));
        identity.AddClaim(new Claim(PortalClaims.DisplayName, user.DisplayName));
        return identity;
    }
}

/// <summary>Deactivated accounts cannot sign in, by password, code or API key.</summary>
public sealed class PortalSignInManager(
    UserManager<AppUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<AppUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<AppUser>> logger,
    Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider schemes,
    IUserConfirmation<AppUser> confirmation)
    : SignInManager<AppUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(AppUser user) => user.IsActive && await base.CanSignInAsync(user);

    /// <summary>Signs in after a proven second factor, marking the session "amr=mfa".</summary>
    public Task SignInWithSecondFactorAsync(AppUser user)
        => SignInWithClaimsAsync(user, isPersistent: false, [new Claim(PortalClaims.Amr, "mfa")]);
}
