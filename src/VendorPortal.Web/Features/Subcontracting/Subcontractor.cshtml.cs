using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Tenancy;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Subcontracting;

/// <summary>
/// Adds a 再々委託 under a company of the chain (?parentId=…) or edits one company, while the vendor holds the
/// request. The tree is edited one company at a time with plain forms (the portal serves no script).
/// </summary>
[Authorize(Policy = Policies.VendorStaff)]
public sealed class SubcontractorModel(SubcontractWorkflow workflow, ITenantContext tenant, TimeProvider time, IStringLocalizer<SharedResource> l) : PageModel
{
    public SubcontractRequest Subcontract { get; private set; } = null!;
    public Subcontractor? Parent { get; private set; }
    public Subcontractor? Editing { get; private set; }
    public List<SubcontractProblem> Problems { get; private set; } = [];
    public string? Error { get; private set; }

    [BindProperty] public SubcontractorForm Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(Guid requestId, Guid? subcontractorId, Guid? parentId)
    {
        if (await LoadAsync(requestId, subcontractorId, parentId) is { } refused)
        {
            return refused;
        }
        if (Editing is not null)
        {
            Input = SubcontractorForm.From(Editing);
        }
        else if (Parent is not null)
        {
            // A 再々委託 usually works within its parent's period and country: start from those.
            Input = new SubcontractorForm { PeriodFrom = Parent.PeriodFrom.ToString("yyyy-MM-dd"), PeriodTo = Parent.PeriodTo.ToString("yyyy-MM-dd"), GoverningLaw = Parent.GoverningLaw };
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid requestId, Guid? subcontractorId, Guid? parentId)
    {
        if (await LoadAsync(requestId, subcontractorId, parentId) is { } refused)
        {
            return refused;
        }
        var (input, parseProblems) = Input.ToInput();
        if (parseProblems.Count > 0)
        {
            Problems = [.. parseProblems, .. SubcontractorForm.ForForm(SubcontractValidation.ValidateNode(input, JapanTime.TodayInJapan(time)), input)
                .Where(p => parseProblems.All(x => x.Field != p.Field))];
            return Page();
        }
        var result = await workflow.SaveSubcontractorAsync(Subcontract, SubcontractAccess.ActorOf(User, tenant), subcontractorId, parentId, input);
        if (!result.Succeeded)
        {
            if (result.ErrorCode == "NotFound")
            {
                return NotFound();
            }
            Problems = SubcontractorForm.ForForm(result.Problems?.Where(p => p.Field.Length > 0) ?? [], input);
            var general = result.Problems?.Where(p => p.Field.Length == 0).Select(p => l["Subcontract_" + p.Code, p.Args].Value).ToList() ?? [];
            Error = result.Problems is null ? RefusalText(result.ErrorCode!) : general.Count > 0 ? string.Join(" ", general) : null;
            return Page();
        }
        TempData["Status"] = l[subcontractorId is null ? "SubcontractorAdded" : "SubcontractorSaved"].Value;
        return Redirect($"/Subcontracts/{requestId}#node-{result.Id}");
    }

    private string RefusalText(string code)
    {
        var text = l["SubcontractRefused_" + code];
        return text.ResourceNotFound ? l["Subcontract_" + code].Value : text.Value;
    }

    /// <summary>Not found for another tenant's request or an id that is not of this request; forbidden for anyone but the vendor's staff while it holds the request.</summary>
    private async Task<IActionResult?> LoadAsync(Guid requestId, Guid? subcontractorId, Guid? parentId)
    {
        var r = await workflow.FindAsync(requestId);
        if (r is null)
        {
            return NotFound();
        }
        Subcontract = r;
        var chain = await workflow.ChainAsync(requestId);
        if (subcontractorId is { } id)
        {
            Editing = chain.SingleOrDefault(n => n.Id == id);
            if (Editing is null)
            {
                return NotFound();
            }
            Parent = chain.SingleOrDefault(n => n.Id == Editing.ParentId);
        }
        else
        {
            Parent = parentId is { } pid ? chain.SingleOrDefault(n => n.Id == pid) : null;
            if (Parent is null)
            {
                return NotFound();
            }
        }
        if (!SubcontractWorkflowRules.CanEditContent(r, SubcontractAccess.ActorOf(User, tenant)))
        {
            return Forbid();
        }
        return null;
    }
}
