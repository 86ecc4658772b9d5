using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Account;
using VendorPortal.Features.Organizations;
using VendorPortal.IntegrationTests.Support;

namespace VendorPortal.IntegrationTests.Tenancy;

/// <summary>What each side sees, and that handlers taking ids in the form refuse another tenant's records.</summary>
public sealed class TenantIsolationTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Vendor_sees_only_the_hospitals_it_actively_serves()
    {
        var mine = await factory.Tenants.CreateAsync();
        var theirs = await factory.Tenants.CreateAsync();
        // An ended engagement of my vendor with their hospital must not open it.
        await factory.WithDbAsync(async (db, _) =>
        {
            db.Engagements.Add(new Engagement
            {
                Id = Guid.NewGuid(), HospitalId = theirs.Hospital.Id, VendorId = mine.Vendor.Id, Title = "終了した契約",
                StartsOn = new DateOnly(2020, 4, 1), EndsOn = new DateOnly(2021, 3, 31), CreatedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        });
        using var client = factory.CreatePortalClient();
        await client.SignInAsync(mine[Roles.VendorMember]);

        var dashboard = await client.GetDocumentAsync("/");
        Assert.Contains(mine.Hospital.Name, dashboard.Body!.TextContent);
        Assert.DoesNotContain(theirs.Hospital.Name, dashboard.Body.TextContent);

        var hospitals = await client.Http.GetFromJsonAsync<List<HospitalDto>>("/api/v1/hospitals");
        Assert.Equal([mine.Hospital.Id], hospitals!.Select(h => h.Id));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/Hospitals/{mine.Hospital.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/Hospitals/{theirs.Hospital.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/hospitals/{theirs.Hospital.Id}")).StatusCode);
    }

    [Fact]
    public async Task Hospital_user_sees_only_their_hospital_and_its_vendors()
    {
        var mine = await factory.Tenants.CreateAsync();
        var theirs = await factory.Tenants.CreateAsync();
        using var client = factory.CreatePortalClient();
        await client.SignInAsync(mine[Roles.SystemOperator]);
        var dashboard = await client.GetDocumentAsync("/");
        Assert.Contains(mine.Vendor.Name, dashboard.Body!.TextContent);
        Assert.DoesNotContain(theirs.Vendor.Name, dashboard.Body.TextContent);
        Assert.DoesNotContain(theirs.Hospital.Name, dashboard.Body.TextContent);
        var engagements = await client.Http.GetFromJsonAsync<List<EngagementDto>>("/api/v1/engagements");
        Assert.All(engagements!, e => Assert.Equal(mine.Hospital.Id, e.HospitalId));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/Hospitals/{theirs.Hospital.Id}")).StatusCode);
    }

    [Fact]
    public async Task Admin_cannot_read_or_change_another_organizations_users_or_invitations()
    {
        var mine = await factory.Tenants.CreateAsync();
        var theirs = await factory.Tenants.CreateAsync();
        var theirInvitation = await factory.WithDbAsync(async (db, sp) =>
        {
            var invitation = new Invitation
            {
                Id = Guid.NewGuid(), OrganizationId = theirs.Hospital.Id, Email = $"new-{Guid.NewGuid():N}@their.test", Role = Roles.Auditor,
                TokenHash = Guid.NewGuid().ToString("N"), CreatedAt = DateTimeOffset.UtcNow, ExpiresAt = DateTimeOffset.UtcNow.AddDays(1),
                InvitedByUserId = theirs[Roles.TenantAdmin].Id,
            };
            db.Invitations.Add(invitation);
            await db.SaveChangesAsync();
            return invitation;
        });
        using var client = factory.CreatePortalClient();
        await client.SignInAsync(mine[Roles.TenantAdmin]);

        var victim = theirs[Roles.SystemOperator];
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/Admin/Users/{victim.Id}")).StatusCode);
        var deactivate = await client.PostFormAsync($"/Admin/Users/{victim.Id}?handler=Deactivate", new Dictionary<string, string>(), "/Admin/Users");
        Assert.Equal(HttpStatusCode.NotFound, deactivate.StatusCode);
        var role = await client.PostFormAsync($"/Admin/Users/{victim.Id}?handler=Role", new Dictionary<string, string> { ["role"] = Roles.TenantAdmin }, "/Admin/Users");
        Assert.Equal(HttpStatusCode.NotFound, role.StatusCode);
        var revoke = await client.PostFormAsync($"/Admin/Users?handler=Revoke&invitationId={theirInvitation.Id}", new Dictionary<string, string>(), "/Admin/Users");
        Assert.Equal(HttpStatusCode.NotFound, revoke.StatusCode);

        var users = await client.Http.GetFromJsonAsync<List<VendorPortal.Features.Admin.UserDto>>("/api/v1/users");
        Assert.DoesNotContain(users!, u => u.Email == victim.Email);
        Assert.All(users!, u => Assert.EndsWith("@hospital.test", u.Email));

        var after = await factory.WithDbAsync(async (db, _) => (await db.Users.SingleAsync(u => u.Id == victim.Id), await db.Invitations.SingleAsync(i => i.Id == theirInvitation.Id)));
        Assert.True(after.Item1.IsActive);
        Assert.Null(after.Item2.RevokedAt);
    }

    [Fact]
    public async Task Roles_of_another_organization_kind_are_refused()
    {
        var mine = await factory.Tenants.CreateAsync();
        using var client = factory.CreatePortalClient();
        await client.SignInAsync(mine[Roles.VendorAdmin]);
        var r = await client.PostFormAsync("/Admin/Invite", new Dictionary<string, string> { ["Email"] = "x@vendor.test", ["Role"] = Roles.Executive });
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains("この組織では選択できない役割です", await r.Content.ReadAsStringAsync());
        Assert.False(await factory.WithDbAsync(async (db, _) => await db.Invitations.AnyAsync(i => i.Email == "x@vendor.test")));
    }
}
