using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using VendorPortal.Features.Organizations;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.Reminders;

/// <summary>
/// The reminders addressed to the signed-in user (their roles, or their vendor's), filtered by state and kind;
/// hospital staff can switch to every reminder of their hospital, vendors' ones included.
/// </summary>
[Authorize(Policy = Policies.HospitalOrVendor)]
public sealed class IndexModel(ReminderBoard board, ITenantContext tenant, IStringLocalizer<SharedResource> l) : PageModel
{
    public List<Reminder> Items { get; private set; } = [];
    public ReminderScope Scope { get; private set; }
    public ReminderState? StateFilter { get; private set; }
    public ReminderKind? KindFilter { get; private set; }
    public bool IsHospital => tenant.OrganizationKind == OrganizationKind.Hospital;

    public string Text(Reminder r) => ReminderBoard.Text(l, r);

    public async Task OnGetAsync(ReminderScope scope = ReminderScope.Mine, ReminderState? state = null, ReminderKind? kind = null)
    {
        Scope = IsHospital ? scope : ReminderScope.Mine;
        StateFilter = state;
        KindFilter = kind;
        Items = await board.ListAsync(User, Scope, state, kind);
    }
}
