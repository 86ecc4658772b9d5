using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using VendorPortal.Infrastructure.Authorization;

namespace VendorPortal.Features.Subcontracting;

/// <summary>Every executive decision on the hospital's 再委託 requests (the list the evidence bundle includes).</summary>
[Authorize(Policy = Policies.HospitalStaffInRoute)]
public sealed class DecisionsModel(SubcontractRegister register) : PageModel
{
    public Guid HospitalId { get; private set; }
    public IReadOnlyList<DecisionRow> Rows { get; private set; } = [];

    public async Task OnGetAsync(Guid hospitalId)
    {
        HospitalId = hospitalId;
        Rows = await register.DecisionsAsync(hospitalId);
    }
}
