using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using VendorPortal.Features.Policy;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Notifications;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.Patches;

/// <summary>
/// One advisory: its affected components with their state, and the step form for the selected rows (予定, 適用済,
/// 対象外, 見送り; the SecurityManager approves or refuses a deferral on its row). One form, no JavaScript: tick rows,
/// choose the step, give its date or reasons. The revision of each row travels with it (optimistic concurrency).
/// </summary>
[Authorize(Policy = Policies.HospitalInRoute)]
public sealed class DetailModel(PatchService patches, CompliancePolicyStore policies, NotificationInbox inbox, ITenantContext tenant, IStringLocalizer<SharedResource> l) : PageModel
{
    public Guid HospitalId { get; private set; }
    public SecurityAdvisory Advisory { get; private set; } = null!;
    public IReadOnlyList<StatusRow> Rows { get; private set; } = [];
    public DateOnly DueOn { get; private set; }
    public DateOnly Today => patches.Today;
    public PatchActor Actor { get; private set; } = null!;
    public bool CanEditAdvisory { get; private set; }
    public IReadOnlyList<PatchAction> Steps { get; private set; } = [];
    public string? Problem { get; private set; }

    [BindProperty] public List<Guid> Selected { get; set; } = [];
    [BindProperty] public Dictionary<Guid, int> Revisions { get; set; } = [];
    [BindProperty] public PatchAction? Step { get; set; }
    [BindProperty] public string? Date { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public string? Measure { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid hospitalId, Guid advisoryId)
    {
        if (!await LoadAsync(hospitalId, advisoryId))
        {
            return NotFound();
        }
        await inbox.MarkSubjectReadAsync(User, PatchService.SubjectType, advisoryId.ToString());
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid hospitalId, Guid advisoryId)
    {
        if (!await LoadAsync(hospitalId, advisoryId))
        {
            return NotFound();
        }
        if (Step is not { } step || step is PatchAction.ApproveDeferral or PatchAction.RefuseDeferral)
        {
            return Fail("StepRequired");
        }
        DateOnly? date = null;
        if (!string.IsNullOrWhiteSpace(Date))
        {
            if (!DateOnly.TryParseExact(Date.Trim(), "yyyy-MM-dd", out var d))
            {
                return Fail("DateInvalid");
            }
            date = d;
        }
        return await ChangeAsync(hospitalId, advisoryId, Selected, step, new PatchInput(date, Reason, Measure));
    }

    public async Task<IActionResult> OnPostApproveAsync(Guid hospitalId, Guid advisoryId, Guid only)
        => await LoadAsync(hospitalId, advisoryId) ? await ChangeAsync(hospitalId, advisoryId, [only], PatchAction.ApproveDeferral, new PatchInput()) : NotFound();

    public async Task<IActionResult> OnPostRefuseAsync(Guid hospitalId, Guid advisoryId, Guid only)
        => await LoadAsync(hospitalId, advisoryId) ? await ChangeAsync(hospitalId, advisoryId, [only], PatchAction.RefuseDeferral, new PatchInput()) : NotFound();

    private async Task<IActionResult> ChangeAsync(Guid hospitalId, Guid advisoryId, IReadOnlyCollection<Guid> ids, PatchAction step, PatchInput input)
    {
        var chosen = ids.Distinct().ToDictionary(id => id, id => Revisions.TryGetValue(id, out var r) ? r : -1);
        var result = await patches.ChangeAsync(Advisory, chosen, step, input, Actor);
        if (result.Succeeded)
        {
            TempData["Status"] = l["PatchStepDone_" + step, chosen.Count].Value;
            return RedirectToPage(new { hospitalId, advisoryId });
        }
        if (result.IsForbidden)
        {
            return Forbid();
        }
        if (result.ErrorCode == "NotFound")
        {
            return NotFound();
        }
        await LoadAsync(hospitalId, advisoryId); // a conflict cleared the tracked rows: show what is there now
        return Fail(result.ErrorCode!);
    }

    private PageResult Fail(string code)
    {
        Problem = l["Patch_" + code].Value;
        ModelState.AddModelError("", Problem);
        return Page();
    }

    private async Task<bool> LoadAsync(Guid hospitalId, Guid advisoryId)
    {
        HospitalId = hospitalId;
        var advisory = await patches.FindAsync(hospitalId, advisoryId);
        if (advisory is null)
        {
            return false;
        }
        Advisory = advisory;
        Actor = PatchService.ActorOf(User, tenant);
        CanEditAdvisory = PatchService.CanEditAdvisory(advisory, Actor);
        Steps = Actor.IsVendorStaff ? [PatchAction.Plan, PatchAction.Apply]
            : Actor.IsHospitalEditor ? [PatchAction.Plan, PatchAction.Apply, PatchAction.NotApplicable, PatchAction.Defer] : [];
        DueOn = PolicyRules.PatchDueOn(advisory.Severity, advisory.ReleasedOn, await policies.GetAsync(hospitalId));
        Rows = await patches.StatusesAsync(advisoryId);
        return true;
    }

    /// <summary>The SecurityManager may approve or refuse this row's deferral (not their own request).</summary>
    public bool CanDecide(PatchStatus s) => Actor.IsSecurityManager && s.State == PatchState.Deferred && s.DeferralApprovedAt is null && s.DeferredByUserId != Actor.UserId;
}
