using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using VendorPortal.Features.Checklists;
using VendorPortal.Features.Forms.Workbooks;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.Forms;

/// <param name="ProductId">The product of an MDS/SDS disclosure (null for checklists).</param>
/// <param name="ReviewState">Disclosures, for a recipient hospital: its own review state (each hospital reviews on its own).</param>
/// <param name="Recipients">Disclosures, for the vendor: every hospital it is shared with and each one's review state.</param>
public sealed record SubmissionDto(Guid Id, string TemplateKey, string Kind, Guid RespondentOrganizationId, Guid? HospitalId, int? FiscalYear,
    Guid? SystemId, string State, int LatestVersion, DateTimeOffset UpdatedAt, FormAnswers? Draft, IReadOnlyList<VersionDto> Versions, IReadOnlyList<ReviewEventDto> History,
    Guid? ProductId = null, string? ReviewState = null, IReadOnlyList<Disclosures.RecipientDto>? Recipients = null);
public sealed record VersionDto(int Number, string ContentHash, string TemplateHash, DateTimeOffset SubmittedAt, string SubmittedBy,
    IReadOnlyList<Disclosures.AttachmentManifestEntry>? Attachments = null);
public sealed record ReviewEventDto(string Action, int Version, string? Comment, IReadOnlyDictionary<string, string> ItemComments, string Actor, DateTimeOffset At,
    Guid? ActorOrganizationId = null);
public sealed record CreateChecklistRequest(string? TemplateKey, int? FiscalYear, Guid? SystemId);
public sealed record ReviewRequest(string? Decision, string? Comment, Dictionary<string, string>? ItemComments);

/// <summary>Checklists through the API: the same workflow, filters and rules as the pages.</summary>
public static class SubmissionsApi
{
    public static void Map(RouteGroupBuilder v1)
    {
        var g = v1.MapGroup("/submissions").WithTags("Forms");

        g.MapGet("/", async (Guid? hospitalId, SubmissionState? state, AppDbContext db) =>
        {
            var q = db.FormSubmissions.AsNoTracking();
            if (hospitalId is { } h) { q = q.Where(s => s.HospitalId == h); }
            if (state is { } st) { q = q.Where(s => s.State == st); }
            return await q.OrderByDescending(s => s.UpdatedAt).Take(1000)
                .Select(s => new { s.Id, s.TemplateKey, Kind = s.Kind.ToString(), s.RespondentOrganizationId, s.HospitalId, s.FiscalYear, s.SystemId, s.ProductId, State = s.State.ToString(), s.LatestVersion, s.UpdatedAt })
                .ToListAsync();
        }).WithName("ListSubmissions");

        v1.MapPost("/hospitals/{hospitalId:guid}/checklists", async (Guid hospitalId, CreateChecklistRequest request, ClaimsPrincipal user, ITenantContext tenant,
            SubmissionWorkflow workflow, IStringLocalizer<SharedResource> l) =>
        {
            if (tenant.OrganizationKind != Organizations.OrganizationKind.Vendor || !ChecklistAccess.CanAnswer(user))
            {
                return Results.Problem(title: l["Form_NotRespondent"], statusCode: StatusCodes.Status403Forbidden);
            }
            var result = await workflow.CreateVendorChecklistAsync(hospitalId, request.TemplateKey ?? "", request.FiscalYear ?? 0, request.SystemId);
            return result.Succeeded
                ? Results.Created($"/api/v1/submissions/{result.Submission!.Id}", new { result.Submission.Id })
                : Results.ValidationProblem(new Dictionary<string, string[]> { ["checklist"] = [l["Form_" + result.ErrorCode]] });
        }).RequireAuthorization(Policies.HospitalInRoute).WithTags("Forms").WithName("CreateVendorChecklist");

        g.MapGet("/{submissionId:guid}", async (Guid submissionId, SubmissionWorkflow workflow, ITenantContext tenant, AppDbContext db, Disclosures.DisclosureService disclosures) =>
            await workflow.FindAsync(submissionId) is { } s ? Results.Ok(await ToDtoAsync(s, tenant, db, disclosures)) : Results.NotFound())
            .WithName("GetSubmission");

        g.MapPut("/{submissionId:guid}/draft", async (Guid submissionId, FormAnswers answers, ClaimsPrincipal user, SubmissionWorkflow workflow, IStringLocalizer<SharedResource> l) =>
        {
            var (s, refusal) = await FindToAnswerAsync(submissionId, user, workflow, l);
            if (s is null)
            {
                return refusal!;
            }
            if (answers?.Rounds is null)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["rounds"] = [l["Form_AnswersInvalid"]] });
            }
            var result = await workflow.SaveDraftAsync(s, answers);
            return result.Succeeded ? Results.NoContent() : Problems(result, l);
        }).WithName("SaveSubmissionDraft");

        g.MapPost("/{submissionId:guid}/submit", async (Guid submissionId, ClaimsPrincipal user, SubmissionWorkflow workflow, IStringLocalizer<SharedResource> l) =>
        {
            var (s, refusal) = await FindToAnswerAsync(submissionId, user, workflow, l);
            if (s is null)
            {
                return refusal!;
            }
            var result = await workflow.SubmitAsync(s, user.Identity!.Name!);
            return result.Succeeded ? Results.Ok(new { version = s.LatestVersion }) : Problems(result, l);
        }).WithName("SubmitSubmission");

        g.MapGet("/{submissionId:guid}/versions/{number:int}", async (Guid submissionId, int number, AppDbContext db) =>
            await db.FormSubmissionVersions.AsNoTracking().SingleOrDefaultAsync(v => v.SubmissionId == submissionId && v.Number == number) is { } v
                ? Results.Ok(new { v.Number, v.ContentHash, v.TemplateHash, v.SubmittedAt, SubmittedBy = v.SubmittedByName, Answers = AnswerJson.Deserialize(v.Answers),
                    Attachments = Disclosures.SubmissionSnapshot.DeserializeManifest(v.Attachments) })
                : Results.NotFound())
            .WithName("GetSubmissionVersion");

        g.MapGet("/{submissionId:guid}/xlsx", async (Guid submissionId, int? version, SubmissionWorkflow workflow, FormWorkbookService workbooks) =>
            await workflow.FindAsync(submissionId) is { } s && await workbooks.ExportSubmissionAsync(s, version) is { } file
                ? Results.File(file.Bytes, WorkbookFile.ContentType, file.FileName)
                : Results.NotFound())
            .Produces(StatusCodes.Status200OK, contentType: WorkbookFile.ContentType).WithName("ExportSubmissionXlsx");

        // Multipart with one field "file". Read by hand: the session antiforgery check is the API group's filter.
        g.MapPost("/{submissionId:guid}/xlsx", async (Guid submissionId, HttpRequest request, ClaimsPrincipal user, SubmissionWorkflow workflow,
            FormWorkbookService workbooks, IStringLocalizer<SharedResource> l) =>
        {
            var (s, refusal) = await FindToAnswerAsync(submissionId, user, workflow, l);
            if (s is null)
            {
                return refusal!;
            }
            var (file, refused) = await XlsxUploadApi.ReadAsync(request, l);
            if (file is null)
            {
                return refused!;
            }
            await using var stream = file.OpenReadStream();
            var result = await workbooks.ImportAsync(s, stream, file.FileName);
            if (result.Succeeded)
            {
                return Results.Ok(new { items = result.ItemRows });
            }
            if (result.Problems.Count == 0)
            {
                return Problems(new WorkflowResult(false, result.ErrorCode), l);
            }
            return XlsxUploadApi.Problems(result.Problems, p => l["Xlsx_" + p.Code, p.Args].Value, l);
        }).AddOpenApiOperationTransformer((operation, _, _) =>
            {
                // Described here rather than with Accepts(): that would answer 415 before the tenant check answers 404.
                operation.RequestBody = new Microsoft.OpenApi.OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, Microsoft.OpenApi.OpenApiMediaType>
                    {
                        ["multipart/form-data"] = new()
                        {
                            Schema = new Microsoft.OpenApi.OpenApiSchema
                            {
                                Type = Microsoft.OpenApi.JsonSchemaType.Object,
                                Required = new HashSet<string> { "file" },
                                Properties = new Dictionary<string, Microsoft.OpenApi.IOpenApiSchema>
                                {
                                    ["file"] = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String, Format = "binary" },
                                },
                            },
                        },
                    },
                };
                return Task.CompletedTask;
            })
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(XlsxSafety.MaxUploadBytes + 1024 * 1024))
            .WithName("ImportSubmissionXlsx");

        g.MapPost("/{submissionId:guid}/review", async (Guid submissionId, ReviewRequest request, ClaimsPrincipal user, SubmissionWorkflow workflow, IStringLocalizer<SharedResource> l) =>
        {
            if (await workflow.FindAsync(submissionId) is not { } s)
            {
                return Results.NotFound();
            }
            if (!ChecklistAccess.CanReview(user))
            {
                return Results.Problem(title: l["Form_NotReviewer"], statusCode: StatusCodes.Status403Forbidden);
            }
            if (request.Decision is not ("accept" or "return"))
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["decision"] = [l["ReviewDecisionInvalid"]] });
            }
            var accept = request.Decision == "accept";
            var result = await workflow.ReviewAsync(s, accept, request.Comment, request.ItemComments ?? [], user.Identity!.Name!);
            // A disclosure's decision is the hospital's own (its recipient row); the shared submission keeps its state.
            var state = s.ProductId is null ? s.State : Disclosures.RecipientRules.StateAfterReview(accept);
            return result.Succeeded ? Results.Ok(new { state = state.ToString() }) : Problems(result, l);
        }).WithName("ReviewSubmission");
    }

    /// <summary>
    /// The one check every answering endpoint starts with: another organization's form is not found (404);
    /// a visible form the caller may not answer (not the respondent, or a read-only role) is 403.
    /// </summary>
    internal static async Task<(FormSubmission? Submission, IResult? Refusal)> FindToAnswerAsync(Guid submissionId, ClaimsPrincipal user,
        SubmissionWorkflow workflow, IStringLocalizer l)
    {
        if (await workflow.FindAsync(submissionId) is not { } s)
        {
            return (null, Results.NotFound());
        }
        return SubmissionWorkflow.IsRespondent(s, workflow.Tenant) && ChecklistAccess.CanAnswer(user, s.Kind)
            ? (s, null)
            : (null, Results.Problem(title: l["Form_NotRespondent"], statusCode: StatusCodes.Status403Forbidden));
    }

    private static IResult Problems(WorkflowResult result, IStringLocalizer l)
    {
        var errors = (result.Problems ?? [new FormProblem(null, 0, result.ErrorCode!)])
            .GroupBy(p => p.ItemId is null ? (p.Round > 0 ? $"round{p.Round}" : "form") : $"{p.ItemId}[{p.Round}]")
            .ToDictionary(g => g.Key, g => g.Select(p => l["Form_" + p.Code, p.Args].Value).ToArray());
        return Results.ValidationProblem(errors, title: l["Form_" + (result.ErrorCode ?? "AnswersInvalid")].Value,
            statusCode: result.ErrorCode == "ValidationFailed" ? StatusCodes.Status422UnprocessableEntity : StatusCodes.Status400BadRequest);
    }

    private static async Task<SubmissionDto> ToDtoAsync(FormSubmission s, ITenantContext tenant, AppDbContext db, Disclosures.DisclosureService disclosures)
    {
        var versions = (await db.FormSubmissionVersions.AsNoTracking().Where(v => v.SubmissionId == s.Id).OrderBy(v => v.Number).ToListAsync())
            .Select(v => new VersionDto(v.Number, v.ContentHash, v.TemplateHash, v.SubmittedAt, v.SubmittedByName,
                s.ProductId is null ? null : Disclosures.SubmissionSnapshot.DeserializeManifest(v.Attachments))).ToList();
        var history = (await db.FormReviewEvents.AsNoTracking().Where(e => e.SubmissionId == s.Id).OrderBy(e => e.At).ToListAsync())
            .Select(e => new ReviewEventDto(e.Action.ToString(), e.VersionNumber, e.Comment, e.ItemCommentMap, e.ActorName, e.At, e.ActorOrganizationId)).ToList();
        var draft = SubmissionWorkflow.IsRespondent(s, tenant) ? AnswerJson.Deserialize(s.DraftAnswers) : null;
        if (s.ProductId is null)
        {
            return new SubmissionDto(s.Id, s.TemplateKey, s.Kind.ToString(), s.RespondentOrganizationId, s.HospitalId, s.FiscalYear, s.SystemId,
                s.State.ToString(), s.LatestVersion, s.UpdatedAt, draft, versions, history);
        }
        var own = await disclosures.OwnRecipientAsync(s);
        var recipients = SubmissionWorkflow.IsRespondent(s, tenant)
            ? (await disclosures.RecipientsAsync(s)).Select(r => new Disclosures.RecipientDto(r.HospitalId, r.HospitalName, r.State.ToString(), r.ReviewedVersion, r.ReviewedAt, r.SharedAt, r.Withdrawn)).ToList()
            : null;
        return new SubmissionDto(s.Id, s.TemplateKey, s.Kind.ToString(), s.RespondentOrganizationId, s.HospitalId, s.FiscalYear, s.SystemId,
            s.State.ToString(), s.LatestVersion, s.UpdatedAt, draft, versions, history, s.ProductId, own?.ReviewState.ToString(), recipients);
    }
}
