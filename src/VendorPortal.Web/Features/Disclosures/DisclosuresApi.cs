using System.Security.Claims;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using VendorPortal.Features.Checklists;
using VendorPortal.Features.Forms;
using VendorPortal.Features.Organizations;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Files;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.Disclosures;

public sealed record CreateProductRequest(string? Kind, string? Name, string? Version, string? TemplateKey, Guid? CopyFromProductId);
public sealed record SetRecipientsRequest(List<Guid>? HospitalIds);
public sealed record RecipientDto(Guid HospitalId, string HospitalName, string ReviewState, int? ReviewedVersion, DateTimeOffset? ReviewedAt, DateTimeOffset SharedAt, bool Withdrawn);
public sealed record ProductDto(Guid Id, string Kind, string Name, string Version, Guid? PreviousProductId, DateTimeOffset CreatedAt, Guid VendorId,
    Guid? SubmissionId, string? TemplateKey, string? State, int LatestVersion, IReadOnlyList<RecipientDto> Recipients);
public sealed record CreatedProductDto(Guid Id, Guid SubmissionId, int DroppedAnswers, IReadOnlyList<Guid> Recipients);
public sealed record AttachmentDto(Guid Id, string FileName, string ContentType, long Size, string Sha256, DateTimeOffset UploadedAt, string UploadedBy,
    bool InDraft, int? FirstSubmittedVersion);

/// <summary>
/// MDS/SDS disclosures through the API: products, recipients and attachments. Filling, submitting, reading
/// and reviewing use the /submissions endpoints of <see cref="SubmissionsApi"/>, like every form.
/// </summary>
public static class DisclosuresApi
{
    public static void Map(RouteGroupBuilder v1)
    {
        var products = v1.MapGroup("/products").WithTags("Disclosures");

        products.MapGet("/", async (AppDbContext db) =>
        {
            // The vendor's own products; for a hospital, those shared with it and submitted (query filters).
            var list = await db.Products.AsNoTracking().OrderBy(p => p.Name).ThenByDescending(p => p.CreatedAt).Take(1000).ToListAsync();
            return await ToDtosAsync(list, db);
        }).WithName("ListProducts");

        products.MapPost("/", async (CreateProductRequest request, ClaimsPrincipal user, ITenantContext tenant, DisclosureService disclosures, IStringLocalizer<SharedResource> l) =>
        {
            if (tenant.OrganizationKind != OrganizationKind.Vendor || !ChecklistAccess.CanAnswer(user, FormKind.Mds))
            {
                return Results.Problem(title: l["Form_NotRespondent"], statusCode: StatusCodes.Status403Forbidden);
            }
            var kind = Enum.TryParse<FormKind>(request.Kind, ignoreCase: true, out var k) ? k : FormKind.VendorChecklist;
            var result = await disclosures.CreateProductAsync(kind, request.Name, request.Version, request.TemplateKey, request.CopyFromProductId);
            if (!result.Succeeded)
            {
                return Invalid(l, "product", result.ErrorCode!, result.Args, result.ErrorCode == "ProductExists" ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest);
            }
            var created = result.Value!;
            return Results.Created($"/api/v1/products/{created.Product.Id}",
                new CreatedProductDto(created.Product.Id, created.Submission.Id, created.DroppedAnswers, created.CopiedRecipients));
        }).WithName("CreateProduct");

        products.MapGet("/{productId:guid}", async (Guid productId, AppDbContext db, DisclosureService disclosures) =>
            await disclosures.FindProductAsync(productId) is { } p ? Results.Ok((await ToDtosAsync([p], db)).Single()) : Results.NotFound())
            .WithName("GetProduct");

        var submissions = v1.MapGroup("/submissions/{submissionId:guid}").WithTags("Disclosures");

        submissions.MapGet("/recipients", async (Guid submissionId, SubmissionWorkflow workflow, DisclosureService disclosures) =>
            await workflow.FindAsync(submissionId) is { ProductId: not null } s
                ? Results.Ok((await disclosures.RecipientsAsync(s)).Select(ToDto))
                : Results.NotFound())
            .WithName("ListRecipients");

        submissions.MapPut("/recipients", async (Guid submissionId, SetRecipientsRequest request, ClaimsPrincipal user, SubmissionWorkflow workflow,
            DisclosureService disclosures, IStringLocalizer<SharedResource> l) =>
        {
            var (s, refusal) = await SubmissionsApi.FindToAnswerAsync(submissionId, user, workflow, l);
            if (s is null)
            {
                return refusal!;
            }
            if (request.HospitalIds is null)
            {
                return Invalid(l, "hospitalIds", "RecipientsMissing", null);
            }
            var result = await disclosures.SetRecipientsAsync(s, request.HospitalIds);
            return result.Succeeded ? Results.Ok(result.Value!.Select(ToDto)) : Invalid(l, "hospitalIds", result.ErrorCode!, result.Args);
        }).WithName("SetRecipients");

        submissions.MapGet("/attachments", async (Guid submissionId, SubmissionWorkflow workflow, DisclosureService disclosures) =>
            await workflow.FindAsync(submissionId) is { ProductId: not null } s
                ? Results.Ok((await disclosures.AttachmentsAsync(s.Id)).Select(ToDto))
                : Results.NotFound())
            .WithName("ListAttachments");

        submissions.MapPost("/attachments", async (Guid submissionId, HttpRequest http, ClaimsPrincipal user, ITenantContext tenant, SubmissionWorkflow workflow,
            DisclosureService disclosures, IStringLocalizer<SharedResource> l) =>
        {
            var (s, refusal) = await SubmissionsApi.FindToAnswerAsync(submissionId, user, workflow, l);
            if (s is null)
            {
                return refusal!;
            }
            var (file, tooLarge) = await AttachmentUpload.ReadAsync(http);
            if (tooLarge)
            {
                return Invalid(l, "file", "AttachmentTooLarge", [AttachmentRules.MaxBytes / 1024 / 1024], StatusCodes.Status413PayloadTooLarge);
            }
            if (file is null)
            {
                return Invalid(l, "file", "AttachmentMissing", null);
            }
            var result = await disclosures.UploadAsync(s, file.Value.FileName, file.Value.Content, user.Identity!.Name!);
            if (!result.Succeeded)
            {
                var status = result.ErrorCode switch
                {
                    "AttachmentTooLarge" => StatusCodes.Status413PayloadTooLarge,
                    "AttachmentTypeInvalid" => StatusCodes.Status415UnsupportedMediaType,
                    _ => StatusCodes.Status400BadRequest,
                };
                return Invalid(l, "file", result.ErrorCode!, result.Args, status);
            }
            return Results.Created($"/api/v1/submissions/{s.Id}/attachments/{result.Value!.Id}", ToDto(result.Value));
        }).WithName("UploadAttachment")
          // No Accepts<IFormFile>(): routing would answer 415 to other bodies before authorization (and before the tenant's 404).
          .WithMetadata(new RequestSizeLimitAttribute(AttachmentUpload.MaxRequestBytes))
          .WithMetadata(new RequestFormLimitsAttribute { MultipartBodyLengthLimit = AttachmentUpload.MaxRequestBytes });

        submissions.MapGet("/attachments/{attachmentId:guid}", async (Guid submissionId, Guid attachmentId, SubmissionWorkflow workflow, DisclosureService disclosures, HttpResponse response) =>
        {
            if (await workflow.FindAsync(submissionId) is not { } s || await disclosures.DownloadAsync(s, attachmentId) is not { } a)
            {
                return Results.NotFound();
            }
            return AttachmentUpload.File(response, a);
        }).WithName("DownloadAttachment");

        submissions.MapDelete("/attachments/{attachmentId:guid}", async (Guid submissionId, Guid attachmentId, ClaimsPrincipal user, SubmissionWorkflow workflow,
            DisclosureService disclosures, IStringLocalizer<SharedResource> l) =>
        {
            var (s, refusal) = await SubmissionsApi.FindToAnswerAsync(submissionId, user, workflow, l);
            if (s is null)
            {
                return refusal!;
            }
            var result = await disclosures.RemoveAttachmentAsync(s, attachmentId);
            if (!result.Succeeded)
            {
                return Results.NotFound();
            }
            return Results.Ok(new { deleted = result.Value, keptInSubmittedVersion = !result.Value });
        }).WithName("RemoveAttachment");
    }

    private static IResult Invalid(IStringLocalizer l, string field, string code, object[]? args, int status = StatusCodes.Status400BadRequest)
    {
        var message = l["Form_" + code, args ?? []].Value;
        return Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: message, statusCode: status);
    }

    private static RecipientDto ToDto(RecipientView r)
        => new(r.HospitalId, r.HospitalName, r.State.ToString(), r.ReviewedVersion, r.ReviewedAt, r.SharedAt, r.Withdrawn);

    private static AttachmentDto ToDto(AttachmentView a)
        => new(a.Id, a.FileName, a.ContentType, a.Size, a.Sha256, a.UploadedAt, a.UploadedBy, a.InDraft, a.FirstSubmittedVersion);

    /// <summary>
    /// Products with their disclosure and recipients, in four queries whatever their number. The recipient rows
    /// are filtered: the vendor gets every hospital, a hospital only its own row. A previous version is named only
    /// if the caller can see it.
    /// </summary>
    private static async Task<List<ProductDto>> ToDtosAsync(List<Product> products, AppDbContext db)
    {
        var ids = products.Select(p => p.Id).ToList();
        var submissions = await db.FormSubmissions.AsNoTracking().Where(s => s.ProductId != null && ids.Contains(s.ProductId.Value)).ToDictionaryAsync(s => s.ProductId!.Value);
        var submissionIds = submissions.Values.Select(s => s.Id).ToList();
        var recipients = await db.FormSubmissionRecipients.AsNoTracking().Where(r => submissionIds.Contains(r.SubmissionId)).ToListAsync();
        var hospitalIds = recipients.Select(r => r.HospitalId).Distinct().ToList();
        // Names of the hospitals in rows the caller may see (the vendor chose them; a hospital sees only itself).
        var names = await db.Organizations.IgnoreQueryFilters().Where(o => hospitalIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name);
        var previousIds = products.Where(p => p.PreviousProductId is not null).Select(p => p.PreviousProductId!.Value).ToList();
        var visiblePrevious = (await db.Products.AsNoTracking().Where(p => previousIds.Contains(p.Id)).Select(p => p.Id).ToListAsync()).ToHashSet();
        return [.. products.Select(p =>
        {
            var s = submissions.GetValueOrDefault(p.Id);
            var rows = s is null ? [] : recipients.Where(r => r.SubmissionId == s.Id)
                .OrderBy(r => r.WithdrawnAt is not null).ThenBy(r => names.GetValueOrDefault(r.HospitalId), StringComparer.Ordinal)
                .Select(r => new RecipientDto(r.HospitalId, names.GetValueOrDefault(r.HospitalId) ?? "", r.ReviewState.ToString(), r.ReviewedVersion, r.ReviewedAt, r.SharedAt, r.WithdrawnAt is not null))
                .ToList();
            var previous = p.PreviousProductId is { } prev && visiblePrevious.Contains(prev) ? prev : (Guid?)null;
            return new ProductDto(p.Id, p.Kind.ToString(), p.Name, p.Version, previous, p.CreatedAt, p.VendorId,
                s?.Id, s?.TemplateKey, s?.State.ToString(), s?.LatestVersion ?? 0, rows);
        })];
    }
}

/// <summary>Reading an uploaded file from a multipart request, and sending one back safely.</summary>
public static class AttachmentUpload
{
    /// <summary>The file limit plus room for the multipart envelope; a larger request is refused while it is read.</summary>
    public const long MaxRequestBytes = AttachmentRules.MaxBytes + 64 * 1024;

    /// <summary>The page's limit (Kestrel's default): its form is read for the antiforgery check before the handler can refuse.</summary>
    public const long MaxPageRequestBytes = 30_000_000;

    /// <summary>The first file of the form (field "file" preferred), or whether the request was too large to read.</summary>
    public static async Task<((string FileName, byte[] Content)? File, bool TooLarge)> ReadAsync(HttpRequest request)
    {
        if (request.ContentLength > Math.Max(MaxRequestBytes, request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? 0))
        {
            return (null, true);
        }
        if (!request.HasFormContentType)
        {
            return (null, false);
        }
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync();
        }
        catch (Exception ex) when (ex is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } or InvalidDataException)
        {
            return (null, true);
        }
        var file = form.Files.GetFile("file") ?? form.Files.FirstOrDefault();
        if (file is null)
        {
            return (null, false);
        }
        if (file.Length > AttachmentRules.MaxBytes)
        {
            return (null, true);
        }
        using var buffer = new MemoryStream((int)file.Length);
        await file.CopyToAsync(buffer);
        return ((file.FileName, buffer.ToArray()), false);
    }

    /// <summary>Always a download (never shown inline), with the stored type and the browser told not to guess.</summary>
    public static IResult File(HttpResponse response, FormAttachment a)
    {
        // The security headers add the portal's strict CSP too; nosniff is repeated here on purpose.
        response.Headers.XContentTypeOptions = "nosniff";
        return Results.File(a.Content, a.ContentType, a.FileName);
    }
}
