using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using VendorPortal.Infrastructure.Authorization;

namespace VendorPortal.Features.Inspection.Bcp;

/// <summary>Downloads a BCP document of the hospital (its staff only; 404 for anyone else); audit-logged. Always as a download.</summary>
[Authorize(Policy = Policies.HospitalStaffInRoute)]
public sealed class ContentModel(BcpService service) : PageModel
{
    public async Task<IActionResult> OnGetAsync(Guid hospitalId, Guid documentId)
    {
        if (await service.DownloadAsync(hospitalId, documentId) is not { } file)
        {
            return NotFound();
        }
        Response.Headers.XContentTypeOptions = "nosniff";
        return File(file.Bytes, Infrastructure.Files.AttachmentRules.Pdf, file.Document.FileName);
    }
}
