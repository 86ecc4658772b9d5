using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using VendorPortal.Features.Patches;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.Policy;

/// <summary>
/// The hospital's policy: EOS warning days, patch days per severity, escalation days. TenantAdmin and SecurityManager
/// edit it; other hospital staff read it; the defaults show until the first save. The entity audit records each change.
/// </summary>
[Authorize(Policy = Policies.HospitalStaffInRoute)]
public sealed class IndexModel(CompliancePolicyStore store, ITenantContext tenant, IStringLocalizer<SharedResource> l) : PageModel
{
    public Guid HospitalId { get; private set; }
    public CompliancePolicy Current { get; private set; } = null!;
    public bool IsCustom { get; private set; }
    public bool CanEdit { get; private set; }

    [BindProperty] public string? EosWarningDays { get; set; }
    [BindProperty] public string? CriticalPatchDays { get; set; }
    [BindProperty] public string? HighPatchDays { get; set; }
    [BindProperty] public string? OtherPatchDays { get; set; }
    [BindProperty] public string? EscalateToSystemOperatorDays { get; set; }
    [BindProperty] public string? EscalateToSecurityManagerDays { get; set; }
    [BindProperty] public string? EscalateToExecutiveDays { get; set; }

    public async Task OnGetAsync(Guid hospitalId)
    {
        await LoadAsync(hospitalId);
        var p = Current;
        EosWarningDays = CompliancePolicyStore.FormatDays(p.EosWarningDays);
        (CriticalPatchDays, HighPatchDays, OtherPatchDays) = (S(p.CriticalPatchDays), S(p.HighPatchDays), S(p.OtherPatchDays));
        (EscalateToSystemOperatorDays, EscalateToSecurityManagerDays, EscalateToExecutiveDays) = (S(p.EscalateToSystemOperatorDays), S(p.EscalateToSecurityManagerDays), S(p.EscalateToExecutiveDays));
    }

    public async Task<IActionResult> OnPostAsync(Guid hospitalId)
    {
        await LoadAsync(hospitalId);
        if (!CanEdit)
        {
            return Forbid();
        }
        ModelState.Clear();
        var input = new CompliancePolicy
        {
            HospitalId = hospitalId,
            EosWarningDays = CompliancePolicyStore.ParseDays(EosWarningDays) ?? [0],
            CriticalPatchDays = N(CriticalPatchDays), HighPatchDays = N(HighPatchDays), OtherPatchDays = N(OtherPatchDays),
            EscalateToSystemOperatorDays = N(EscalateToSystemOperatorDays), EscalateToSecurityManagerDays = N(EscalateToSecurityManagerDays),
            EscalateToExecutiveDays = N(EscalateToExecutiveDays),
        };
        var errors = await store.SaveAsync(hospitalId, input, PatchService.ActorOf(User, tenant).Name);
        if (errors.Count > 0)
        {
            foreach (var key in errors)
            {
                ModelState.AddModelError(FieldOf(key), l[key].Value);
            }
            return Page();
        }
        TempData["Status"] = l["PolicySaved"].Value;
        return RedirectToPage(new { hospitalId });
    }

    private async Task LoadAsync(Guid hospitalId)
    {
        HospitalId = hospitalId;
        Current = await store.GetAsync(hospitalId);
        IsCustom = await store.IsCustomAsync(hospitalId);
        CanEdit = CompliancePolicyStore.EditorRoles.Any(User.IsInRole);
    }

    private static string S(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Not a whole number: 0, which the rules refuse with the field's own message.</summary>
    private static int N(string? text)
        => int.TryParse(text?.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;

    private static string FieldOf(string key) => key switch
    {
        "PolicyEosWarningDaysInvalid" => nameof(EosWarningDays),
        "PolicyPatchDaysInvalid" or "PolicyPatchDaysOrder" => nameof(CriticalPatchDays),
        "PolicyEscalationDaysInvalid" => nameof(EscalateToSystemOperatorDays),
        _ => "",
    };
}
