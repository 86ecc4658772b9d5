using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Account;
using VendorPortal.Features.Organizations;
using VendorPortal.Features.Subcontracting;
using VendorPortal.Infrastructure.Data;

namespace VendorPortal.Infrastructure.Seeding;

/// <summary>
/// Loads seed-data/demo.json once (when no organization exists yet). Refused in Production.
/// Ids are derived from the keys in the file, so docs and tests can name demo records.
/// </summary>
public sealed class DemoDataSeeder(
    AppDbContext db,
    UserManager<AppUser> users,
    IHostEnvironment env,
    TimeProvider time,
    SubcontractWorkflow subcontracts,
    ILogger<DemoDataSeeder> logger)
{
    public static Guid IdFor(string key) => new(MD5.HashData(Encoding.UTF8.GetBytes("vendorportal-demo:" + key)));

    public async Task<bool> SeedAsync(string path, CancellationToken ct = default)
    {
        if (env.IsProduction())
        {
            throw new InvalidOperationException("Demo data is never loaded in the Production environment.");
        }
        if (await db.Organizations.IgnoreQueryFilters().AnyAsync(ct))
        {
            logger.LogInformation("Demo data: organizations exist already, nothing loaded");
            return false;
        }
        var data = JsonSerializer.Deserialize<DemoData>(await File.ReadAllTextAsync(path, ct), JsonOptions)
            ?? throw new InvalidOperationException($"{path} is empty.");
        var now = time.GetUtcNow();

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var o in data.Organizations)
        {
            db.Organizations.Add(new Organization
            {
                Id = IdFor(o.Key), Name = o.Name, NameEn = o.NameEn, Kind = o.Kind, HospitalKind = o.HospitalKind,
                VendorKinds = o.VendorKinds, CorporateNumber = o.CorporateNumber, CreatedAt = now,
            });
        }
        foreach (var s in data.Systems)
        {
            db.MedicalSystems.Add(new MedicalSystem { Id = IdFor(s.Key), HospitalId = IdFor(s.Hospital), Name = s.Name, Category = s.Category, CreatedAt = now });
        }
        foreach (var e in data.Engagements)
        {
            var id = IdFor(e.Key);
            db.Engagements.Add(new Engagement
            {
                Id = id, HospitalId = IdFor(e.Hospital), VendorId = IdFor(e.Vendor), Title = e.Title,
                StartsOn = e.StartsOn, EndsOn = e.EndsOn, CreatedAt = now,
                Systems = e.Systems.Select(s => new EngagementSystem { EngagementId = id, SystemId = IdFor(s) }).ToList(),
            });
        }
        await db.SaveChangesAsync(ct);

        foreach (var u in data.Users)
        {
            var user = new AppUser
            {
                Id = IdFor("user:" + u.Email), UserName = u.Email, Email = u.Email, EmailConfirmed = true,
                DisplayName = u.Name, OrganizationId = IdFor(u.Organization), CreatedAt = now, LockoutEnabled = true,
            };
            var result = await users.CreateAsync(user, u.Password);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"Demo user {u.Email}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
            }
            await users.AddToRoleAsync(user, u.Role);
        }
        foreach (var sc in data.Subcontracts ?? [])
        {
            await SeedSubcontractAsync(sc, data.Users, ct);
        }
        await tx.CommitAsync(ct);
        logger.LogInformation("Demo data loaded: {Orgs} organizations, {Users} users, {Subcontracts} re-subcontracting requests",
            data.Organizations.Count, data.Users.Count, data.Subcontracts?.Count ?? 0);
        return true;
    }

    /// <summary>
    /// A 再委託 request filed and taken through its steps by the demo users, through the workflow itself (same
    /// validation, history, audit events and notifications as in use), so the demo shows a real request.
    /// </summary>
    private async Task SeedSubcontractAsync(DemoSubcontract sc, List<DemoUser> demoUsers, CancellationToken ct)
    {
        SubcontractActor Actor(string email)
        {
            var u = demoUsers.Single(x => x.Email == email);
            return new SubcontractActor(IdFor("user:" + email), IdFor(u.Organization), [u.Role]);
        }
        string Name(string email) => demoUsers.Single(x => x.Email == email).Name;

        var (root, problems) = SubcontractsApi.ToInput(sc.Subcontractor, "subcontractor.");
        var created = problems.Count == 0 ? await subcontracts.CreateAsync(Actor(sc.FiledBy), Name(sc.FiledBy), IdFor(sc.Engagement), null, root, ct) : SubcontractResult.Invalid(problems);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException($"Demo subcontract {sc.Engagement}: {created.ErrorCode} {string.Join("; ", created.Problems?.Select(p => p.Field + " " + p.Code) ?? [])}");
        }
        foreach (var step in sc.Steps)
        {
            var request = (await subcontracts.FindAsync(created.Id!.Value, ct))!;
            var result = await subcontracts.ApplyAsync(request, step.Action, new SubcontractStepInput(step.Comment, step.Conditions, step.Opinion, step.AcknowledgeForeign), Actor(step.By), Name(step.By), ct);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"Demo subcontract {sc.Engagement}, step {step.Action}: {result.ErrorCode}");
            }
        }
    }

    public static string? FindDefaultPath(string contentRoot)
    {
        for (var dir = new DirectoryInfo(contentRoot); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "seed-data", "demo.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        Converters = { new JsonStringEnumConverter() },
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    private sealed record DemoData(List<DemoOrg> Organizations, List<DemoSystem> Systems, List<DemoEngagement> Engagements, List<DemoUser> Users, List<DemoSubcontract>? Subcontracts);
    private sealed record DemoSubcontract(string Engagement, string FiledBy, SubcontractorBody Subcontractor, List<DemoStep> Steps);
    private sealed record DemoStep(SubcontractAction Action, string By, string? Comment, string? Conditions, SecurityOpinion? Opinion, bool AcknowledgeForeign);
    private sealed record DemoOrg(string Key, string Name, string? NameEn, OrganizationKind Kind, HospitalKind? HospitalKind, VendorKind VendorKinds, string? CorporateNumber);
    private sealed record DemoSystem(string Key, string Hospital, string Name, string Category);
    private sealed record DemoEngagement(string Key, string Hospital, string Vendor, string Title, DateOnly StartsOn, DateOnly? EndsOn, List<string> Systems);
    private sealed record DemoUser(string Email, string Name, string Organization, string Role, string Password);
}

/// <summary>Ensures every role row exists (roles are fixed by the code, not data).</summary>
public sealed class RoleSeeder(AppDbContext db)
{
    public async Task EnsureRolesAsync(CancellationToken ct = default)
    {
        var existing = await db.Roles.Select(r => r.Name).ToListAsync(ct);
        foreach (var role in Roles.All.Where(r => !existing.Contains(r)))
        {
            db.Roles.Add(new AppRole(role) { Id = DemoDataSeeder.IdFor("role:" + role), NormalizedName = role.ToUpperInvariant() });
        }
        await db.SaveChangesAsync(ct);
    }
}
