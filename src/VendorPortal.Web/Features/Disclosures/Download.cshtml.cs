using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using VendorPortal.Features.Forms;

namespace VendorPortal.Features.Disclosures;

/// <summary>
/// Downloads one attachment for whoever sees it: the vendor any of its files, a recipient hospital only files
/// of a submitted version (query filter). Always as a download with the stored type; logged.
/// </summary>
public sealed class DownloadModel(SubmissionWorkflow workflow, DisclosureService disclosures) : PageModel
{
    public async Task<IActionResult> OnGetAsync(Guid submissionId, Guid attachmentId)
    {
        if (await workflow.FindAsync(submissionId) is not { } s || await disclosures.DownloadAsync(s, attachmentId) is not { } a)
        {
            return NotFound();
        }
        Response.Headers.XContentTypeOptions = "nosniff";
        return File(a.Content, a.ContentType, a.FileName);
    }
}
