using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VendorPortal.Features.Account;
using VendorPortal.IntegrationTests.Support;

namespace VendorPortal.IntegrationTests.Account;

public sealed class SignInTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task New_user_must_enrol_an_authenticator_and_gets_ten_recovery_codes()
    {
        var tenants = await factory.Tenants.CreateAsync(enrolled: false);
        var user = tenants[Roles.VendorMember];
        using var client = factory.CreatePortalClient();
        await client.SignInAsync(user);

        // Password-only: the dashboard sends them to enrolment.
        var dashboard = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
        Assert.Equal("/Account/EnableAuthenticator", dashboard.Headers.Location!.OriginalString);

        var page = await client.GetDocumentAsync("/Account/EnableAuthenticator");
        var img = page.QuerySelector("img.qr") as IHtmlImageElement;
        Assert.StartsWith("data:image/png;base64,", img!.Source);
        var key = page.QuerySelector("#shared-key")!.GetAttribute("data-key")!;

        var wrong = await client.PostFormAsync("/Account/EnableAuthenticator", new Dictionary<string, string> { ["Code"] = "000000" });
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("認証コードが正しくありません", await wrong.Content.ReadAsStringAsync());

        var ok = await client.PostFormAsync("/Account/EnableAuthenticator", new Dictionary<string, string> { ["Code"] = Totp.Code(key) });
        Assert.Equal("/Account/ShowRecoveryCodes", ok.Headers.Location!.OriginalString);
        var codesPage = await client.GetDocumentAsync("/Account/ShowRecoveryCodes");
        Assert.Equal(10, codesPage.QuerySelectorAll("#recovery-codes li").Length);

        // Shown once only.
        var again = await client.GetAsync("/Account/ShowRecoveryCodes");
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);

        var home = await client.GetDocumentAsync("/");
        Assert.Contains(tenants.Hospital.Name, home.Body!.TextContent);
    }

    [Fact]
    public async Task Recovery_code_signs_in_once()
    {
        var tenants = await factory.Tenants.CreateAsync();
        var user = tenants[Roles.SecurityManager];
        var codes = await factory.WithDbAsync(async (db, sp) =>
        {
            var users = sp.GetRequiredService<UserManager<AppUser>>();
            var u = await users.FindByIdAsync(user.Id.ToString());
            return (await users.GenerateNewTwoFactorRecoveryCodesAsync(u!, 10))!.ToArray();
        });

        using var client = factory.CreatePortalClient();
        await SignInWithRecoveryCode(client, user, codes[0], expectSuccess: true);
        await client.PostFormAsync("/Account/Logout", new Dictionary<string, string>(), "/Account/Security");

        using var second = factory.CreatePortalClient();
        await SignInWithRecoveryCode(second, user, codes[0], expectSuccess: false);
        var stored = await factory.WithDbAsync(async (db, _) => await db.UserTokens.Where(t => t.UserId == user.Id && t.Name == "RecoveryCodes").Select(t => t.Value).SingleAsync());
        Assert.DoesNotContain(codes[1], stored!); // hashed at rest, never the plain code
    }

    private static async Task SignInWithRecoveryCode(PortalClient client, TestUser user, string code, bool expectSuccess)
    {
        var login = await client.PostFormAsync("/Account/Login", new Dictionary<string, string> { ["Input.Email"] = user.Email, ["Input.Password"] = user.Password });
        Assert.StartsWith("/Account/LoginWith2fa", login.Headers.Location!.OriginalString);
        var result = await client.PostFormAsync("/Account/LoginWithRecoveryCode", new Dictionary<string, string> { ["RecoveryCode"] = code });
        if (expectSuccess)
        {
            Assert.Equal(HttpStatusCode.Redirect, result.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
        }
        else
        {
            Assert.Equal(HttpStatusCode.OK, result.StatusCode);
            Assert.Contains("既に使用されています", await result.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_for_fifteen_minutes()
    {
        var tenants = await factory.Tenants.CreateAsync();
        var user = tenants[Roles.Auditor];
        using var client = factory.CreatePortalClient();
        for (var i = 0; i < 5; i++)
        {
            var r = await client.PostFormAsync("/Account/Login", new Dictionary<string, string> { ["Input.Email"] = user.Email, ["Input.Password"] = "wrong-password-123" });
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }
        var locked = await client.PostFormAsync("/Account/Login", new Dictionary<string, string> { ["Input.Email"] = user.Email, ["Input.Password"] = user.Password });
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        Assert.Contains("ロック", await locked.Content.ReadAsStringAsync());
        var end = await factory.WithDbAsync(async (db, _) => (await db.Users.SingleAsync(u => u.Id == user.Id)).LockoutEnd);
        Assert.InRange(end!.Value - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15.1));
    }

    [Fact]
    public async Task Five_wrong_codes_lock_the_account()
    {
        var tenants = await factory.Tenants.CreateAsync();
        var user = tenants[Roles.Executive];
        using var client = factory.CreatePortalClient();
        var login = await client.PostFormAsync("/Account/Login", new Dictionary<string, string> { ["Input.Email"] = user.Email, ["Input.Password"] = user.Password });
        Assert.StartsWith("/Account/LoginWith2fa", login.Headers.Location!.OriginalString);
        for (var i = 0; i < 5; i++)
        {
            await client.PostFormAsync("/Account/LoginWith2fa", new Dictionary<string, string> { ["Code"] = "123456" == Totp.Code(user.AuthenticatorKey!) ? "654321" : "123456" });
        }
        var r = await client.PostFormAsync("/Account/LoginWith2fa", new Dictionary<string, string> { ["Code"] = Totp.Code(user.AuthenticatorKey!) });
        Assert.NotEqual(HttpStatusCode.Redirect, r.StatusCode);
        Assert.True(await factory.WithDbAsync(async (db, _) => (await db.Users.SingleAsync(u => u.Id == user.Id)).LockoutEnd > DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task Unknown_email_and_wrong_password_give_the_same_message()
    {
        using var client = factory.CreatePortalClient();
        var r = await client.PostFormAsync("/Account/Login", new Dictionary<string, string> { ["Input.Email"] = "nobody@nowhere.test", ["Input.Password"] = "whatever-password" });
        Assert.Contains("メールアドレスまたはパスワードが正しくありません", await r.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Sign_out_everywhere_ends_other_sessions()
    {
        var tenants = await factory.Tenants.CreateAsync();
        var user = tenants[Roles.TenantAdmin];
        using var first = factory.CreatePortalClient();
        using var second = factory.CreatePortalClient();
        await first.SignInAsync(user);
        // A new code step for the second session (Identity may refuse a code already used).
        await Task.Delay(0);
        await SignInAgain(second, user);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/")).StatusCode);

        var r = await first.PostFormAsync("/Account/Security?handler=SignOutEverywhere", new Dictionary<string, string>(), "/Account/Security");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var after = await second.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/Account/Login", after.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task Changing_the_password_ends_other_sessions_but_keeps_this_one()
    {
        var tenants = await factory.Tenants.CreateAsync();
        var user = tenants[Roles.PlanningManager];
        using var first = factory.CreatePortalClient();
        using var second = factory.CreatePortalClient();
        await first.SignInAsync(user);
        await SignInAgain(second, user);

        var weak = await first.PostFormAsync("/Account/ChangePassword", new Dictionary<string, string>
        {
            ["Input.CurrentPassword"] = user.Password, ["Input.NewPassword"] = "password1", ["Input.ConfirmPassword"] = "password1",
        });
        Assert.Equal(HttpStatusCode.OK, weak.StatusCode);
        Assert.Contains("漏えい済み", await weak.Content.ReadAsStringAsync());

        var r = await first.PostFormAsync("/Account/ChangePassword", new Dictionary<string, string>
        {
            ["Input.CurrentPassword"] = user.Password, ["Input.NewPassword"] = "Another-Long-Passphrase-42", ["Input.ConfirmPassword"] = "Another-Long-Passphrase-42",
        });
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await second.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Deactivated_user_cannot_sign_in()
    {
        var tenants = await factory.Tenants.CreateAsync();
        var user = tenants[Roles.VendorMember];
        await factory.WithDbAsync(async (db, _) =>
        {
            var u = await db.Users.SingleAsync(x => x.Id == user.Id);
            u.IsActive = false;
            await db.SaveChangesAsync();
        });
        using var client = factory.CreatePortalClient();
        var r = await client.PostFormAsync("/Account/Login", new Dictionary<string, string> { ["Input.Email"] = user.Email, ["Input.Password"] = user.Password });
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
    }

    /// <summary>Signs in a second session with the next time step's code (still inside Identity's window).</summary>
    private static async Task SignInAgain(PortalClient client, TestUser user)
    {
        var login = await client.PostFormAsync("/Account/Login", new Dictionary<string, string> { ["Input.Email"] = user.Email, ["Input.Password"] = user.Password });
        Assert.StartsWith("/Account/LoginWith2fa", login.Headers.Location!.OriginalString);
        var r = await client.PostFormAsync("/Account/LoginWith2fa", new Dictionary<string, string> { ["Code"] = Totp.Code(user.AuthenticatorKey!, stepOffset: 1) });
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
    }
}
