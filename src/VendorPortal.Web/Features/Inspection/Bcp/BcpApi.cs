using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using VendorPortal.Features.Disclosures;
using VendorPortal.Features.Patches;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Files;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.Inspection.Bcp;

public sealed record BcpDocumentDto(Guid Id, string Title, DateOnly DocumentDate, string DocumentDateWareki, string? VersionLabel, string? Note,
    string FileName, long Size, string Sha256, string UploadedBy, DateTimeOffset UploadedAt, bool Current);

/// <summary>
/// GET/POST /api/v1/hospitals/{hospitalId}/bcp-documents (list newest first; upload as multipart: file, title, documentDate
/// (yyyy-MM-dd or 和暦), versionLabel, note) and GET …/{documentId}/content. The hospital's own staff only.
/// </summary>
public static class BcpApi
{
    public static void Map(RouteGroupBuilder v1)
    {
        var g = v1.MapGroup("/hospitals/{hospitalId:guid}/bcp-documents").WithTags("Inspection").RequireAuthorization(Policies.HospitalStaffInRoute);

        g.MapGet("/", async (Guid hospitalId, BcpService service) => Results.Ok((await service.ListAsync(hospitalId)).Select(Dto)))
            .WithName("ListBcpDocuments").WithSummary("The hospital's BCP documents, newest upload first (the first is current)");

        g.MapPost("/", async (Guid hospitalId, HttpRequest http, ClaimsPrincipal user, ITenantContext tenant, BcpService service, IStringLocalizer<SharedResource> l) =>
        {
            if (!BcpService.UploaderRoles.Any(user.IsInRole))
            {
                return Results.Problem(title: l["BcpNotUploader"].Value, statusCode: StatusCodes.Status403Forbidden);
            }
            var (file, tooLarge) = await AttachmentUpload.ReadAsync(http);
            if (tooLarge)
            {
                var message = l["BcpFileTooLarge", AttachmentRules.MaxBytes / 1024 / 1024].Value;
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [message] }, title: message, statusCode: StatusCodes.Status413PayloadTooLarge);
            }
            var form = http.HasFormContentType ? http.Form : null;
            var input = new BcpUploadInput(form?["title"], form?["documentDate"], form?["versionLabel"], form?["note"], file?.FileName, file?.Content);
            var actor = PatchService.ActorOf(user, tenant);
            var (document, errors) = await service.UploadAsync(hospitalId, input, new BcpActor(actor.UserId ?? Guid.Empty, actor.Name));
            if (document is null)
            {
                return Results.ValidationProblem(errors.GroupBy(e => e.Field).ToDictionary(x => x.Key, x => x.Select(e => l[e.Key, e.Args].Value).ToArray()),
                    title: l[errors[0].Key, errors[0].Args].Value);
            }
            return Results.Created($"{BcpLinks.Api(hospitalId)}/{document.Id}/content", Dto(document));
        }).WithName("UploadBcpDocument").WithSummary("Uploads a BCP document (PDF ≤10 MB; title; documentDate not in the future; optional versionLabel, note)")
          // No Accepts<IFormFile>(): routing would answer 415 to other bodies before authorization.
          .WithMetadata(new RequestSizeLimitAttribute(AttachmentUpload.MaxRequestBytes))
          .WithMetadata(new RequestFormLimitsAttribute { MultipartBodyLengthLimit = AttachmentUpload.MaxRequestBytes });

        g.MapGet("/{documentId:guid}/content", async (Guid hospitalId, Guid documentId, BcpService service, HttpResponse response) =>
        {
            if (await service.DownloadAsync(hospitalId, documentId) is not { } file)
            {
                return Results.NotFound();
            }
            response.Headers.XContentTypeOptions = "nosniff";
            return Results.File(file.Bytes, AttachmentRules.Pdf, file.Document.FileName);
        }).WithName("DownloadBcpDocument").WithSummary("The document's PDF (audit-logged)");
    }

    private static BcpDocumentDto Dto(BcpDocumentView d)
        => new(d.Id, d.Title, d.DocumentDate, Infrastructure.Time.Wareki.Format(d.DocumentDate), d.VersionLabel, d.Note, d.FileName, d.Size, d.Sha256,
            d.UploadedByName, d.UploadedAt, d.IsCurrent);
}
