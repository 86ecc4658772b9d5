using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using VendorPortal.Features.Forms.Workbooks;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.Ledger;

/// <summary>
/// Imports the ledger from Excel (hospital editors): all rows or none, every problem listed with its cell.
/// </summary>
// A workbook is at most 10 MB; the request may be larger so a file just over the limit gets a clear message.
[RequestSizeLimit(3 * XlsxSafety.MaxUploadBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = 3 * XlsxSafety.MaxUploadBytes)]
[Authorize(Policy = Policies.HospitalStaffInRoute)]
public sealed class ImportModel(LedgerService ledger, LedgerImport import, ITenantContext tenant, IStringLocalizer<SharedResource> l)
    : LedgerPage(ledger, tenant, l)
{
    public List<WorkbookProblem> Problems { get; } = [];

    public async Task<IActionResult> OnGetAsync(Guid hospitalId)
    {
        if (!await LoadHospitalAsync(hospitalId))
        {
            return NotFound();
        }
        return CanEdit ? Page() : Forbid();
    }

    public async Task<IActionResult> OnPostAsync(Guid hospitalId, IFormFile? workbook)
    {
        if (!await LoadHospitalAsync(hospitalId))
        {
            return NotFound();
        }
        if (!CanEdit)
        {
            return Forbid();
        }
        if (workbook is null || workbook.Length == 0)
        {
            Problems.Add(new WorkbookProblem(null, "NoFile"));
            return Page();
        }
        if (workbook.Length > XlsxSafety.MaxUploadBytes)
        {
            Problems.Add(new WorkbookProblem(null, "TooLarge", XlsxSafety.MaxUploadBytes / (1024 * 1024)));
            Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return Page();
        }
        await using var stream = workbook.OpenReadStream();
        var result = await import.ImportAsync(Actor, hospitalId, stream, workbook.FileName);
        if (!result.Succeeded)
        {
            if (result.ErrorCode is { } code)
            {
                ModelState.AddModelError("", L["Ledger_" + code].Value);
            }
            Problems.AddRange(result.Problems);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        TempData["Status"] = L["LedgerImported", result.Rows, result.Created, result.Updated, result.Unchanged].Value;
        return RedirectToPage("/Ledger/Index", new { hospitalId });
    }

    public string Message(WorkbookProblem p) => LedgerApi.Message(L, p);
}
