using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Tenancy;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Organizations;

public sealed record MeDto(Guid UserId, string Email, string DisplayName, Guid OrganizationId, string OrganizationName, string OrganizationKind, string[] Roles);
public sealed record HospitalDto(Guid Id, string Name, string? HospitalKind, EngagementDto[] Engagements, SystemDto[] Systems);
public sealed record EngagementDto(Guid Id, Guid HospitalId, string HospitalName, Guid VendorId, string VendorName, string Title, DateOnly StartsOn, DateOnly? EndsOn, bool Active);
public sealed record SystemDto(Guid Id, string Name, string Category);

/// <summary>Who am I, which hospitals can I see, and their engagements. Visibility comes from the query filters.</summary>
public static class OrganizationsApi
{
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapGet("/me", async (ClaimsPrincipal user, ITenantContext tenant, AppDbContext db) =>
        {
            var org = await db.Organizations.SingleAsync(o => o.Id == tenant.OrganizationId);
            return new MeDto(tenant.UserId!.Value, user.Identity!.Name!, user.FindFirstValue(PortalClaims.DisplayName) ?? "",
                org.Id, org.Name, org.Kind.ToString(), [.. user.FindAll(ClaimTypes.Role).Select(c => c.Value)]);
        }).WithName("GetMe").WithTags("Organizations");

        v1.MapGet("/hospitals", async (AppDbContext db, TimeProvider time) =>
        {
            var today = JapanTime.TodayInJapan(time);
            var hospitals = await db.Organizations.Where(o => o.Kind == OrganizationKind.Hospital).OrderBy(o => o.Name).ToListAsync();
            var engagements = await EngagementRows(db, today);
            return hospitals.Select(h => new HospitalDto(h.Id, h.Name, h.HospitalKind?.ToString(),
                [.. engagements.Where(e => e.HospitalId == h.Id)], [])).ToList();
        }).WithName("ListHospitals").WithTags("Organizations");

        v1.MapGet("/hospitals/{hospitalId:guid}", async (Guid hospitalId, AppDbContext db, TimeProvider time) =>
        {
            var today = JapanTime.TodayInJapan(time);
            var hospital = await db.Organizations.SingleAsync(o => o.Id == hospitalId);
            var engagements = (await EngagementRows(db, today)).Where(e => e.HospitalId == hospitalId).ToArray();
            var systems = await db.MedicalSystems.Where(s => s.HospitalId == hospitalId).OrderBy(s => s.Name)
                .Select(s => new SystemDto(s.Id, s.Name, s.Category)).ToArrayAsync();
            return Results.Ok(new HospitalDto(hospital.Id, hospital.Name, hospital.HospitalKind?.ToString(), engagements, systems));
        }).RequireAuthorization(Policies.HospitalInRoute).WithName("GetHospital").WithTags("Organizations");

        v1.MapGet("/engagements", async (AppDbContext db, TimeProvider time) => await EngagementRows(db, JapanTime.TodayInJapan(time)))
            .WithName("ListEngagements").WithTags("Organizations");
    }

    private static async Task<List<EngagementDto>> EngagementRows(AppDbContext db, DateOnly today)
        => await db.Engagements.OrderBy(e => e.Hospital!.Name).ThenBy(e => e.Title)
            .Select(e => new EngagementDto(e.Id, e.HospitalId, e.Hospital!.Name, e.VendorId, e.Vendor!.Name, e.Title, e.StartsOn, e.EndsOn,
                e.StartsOn <= today && (e.EndsOn == null || e.EndsOn >= today)))
            .ToListAsync();
}
