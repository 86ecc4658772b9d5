using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Account;
using VendorPortal.Features.ApiKeys;
using VendorPortal.IntegrationTests.Support;

namespace VendorPortal.IntegrationTests.Account;

public sealed class AccountRecoveryTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Admin_resets_the_second_factor_of_a_user_who_lost_it_and_they_must_enrol_again()
    {
        var tenants = await factory.Tenants.CreateAsync();
        var lost = tenants[Roles.SystemOperator];
        using var victimSession = factory.CreatePortalClient();
        await victimSession.SignInAsync(lost);

        using var admin = factory.CreatePortalClient();
        await admin.SignInAsync(tenants[Roles.TenantAdmin]);
        var r = await admin.PostFormAsync($"/Admin/Users/{lost.Id}?handler=ResetMfa", new Dictionary<string, string>(), $"/Admin/Users/{lost.Id}");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await victimSession.GetAsync("/")).StatusCode); // old session ended
        using var again = factory.CreatePortalClient();
        await again.SignInAsync(lost with { AuthenticatorKey = null }); // password only → enrolment
        var user = await factory.WithDbAsync(async (db, _) => await db.Users.SingleAsync(u => u.Id == lost.Id));
        Assert.False(user.TwoFactorEnabled);
    }

    [Fact]
    public async Task Resetting_the_authenticator_and_new_recovery_codes_need_the_password_again()
    {
        var tenants = await factory.Tenants.CreateAsync();
        var user = tenants[Roles.SecurityManager];
        using var client = factory.CreatePortalClient();
        await client.SignInAsync(user);
        var wrong = await client.PostFormAsync("/Account/Security?handler=ResetAuthenticator", new Dictionary<string, string> { ["password"] = "guess" }, "/Account/Security");
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("現在のパスワードが正しくありません", await wrong.Content.ReadAsStringAsync());
        Assert.True(await factory.WithDbAsync(async (db, _) => (await db.Users.SingleAsync(u => u.Id == user.Id)).TwoFactorEnabled));

        var codes = await client.PostFormAsync("/Account/Security?handler=RegenerateCodes", new Dictionary<string, string> { ["password"] = user.Password }, "/Account/Security");
        Assert.Equal("/Account/ShowRecoveryCodes", codes.Headers.Location!.OriginalString);

        var reset = await client.PostFormAsync("/Account/Security?handler=ResetAuthenticator", new Dictionary<string, string> { ["password"] = user.Password }, "/Account/Security");
        Assert.Equal("/Account/EnableAuthenticator", reset.Headers.Location!.OriginalString);
        Assert.Equal("/Account/EnableAuthenticator", (await client.GetAsync("/")).Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Signing_out_everywhere_revokes_the_users_api_keys()
    {
        var tenants = await factory.Tenants.CreateAsync();
        using var client = factory.CreatePortalClient();
        await client.SignInAsync(tenants[Roles.VendorAdmin]);
        var created = await (await client.SendJsonAsync(HttpMethod.Post, "/api/v1/api-keys", new { name = "ci" })).Content.ReadFromJsonAsync<CreatedApiKeyDto>();
        await client.PostFormAsync("/Account/Security?handler=SignOutEverywhere", new Dictionary<string, string>(), "/Account/Security");
        using var api = factory.CreateClient();
        api.DefaultRequestHeaders.Authorization = new("Bearer", created!.Secret);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/me")).StatusCode);
    }
}
