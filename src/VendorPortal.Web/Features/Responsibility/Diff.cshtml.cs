using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using VendorPortal.Infrastructure.Authorization;

namespace VendorPortal.Features.Responsibility;

/// <summary>What changed between two versions of a matrix (?from=&amp;to=, any order): parties, rows, then cells.</summary>
[Authorize(Policy = Policies.HospitalInRoute)]
public sealed class DiffModel(ResponsibilityService service) : PageModel
{
    public MatrixState State { get; private set; } = null!;
    public int From { get; private set; }
    public int To { get; private set; }
    public MatrixContent Before { get; private set; } = null!;
    public MatrixContent After { get; private set; } = null!;
    public IReadOnlyList<MatrixChange> Changes { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid hospitalId, Guid systemId, int? from, int? to)
    {
        if (await service.LoadAsync(hospitalId, systemId) is not { Matrix: not null } state)
        {
            return NotFound();
        }
        var toNumber = to ?? state.Matrix.CurrentVersion;
        var fromNumber = from ?? Math.Max(1, toNumber - 1);
        if (await service.VersionAsync(state, fromNumber) is not { } a || await service.VersionAsync(state, toNumber) is not { } b)
        {
            return NotFound();
        }
        (State, From, To, Before, After) = (state, fromNumber, toNumber, a.Content, b.Content);
        Changes = MatrixDiff.Compare(a.Content, b.Content);
        return Page();
    }

    public string RowText(string? key) => (After.Rows.FirstOrDefault(r => r.Key == key) ?? Before.Rows.FirstOrDefault(r => r.Key == key))?.Text ?? key ?? "";
    public string PartyName(string? key) => (After.Party(key ?? "") ?? Before.Party(key ?? ""))?.Name ?? key ?? "";
}
