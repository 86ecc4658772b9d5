using Microsoft.AspNetCore.Antiforgery;
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
/// its path. Nothing is stored. The antiforgery token is checked from the multipart body by
/// <see cref="BundleUpload"/> (the automatic check would buffer the whole form), hence <c>IgnoreAntiforgeryToken</c>.
/// </summary>
[Authorize(Policy = Policies.Member)]
[IgnoreAntiforgeryToken]
public sealed class VerifyModel(IAntiforgery antiforgery, IOptions<InspectionExportOptions> options, IStringLocalizer<SharedResource> l) : PageModel
{
    public BundleVerification? Result { get; private set; }
    public string? FileName { get; private set; }
    public long MaxBytes => options.Value.MaxVerifyBytes;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        BundleUpload.AllowLargeBody(HttpContext, MaxBytes);
        var upload = await BundleUpload.FromMultipartAsync(HttpContext, antiforgery, MaxBytes, HttpContext.RequestAborted);
        switch (upload.Status)
        {
            case BundleUploadStatus.BadRequest:
                return BadRequest();
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
