using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.Ledger;

/// <summary>
/// One vendor proposal: field-by-field before and after, and for hospital editors while it is pending, accept (the
/// values are applied at once) or reject with a reason. The proposing vendor sees it and its decision.
/// </summary>
[Authorize(Policy = Policies.HospitalInRoute)]
public sealed class ProposalModel(LedgerService ledger, ITenantContext tenant, IStringLocalizer<SharedResource> l) : LedgerPage(ledger, tenant, l)
{
    public ProposalRow Row { get; private set; } = null!;
    public List<(string Field, string? Before, string? After)> Changes { get; private set; } = [];
    public Dictionary<Guid, string> Names { get; private set; } = [];
    public bool CanDecide => CanEdit && Row.Proposal.State == ProposalState.Pending;

    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public int Revision { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid hospitalId, Guid proposalId) => await LoadAsync(hospitalId, proposalId) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAcceptAsync(Guid hospitalId, Guid proposalId)
    {
        if (!await LoadAsync(hospitalId, proposalId))
        {
            return NotFound();
        }
        var result = await Ledger.AcceptAsync(Actor, hospitalId, proposalId, Revision);
        if (!result.Succeeded)
        {
            return Refusal(result, "Proposal") ?? Page();
        }
        TempData["Status"] = L["LedgerProposalAccepted"].Value;
        return RedirectToPage(new { hospitalId, proposalId });
    }

    public async Task<IActionResult> OnPostRejectAsync(Guid hospitalId, Guid proposalId)
    {
        if (!await LoadAsync(hospitalId, proposalId))
        {
            return NotFound();
        }
        var result = await Ledger.RejectAsync(Actor, hospitalId, proposalId, Reason, Revision);
        if (!result.Succeeded)
        {
            return Refusal(result, "Proposal") ?? Page();
        }
        TempData["Status"] = L["LedgerProposalRejected"].Value;
        return RedirectToPage(new { hospitalId, proposalId });
    }

    private async Task<bool> LoadAsync(Guid hospitalId, Guid proposalId)
    {
        if (!await LoadHospitalAsync(hospitalId) || await Ledger.ProposalAsync(hospitalId, proposalId) is not { } row)
        {
            return false;
        }
        Row = row;
        var p = row.Proposal;
        var proposed = LedgerService.ProposedValues(p);
        // Pending: against the component as it is now (its Revision is still the one proposed against, or accepting
        // is refused). Decided: the proposed values as they were sent.
        var current = p.State == ProposalState.Pending && p.ComponentId is { } cid ? await Ledger.ComponentAsync(hospitalId, cid) : null;
        Changes = LedgerRules.Diff(current is null ? null : ComponentValues.Of(current), proposed);
        var systems = await Ledger.SystemsAsync(hospitalId);
        foreach (var s in systems)
        {
            Names[s.System.Id] = s.System.Name;
            foreach (var v in s.Vendors) { Names[v.Id] = v.Name; }
        }
        Names[p.VendorId] = row.VendorName;
        return true;
    }
}
