using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using VendorPortal.Infrastructure.Authorization;

namespace VendorPortal.Features.Responsibility;

/// <summary>A version of a matrix laid out for paper (print CSS in site.css): header with hash and confirmations, the table, the legend.</summary>
[Authorize(Policy = Policies.HospitalInRoute)]
public sealed class PrintModel(ResponsibilityService service) : PageModel
{
    public MatrixState State { get; private set; } = null!;
    public MatrixVersionInfo Shown { get; private set; } = null!;
    public MatrixContent Matrix { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid hospitalId, Guid systemId, int? version)
    {
        if (await service.LoadAsync(hospitalId, systemId) is not { Matrix: not null } state
            || await service.VersionAsync(state, version ?? state.Matrix.CurrentVersion) is not { } shown)
        {
            return NotFound();
        }
        State = state;
        (Shown, Matrix) = shown;
        return Page();
    }
}
