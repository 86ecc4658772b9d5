using System.Security.Claims;
using Microsoft.Extensions.Localization;
using VendorPortal.Features.Checklists;
using VendorPortal.Features.Forms;
using VendorPortal.Features.Organizations;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.RemoteMaintenance;

public sealed record CreateRemoteMaintenanceRequest(string? TemplateKey, Guid? SystemId);
public sealed record RemoteMaintenanceFlagDto(string Kind, string Severity, string ItemId, string Message);
public sealed record RemoteMaintenanceDto(Guid Id, Guid VendorId, string VendorName, Guid? SystemId, string? SystemName, string State, int LatestVersion,
    DateTimeOffset UpdatedAt, IReadOnlyList<RemoteMaintenanceFlagDto> Flags);

/// <summary>
/// リモートメンテナンス開示 through the API: list and create per hospital. Filling, submitting, reviewing and Excel
/// are the ordinary /api/v1/submissions endpoints.
/// </summary>
public static class RemoteMaintenanceApi
{
    public static void Map(RouteGroupBuilder v1)
    {
        var g = v1.MapGroup("/hospitals/{hospitalId:guid}/remote-maintenance").WithTags("RemoteMaintenance").RequireAuthorization(Policies.HospitalInRoute);

        g.MapGet("/", async (Guid hospitalId, RemoteMaintenanceService service, IStringLocalizer<SharedResource> l) =>
            (await service.RowsAsync(hospitalId)).Select(r => new RemoteMaintenanceDto(r.Id, r.VendorId, r.VendorName, r.SystemId, r.SystemName, r.State.ToString(),
                r.LatestVersion, r.UpdatedAt, [.. r.Flags.Select(f => new RemoteMaintenanceFlagDto(f.Kind.ToString(), f.Severity.ToString(), f.ItemId, l["RmFlag_" + f.Kind].Value))])).ToList())
            .WithName("ListRemoteMaintenanceDisclosures");

        g.MapPost("/", async (Guid hospitalId, CreateRemoteMaintenanceRequest request, ClaimsPrincipal user, ITenantContext tenant,
            SubmissionWorkflow workflow, IStringLocalizer<SharedResource> l) =>
        {
            if (tenant.OrganizationKind != OrganizationKind.Vendor || !ChecklistAccess.CanAnswer(user, FormKind.RemoteMaintenance))
            {
                return Results.Problem(title: l["Form_NotRespondent"], statusCode: StatusCodes.Status403Forbidden);
            }
            var result = await workflow.CreateRemoteMaintenanceAsync(hospitalId, request.TemplateKey ?? "", request.SystemId);
            return result.Succeeded
                ? Results.Created($"/api/v1/submissions/{result.Submission!.Id}", new { result.Submission.Id })
                : Results.ValidationProblem(new Dictionary<string, string[]> { ["remoteMaintenance"] = [l["Form_" + result.ErrorCode]] });
        }).WithName("CreateRemoteMaintenanceDisclosure");
    }
}
