using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using VendorPortal.Infrastructure.Authorization;

namespace VendorPortal.Features.Subcontracting;

/// <summary>
/// Downloads an attachment of a request the caller can see (the vendor, or the hospital once submitted). Always as a
/// download with the content type detected at upload; each download is audit-logged.
/// </summary>
[Authorize(Policy = Policies.HospitalOrVendor)]
public sealed class AttachmentModel(SubcontractWorkflow workflow) : PageModel
{
    public async Task<IActionResult> OnGetAsync(Guid requestId, Guid attachmentId)
    {
        if (await workflow.FindAsync(requestId) is not { } r || await workflow.ReadAttachmentAsync(r, attachmentId) is not { } file)
        {
            return NotFound();
        }
        return File(file.Bytes, file.Attachment.ContentType, file.Attachment.FileName);
    }
}
