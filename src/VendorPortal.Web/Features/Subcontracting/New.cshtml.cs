using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Tenancy;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Subcontracting;

public sealed record EngagementChoice(Guid Id, string HospitalName, string Title);

/// <summary>
/// A vendor files a 再委託 request: the engagement it concerns and the direct subcontractor. It is saved as a
/// draft; 再々委託, attachments and the submission follow on the request's page.
/// </summary>
[Authorize(Policy = Policies.VendorStaff)]
public sealed class NewModel(AppDbContext db, SubcontractWorkflow workflow, ITenantContext tenant, TimeProvider time, IStringLocalizer<SharedResource> l) : PageModel
{
    public List<EngagementChoice> Engagements { get; private set; } = [];
    public List<SubcontractProblem> Problems { get; private set; } = [];
    public string? Error { get; private set; }

    [BindProperty] public Guid? EngagementId { get; set; }
    [BindProperty] public SubcontractorForm Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(Guid? engagementId)
    {
        if (!SubcontractAccess.CanFile(User, tenant))
        {
            return Forbid();
        }
        EngagementId = engagementId;
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!SubcontractAccess.CanFile(User, tenant))
        {
            return Forbid();
        }
        await LoadAsync();
        var (input, parseProblems) = Input.ToInput();
        if (EngagementId is null)
        {
            Error = "NoEngagement";
        }
        if (parseProblems.Count > 0 || Error is not null)
        {
            var today = JapanTime.TodayInJapan(time);
            Problems = [.. parseProblems, .. SubcontractorForm.ForForm(SubcontractValidation.ValidateNode(input, today), input)
                .Where(p => parseProblems.All(x => x.Field != p.Field))];
            return Page();
        }
        var result = await workflow.CreateAsync(SubcontractAccess.ActorOf(User, tenant), SubcontractsApi.ActorName(User), EngagementId!.Value, null, input);
        if (!result.Succeeded)
        {
            Problems = SubcontractorForm.ForForm(result.Problems ?? [], input, "subcontractor.");
            Error = result.Problems is null ? result.ErrorCode : null;
            return Page();
        }
        TempData["Status"] = l["SubcontractDraftCreated"].Value;
        return RedirectToPage("/Subcontracting/Detail", new { requestId = result.Id });
    }

    /// <summary>The vendor's active engagements (the query filters show no other).</summary>
    private async Task LoadAsync()
        => Engagements = await db.Engagements.Where(e => e.VendorId == tenant.OrganizationId)
            .OrderBy(e => e.Hospital!.Name).ThenBy(e => e.Title)
            .Select(e => new EngagementChoice(e.Id, e.Hospital!.Name, e.Title)).ToListAsync();
}
