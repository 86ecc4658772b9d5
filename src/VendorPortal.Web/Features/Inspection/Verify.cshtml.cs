using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using VendorPortal.Features.Inspection.Bundle;
using VendorPortal.Features.Inspection.Export;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Localization;

namespace VendorPortal.Features.Inspection;

/// <summary>
/// /Inspection/Verify (any signed-in member): a bundle ZIP chosen (or dropped on the file input) is streamed to a
/// temporary file, checked against its manifest.json, and the result shown — intact, or every differing file with
/// its path. Nothing is stored: the form reader's spool file and the copy are deleted when the request ends. The size
/// limit (Inspection:MaxVerifyBytes) is raised for this page only (<see cref="VerifyUploadLimitsAttribute"/>).
/// </summary>
[Authorize(Policy = Policies.Member)]
[VerifyUploadLimits]
public sealed class VerifyModel(IOptions<InspectionExportOptions> options, IStringLocalizer<SharedResource> l) : PageModel
{
    public BundleVerification? Result { get; private set; }
    public string? FileName { get; private set; }
    public long MaxBytes => options.Value.MaxVerifyBytes;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var form = Request.HasFormContentType ? await Request.ReadFormAsync(HttpContext.RequestAborted) : null;
        var file = form?.Files.Count > 0 ? form.Files[0] : null;
        BundleUploadResult upload;
        if (file is null || file.Length == 0)
        {
            upload = new BundleUploadResult(BundleUploadStatus.NoFile, null, null);
        }
        else
        {
            await using var stream = file.OpenReadStream();
            upload = await BundleUpload.VerifyStreamAsync(stream, MaxBytes, HttpContext.RequestAborted) with { FileName = Path.GetFileName(file.FileName) };
        }
        switch (upload.Status)
        {
            case BundleUploadStatus.NoFile:
                ModelState.AddModelError("", l["InspectionVerifyNoFile"].Value);
                return Page();
            case BundleUploadStatus.TooLarge:
                ModelState.AddModelError("", l["InspectionVerifyTooLarge", MaxBytes / (1L << 30)].Value);
                return Page();
            default:
                Result = upload.Verification;
                FileName = upload.FileName;
                return Page();
        }
    }
}
