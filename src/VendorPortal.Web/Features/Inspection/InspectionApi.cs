using System.Security.Claims;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using VendorPortal.Features.Inspection.Export;
using VendorPortal.Features.Patches;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.Inspection;

public sealed record InspectionExportBody(int? FiscalYear, DateOnly? From, DateOnly? To);

public sealed record InspectionExportLinks(string Self, string? Zip);

public sealed record InspectionExportDto(
    Guid Id, Guid HospitalId, string State, int? FiscalYear, DateOnly? From, DateOnly? To,
    string RequestedBy, DateTimeOffset RequestedAt, int Attempts,
    int ProgressPercent, string? ProgressStage, int FilesWritten, long BytesWritten,
    DateTimeOffset? GeneratedAt, DateTimeOffset? CompletedAt, DateTimeOffset? ExpiresAt,
    string? ManifestSha256, int? FileCount, long? ZipSize, string? ZipSha256, string? DownloadName,
    string? ErrorCode, string? Error, InspectionExportLinks Links);

public sealed record BundleProblemDto(string Kind, string? Path, string? Expected, string? Actual, string Detail);

public sealed record BundleVerificationDto(bool Ok, bool Readable, int FilesChecked, string? ManifestSha256, string? HospitalName,
    string? GeneratedAt, BundleProblemDto[] Problems);

/// <summary>
/// /api/v1/hospitals/{hospitalId}/inspection-exports (request → 202 + Location, list, one, its ZIP) under the page's
/// policy InspectionExportInRoute, and POST /api/v1/inspection/verify (a ZIP as the body → the verification) for any member.
/// </summary>
public static class InspectionApi
{
    public static void Map(RouteGroupBuilder v1)
    {
        var g = v1.MapGroup("/hospitals/{hospitalId:guid}/inspection-exports").WithTags("Inspection")
            .RequireAuthorization(Policies.InspectionExportInRoute);

        g.MapPost("/", async (Guid hospitalId, InspectionExportBody body, ClaimsPrincipal user, ITenantContext tenant,
            InspectionExportService exports, IStringLocalizer<SharedResource> l, CancellationToken ct) =>
        {
            var actor = PatchService.ActorOf(user, tenant);
            var result = await exports.RequestAsync(hospitalId, body.FiscalYear, body.From, body.To, actor.UserId ?? Guid.Empty, actor.Name, ct);
            if (result.Export is not { } x)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]>
                {
                    [body.FiscalYear is not null && body.From is null && body.To is null ? "fiscalYear" : "scope"] = [.. result.Problems.Select(k => l[k].Value)],
                });
            }
            return Results.Accepted(SelfLink(x), Dto(x, exports, l));
        }).WithName("RequestInspectionExport")
          .WithSummary("Queues an inspection bundle for a 年度 ({fiscalYear}) or a JST date range ({from, to}, at most 1,098 days); 202 with the export and Location");

        g.MapGet("/", async (Guid hospitalId, InspectionExportService exports, IStringLocalizer<SharedResource> l, CancellationToken ct) =>
            Results.Ok((await exports.ListAsync(hospitalId, ct)).Select(x => Dto(x, exports, l)).ToArray()))
            .WithName("ListInspectionExports").WithSummary($"The hospital's latest exports (at most {InspectionExportService.ListLimit}), newest first");

        g.MapGet("/{exportId:guid}", async (Guid hospitalId, Guid exportId, InspectionExportService exports, IStringLocalizer<SharedResource> l, CancellationToken ct) =>
            await exports.FindAsync(hospitalId, exportId, ct) is { } x ? Results.Ok(Dto(x, exports, l)) : Results.NotFound())
            .WithName("GetInspectionExport").WithSummary("One export: state, progress, hashes, links (zip only while downloadable)");

        g.MapGet("/{exportId:guid}/zip", async (Guid hospitalId, Guid exportId, InspectionExportService exports, CancellationToken ct) =>
            await exports.OpenDownloadAsync(hospitalId, exportId, ct) is { } d
                ? Results.File(d.Content, "application/zip", d.FileName, enableRangeProcessing: true)
                : Results.NotFound())
            .WithName("DownloadInspectionExport").WithSummary("The finished ZIP (404 unless Completed and not expired); audit-logged")
            .Produces(StatusCodes.Status200OK, contentType: "application/zip");

        v1.MapPost("/inspection/verify", async (HttpContext http, IOptions<InspectionExportOptions> options, IStringLocalizer<SharedResource> l, CancellationToken ct) =>
        {
            var max = options.Value.MaxVerifyBytes;
            BundleUpload.AllowLargeBody(http, max);
            if (http.Request.ContentLength > max)
            {
                return Results.Problem(title: l["InspectionVerifyTooLarge", max / (1L << 30)].Value, statusCode: StatusCodes.Status413PayloadTooLarge);
            }
            var upload = await BundleUpload.VerifyStreamAsync(http.Request.Body, max, ct);
            return upload.Status switch
            {
                BundleUploadStatus.TooLarge => Results.Problem(title: l["InspectionVerifyTooLarge", max / (1L << 30)].Value, statusCode: StatusCodes.Status413PayloadTooLarge),
                BundleUploadStatus.Ok when upload.Verification is { } v => Results.Ok(new BundleVerificationDto(v.Ok, v.Readable, v.FilesChecked,
                    v.ManifestSha256, v.HospitalName, v.GeneratedAt,
                    [.. v.Problems.Select(p => new BundleProblemDto(p.Kind.ToString(), p.Path, p.Expected, p.Actual, p.Detail))])),
                _ => Results.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [l["InspectionVerifyNoFile"].Value] }),
            };
        }).WithTags("Inspection").RequireAuthorization(Policies.Member)
          .Accepts<Stream>("application/zip")
          .WithName("VerifyInspectionBundle").WithSummary("Verifies a bundle ZIP sent as the request body (application/zip): every file against manifest.json");
    }

    private static string SelfLink(InspectionExport x) => $"/api/v1/hospitals/{x.HospitalId}/inspection-exports/{x.Id}";

    private static InspectionExportDto Dto(InspectionExport x, InspectionExportService exports, IStringLocalizer<SharedResource> l)
        => new(x.Id, x.HospitalId, x.State.ToString(), x.FiscalYear, x.FromDate, x.ToDate, x.RequestedByName, x.RequestedAt, x.Attempts,
            x.ProgressPercent, x.ProgressStage, x.FilesWritten, x.BytesWritten, x.GeneratedAt, x.CompletedAt, x.ExpiresAt,
            x.ManifestSha256, x.FileCount, x.ZipSize, x.ZipSha256, x.DownloadName,
            x.State == InspectionExportState.Failed ? x.Error ?? InspectionExportErrors.Internal : null,
            x.State == InspectionExportState.Failed ? l[x.Error ?? InspectionExportErrors.Internal].Value : null,
            new InspectionExportLinks(SelfLink(x), exports.IsDownloadable(x) ? SelfLink(x) + "/zip" : null));
}
