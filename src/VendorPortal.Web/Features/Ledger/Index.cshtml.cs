using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using VendorPortal.Features.Forms.Workbooks;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.Ledger;

/// <summary>
/// 医療情報システム台帳 of one hospital. Hospital staff: the systems with their components, vendors and 格付け, the queue
/// of vendors' pending proposals, and (editors) a form for a new system. A vendor: the components it supplies and its
/// proposals. {hospitalId} is checked by HospitalInRoute (another tenant's hospital is not found).
/// </summary>
[Authorize(Policy = Policies.HospitalInRoute)]
public sealed class IndexModel(LedgerService ledger, LedgerImport import, ITenantContext tenant, IStringLocalizer<SharedResource> l)
    : LedgerPage(ledger, tenant, l)
{
    public List<SystemRow> Systems { get; private set; } = [];
    public List<ComponentRow> Components { get; private set; } = [];
    public List<ProposalRow> Proposals { get; private set; } = [];
    public List<EngagementOption> Engagements { get; private set; } = [];
    public int PendingCount => Proposals.Count(p => p.Proposal.State == ProposalState.Pending);

    [BindProperty] public SystemValues Sys { get; set; } = new();
    [BindProperty] public List<Guid> EngagementIds { get; set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid hospitalId) => await LoadAsync(hospitalId) ? Page() : NotFound();

    public async Task<IActionResult> OnGetXlsxAsync(Guid hospitalId)
    {
        if (!await LoadHospitalAsync(hospitalId))
        {
            return NotFound();
        }
        var bytes = await import.ExportAsync(hospitalId, Hospital.Name);
        return File(bytes, WorkbookFile.ContentType, FormWorkbookService.FileName("医療情報システム台帳", Hospital.Name, Ledger.Today.ToString("yyyyMMdd")));
    }

    public async Task<IActionResult> OnPostCreateSystemAsync(Guid hospitalId)
    {
        if (!await LoadAsync(hospitalId))
        {
            return NotFound();
        }
        var result = await Ledger.SaveSystemAsync(Actor, hospitalId, null, Sys, EngagementIds);
        if (!result.Succeeded)
        {
            return Refusal(result, nameof(Sys)) ?? Page();
        }
        TempData["Status"] = L["LedgerSystemSaved"].Value;
        return RedirectToPage("/Ledger/System", new { hospitalId, systemId = result.Id });
    }

    private async Task<bool> LoadAsync(Guid hospitalId)
    {
        if (!await LoadHospitalAsync(hospitalId))
        {
            return false;
        }
        Systems = await Ledger.SystemsAsync(hospitalId);
        Proposals = await Ledger.ProposalsAsync(hospitalId, IsVendor ? null : ProposalState.Pending);
        if (IsVendor)
        {
            Components = await Ledger.ComponentsAsync(hospitalId);
        }
        if (CanEdit)
        {
            Engagements = await Ledger.EngagementOptionsAsync(hospitalId);
        }
        return true;
    }
}
