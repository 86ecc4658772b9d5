using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Tenancy;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Subcontracting;

public sealed record CertificationBody(string? Kind, string? Number, DateOnly? ExpiresOn);
public sealed record SubcontractorBody(
    string? Name, string? CorporateNumber, string? Address, string? Country, string? DataStorageCountry, string? GoverningLaw, string? Work,
    bool? HandlesPersonalInformation, bool? HandlesMedicalInformation, string? InformationDescription, DateOnly? PeriodFrom, DateOnly? PeriodTo,
    string? SecurityDuties, List<CertificationBody>? Certifications, List<SubcontractorBody>? Subcontractors);
public sealed record CreateSubcontractRequestBody(Guid? EngagementId, SubcontractorBody? Subcontractor);
public sealed record ReplaceChainBody(SubcontractorBody? Subcontractor);
/// <param name="Comment">The answer (resubmission), question, review note, opinion text, or the decision's reason.</param>
/// <param name="Opinion">favourable, favourable_with_conditions or unfavourable (opinion step).</param>
/// <param name="Decision">approve, approve_with_conditions or reject (decision step).</param>
public sealed record SubcontractStepBody(string? Comment, string? Opinion, string? Decision, string? Conditions, bool? AcknowledgeForeign, DateOnly? ValidUntil);

public sealed record CertificationDto(string Kind, string Number, DateOnly ExpiresOn, bool Expired);
public sealed record SubcontractorDto(Guid Id, string Name, string? CorporateNumber, string Address, string Country, string? DataStorageCountry, bool Foreign,
    string GoverningLaw, string Work, bool HandlesPersonalInformation, bool HandlesMedicalInformation, string? InformationDescription,
    DateOnly PeriodFrom, DateOnly PeriodTo, string SecurityDuties, IReadOnlyList<CertificationDto> Certifications, IReadOnlyList<SubcontractorDto> Subcontractors);
public sealed record AttachmentDto(Guid Id, string FileName, string ContentType, long Size, string Sha256, string? Description, string UploadedBy, DateTimeOffset UploadedAt);
public sealed record SubcontractHistoryDto(string Action, int Version, string? Comment, string? Opinion, bool Withheld, string Actor, string? Role, DateTimeOffset At, string? ContentHash);
public sealed record SubcontractRequestDto(Guid Id, Guid VendorId, string VendorName, Guid HospitalId, string HospitalName, Guid EngagementId, string EngagementTitle,
    IReadOnlyList<string> Systems, string State, int Version, string? ContentHash, bool NeedsForeignAcknowledgement, string? ForeignCaution,
    DateOnly ApprovalEndsOn, string? DecisionReason, string? Conditions, DateOnly? ValidUntil, DateTimeOffset? ForeignAcknowledgedAt, DateTimeOffset UpdatedAt,
    SubcontractorDto Subcontractor, IReadOnlyList<AttachmentDto> Attachments, IReadOnlyList<SubcontractHistoryDto> History, IReadOnlyList<string> AvailableActions);
public sealed record SubcontractRequestRow(Guid Id, Guid VendorId, string VendorName, Guid HospitalId, string HospitalName, Guid EngagementId, string State,
    string Subcontractor, int Subcontractors, int Version, DateTimeOffset UpdatedAt);
public sealed record RegisterRowDto(Guid RequestId, Guid SubcontractorId, Guid? ParentId, string? ParentName, int Depth, Guid VendorId, string VendorName,
    Guid EngagementId, string EngagementTitle, IReadOnlyList<string> Systems, string Name, string? CorporateNumber, string Country, string? DataStorageCountry,
    bool Foreign, bool HandlesPersonalInformation, bool HandlesMedicalInformation, string Work, DateOnly PeriodFrom, DateOnly PeriodTo, DateOnly ApprovalEndsOn,
    string Decision, string? Conditions, DateTimeOffset DecidedAt, string Status, IReadOnlyList<CertificationDto> Certifications);
public sealed record DecisionDto(Guid RequestId, Guid VendorId, string VendorName, string EngagementTitle, string Subcontractor, int Subcontractors, string Decision,
    int Version, string? Reason, string? Conditions, DateOnly? ApprovalEndsOn, bool ForeignAcknowledged, string DecidedBy, DateTimeOffset DecidedAt, string? ContentHash);

/// <summary>
/// 再委託 requests through the API: the same workflow, filters and rules as the pages. Another tenant's request,
/// subcontractor or attachment answers 404; a step that is not the caller's answers 403 (role) or 409 (state).
/// </summary>
public static class SubcontractsApi
{
    private static readonly string[] ForbiddenCodes = ["WrongParty", "RoleNotAllowed", "NotVendor"];
    private static readonly string[] ConflictCodes = ["WrongState", "Closed", "EarlierStepsMissing", "NotEditable", "OwnRequest", "SameActorTwice", "Conflict", "CannotRemoveDirect"];

    public static void Map(RouteGroupBuilder v1)
    {
        var g = v1.MapGroup("/subcontract-requests").RequireAuthorization(Policies.HospitalOrVendor).WithTags("Subcontracting");

        g.MapGet("/", async (Guid? hospitalId, SubcontractState? state, AppDbContext db) =>
        {
            var q = db.SubcontractRequests.AsNoTracking();
            if (hospitalId is { } h) { q = q.Where(r => r.HospitalId == h); }
            if (state is { } s) { q = q.Where(r => r.State == s); }
            return await RowsAsync(db, q.OrderByDescending(r => r.UpdatedAt).Take(1000));
        }).WithName("ListSubcontractRequests").WithSummary("Requests the caller's vendor filed, or submitted ones addressed to the caller's hospital (up to 1000)");

        v1.MapPost("/hospitals/{hospitalId:guid}/subcontract-requests", async (Guid hospitalId, CreateSubcontractRequestBody body, ClaimsPrincipal user,
            ITenantContext tenant, SubcontractWorkflow workflow, IStringLocalizer<SharedResource> l) =>
        {
            if (!SubcontractAccess.CanFile(user, tenant))
            {
                return Refused("NotVendor", l);
            }
            if (body.Subcontractor is null || body.EngagementId is null)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]>
                {
                    [body.EngagementId is null ? "engagementId" : "subcontractor"] = [l["Subcontract_Required"].Value],
                });
            }
            var (root, kindProblems) = ToInput(body.Subcontractor, "subcontractor.");
            if (kindProblems.Count > 0)
            {
                return Problems(SubcontractResult.Invalid(kindProblems), l);
            }
            var result = await workflow.CreateAsync(SubcontractAccess.ActorOf(user, tenant), ActorName(user), body.EngagementId.Value, hospitalId, root);
            return result.Succeeded ? Results.Created($"/api/v1/subcontract-requests/{result.Id}", new { id = result.Id }) : Problems(result, l);
        }).RequireAuthorization(Policies.HospitalInRoute).WithTags("Subcontracting").WithName("CreateSubcontractRequest")
          .WithSummary("A vendor files a draft request for one of its active engagements with the hospital, with the whole chain");

        g.MapGet("/{requestId:guid}", async (Guid requestId, ClaimsPrincipal user, ITenantContext tenant, SubcontractReader reader, IStringLocalizer<SharedResource> l, TimeProvider time) =>
            await reader.DetailAsync(requestId) is { } d ? Results.Ok(ToDto(d, user, tenant, l, time)) : Results.NotFound())
            .WithName("GetSubcontractRequest").Produces<SubcontractRequestDto>();

        g.MapPut("/{requestId:guid}", async (Guid requestId, ReplaceChainBody body, ClaimsPrincipal user, ITenantContext tenant, SubcontractWorkflow workflow, IStringLocalizer<SharedResource> l) =>
        {
            if (await workflow.FindAsync(requestId) is not { } r)
            {
                return Results.NotFound();
            }
            if (body.Subcontractor is null)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["subcontractor"] = [l["Subcontract_Required"].Value] });
            }
            var (root, kindProblems) = ToInput(body.Subcontractor, "subcontractor.");
            var result = kindProblems.Count > 0 ? SubcontractResult.Invalid(kindProblems) : await workflow.ReplaceChainAsync(r, SubcontractAccess.ActorOf(user, tenant), root);
            return result.Succeeded ? Results.NoContent() : Problems(result, l);
        }).WithName("ReplaceSubcontractChain").WithSummary("Replaces the chain of a request the vendor holds (draft or information requested)");

        MapStep(g, "submit", SubcontractAction.Submit, "SubmitSubcontractRequest", "The vendor submits, or answers a request for information (comment required then) and resubmits");
        MapStep(g, "request-information", SubcontractAction.RequestInformation, "RequestSubcontractInformation", "A SystemOperator or PlanningManager asks the vendor for more information (comment required)");
        MapStep(g, "review", SubcontractAction.CompleteReview, "ReviewSubcontractRequest", "A SystemOperator or PlanningManager completes the review");
        MapStep(g, "opinion", null, "GiveSubcontractOpinion", "The SecurityManager gives an opinion: {opinion, comment}");
        MapStep(g, "decision", null, "DecideSubcontractRequest", "An Executive decides: {decision, comment (reason), conditions, validUntil, acknowledgeForeign}");
        MapStep(g, "withdraw", SubcontractAction.Withdraw, "WithdrawSubcontractRequest", "The vendor withdraws a request before the decision");

        g.MapGet("/{requestId:guid}/versions/{number:int}", async (Guid requestId, int number, SubcontractReader reader) =>
            await reader.VersionAsync(requestId, number) is { } v
                ? Results.Text(v.Json, "application/json")
                : Results.NotFound())
            .WithName("GetSubcontractVersion").WithSummary("The snapshot submitted as this version (its SHA-256 is in the history)");

        g.MapPost("/{requestId:guid}/attachments", async (Guid requestId, HttpRequest http, ClaimsPrincipal user, ITenantContext tenant, SubcontractWorkflow workflow, IStringLocalizer<SharedResource> l) =>
        {
            if (await workflow.FindAsync(requestId) is not { } r)
            {
                return Results.NotFound();
            }
            if (!http.HasFormContentType || (await http.ReadFormAsync()).Files.GetFile("file") is not { } file)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [l["Subcontract_AttachmentEmpty"].Value] });
            }
            if (file.Length > AttachmentFiles.MaxBytes)
            {
                return Problems(SubcontractResult.Fail("AttachmentTooLarge"), l);
            }
            var bytes = await ReadAsync(file);
            var result = await workflow.AddAttachmentAsync(r, SubcontractAccess.ActorOf(user, tenant), ActorName(user), file.FileName, bytes, http.Form["description"]);
            return result.Succeeded ? Results.Created($"/api/v1/subcontract-requests/{requestId}/attachments/{result.Id}", new { id = result.Id }) : Problems(result, l);
        }).DisableAntiforgery() // the group's SessionAntiforgeryFilter checks the header; minimal APIs' form antiforgery would need UseAntiforgery()
          .WithName("AddSubcontractAttachment").WithSummary("multipart/form-data: file (PDF, PNG or JPEG by content, up to 10 MB), description");

        g.MapGet("/{requestId:guid}/attachments/{attachmentId:guid}", async (Guid requestId, Guid attachmentId, SubcontractWorkflow workflow) =>
        {
            if (await workflow.FindAsync(requestId) is not { } r || await workflow.ReadAttachmentAsync(r, attachmentId) is not { } file)
            {
                return Results.NotFound();
            }
            return Results.File(file.Bytes, file.Attachment.ContentType, file.Attachment.FileName);
        }).WithName("GetSubcontractAttachment");

        g.MapDelete("/{requestId:guid}/attachments/{attachmentId:guid}", async (Guid requestId, Guid attachmentId, ClaimsPrincipal user, ITenantContext tenant, SubcontractWorkflow workflow, IStringLocalizer<SharedResource> l) =>
        {
            if (await workflow.FindAsync(requestId) is not { } r)
            {
                return Results.NotFound();
            }
            var result = await workflow.RemoveAttachmentAsync(r, SubcontractAccess.ActorOf(user, tenant), attachmentId);
            return result.Succeeded ? Results.NoContent() : Problems(result, l);
        }).WithName("RemoveSubcontractAttachment");

        v1.MapGet("/hospitals/{hospitalId:guid}/subcontractors", async (Guid hospitalId, Guid? vendorId, Guid? systemId, bool? includeEnded, SubcontractRegister register) =>
            (await register.ListAsync(hospitalId, vendorId, systemId, includeEnded ?? false)).Select(ToDto).ToList())
            .RequireAuthorization(Policies.HospitalStaffInRoute).WithTags("Subcontracting").WithName("ListSubcontractorRegister")
            .WithSummary("The hospital's register of approved subcontractors (current ones; includeEnded=true adds ended approvals), per vendor and system")
            .Produces<List<RegisterRowDto>>();

        v1.MapGet("/hospitals/{hospitalId:guid}/subcontract-decisions", async (Guid hospitalId, SubcontractRegister register) =>
            (await register.DecisionsAsync(hospitalId)).Select(d => new DecisionDto(d.RequestId, d.VendorId, d.VendorName, d.EngagementTitle, d.SubcontractorName,
                d.SubcontractorCount, d.Decision.ToString(), d.Version, d.Reason, d.Conditions, d.ApprovalEndsOn, d.ForeignAcknowledged, d.DecidedBy, d.DecidedAt, d.ContentHash)).ToList())
            .RequireAuthorization(Policies.HospitalStaffInRoute).WithTags("Subcontracting").WithName("ListSubcontractDecisions")
            .WithSummary("Every decision on requests addressed to the hospital, newest first").Produces<List<DecisionDto>>();
    }

    private static void MapStep(RouteGroupBuilder g, string path, SubcontractAction? fixedAction, string name, string summary)
        => g.MapPost("/{requestId:guid}/" + path, async (Guid requestId, SubcontractStepBody? body, ClaimsPrincipal user, ITenantContext tenant,
            SubcontractWorkflow workflow, IStringLocalizer<SharedResource> l) =>
        {
            if (await workflow.FindAsync(requestId) is not { } r)
            {
                return Results.NotFound();
            }
            body ??= new SubcontractStepBody(null, null, null, null, null, null);
            var action = fixedAction ?? (path == "opinion" ? SubcontractAction.GiveOpinion : ParseDecision(body.Decision));
            if (action is null)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["decision"] = [l["SubcontractRefused_DecisionRequired"].Value] });
            }
            SecurityOpinion? opinion = null;
            if (action == SubcontractAction.GiveOpinion && body.Opinion is not null)
            {
                opinion = ParseEnum<SecurityOpinion>(body.Opinion);
                if (opinion is null)
                {
                    return Results.ValidationProblem(new Dictionary<string, string[]> { ["opinion"] = [l["SubcontractRefused_OpinionRequired"].Value] });
                }
            }
            var input = new SubcontractStepInput(body.Comment, body.Conditions, opinion, body.AcknowledgeForeign ?? false, body.ValidUntil);
            var result = await workflow.ApplyAsync(r, action.Value, input, SubcontractAccess.ActorOf(user, tenant), ActorName(user));
            return result.Succeeded ? Results.Ok(new { state = r.State.ToString(), version = r.Version }) : Problems(result, l, submitting: action == SubcontractAction.Submit);
        }).WithName(name).WithSummary(summary);

    private static SubcontractAction? ParseDecision(string? decision) => ParseEnum<DecisionKind>(decision) switch
    {
        DecisionKind.Approve => SubcontractAction.Approve,
        DecisionKind.ApproveWithConditions => SubcontractAction.ApproveWithConditions,
        DecisionKind.Reject => SubcontractAction.Reject,
        _ => null,
    };

    private enum DecisionKind { Approve, ApproveWithConditions, Reject }

    /// <summary>"approve_with_conditions", "ApproveWithConditions" and "approveWithConditions" all name the same value.</summary>
    private static T? ParseEnum<T>(string? value) where T : struct, Enum
        => value is not null && Enum.TryParse<T>(value.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed : null;

    public static string ActorName(ClaimsPrincipal user) => user.FindFirstValue(PortalClaims.DisplayName) is { Length: > 0 } name ? name : user.Identity?.Name ?? "";

    private static async Task<byte[]> ReadAsync(IFormFile file)
    {
        using var stream = new MemoryStream((int)file.Length);
        await file.CopyToAsync(stream);
        return stream.ToArray();
    }

    /// <summary>The API body as the workflow's input; an unknown certification kind is a problem of its own.</summary>
    public static (SubcontractorInput Input, List<SubcontractProblem> Problems) ToInput(SubcontractorBody b, string path)
    {
        var problems = new List<SubcontractProblem>();
        var certifications = new List<CertificationInput>();
        var bodies = b.Certifications ?? [];
        for (var i = 0; i < bodies.Count; i++)
        {
            if (ParseEnum<CertificationKind>(bodies[i].Kind) is { } kind)
            {
                certifications.Add(new CertificationInput(kind, bodies[i].Number, bodies[i].ExpiresOn));
            }
            else
            {
                problems.Add(new SubcontractProblem($"{path}certifications[{i}].kind", "CertificationKindUnknown"));
            }
        }
        var children = new List<SubcontractorInput>();
        var childBodies = b.Subcontractors ?? [];
        for (var i = 0; i < childBodies.Count; i++)
        {
            var (child, childProblems) = ToInput(childBodies[i], $"{path}subcontractors[{i}].");
            children.Add(child);
            problems.AddRange(childProblems);
        }
        return (new SubcontractorInput(b.Name, b.CorporateNumber, b.Address, b.Country?.Trim().ToUpperInvariant(), string.IsNullOrWhiteSpace(b.DataStorageCountry) ? null : b.DataStorageCountry.Trim().ToUpperInvariant(),
            b.GoverningLaw, b.Work, b.HandlesPersonalInformation ?? false, b.HandlesMedicalInformation ?? false, b.InformationDescription, b.PeriodFrom, b.PeriodTo,
            b.SecurityDuties, certifications, children), problems);
    }

    public static IResult Problems(SubcontractResult result, IStringLocalizer l, bool submitting = false)
    {
        var code = result.ErrorCode ?? "Invalid";
        if (code == "NotFound")
        {
            return Results.NotFound();
        }
        if (result.Problems is null)
        {
            return Refused(code, l);
        }
        var errors = result.Problems.GroupBy(p => p.Field).ToDictionary(g => g.Key.Length == 0 ? "subcontractor" : g.Key, g => g.Select(p => l["Subcontract_" + p.Code, p.Args].Value).ToArray());
        return Results.ValidationProblem(errors, title: l[submitting ? "SubcontractNotSubmittable" : "SubcontractInvalid"].Value,
            statusCode: submitting ? StatusCodes.Status422UnprocessableEntity : StatusCodes.Status400BadRequest);
    }

    private static IResult Refused(string code, IStringLocalizer l)
    {
        var status = ForbiddenCodes.Contains(code) ? StatusCodes.Status403Forbidden
            : ConflictCodes.Contains(code) ? StatusCodes.Status409Conflict
            : StatusCodes.Status400BadRequest;
        var text = l["SubcontractRefused_" + code];
        return Results.Problem(title: text.ResourceNotFound ? l["Subcontract_" + code].Value : text.Value, statusCode: status);
    }

    private static async Task<List<SubcontractRequestRow>> RowsAsync(AppDbContext db, IQueryable<SubcontractRequest> requests)
    {
        var rows = await requests.Select(r => new
        {
            r.Id, r.VendorId, r.HospitalId, r.EngagementId, r.State, r.Version, r.UpdatedAt,
            Name = db.Subcontractors.Where(s => s.RequestId == r.Id && s.ParentId == null).Select(s => s.Name).FirstOrDefault() ?? "",
            Count = db.Subcontractors.Count(s => s.RequestId == r.Id),
        }).ToListAsync();
        var names = await SubcontractReader.PartyNamesAsync(db, rows.SelectMany(r => new[] { r.VendorId, r.HospitalId }));
        return [.. rows.Select(r => new SubcontractRequestRow(r.Id, r.VendorId, names.GetValueOrDefault(r.VendorId, ""), r.HospitalId, names.GetValueOrDefault(r.HospitalId, ""),
            r.EngagementId, r.State.ToString(), r.Name, r.Count, r.Version, r.UpdatedAt))];
    }

    public static SubcontractRequestDto ToDto(SubcontractDetail d, ClaimsPrincipal user, ITenantContext tenant, IStringLocalizer l, TimeProvider time)
    {
        var today = JapanTime.TodayInJapan(time);
        var r = d.Request;
        var actor = SubcontractAccess.ActorOf(user, tenant);
        var facts = SubcontractFacts.Of(r, d.NeedsForeignAcknowledgement, d.Root.Subcontractor.PeriodFrom, today);
        var actions = SubcontractWorkflowRules.AvailableActions(facts, actor).Select(a => a.ToString()).ToList();
        if (SubcontractWorkflowRules.CanEditContent(r, actor))
        {
            actions.Insert(0, "Edit");
        }
        SubcontractorDto Node(SubcontractNode n) => new(n.Subcontractor.Id, n.Subcontractor.Name, n.Subcontractor.CorporateNumber, n.Subcontractor.Address, n.Subcontractor.Country,
            n.Subcontractor.DataStorageCountry, n.Subcontractor.IsForeign, n.Subcontractor.GoverningLaw, n.Subcontractor.Work, n.Subcontractor.HandlesPersonalInformation,
            n.Subcontractor.HandlesMedicalInformation, n.Subcontractor.InformationDescription, n.Subcontractor.PeriodFrom, n.Subcontractor.PeriodTo, n.Subcontractor.SecurityDuties,
            [.. n.Subcontractor.Certifications.OrderBy(c => c.Kind).Select(c => new CertificationDto(c.Kind.ToString(), c.Number, c.ExpiresOn, c.ExpiresOn < today))],
            [.. n.Children.Select(Node)]);
        return new SubcontractRequestDto(r.Id, r.VendorId, d.VendorName, r.HospitalId, d.HospitalName, r.EngagementId, d.EngagementTitle, d.SystemNames, r.State.ToString(),
            r.Version, r.ContentHash, d.NeedsForeignAcknowledgement, d.NeedsForeignAcknowledgement ? l["SubcontractForeignCaution"].Value : null,
            d.ApprovalEndsOn, r.DecisionReason, r.Conditions, r.ValidUntil, r.ForeignAcknowledgedAt, r.UpdatedAt, Node(d.Root),
            [.. d.Attachments.Select(a => new AttachmentDto(a.Id, a.FileName, a.ContentType, a.Size, a.Sha256, a.Description, a.UploadedByName, a.UploadedAt))],
            [.. d.History.Select(h => new SubcontractHistoryDto(h.Action.ToString(), h.Version, h.Comment, h.Opinion?.ToString(), h.Withheld, h.ActorName, h.ActorRole, h.At, h.ContentHash))],
            actions);
    }

    private static RegisterRowDto ToDto(RegisterRow x) => new(x.RequestId, x.SubcontractorId, x.ParentId, x.ParentName, x.Depth, x.VendorId, x.VendorName, x.EngagementId,
        x.EngagementTitle, x.Systems, x.Name, x.CorporateNumber, x.Country, x.DataStorageCountry, x.Foreign, x.HandlesPersonalInformation, x.HandlesMedicalInformation,
        x.Work, x.PeriodFrom, x.PeriodTo, x.ApprovalEndsOn, x.Decision.ToString(), x.Conditions, x.DecidedAt, x.Status.ToString(),
        [.. x.Certifications.Select(c => new CertificationDto(c.Kind.ToString(), c.Number, c.ExpiresOn, c.Expired))]);
}
