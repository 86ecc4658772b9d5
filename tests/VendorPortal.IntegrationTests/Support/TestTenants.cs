using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using VendorPortal.Features.Account;
using VendorPortal.Features.Organizations;

namespace VendorPortal.IntegrationTests.Support;

public sealed record TestUser(Guid Id, string Email, string Password, string? AuthenticatorKey, Guid OrganizationId, string Role);

/// <summary>A fresh hospital and a vendor that serves it, each with users of every role (after OrchardCore's per-test tenants).</summary>
public sealed record TenantSet(Organization Hospital, Organization Vendor, Engagement Engagement, MedicalSystem System,
    IReadOnlyDictionary<string, TestUser> Users)
{
    public TestUser this[string role] => Users[role];
}

public sealed class TestTenants(PortalFactory factory)
{
    public const string Password = "Test-Passw0rd-Long!";

    public async Task<TenantSet> CreateAsync(bool enrolled = true)
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var now = DateTimeOffset.UtcNow;
        var hospital = new Organization { Id = Guid.NewGuid(), Name = $"テスト病院-{tag}", Kind = OrganizationKind.Hospital, HospitalKind = HospitalKind.Hospital, CreatedAt = now };
        var vendor = new Organization { Id = Guid.NewGuid(), Name = $"テスト事業者-{tag}", Kind = OrganizationKind.Vendor, VendorKinds = VendorKind.ServiceProvider, CreatedAt = now };
        var system = new MedicalSystem { Id = Guid.NewGuid(), HospitalId = hospital.Id, Name = $"電子カルテ-{tag}", Category = "電子カルテ", CreatedAt = now };
        var engagement = new Engagement
        {
            Id = Guid.NewGuid(), HospitalId = hospital.Id, VendorId = vendor.Id, Title = $"保守契約-{tag}",
            StartsOn = new DateOnly(2024, 4, 1), CreatedAt = now,
        };
        engagement.Systems.Add(new EngagementSystem { EngagementId = engagement.Id, SystemId = system.Id });

        var users = new Dictionary<string, TestUser>();
        await factory.WithDbAsync(async (db, sp) =>
        {
            db.Organizations.AddRange(hospital, vendor);
            db.MedicalSystems.Add(system);
            db.Engagements.Add(engagement);
            await db.SaveChangesAsync();
            var manager = sp.GetRequiredService<UserManager<AppUser>>();
            foreach (var role in Roles.Hospital)
            {
                users[role] = await CreateUserAsync(manager, hospital.Id, role, $"{role.ToLowerInvariant()}-{tag}@hospital.test", enrolled);
            }
            foreach (var role in Roles.Vendor)
            {
                users[role] = await CreateUserAsync(manager, vendor.Id, role, $"{role.ToLowerInvariant()}-{tag}@vendor.test", enrolled);
            }
        });
        return new TenantSet(hospital, vendor, engagement, system, users);
    }

    public async Task<TestUser> CreatePlatformOperatorAsync()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var org = new Organization { Id = Guid.NewGuid(), Name = $"運営-{tag}", Kind = OrganizationKind.Platform, CreatedAt = DateTimeOffset.UtcNow };
        return await factory.WithDbAsync(async (db, sp) =>
        {
            db.Organizations.Add(org);
            await db.SaveChangesAsync();
            return await CreateUserAsync(sp.GetRequiredService<UserManager<AppUser>>(), org.Id, Roles.PlatformOperator, $"platform-{tag}@platform.test", true);
        });
    }

    private static async Task<TestUser> CreateUserAsync(UserManager<AppUser> manager, Guid orgId, string role, string email, bool enrolled)
    {
        var user = new AppUser
        {
            Id = Guid.NewGuid(), UserName = email, Email = email, EmailConfirmed = true, DisplayName = $"{role} {email[..6]}",
            OrganizationId = orgId, CreatedAt = DateTimeOffset.UtcNow, LockoutEnabled = true,
        };
        Check(await manager.CreateAsync(user, Password));
        Check(await manager.AddToRoleAsync(user, role));
        string? key = null;
        if (enrolled)
        {
            Check(await manager.ResetAuthenticatorKeyAsync(user));
            key = await manager.GetAuthenticatorKeyAsync(user);
            Check(await manager.SetTwoFactorEnabledAsync(user, true));
        }
        return new TestUser(user.Id, email, Password, key, orgId, role);
    }

    private static void Check(IdentityResult r)
    {
        if (!r.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", r.Errors.Select(e => e.Description)));
        }
    }
}
