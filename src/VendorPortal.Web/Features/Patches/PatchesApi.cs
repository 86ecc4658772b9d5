using System.Security.Claims;
using Microsoft.Extensions.Localization;
using VendorPortal.Features.Policy;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.Patches;

public sealed record AdvisoryRequest(string? Identifier, string? Title, string? Severity, DateOnly? ReleasedOn, string? Url, string? Description, List<Guid>? ComponentIds);
public sealed record StatusChangeRequest(string? Action, DateOnly? Date, string? Reason, string? CompensatingMeasure, int? Revision);
public sealed record AdvisorySummaryDto(Guid Id, string Identifier, string Title, string Severity, DateOnly ReleasedOn, DateOnly DueOn,
    IReadOnlyDictionary<string, int> Counts, int AwaitingApproval, int Unsettled, int Overdue);
public sealed record PatchStatusDto(Guid Id, Guid ComponentId, string ManagementNumber, string ComponentName, string SystemName, string? SupplierName, string State,
    DateOnly? PlannedOn, Guid? CommittedByVendorId, DateOnly? AppliedOn, string? AppliedByName, string? Reason, string? CompensatingMeasure,
    bool DeferralApproved, string? DeferralApprovedByName, DateTimeOffset? DeferralApprovedAt, DateTimeOffset UpdatedAt, string UpdatedByName, int Revision);
public sealed record AdvisoryDto(Guid Id, string Identifier, string Title, string Severity, DateOnly ReleasedOn, DateOnly DueOn, string? Url, string? Description,
    Guid CreatedByOrganizationId, string CreatedByName, DateTimeOffset CreatedAt, IReadOnlyList<PatchStatusDto> Statuses);

/// <summary>
/// Advisories and per-component patch statuses: /api/v1/hospitals/{hospitalId}/advisories (list, create, get, update)
/// and …/advisories/{advisoryId}/statuses/{statusId} (PUT: one step — Plan, Apply, NotApplicable, Defer,
/// ApproveDeferral, RefuseDeferral — with the revision last read). Same rules and filters as the pages.
/// </summary>
public static class PatchesApi
{
    public static void Map(RouteGroupBuilder v1)
    {
        var g = v1.MapGroup("/hospitals/{hospitalId:guid}/advisories").WithTags("Patches").RequireAuthorization(Policies.HospitalInRoute);

        g.MapGet("/", async (Guid hospitalId, string? state, string? severity, bool? overdue, PatchService patches, IStringLocalizer<SharedResource> l) =>
        {
            PatchState? st = null;
            AdvisorySeverity? sev = null;
            if (!string.IsNullOrEmpty(state))
            {
                if (!TryParse<PatchState>(state, out var s))
                {
                    return Results.ValidationProblem(new Dictionary<string, string[]> { ["state"] = [l["Patch_StateInvalid"].Value] });
                }
                st = s;
            }
            if (!string.IsNullOrEmpty(severity))
            {
                if (!TryParse<AdvisorySeverity>(severity, out var s))
                {
                    return Results.ValidationProblem(new Dictionary<string, string[]> { ["severity"] = [l["AdvisorySeverityRequired"].Value] });
                }
                sev = s;
            }
            var rows = await patches.ListAsync(hospitalId, st, sev, overdue == true);
            return Results.Ok(rows.Select(r => new AdvisorySummaryDto(r.Id, r.Identifier, r.Title, r.Severity.ToString(), r.ReleasedOn, r.DueOn,
                r.Counts.ToDictionary(c => c.Key.ToString(), c => c.Value), r.AwaitingApproval, r.Unsettled, r.Overdue)).ToList());
        }).WithName("ListAdvisories").WithSummary("The hospital's advisories with counts per state (a vendor: over the components it supplies); filters state, severity, overdue");

        g.MapGet("/{advisoryId:guid}", async (Guid hospitalId, Guid advisoryId, PatchService patches, CompliancePolicyStore policies) =>
            await patches.FindAsync(hospitalId, advisoryId) is { } a ? Results.Ok(await ToDtoAsync(a, patches, policies)) : Results.NotFound())
            .WithName("GetAdvisory");

        g.MapPost("/", async (Guid hospitalId, AdvisoryRequest body, ClaimsPrincipal user, ITenantContext tenant, PatchService patches, CompliancePolicyStore policies, IStringLocalizer<SharedResource> l) =>
        {
            var result = await patches.CreateAsync(hospitalId, Input(body), body.ComponentIds ?? [], PatchService.ActorOf(user, tenant));
            if (!result.Succeeded)
            {
                return Problems(result, l);
            }
            var created = (await patches.FindAsync(hospitalId, result.Id!.Value))!;
            return Results.Created($"/api/v1/hospitals/{hospitalId}/advisories/{created.Id}", await ToDtoAsync(created, patches, policies));
        }).WithName("CreateAdvisory").WithSummary("Identifier (CVE-YYYY-NNNN…, JVNDB-YYYY-NNNNNN or a bulletin number), title, severity Critical/High/Medium/Low, releasedOn, componentIds");

        g.MapPut("/{advisoryId:guid}", async (Guid hospitalId, Guid advisoryId, AdvisoryRequest body, ClaimsPrincipal user, ITenantContext tenant, PatchService patches,
            CompliancePolicyStore policies, IStringLocalizer<SharedResource> l) =>
        {
            if (await patches.FindAsync(hospitalId, advisoryId) is not { } advisory)
            {
                return Results.NotFound();
            }
            var result = await patches.UpdateAsync(advisory, Input(body), body.ComponentIds ?? [], PatchService.ActorOf(user, tenant));
            return result.Succeeded ? Results.Ok(await ToDtoAsync((await patches.FindAsync(hospitalId, advisoryId))!, patches, policies)) : Problems(result, l);
        }).WithName("UpdateAdvisory").WithSummary("Edits the advisory; componentIds not yet affected are added (existing statuses are kept)");

        g.MapPut("/{advisoryId:guid}/statuses/{statusId:guid}", async (Guid hospitalId, Guid advisoryId, Guid statusId, StatusChangeRequest body, ClaimsPrincipal user,
            ITenantContext tenant, PatchService patches, IStringLocalizer<SharedResource> l) =>
        {
            if (await patches.FindAsync(hospitalId, advisoryId) is not { } advisory)
            {
                return Results.NotFound();
            }
            if (!TryParse<PatchAction>(body.Action, out var action))
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["action"] = [l["Patch_StepRequired"].Value] });
            }
            if (body.Revision is not { } revision)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["revision"] = [l["Patch_RevisionRequired"].Value] });
            }
            var result = await patches.ChangeAsync(advisory, new Dictionary<Guid, int> { [statusId] = revision }, action,
                new PatchInput(body.Date, body.Reason, body.CompensatingMeasure), PatchService.ActorOf(user, tenant));
            if (!result.Succeeded)
            {
                return Problems(result, l);
            }
            var row = (await patches.StatusesAsync(advisoryId)).Single(r => r.Status.Id == statusId);
            return Results.Ok(ToDto(row));
        }).WithName("ChangePatchStatus").WithSummary("action: Plan (date), Apply (date), NotApplicable (reason), Defer (reason, compensatingMeasure), ApproveDeferral, RefuseDeferral; revision as last read");
    }

    private static AdvisoryInput Input(AdvisoryRequest body)
        => new(body.Identifier, body.Title, TryParse<AdvisorySeverity>(body.Severity, out var s) ? s : null, body.ReleasedOn, body.Url, body.Description);

    /// <summary>Enum names only (not numbers), any case.</summary>
    private static bool TryParse<T>(string? text, out T value) where T : struct, Enum
        => Enum.TryParse(text, true, out value) && Enum.IsDefined(value) && !int.TryParse(text, out _);

    private static async Task<AdvisoryDto> ToDtoAsync(SecurityAdvisory a, PatchService patches, CompliancePolicyStore policies)
    {
        var due = PolicyRules.PatchDueOn(a.Severity, a.ReleasedOn, await policies.GetAsync(a.HospitalId));
        return new AdvisoryDto(a.Id, a.Identifier, a.Title, a.Severity.ToString(), a.ReleasedOn, due, a.Url, a.Description, a.CreatedByOrganizationId,
            a.CreatedByName, a.CreatedAt, [.. (await patches.StatusesAsync(a.Id)).Select(ToDto)]);
    }

    private static PatchStatusDto ToDto(StatusRow r)
    {
        var s = r.Status;
        return new PatchStatusDto(s.Id, s.ComponentId, r.ManagementNumber, r.ComponentName, r.SystemName, r.SupplierName, s.State.ToString(), s.PlannedOn,
            s.CommittedByVendorId, s.AppliedOn, s.AppliedByName, s.Reason, s.CompensatingMeasure, s.DeferralApprovedAt is not null, s.DeferralApprovedByName,
            s.DeferralApprovedAt, s.UpdatedAt, s.UpdatedByName, s.Revision);
    }

    private static IResult Problems(PatchResult result, IStringLocalizer l)
    {
        if (result.ErrorCode == "NotFound")
        {
            return Results.NotFound();
        }
        if (result.IsForbidden)
        {
            return Results.Problem(title: l["Patch_" + result.ErrorCode].Value, statusCode: StatusCodes.Status403Forbidden);
        }
        if (result.ErrorCode == "Conflict")
        {
            return Results.Problem(title: l["Patch_Conflict"].Value, statusCode: StatusCodes.Status409Conflict);
        }
        if (result.Problems is { } problems)
        {
            return Results.ValidationProblem(problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => l[p.Key].Value).ToArray()));
        }
        return Results.ValidationProblem(new Dictionary<string, string[]> { ["status"] = [l["Patch_" + result.ErrorCode].Value] });
    }
}
