using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using VendorPortal.Features.Ledger;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.Patches;

/// <summary>
/// The advisory form shared by New and Edit: the advisory's fields and the affected-component picker (by system, by
/// kind, by OS/software text; a checkbox list, no JavaScript: "絞り込む" posts the form back with the ticks kept).
/// </summary>
public abstract class AdvisoryFormModel(PatchService patches, ITenantContext tenant, IStringLocalizer<SharedResource> l) : PageModel
{
    protected PatchService Patches => patches;
    protected ITenantContext Tenant => tenant;
    protected IStringLocalizer<SharedResource> L => l;

    public Guid HospitalId { get; protected set; }
    public SecurityAdvisory? Advisory { get; protected set; }
    public IReadOnlyList<(Guid Id, string Name)> Systems { get; private set; } = [];
    public IReadOnlyList<ComponentOption> Options { get; private set; } = [];
    public HashSet<Guid> AlreadyAffected { get; protected set; } = [];

    [BindProperty] public string? Identifier { get; set; }
    [BindProperty] public string? Title { get; set; }
    [BindProperty] public AdvisorySeverity? Severity { get; set; }
    [BindProperty] public string? ReleasedOn { get; set; }
    [BindProperty] public string? Link { get; set; }
    [BindProperty] public string? Description { get; set; }
    [BindProperty] public List<Guid> Selected { get; set; } = [];
    [BindProperty] public Guid? FilterSystem { get; set; }
    [BindProperty] public ComponentKind? FilterKind { get; set; }
    [BindProperty] public string? FilterText { get; set; }

    protected async Task LoadPickerAsync()
    {
        Systems = await patches.SystemsAsync(HospitalId);
        Options = await patches.ComponentsAsync(HospitalId, new ComponentFilter(FilterSystem, FilterKind, FilterText));
    }

    protected AdvisoryInput Input()
    {
        DateOnly? released = DateOnly.TryParseExact(ReleasedOn?.Trim(), "yyyy-MM-dd", out var d) ? d : null;
        return new AdvisoryInput(Identifier, Title, Severity, released, Link, Description);
    }

    /// <summary>Shows the result's problems next to their fields; a refusal of the whole action becomes a 403.</summary>
    protected async Task<IActionResult> AfterSaveAsync(PatchResult result)
    {
        if (result.Succeeded)
        {
            TempData["Status"] = l["AdvisorySaved"].Value;
            return Redirect(PatchService.Link(HospitalId, result.Id!.Value));
        }
        if (result.IsForbidden)
        {
            return Forbid();
        }
        foreach (var (field, key) in result.Problems ?? [("", "Patch_" + result.ErrorCode)])
        {
            ModelState.AddModelError(FieldName(field), l[key].Value);
        }
        await LoadPickerAsync();
        return Page();
    }

    private static string FieldName(string field) => field switch
    {
        "identifier" => nameof(Identifier),
        "title" => nameof(Title),
        "severity" => nameof(Severity),
        "releasedOn" => nameof(ReleasedOn),
        "url" => nameof(Link),
        "components" => nameof(Selected),
        _ => "",
    };
}
