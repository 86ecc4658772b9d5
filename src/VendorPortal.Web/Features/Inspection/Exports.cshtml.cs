using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using VendorPortal.Features.Inspection.Export;
using VendorPortal.Features.Patches;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Tenancy;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Inspection;

/// <summary>
/// /Hospitals/{hospitalId}/Inspection/Exports: request an inspection bundle (立入検査用 提出資料一式) for a 年度 or a date
/// range, and follow this hospital's exports — progress while queued or running (the page reloads itself every 3 s
/// then, with a meta refresh: no script), hashes and the download while completed, the reason when failed.
/// Auditor, SecurityManager and Executive of the hospital (policy InspectionExportInRoute).
/// </summary>
[Authorize(Policy = Policies.InspectionExportInRoute)]
public sealed class ExportsModel(InspectionExportService exports, ITenantContext tenant, IStringLocalizer<SharedResource> l, TimeProvider time) : PageModel
{
    public IReadOnlyList<InspectionExport> Exports { get; private set; } = [];
    public int CurrentFiscalYear { get; private set; }
    public bool AnyRunning => Exports.Any(x => x.State is InspectionExportState.Queued or InspectionExportState.Running);
    public Guid HospitalId { get; private set; }

    [BindProperty] public int? FiscalYear { get; set; }
    [BindProperty] public DateOnly? From { get; set; }
    [BindProperty] public DateOnly? To { get; set; }
    /// <summary>Which form was posted: "year" or "range".</summary>
    [BindProperty] public string? Scope { get; set; }

    public bool IsDownloadable(InspectionExport x) => exports.IsDownloadable(x);

    public async Task OnGetAsync(Guid hospitalId)
    {
        await LoadAsync(hospitalId);
        FiscalYear = CurrentFiscalYear;
    }

    public async Task<IActionResult> OnPostAsync(Guid hospitalId)
    {
        var invalidDates = ModelState.Where(e => e.Value?.Errors.Count > 0).Select(e => e.Key).ToList();
        ModelState.Clear();
        if (invalidDates.Count > 0)
        {
            ModelState.AddModelError("", l["InspectionExportBadDate"].Value);
            await LoadAsync(hospitalId);
            return Page();
        }
        var byYear = Scope != "range";
        var actor = PatchService.ActorOf(User, tenant);
        var result = await exports.RequestAsync(hospitalId, byYear ? FiscalYear : null, byYear ? null : From, byYear ? null : To,
            actor.UserId ?? Guid.Empty, actor.Name, HttpContext.RequestAborted);
        if (result.Export is null)
        {
            foreach (var key in result.Problems)
            {
                ModelState.AddModelError(byYear ? nameof(FiscalYear) : nameof(From), l[key].Value);
            }
            await LoadAsync(hospitalId);
            return Page();
        }
        TempData["Status"] = l["InspectionExportQueued"].Value;
        return RedirectToPage(new { hospitalId });
    }

    private async Task LoadAsync(Guid hospitalId)
    {
        HospitalId = hospitalId;
        CurrentFiscalYear = Infrastructure.Time.FiscalYear.Of(JapanTime.TodayInJapan(time)).StartYear;
        Exports = await exports.ListAsync(hospitalId, HttpContext.RequestAborted);
    }

    public string ScopeText(InspectionExport x) => x.FiscalYear is { } y
        ? $"{new FiscalYear(y).ToWarekiString()}（{new FiscalYear(y)}）"
        : $"{x.FromDate:yyyy/MM/dd} – {x.ToDate:yyyy/MM/dd}";
}
