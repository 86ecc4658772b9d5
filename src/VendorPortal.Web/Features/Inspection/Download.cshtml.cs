using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using VendorPortal.Features.Inspection.Export;
using VendorPortal.Infrastructure.Authorization;

namespace VendorPortal.Features.Inspection;

/// <summary>
/// Streams a finished bundle (application/zip; the file name in RFC 5987 filename* form, UTF-8) and records
/// inspection.bundle_downloaded. Anything not Completed, past its ExpiresAt, or of another hospital answers 404.
/// </summary>
[Authorize(Policy = Policies.InspectionExportInRoute)]
public sealed class DownloadModel(InspectionExportService exports) : PageModel
{
    public async Task<IActionResult> OnGetAsync(Guid hospitalId, Guid exportId)
    {
        if (await exports.OpenDownloadAsync(hospitalId, exportId, HttpContext.RequestAborted) is not { } d)
        {
            return NotFound();
        }
        Response.Headers.XContentTypeOptions = "nosniff";
        return File(d.Content, "application/zip", d.FileName);
    }
}
