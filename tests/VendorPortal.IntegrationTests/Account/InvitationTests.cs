using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Account;
using VendorPortal.Infrastructure.Email;
using VendorPortal.IntegrationTests.Support;

namespace VendorPortal.IntegrationTests.Account;

public sealed partial class InvitationTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private string LatestLinkTo(string email)
    {
        var message = Directory.GetFiles(factory.OutboxPath, "*.json")
            .Select(f => JsonSerializer.Deserialize<OutboxMessage>(File.ReadAllText(f))!)
            .Where(m => m.To == email).OrderByDescending(m => m.SentAt).First();
        return LinkPattern().Match(message.Body).Value;
    }

    [Fact]
    public async Task Invited_user_sets_a_password_once_and_is_led_to_enrolment()
    {
        var tenants = await factory.Tenants.CreateAsync();
        using var admin = factory.CreatePortalClient();
        await admin.SignInAsync(tenants[Roles.TenantAdmin]);
        var email = $"new-{Guid.NewGuid():N}@hospital.test";
        var sent = await admin.PostFormAsync("/Admin/Invite", new Dictionary<string, string> { ["Email"] = email, ["Role"] = Roles.SecurityManager });
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);

        var link = new Uri(LatestLinkTo(email));
        var path = link.PathAndQuery;
        using var invitee = factory.CreatePortalClient();
        var page = await invitee.GetDocumentAsync(path);
        Assert.Contains(tenants.Hospital.Name, page.Body!.TextContent);
        Assert.Contains("医療情報システム安全管理責任者", page.Body.TextContent);

        // A weak password is refused with a clear message, and nothing is created.
        var weak = await invitee.PostFormAsync(path, new Dictionary<string, string>
        {
            ["Token"] = link.Query.Split('=')[1], ["Input.DisplayName"] = "新人 太郎", ["Input.Password"] = "short1A", ["Input.ConfirmPassword"] = "short1A",
        });
        Assert.Equal(HttpStatusCode.OK, weak.StatusCode);
        Assert.Contains("13文字以上", await weak.Content.ReadAsStringAsync());
        Assert.False(await factory.WithDbAsync(async (db, _) => await db.Users.AnyAsync(u => u.Email == email)));

        var ok = await invitee.PostFormAsync(path, new Dictionary<string, string>
        {
            ["Token"] = link.Query.Split('=')[1], ["Input.DisplayName"] = "新人 太郎", ["Input.Password"] = "Kantan-Ja-Nai-2026", ["Input.ConfirmPassword"] = "Kantan-Ja-Nai-2026",
        });
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        Assert.Equal("/Account/EnableAuthenticator", ok.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await invitee.GetAsync("/")).StatusCode); // MFA first

        var user = await factory.WithDbAsync(async (db, _) => await db.Users.SingleAsync(u => u.Email == email));
        Assert.Equal(tenants.Hospital.Id, user.OrganizationId);

        // The link works once.
        using var again = factory.CreatePortalClient();
        var reused = await again.GetDocumentAsync(path);
        Assert.Contains("この招待リンクは無効です", reused.Body!.TextContent);
    }

    [Fact]
    public async Task Expired_and_revoked_links_are_refused()
    {
        var tenants = await factory.Tenants.CreateAsync();
        using var admin = factory.CreatePortalClient();
        await admin.SignInAsync(tenants[Roles.VendorAdmin]);
        var email = $"late-{Guid.NewGuid():N}@vendor.test";
        await admin.PostFormAsync("/Admin/Invite", new Dictionary<string, string> { ["Email"] = email, ["Role"] = Roles.VendorMember });
        var path = new Uri(LatestLinkTo(email)).PathAndQuery;
        var invitation = await factory.WithDbAsync(async (db, _) => await db.Invitations.SingleAsync(i => i.Email == email));
        Assert.InRange(invitation.ExpiresAt - invitation.CreatedAt, TimeSpan.FromHours(71.9), TimeSpan.FromHours(72.1));
        await factory.WithDbAsync(async (db, _) =>
        {
            var i = await db.Invitations.SingleAsync(x => x.Id == invitation.Id);
            i.ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1);
            await db.SaveChangesAsync();
        });
        using var invitee = factory.CreatePortalClient();
        Assert.Contains("この招待リンクは無効です", (await invitee.GetDocumentAsync(path)).Body!.TextContent);

        var email2 = $"revoked-{Guid.NewGuid():N}@vendor.test";
        await admin.PostFormAsync("/Admin/Invite", new Dictionary<string, string> { ["Email"] = email2, ["Role"] = Roles.VendorMember });
        var path2 = new Uri(LatestLinkTo(email2)).PathAndQuery;
        var id2 = await factory.WithDbAsync(async (db, _) => (await db.Invitations.SingleAsync(i => i.Email == email2)).Id);
        var revoke = await admin.PostFormAsync($"/Admin/Users?handler=Revoke&invitationId={id2}", new Dictionary<string, string>(), "/Admin/Users");
        Assert.Equal(HttpStatusCode.Redirect, revoke.StatusCode);
        Assert.Contains("この招待リンクは無効です", (await invitee.GetDocumentAsync(path2)).Body!.TextContent);
    }

    [Fact]
    public async Task Bad_invitation_input_is_answered_in_japanese_and_sends_nothing()
    {
        var tenants = await factory.Tenants.CreateAsync();
        using var admin = factory.CreatePortalClient();
        await admin.SignInAsync(tenants[Roles.TenantAdmin]);
        var bad = await admin.PostFormAsync("/Admin/Invite", new Dictionary<string, string> { ["Email"] = "not-an-address", ["Role"] = Roles.Auditor });
        Assert.Contains("メールアドレスの形式が正しくありません", await bad.Content.ReadAsStringAsync());
        var taken = await admin.PostFormAsync("/Admin/Invite", new Dictionary<string, string> { ["Email"] = tenants[Roles.Auditor].Email, ["Role"] = Roles.Auditor });
        Assert.Contains("既に登録されています", await taken.Content.ReadAsStringAsync());
        Assert.False(await factory.WithDbAsync(async (db, _) => await db.Invitations.AnyAsync(i => i.OrganizationId == tenants.Hospital.Id)));
    }

    [Fact]
    public async Task Non_admins_cannot_invite()
    {
        var tenants = await factory.Tenants.CreateAsync();
        using var client = factory.CreatePortalClient();
        await client.SignInAsync(tenants[Roles.SystemOperator]);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/Admin/Invite")).StatusCode);
        var api = await client.SendJsonAsync(HttpMethod.Post, "/api/v1/invitations", new { email = "x@hospital.test", role = Roles.Auditor });
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
    }

    [GeneratedRegex(@"https://localhost/Account/AcceptInvitation\?token=[A-Za-z0-9_\-]+")]
    private static partial Regex LinkPattern();
}
