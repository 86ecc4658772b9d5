using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using VendorPortal.Features.Checklists;
using VendorPortal.Features.Forms;
using VendorPortal.Infrastructure.Files;
using VendorPortal.Infrastructure.Localization;

namespace VendorPortal.Features.Disclosures;

/// <summary>
/// Adds a file to a disclosure's draft, or takes one out; both return to the checklist page with a message.
/// Another tenant's submission is simply not found.
/// </summary>
// The antiforgery check reads the form before the handler runs: accept a larger body than the file limit here so
// that an oversized file still gets its clear message from the handler, instead of a bare 400/413.
[RequestSizeLimit(AttachmentUpload.MaxPageRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = AttachmentUpload.MaxPageRequestBytes)]
public sealed class AttachmentsModel(SubmissionWorkflow workflow, DisclosureService disclosures, IStringLocalizer<SharedResource> l) : PageModel
{
    /// <summary>TempData key of a refused upload, shown next to the upload form.</summary>
    public const string ErrorKey = "AttachmentError";

    public async Task<IActionResult> OnGetAsync(Guid submissionId)
        => await workflow.FindAsync(submissionId) is { ProductId: not null } ? Redirect($"/Checklists/{submissionId}#attachments") : NotFound();

    public async Task<IActionResult> OnPostUploadAsync(Guid submissionId)
    {
        if (await workflow.FindAsync(submissionId) is not { ProductId: not null } s)
        {
            return NotFound();
        }
        if (!SubmissionWorkflow.IsRespondent(s, disclosures.Tenant) || !ChecklistAccess.CanAnswer(User, s.Kind))
        {
            return Forbid();
        }
        var (file, tooLarge) = await AttachmentUpload.ReadAsync(Request);
        if (!tooLarge && await SaveAnswersOnScreenAsync(s) is { } refused)
        {
            TempData[ErrorKey] = refused;
            return Redirect($"/Checklists/{submissionId}#attachments");
        }
        if (tooLarge || file is null)
        {
            TempData[ErrorKey] = tooLarge ? l["Form_AttachmentTooLarge", AttachmentRules.MaxBytes / 1024 / 1024].Value : l["Form_AttachmentMissing"].Value;
        }
        else
        {
            var result = await disclosures.UploadAsync(s, file.Value.FileName, file.Value.Content, User.Identity!.Name!);
            TempData[result.Succeeded ? "Status" : ErrorKey] = result.Succeeded
                ? l["AttachmentUploaded", result.Value!.FileName].Value : l["Form_" + result.ErrorCode, result.Args ?? []].Value;
        }
        return Redirect($"/Checklists/{submissionId}#attachments");
    }

    /// <summary>
    /// The upload and remove buttons submit the checklist form, so the answers on screen come along: they are
    /// saved as the draft first (as 「下書き保存」 would), so nothing typed is lost. Returns a message if refused.
    /// </summary>
    private async Task<string?> SaveAnswersOnScreenAsync(FormSubmission s)
    {
        if (!Request.HasFormContentType || !(await Request.ReadFormAsync()).ContainsKey("rounds"))
        {
            return null;
        }
        var template = await workflow.TemplateOfAsync(s);
        var (answers, problems) = ChecklistForm.Read(Request.Form, template);
        if (problems.Count > 0)
        {
            return l["Form_AnswersInvalid"].Value;
        }
        var saved = await workflow.SaveDraftAsync(s, answers);
        return saved.Succeeded ? null : l["Form_" + saved.ErrorCode].Value;
    }

    public async Task<IActionResult> OnPostRemoveAsync(Guid submissionId, Guid attachmentId)
    {
        if (await workflow.FindAsync(submissionId) is not { ProductId: not null } s)
        {
            return NotFound();
        }
        if (!SubmissionWorkflow.IsRespondent(s, disclosures.Tenant) || !ChecklistAccess.CanAnswer(User, s.Kind))
        {
            return Forbid();
        }
        if (await SaveAnswersOnScreenAsync(s) is { } refused)
        {
            TempData[ErrorKey] = refused;
            return Redirect($"/Checklists/{submissionId}#attachments");
        }
        var result = await disclosures.RemoveAttachmentAsync(s, attachmentId);
        if (!result.Succeeded)
        {
            return NotFound();
        }
        TempData["Status"] = result.Value ? l["AttachmentDeleted"].Value : l["AttachmentRemovedFromDraft"].Value;
        return Redirect($"/Checklists/{submissionId}#attachments");
    }
}
