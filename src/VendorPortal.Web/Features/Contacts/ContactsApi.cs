using System.Security.Claims;
using Microsoft.Extensions.Localization;
using VendorPortal.Features.Patches;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.Contacts;

public sealed record VendorContactDto(string? RoleLabel, string? Name, string? Phone24h, string? OtherChannel, string? Email, string? Hours);
public sealed record VendorContactsDto(Guid VendorId, string VendorName, VendorContactDto[] Contacts, DateTimeOffset? ConfirmedAt, string? ConfirmedByName);
public sealed record VendorContactsBody(VendorContactDto[]? Contacts);
public sealed record HospitalContactDto(string Role, string Name, string? Phone, string? PhoneOutOfHours, string? Email, string? Note, bool Stored, bool Local);
public sealed record HospitalChartDto(Guid HospitalId, HospitalContactDto[] Internal, HospitalContactDto[] Authorities, VendorContactsDto[] Vendors, string AuthoritySource);

/// <summary>
/// GET/PUT /api/v1/contacts (the calling vendor's own incident contacts; PUT replaces them and confirms), POST
/// /api/v1/contacts/confirmations (confirm unchanged), GET /api/v1/hospitals/{hospitalId}/contacts (the hospital's chart data).
/// </summary>
public static class ContactsApi
{
    public static void Map(RouteGroupBuilder v1)
    {
        var g = v1.MapGroup("/contacts").WithTags("Contacts").RequireAuthorization(Policies.VendorStaff);

        g.MapGet("/", async (ITenantContext tenant, ContactService service) => Results.Ok(Dto(await service.VendorAsync(tenant.OrganizationId!.Value))))
            .WithName("GetContacts").WithSummary("The calling vendor's incident contacts and their last confirmation");

        g.MapPut("/", async (VendorContactsBody body, ClaimsPrincipal user, ITenantContext tenant, ContactService service, IStringLocalizer<SharedResource> l) =>
        {
            if (!ContactService.VendorEditorRoles.Any(user.IsInRole))
            {
                return Results.Problem(title: l["ContactsNotEditor"].Value, statusCode: StatusCodes.Status403Forbidden);
            }
            var vendorId = tenant.OrganizationId!.Value;
            var errors = await service.ReplaceVendorAsync(vendorId,
                (body.Contacts ?? []).Select(c => new VendorContactInput(c.RoleLabel, c.Name, c.Phone24h, c.OtherChannel, c.Email, c.Hours)),
                PatchService.ActorOf(user, tenant).Name);
            if (errors.Count > 0)
            {
                return Results.ValidationProblem(errors.GroupBy(e => e.Index < 0 ? e.Field : $"contacts[{e.Index}].{e.Field}")
                    .ToDictionary(x => x.Key, x => x.Select(e => l[e.Key].Value).ToArray()));
            }
            return Results.Ok(Dto(await service.VendorAsync(vendorId)));
        }).WithName("PutContacts").WithSummary("Replaces the contacts (1–10; roleLabel, name, otherChannel required; one phone24h required; phones: digits, - ( ) + space, ≤30) and confirms them");

        g.MapPost("/confirmations", async (ClaimsPrincipal user, ITenantContext tenant, ContactService service, IStringLocalizer<SharedResource> l) =>
        {
            if (!ContactService.VendorEditorRoles.Any(user.IsInRole))
            {
                return Results.Problem(title: l["ContactsNotEditor"].Value, statusCode: StatusCodes.Status403Forbidden);
            }
            var vendorId = tenant.OrganizationId!.Value;
            if (!await service.ConfirmVendorAsync(vendorId, PatchService.ActorOf(user, tenant).Name))
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["contacts"] = [l["ContactsNothingToConfirm"].Value] });
            }
            return Results.Ok(Dto(await service.VendorAsync(vendorId)));
        }).WithName("ConfirmContacts").WithSummary("Confirms the contacts unchanged (records who and when)");

        v1.MapGet("/hospitals/{hospitalId:guid}/contacts", async (Guid hospitalId, ContactService service) =>
        {
            var chart = await service.HospitalAsync(hospitalId);
            return Results.Ok(new HospitalChartDto(chart.HospitalId, [.. chart.Internal.Select(Dto)], [.. chart.Authorities.Select(Dto)],
                [.. chart.Vendors.Select(Dto)], chart.AuthoritySource));
        }).WithTags("Contacts").RequireAuthorization(Policies.HospitalStaffInRoute)
            .WithName("GetHospitalContacts").WithSummary("The hospital's 連絡体制図 data: internal roles, authorities, actively engaged vendors' incident contacts");
    }

    private static VendorContactsDto Dto(VendorContactSheet s)
        => new(s.VendorId, s.VendorName, [.. s.Contacts.Select(c => new VendorContactDto(c.RoleLabel, c.Name, c.Phone24h, c.OtherChannel, c.Email, c.Hours))],
            s.ConfirmedAt, s.ConfirmedByName);

    private static HospitalContactDto Dto(HospitalChartRow r) => new(r.Role.ToString(), r.Name, r.Phone, r.PhoneOutOfHours, r.Email, r.Note, r.Stored, r.Local);
}
