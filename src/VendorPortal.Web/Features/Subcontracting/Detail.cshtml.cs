using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Notifications;
using VendorPortal.Infrastructure.Tenancy;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Subcontracting;

/// <summary>A problem of the request as the page lists it: which company, which field, what.</summary>
public sealed record RequestProblem(string? Subcontractor, string? FieldLabelKey, string Message);

/// <summary>
/// One 再委託 request: the chain as a tree, attachments, history, and the step forms of whoever may act now
/// (the vendor edits, answers, submits or withdraws; the hospital's roles review, give the opinion, decide).
/// Another tenant's request is not found (query filters), whatever the id.
/// </summary>
[Authorize(Policy = Policies.HospitalOrVendor)]
[RequestSizeLimit(AttachmentFiles.MaxBytes + 1024 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = AttachmentFiles.MaxBytes + 1024 * 1024)]
public sealed class DetailModel(SubcontractWorkflow workflow, SubcontractReader reader, NotificationInbox inbox, ITenantContext tenant, TimeProvider time, IStringLocalizer<SharedResource> l) : PageModel
{
    public SubcontractDetail Detail { get; private set; } = null!;
    public IReadOnlyList<SubcontractAction> Actions { get; private set; } = [];
    public bool CanEdit { get; private set; }
    public List<RequestProblem> Problems { get; } = [];
    /// <summary>The handler whose form failed, so its values are shown again and its message sits next to it.</summary>
    public string? FailedStep { get; private set; }
    public DateOnly Today => JapanTime.TodayInJapan(time);

    [BindProperty] public string? Comment { get; set; }
    [BindProperty] public string? Conditions { get; set; }
    [BindProperty] public SecurityOpinion? Opinion { get; set; }
    [BindProperty] public SubcontractAction? Decision { get; set; }
    [BindProperty] public string? ValidUntil { get; set; }
    [BindProperty] public bool AcknowledgeForeign { get; set; }

    public bool Can(SubcontractAction action) => Actions.Contains(action);

    public async Task<IActionResult> OnGetAsync(Guid requestId)
    {
        if (!await LoadAsync(requestId))
        {
            return NotFound();
        }
        // Looking at the request is reading what the bell said about it.
        await inbox.MarkSubjectReadAsync(User, SubcontractWorkflow.SubjectType, requestId.ToString());
        return Page();
    }

    public Task<IActionResult> OnPostSubmitAsync(Guid requestId) => StepAsync(requestId, SubcontractAction.Submit, "Submit");
    public Task<IActionResult> OnPostWithdrawAsync(Guid requestId) => StepAsync(requestId, SubcontractAction.Withdraw, "Withdraw");
    public Task<IActionResult> OnPostRequestInformationAsync(Guid requestId) => StepAsync(requestId, SubcontractAction.RequestInformation, "RequestInformation");
    public Task<IActionResult> OnPostReviewAsync(Guid requestId) => StepAsync(requestId, SubcontractAction.CompleteReview, "Review");
    public Task<IActionResult> OnPostOpinionAsync(Guid requestId) => StepAsync(requestId, SubcontractAction.GiveOpinion, "Opinion");

    public Task<IActionResult> OnPostDecideAsync(Guid requestId)
        => Decision is SubcontractAction.Approve or SubcontractAction.ApproveWithConditions or SubcontractAction.Reject
            ? StepAsync(requestId, Decision.Value, "Decide")
            : RefuseAsync(requestId, "Decide", "DecisionRequired");

    private async Task<IActionResult> StepAsync(Guid requestId, SubcontractAction action, string step)
    {
        if (!await LoadAsync(requestId))
        {
            return NotFound();
        }
        DateOnly? validUntil = null;
        if (!string.IsNullOrWhiteSpace(ValidUntil))
        {
            if (!DateOnly.TryParseExact(ValidUntil.Trim(), "yyyy-MM-dd", out var v))
            {
                return Fail(step, "ValidUntilInvalid");
            }
            validUntil = v;
        }
        var input = new SubcontractStepInput(Comment, Conditions, Opinion, AcknowledgeForeign, validUntil);
        var result = await workflow.ApplyAsync(Detail.Request, action, input, SubcontractAccess.ActorOf(User, tenant), SubcontractsApi.ActorName(User));
        if (!result.Succeeded)
        {
            if (result.ErrorCode is "WrongParty" or "RoleNotAllowed")
            {
                return Forbid();
            }
            // Reload: a failed save may have left the request detached.
            await LoadAsync(requestId);
            FailedStep = step;
            if (result.Problems is { } problems)
            {
                Problems.AddRange(Describe(problems));
                return Page();
            }
            return Fail(step, result.ErrorCode!);
        }
        TempData["Status"] = l["SubcontractStepDone_" + action].Value;
        return RedirectToPage(new { requestId });
    }

    public async Task<IActionResult> OnPostUploadAsync(Guid requestId, IFormFile? file, string? description)
    {
        if (!await LoadAsync(requestId))
        {
            return NotFound();
        }
        if (file is null || file.Length == 0)
        {
            return Fail("Upload", "AttachmentEmpty");
        }
        if (file.Length > AttachmentFiles.MaxBytes)
        {
            return Fail("Upload", "AttachmentTooLarge");
        }
        using var stream = new MemoryStream((int)file.Length);
        await file.CopyToAsync(stream);
        var result = await workflow.AddAttachmentAsync(Detail.Request, SubcontractAccess.ActorOf(User, tenant), SubcontractsApi.ActorName(User), file.FileName, stream.ToArray(), description);
        return await AfterContentChangeAsync(requestId, result, "Upload", "SubcontractAttachmentAdded");
    }

    public async Task<IActionResult> OnPostRemoveAttachmentAsync(Guid requestId, Guid attachmentId)
    {
        if (!await LoadAsync(requestId))
        {
            return NotFound();
        }
        var result = await workflow.RemoveAttachmentAsync(Detail.Request, SubcontractAccess.ActorOf(User, tenant), attachmentId);
        return await AfterContentChangeAsync(requestId, result, "Attachments", "SubcontractAttachmentRemoved");
    }

    public async Task<IActionResult> OnPostRemoveSubcontractorAsync(Guid requestId, Guid subcontractorId)
    {
        if (!await LoadAsync(requestId))
        {
            return NotFound();
        }
        var result = await workflow.DeleteSubcontractorAsync(Detail.Request, SubcontractAccess.ActorOf(User, tenant), subcontractorId);
        return await AfterContentChangeAsync(requestId, result, "Tree", "SubcontractorRemoved");
    }

    private async Task<IActionResult> AfterContentChangeAsync(Guid requestId, SubcontractResult result, string step, string doneKey)
    {
        if (result.Succeeded)
        {
            TempData["Status"] = l[doneKey].Value;
            return RedirectToPage(new { requestId });
        }
        return result.ErrorCode switch
        {
            "NotFound" => NotFound(),
            "WrongParty" or "RoleNotAllowed" => Forbid(),
            _ => await LoadAsync(requestId) ? Fail(step, result.ErrorCode!) : NotFound(),
        };
    }

    private async Task<IActionResult> RefuseAsync(Guid requestId, string step, string code)
        => await LoadAsync(requestId) ? Fail(step, code) : NotFound();

    private PageResult Fail(string step, string code)
    {
        FailedStep = step;
        var text = l["SubcontractRefused_" + code];
        Problems.Add(new RequestProblem(null, null, text.ResourceNotFound ? l["Subcontract_" + code].Value : text.Value));
        return Page();
    }

    /// <summary>Submission problems name the company ("{nodeId}.{field}", or the node id alone for the chain's shape).</summary>
    private IEnumerable<RequestProblem> Describe(IEnumerable<SubcontractProblem> problems)
    {
        var names = Detail.Nodes.ToDictionary(n => n.Subcontractor.Id.ToString(), n => n.Subcontractor.Name);
        foreach (var p in problems)
        {
            var dot = p.Field.IndexOf('.');
            var node = dot < 0 ? p.Field : p.Field[..dot];
            var field = dot < 0 ? null : p.Field[(dot + 1)..];
            // A problem of the chain's shape names its companies in the message itself.
            yield return new RequestProblem(field is null ? null : names.GetValueOrDefault(node), field is null ? null : FieldLabelKey(field), l["Subcontract_" + p.Code, p.Args].Value);
        }
    }

    public static string FieldLabelKey(string field) => field switch
    {
        "name" => "SubcontractorName",
        "corporateNumber" => "CorporateNumber",
        "address" => "SubcontractorAddress",
        "country" => "SubcontractorCountry",
        "dataStorageCountry" => "DataStorageCountry",
        "governingLaw" => "GoverningLaw",
        "work" => "SubcontractedWork",
        "informationDescription" => "InformationDescription",
        "periodFrom" => "SubcontractPeriodFrom",
        "periodTo" => "SubcontractPeriodTo",
        "securityDuties" => "SecurityDuties",
        _ when field.StartsWith("certifications", StringComparison.Ordinal) => "Certifications",
        _ => "Details",
    };

    private async Task<bool> LoadAsync(Guid requestId)
    {
        var detail = await reader.DetailAsync(requestId);
        if (detail is null)
        {
            return false;
        }
        Detail = detail;
        var actor = SubcontractAccess.ActorOf(User, tenant);
        Actions = SubcontractWorkflowRules.AvailableActions(SubcontractFacts.Of(detail.Request, detail.NeedsForeignAcknowledgement, detail.Root.Subcontractor.PeriodFrom, Today), actor);
        CanEdit = SubcontractWorkflowRules.CanEditContent(detail.Request, actor);
        return true;
    }
}
