using System.Security.Claims;
using Microsoft.Extensions.Localization;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Localization;

namespace VendorPortal.Features.Responsibility;

public sealed record MatrixConfirmationDto(Guid OrganizationId, string UserName, DateTimeOffset ConfirmedAt);
public sealed record MatrixVersionDto(int Number, string ContentHash, DateTimeOffset CreatedAt, string CreatedBy, string? ChangeNote, IReadOnlyList<MatrixConfirmationDto> Confirmations);
public sealed record MatrixConfirmerDto(Guid OrganizationId, string Name, bool IsHospital, bool Confirmed, string? ConfirmedBy, DateTimeOffset? ConfirmedAt);
public sealed record MatrixDto(Guid HospitalId, Guid SystemId, string SystemName, int? CurrentVersion, string? ContentHash, MatrixJson.ContentDto? Content,
    IReadOnlyList<MatrixConfirmerDto> Confirmers, IReadOnlyList<MatrixVersionDto> Versions);
public sealed record SaveMatrixRequest(int? BaseVersion, string? ChangeNote, MatrixJson.ContentDto? Content);
public sealed record ConfirmMatrixRequest(int Version);

/// <summary>
/// 責任分界表 through the API: read the current version and history, save a new version (PUT, on top of a base
/// version: 409 when it is not the current one any more), confirm the current version for the caller's organization.
/// The route's hospital is checked by HospitalInRoute; a system the caller cannot see is 404.
/// </summary>
public static class ResponsibilityApi
{
    public static void Map(RouteGroupBuilder v1)
    {
        var g = v1.MapGroup("/hospitals/{hospitalId:guid}/systems/{systemId:guid}/responsibility").WithTags("Responsibility")
            .RequireAuthorization(Policies.HospitalInRoute);

        g.MapGet("/", async (Guid hospitalId, Guid systemId, ResponsibilityService service) =>
            await service.LoadAsync(hospitalId, systemId) is { } state ? Results.Ok(ToDto(state)) : Results.NotFound())
            .WithName("GetResponsibilityMatrix");

        g.MapPut("/", async (Guid hospitalId, Guid systemId, SaveMatrixRequest request, ClaimsPrincipal user, ResponsibilityService service,
            IStringLocalizer<SharedResource> l) =>
        {
            if (request.Content is null)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["content"] = [l["ResponsibilityProblem_InvalidJson"]] });
            }
            var result = await service.SaveAsync(user, hospitalId, systemId, request.Content, request.BaseVersion, request.ChangeNote);
            return result.Outcome switch
            {
                MatrixOutcome.Saved => Results.Ok(new { version = result.Version, changed = true }),
                MatrixOutcome.Unchanged => Results.Ok(new { version = result.Version, changed = false }),
                MatrixOutcome.Invalid => Results.ValidationProblem(result.Problems!.GroupBy(p => p.Subject ?? "content")
                    .ToDictionary(x => x.Key, x => x.Select(p => l["ResponsibilityProblem_" + p.Code, p.Subject ?? ""].Value).ToArray())),
                MatrixOutcome.Stale => Results.Problem(title: l["ResponsibilityStale", result.Version], statusCode: StatusCodes.Status409Conflict),
                MatrixOutcome.Forbidden => Results.Problem(title: l["ResponsibilityCannotEdit"], statusCode: StatusCodes.Status403Forbidden),
                _ => Results.NotFound(),
            };
        }).WithName("SaveResponsibilityMatrix");

        g.MapPost("/confirmations", async (Guid hospitalId, Guid systemId, ConfirmMatrixRequest request, ClaimsPrincipal user, ResponsibilityService service,
            IStringLocalizer<SharedResource> l) =>
        {
            var (outcome, current) = await service.ConfirmAsync(user, hospitalId, systemId, request.Version);
            return outcome switch
            {
                ConfirmOutcome.Confirmed or ConfirmOutcome.AlreadyConfirmed => Results.Ok(new { version = current, alreadyConfirmed = outcome == ConfirmOutcome.AlreadyConfirmed }),
                ConfirmOutcome.NotCurrent => Results.Problem(title: l["ResponsibilityNotCurrent", current], statusCode: StatusCodes.Status409Conflict),
                ConfirmOutcome.NotParty => Results.Problem(title: l["ResponsibilityNotParty"], statusCode: StatusCodes.Status403Forbidden),
                ConfirmOutcome.Forbidden => Results.Problem(title: l["ResponsibilityCannotConfirm"], statusCode: StatusCodes.Status403Forbidden),
                _ => Results.NotFound(),
            };
        }).WithName("ConfirmResponsibilityMatrix");
    }

    public static MatrixDto ToDto(MatrixState s) => new(s.Hospital.Id, s.System.Id, s.System.Name, s.Matrix?.CurrentVersion, s.CurrentVersion?.ContentHash,
        s.Current is null ? null : MatrixJson.ToDto(s.Current),
        [.. s.Confirmers.Select(c => new MatrixConfirmerDto(c.OrganizationId, c.Name, c.IsHospital, c.Confirmation is not null, c.Confirmation?.UserName, c.Confirmation?.ConfirmedAt))],
        [.. s.Versions.Select(v => new MatrixVersionDto(v.Number, v.ContentHash, v.CreatedAt, v.CreatedByName, v.ChangeNote,
            [.. v.Confirmations.Select(c => new MatrixConfirmationDto(c.OrganizationId, c.UserName, c.ConfirmedAt))]))]);
}
