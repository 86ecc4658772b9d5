using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.Patches;

/// <summary>
/// The hospital's advisories (脆弱性情報・パッチ) with counts per state and overdue counts, filterable by state,
/// severity and overdue. Hospital staff see every advisory; an engaged vendor those touching components it supplies,
/// counted over its components only.
/// </summary>
[Authorize(Policy = Policies.HospitalInRoute)]
public sealed class IndexModel(PatchService patches, ITenantContext tenant) : PageModel
{
    public Guid HospitalId { get; private set; }
    public IReadOnlyList<AdvisoryRow> Rows { get; private set; } = [];
    public bool CanCreate { get; private set; }
    public bool IsVendor { get; private set; }
    public PatchState? State { get; private set; }
    public AdvisorySeverity? Severity { get; private set; }
    public bool Overdue { get; private set; }

    public async Task OnGetAsync(Guid hospitalId, PatchState? state, AdvisorySeverity? severity, bool overdue = false)
    {
        HospitalId = hospitalId;
        (State, Severity, Overdue) = (state, severity, overdue);
        var actor = PatchService.ActorOf(User, tenant);
        IsVendor = actor.IsVendor;
        CanCreate = actor.CanEdit;
        Rows = await patches.ListAsync(hospitalId, state, severity, overdue);
    }
}
