using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using VendorPortal.Features.Organizations;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.Ledger;

/// <summary>
/// One component: its fields, its end-of-support dates (days left under the hospital's warning windows) and the
/// proposals about it. Hospital editors edit it (checked against the Revision they saw) or retire it; the supplying
/// vendor proposes changes and adds EOS dates. Anyone else's component is not found.
/// </summary>
[Authorize(Policy = Policies.HospitalInRoute)]
public sealed class ComponentModel(LedgerService ledger, ITenantContext tenant, IStringLocalizer<SharedResource> l) : LedgerPage(ledger, tenant, l)
{
    public SystemComponent Component { get; private set; } = null!;
    public ComponentRow Row { get; private set; } = null!;
    public List<SupportDateRow> SupportDates { get; private set; } = [];
    public List<ProposalRow> Proposals { get; private set; } = [];
    public List<MedicalSystem> Systems { get; private set; } = [];
    public List<VendorRef> Vendors { get; private set; } = [];
    public bool CanPropose => Actor.CanPropose && Component.SupplierVendorId == Actor.OrganizationId;
    public bool CanAddDate => LedgerService.CanAddSupportDate(Actor, Component);
    public bool CanRemove(ComponentSupportDate d) => CanEdit || (CanAddDate && d.EnteredByOrganizationId == Actor.OrganizationId);

    [BindProperty] public ComponentValues Input { get; set; } = new();
    [BindProperty] public int Revision { get; set; }
    [BindProperty] public string? Comment { get; set; }
    [BindProperty] public SupportKind? DateKind { get; set; }
    [BindProperty] public string? DateSubject { get; set; }
    [BindProperty] public DateOnly? DateEndsOn { get; set; }
    [BindProperty] public string? DateSource { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid hospitalId, Guid componentId)
    {
        if (!await LoadAsync(hospitalId, componentId))
        {
            return NotFound();
        }
        Input = ComponentValues.Of(Component);
        Revision = Component.Revision;
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(Guid hospitalId, Guid componentId)
    {
        if (!await LoadAsync(hospitalId, componentId))
        {
            return NotFound();
        }
        var result = IsVendor
            ? await Ledger.ProposeAsync(Actor, hospitalId, componentId, Input, Comment)
            : await Ledger.SaveComponentAsync(Actor, hospitalId, componentId, Input, Revision);
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
        return RedirectToPage(new { hospitalId, componentId });
    }

    public async Task<IActionResult> OnPostRetireAsync(Guid hospitalId, Guid componentId)
    {
        if (!await LoadAsync(hospitalId, componentId))
        {
            return NotFound();
        }
        Input = ComponentValues.Of(Component);
        var values = Input.Copy();
        values.RetiredOn = Ledger.Today;
        var result = await Ledger.SaveComponentAsync(Actor, hospitalId, componentId, values, Revision);
        if (!result.Succeeded)
        {
            return Refusal(result, nameof(Input)) ?? Page();
        }
        TempData["Status"] = L["LedgerComponentRetired"].Value;
        return RedirectToPage(new { hospitalId, componentId });
    }

    public async Task<IActionResult> OnPostAddDateAsync(Guid hospitalId, Guid componentId)
    {
        if (!await LoadAsync(hospitalId, componentId))
        {
            return NotFound();
        }
        Input = ComponentValues.Of(Component);
        Revision = Component.Revision;
        var result = await Ledger.AddSupportDateAsync(Actor, hospitalId, componentId, DateKind, DateSubject, DateEndsOn, DateSource);
        if (!result.Succeeded)
        {
            return Refusal(result, "Date") ?? Page();
        }
        TempData["Status"] = L["LedgerSupportDateAdded"].Value;
        return RedirectToPage(new { hospitalId, componentId });
    }

    public async Task<IActionResult> OnPostRemoveDateAsync(Guid hospitalId, Guid componentId, Guid supportDateId)
    {
        if (!await LoadAsync(hospitalId, componentId))
        {
            return NotFound();
        }
        var result = await Ledger.RemoveSupportDateAsync(Actor, hospitalId, componentId, supportDateId);
        if (!result.Succeeded)
        {
            Input = ComponentValues.Of(Component);
            Revision = Component.Revision;
            return Refusal(result, "Date") ?? Page();
        }
        TempData["Status"] = L["LedgerSupportDateRemoved"].Value;
        return RedirectToPage(new { hospitalId, componentId });
    }

    private async Task<bool> LoadAsync(Guid hospitalId, Guid componentId)
    {
        if (!await LoadHospitalAsync(hospitalId) || await Ledger.ComponentAsync(hospitalId, componentId) is not { } c)
        {
            return false;
        }
        Component = c;
        Row = (await Ledger.ComponentsAsync(hospitalId, c.SystemId)).Single(r => r.Component.Id == componentId);
        SupportDates = await Ledger.SupportDatesAsync(hospitalId, componentId);
        Proposals = await Ledger.ProposalsAsync(hospitalId, null, componentId);
        var systems = await Ledger.SystemsAsync(hospitalId);
        Systems = [.. systems.Select(s => s.System)];
        Vendors = [.. systems.SelectMany(s => s.Vendors).DistinctBy(v => v.Id).OrderBy(v => v.Name, StringComparer.Ordinal)];
        return true;
    }
}
