using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using VendorPortal.Features.Organizations;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.Ledger;

/// <summary>
/// One system of the ledger: its 機器管理票 fields, the vendors engaged for it and its components. Hospital editors
/// change the system and add components; a vendor engaged for it sees the components it supplies and proposes a new one.
/// Another hospital's system (or one a vendor is not engaged for) is not found.
/// </summary>
[Authorize(Policy = Policies.HospitalInRoute)]
public sealed class SystemModel(LedgerService ledger, ITenantContext tenant, IStringLocalizer<SharedResource> l) : LedgerPage(ledger, tenant, l)
{
    public MedicalSystem System { get; private set; } = null!;
    public SystemRow Row { get; private set; } = null!;
    public List<ComponentRow> Components { get; private set; } = [];
    public List<MedicalSystem> Systems { get; private set; } = [];
    public List<VendorRef> Vendors { get; private set; } = [];
    public List<EngagementOption> Engagements { get; private set; } = [];
    public HashSet<Guid> SelectedEngagements { get; private set; } = [];
    public bool CanPropose => Actor.CanPropose && Row.Vendors.Any(v => v.Id == Actor.OrganizationId);

    [BindProperty] public SystemValues Sys { get; set; } = new();
    [BindProperty] public List<Guid> EngagementIds { get; set; } = [];
    [BindProperty] public ComponentValues Input { get; set; } = new();
    [BindProperty] public string? Comment { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid hospitalId, Guid systemId)
    {
        if (!await LoadAsync(hospitalId, systemId))
        {
            return NotFound();
        }
        Sys = SystemValues.Of(System);
        SelectedEngagements = await Ledger.EngagementsOfSystemAsync(systemId);
        Input = new ComponentValues { SystemId = systemId };
        return Page();
    }

    public async Task<IActionResult> OnPostSaveSystemAsync(Guid hospitalId, Guid systemId)
    {
        if (!await LoadAsync(hospitalId, systemId))
        {
            return NotFound();
        }
        Input = new ComponentValues { SystemId = systemId };
        SelectedEngagements = [.. EngagementIds];
        var result = await Ledger.SaveSystemAsync(Actor, hospitalId, systemId, Sys, EngagementIds);
        if (!result.Succeeded)
        {
            return Refusal(result, nameof(Sys)) ?? Page();
        }
        TempData["Status"] = L["LedgerSystemSaved"].Value;
        return RedirectToPage(new { hospitalId, systemId });
    }

    public async Task<IActionResult> OnPostCreateComponentAsync(Guid hospitalId, Guid systemId)
    {
        if (!await LoadAsync(hospitalId, systemId))
        {
            return NotFound();
        }
        Sys = SystemValues.Of(System);
        SelectedEngagements = await Ledger.EngagementsOfSystemAsync(systemId);
        var result = IsVendor
            ? await Ledger.ProposeAsync(Actor, hospitalId, null, Input, Comment)
            : await Ledger.SaveComponentAsync(Actor, hospitalId, null, Input, null);
        if (!result.Succeeded)
        {
            return Refusal(result, nameof(Input)) ?? Page();
        }
        if (IsVendor)
        {
            TempData["Status"] = L["LedgerProposalSent"].Value;
            return RedirectToPage("/Ledger/Proposal", new { hospitalId, proposalId = result.Id });
        }
        TempData["Status"] = L["LedgerComponentSaved"].Value;
        return RedirectToPage("/Ledger/Component", new { hospitalId, componentId = result.Id });
    }

    private async Task<bool> LoadAsync(Guid hospitalId, Guid systemId)
    {
        if (!await LoadHospitalAsync(hospitalId) || await Ledger.SystemAsync(hospitalId, systemId) is not { } system)
        {
            return false;
        }
        System = system;
        var rows = await Ledger.SystemsAsync(hospitalId);
        Row = rows.Single(r => r.System.Id == systemId);
        Systems = [.. rows.Select(r => r.System)];
        Components = await Ledger.ComponentsAsync(hospitalId, systemId);
        Vendors = [.. rows.SelectMany(r => r.Vendors).DistinctBy(v => v.Id).OrderBy(v => v.Name, StringComparer.Ordinal)];
        if (CanEdit)
        {
            Engagements = await Ledger.EngagementOptionsAsync(hospitalId);
        }
        return true;
    }
}
