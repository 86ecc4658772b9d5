using Microsoft.AspNetCore.Identity;
using VendorPortal.Features.Account;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Security;
using VendorPortal.UnitTests.TestDoubles;

namespace VendorPortal.UnitTests.Infrastructure.Security;

public sealed class PortalPasswordValidatorTests
{
    private static readonly PortalPasswordValidator<AppUser> Validator =
        new(new CommonPasswordList(), new KeyLocalizer<SharedResource>());

    private static async Task<IdentityResult> Validate(string? password)
        => await Validator.ValidateAsync(null!, new AppUser(), password);

    [Fact]
    public async Task A_strong_uncommon_password_passes()
    {
        var result = await Validate("Demo-Portal-2026!");

        Assert.True(result.Succeeded);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public async Task A_weak_password_fails_the_policy()
    {
        var result = await Validate("zqxjkvbn");

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Equal("PasswordPolicy", error.Code);
        Assert.Equal("PasswordPolicy", error.Description);
    }

    [Fact]
    public async Task A_strong_but_common_password_is_rejected_as_common()
    {
        var result = await Validate("Password1!");

        var error = Assert.Single(result.Errors);
        Assert.Equal("PasswordCommon", error.Code);
        Assert.Equal("PasswordCommon", error.Description);
    }

    [Fact]
    public async Task A_weak_and_common_password_reports_both()
    {
        var result = await Validate("password");

        Assert.Equal(["PasswordPolicy", "PasswordCommon"], result.Errors.Select(e => e.Code));
    }

    [Fact]
    public async Task No_password_fails_the_policy()
    {
        var result = await Validate(null);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Code == "PasswordPolicy");
    }
}
