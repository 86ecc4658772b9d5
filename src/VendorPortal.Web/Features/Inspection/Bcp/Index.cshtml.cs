using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using VendorPortal.Features.Disclosures;
using VendorPortal.Features.Patches;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Tenancy;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Inspection.Bcp;

/// <summary>The upload form's fields (the file comes as "file").</summary>
public sealed class BcpForm
{
    public string? Title { get; set; }
    public string? DocumentDate { get; set; }
    public string? VersionLabel { get; set; }
    public string? Note { get; set; }
}

/// <summary>
/// /Hospitals/{hospitalId}/Inspection/Bcp: the hospital's BCP documents, newest first (the first is current, the rest
/// history); TenantAdmin, SecurityManager and PlanningManager upload, TenantAdmin and SecurityManager delete, every
/// hospital role reads. Vendors and other hospitals never reach it (policy, then the tenant filter: 404).
/// </summary>
[Authorize(Policy = Policies.HospitalStaffInRoute)]
// The antiforgery check reads the form before the handler: accept more than the file limit so an oversized file gets its message.
[RequestSizeLimit(AttachmentUpload.MaxPageRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = AttachmentUpload.MaxPageRequestBytes)]
public sealed class IndexModel(BcpService service, ITenantContext tenant, IStringLocalizer<SharedResource> l, TimeProvider time) : PageModel
{
    public IReadOnlyList<BcpDocumentView> Documents { get; private set; } = [];
    public bool CanUpload => BcpService.UploaderRoles.Any(User.IsInRole);
    public bool CanDelete => BcpService.DeleterRoles.Any(User.IsInRole);
    public DateOnly Today { get; private set; }
    public Guid HospitalId { get; private set; }

    [BindProperty] public BcpForm Input { get; set; } = new();

    public async Task OnGetAsync(Guid hospitalId) => await LoadAsync(hospitalId);

    public async Task<IActionResult> OnPostUploadAsync(Guid hospitalId)
    {
        if (!CanUpload)
        {
            return Forbid();
        }
        var (file, tooLarge) = await AttachmentUpload.ReadAsync(Request);
        var input = new BcpUploadInput(Input.Title, Input.DocumentDate, Input.VersionLabel, Input.Note, file?.FileName, file?.Content);
        IReadOnlyList<BcpError> errors;
        if (tooLarge)
        {
            errors = [new BcpError("file", "BcpFileTooLarge", Infrastructure.Files.AttachmentRules.MaxBytes / 1024 / 1024)];
        }
        else
        {
            var actor = PatchService.ActorOf(User, tenant);
            (_, errors) = await service.UploadAsync(hospitalId, input, new BcpActor(actor.UserId ?? Guid.Empty, actor.Name));
        }
        if (errors.Count > 0)
        {
            ModelState.Clear();
            foreach (var e in errors)
            {
                ModelState.AddModelError("Input." + e.Field, l[e.Key, e.Args].Value);
            }
            await LoadAsync(hospitalId);
            return Page();
        }
        TempData["Status"] = l["BcpUploaded"].Value;
        return RedirectToPage(new { hospitalId });
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid hospitalId, Guid documentId)
    {
        if (!CanDelete)
        {
            return Forbid();
        }
        if (!await service.DeleteAsync(hospitalId, documentId))
        {
            return NotFound();
        }
        TempData["Status"] = l["BcpDeleted"].Value;
        return RedirectToPage(new { hospitalId });
    }

    private async Task LoadAsync(Guid hospitalId)
    {
        HospitalId = hospitalId;
        Documents = await service.ListAsync(hospitalId);
        Today = JapanTime.TodayInJapan(time);
    }
}
