using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.Responsibility;

/// <summary>
/// Edits a matrix without JavaScript: the whole working copy travels in the form (hidden fields for parties and rows,
/// a select per cell). "Add party", "remove", "add row" re-render the working copy; only "save" writes, and only a
/// changed content becomes a new version (on top of <see cref="BaseVersion"/>; a newer version in between is refused).
/// Hospital editors only.
/// </summary>
[Authorize(Policy = Policies.HospitalStaffInRoute)]
public sealed class EditModel(ResponsibilityService service, ITenantContext tenant, IStringLocalizer<SharedResource> l) : PageModel
{
    public sealed class RowInput
    {
        public string? Key { get; set; }
        public string? Phase { get; set; }
        public string? Category { get; set; }
        public string? Text { get; set; }
        public string? TextEn { get; set; }
        public string? Source { get; set; }
        public string? Origin { get; set; }
        /// <summary>One role per party, in party order ("" = none).</summary>
        public List<string?> Roles { get; set; } = [];
    }

    public MatrixState State { get; private set; } = null!;
    public PartyCandidates Candidates { get; private set; } = new([], []);

    /// <summary>The parties as posted: the content's own wire shape.</summary>
    [BindProperty] public List<MatrixJson.PartyDto> Parties { get; set; } = [];
    [BindProperty] public List<RowInput> Rows { get; set; } = [];
    [BindProperty] public int BaseVersion { get; set; }
    [BindProperty] public string? TemplateKey { get; set; }
    [BindProperty] public string? ChangeNote { get; set; }
    [BindProperty] public string? Command { get; set; }
    [BindProperty] public PartyKind NewPartyKind { get; set; } = PartyKind.HospitalDepartment;
    [BindProperty] public string? NewPartyName { get; set; }
    [BindProperty] public Guid? NewVendorId { get; set; }
    [BindProperty] public Guid? NewSubcontractRequestId { get; set; }
    [BindProperty] public MatrixPhase NewRowPhase { get; set; } = MatrixPhase.Normal;
    [BindProperty] public string? NewRowCategory { get; set; }
    [BindProperty] public string? NewRowText { get; set; }

    public IEnumerable<(Guid Id, string Name)> VendorsToAdd => Candidates.Vendors.Where(v => !Parties.Any(p => p.OrganizationId == v.Id));
    public IEnumerable<(Guid RequestId, string Name, string VendorName)> SubcontractorsToAdd
        => Candidates.Subcontractors.Where(c => !Parties.Any(p => p.SubcontractRequestId == c.RequestId));

    public async Task<IActionResult> OnGetAsync(Guid hospitalId, Guid systemId)
    {
        var load = await LoadAsync(hospitalId, systemId);
        if (load is not null)
        {
            return load;
        }
        var content = State.Current!;
        BaseVersion = State.Matrix!.CurrentVersion;
        TemplateKey = content.TemplateKey;
        Parties = [.. content.Parties.Select(MatrixJson.ToDto)];
        Rows = [.. content.Rows.Select(r => new RowInput
        {
            Key = r.Key, Phase = r.Phase.ToString(), Category = r.Category, Text = r.Text, TextEn = r.TextEn, Source = r.Source, Origin = r.Origin.ToString(),
            Roles = [.. content.Parties.Select(p => r.RoleOf(p.Key)?.ToString())],
        })];
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid hospitalId, Guid systemId)
    {
        var load = await LoadAsync(hospitalId, systemId);
        if (load is not null)
        {
            return load;
        }
        foreach (var r in Rows)
        {
            while (r.Roles.Count < Parties.Count)
            {
                r.Roles.Add(null);
            }
        }
        ModelState.Clear();
        var command = Command ?? "";
        if (command == "save")
        {
            var result = await service.SaveAsync(User, hospitalId, systemId, ToDto(), BaseVersion, ChangeNote);
            switch (result.Outcome)
            {
                case MatrixOutcome.Saved:
                    TempData["Status"] = l["ResponsibilitySavedStatus", result.Version].Value;
                    return RedirectToPage("Matrix", new { hospitalId, systemId });
                case MatrixOutcome.Unchanged:
                    TempData["Status"] = l["ResponsibilityUnchanged"].Value;
                    return RedirectToPage("Matrix", new { hospitalId, systemId });
                case MatrixOutcome.Invalid:
                    foreach (var p in result.Problems!)
                    {
                        ModelState.AddModelError("", l["ResponsibilityProblem_" + p.Code, Describe(p.Subject)]);
                    }
                    break;
                case MatrixOutcome.Stale:
                    ModelState.AddModelError("", l["ResponsibilityStale", result.Version]);
                    break;
                case MatrixOutcome.Forbidden:
                    return Forbid();
                default:
                    return NotFound();
            }
            return Page();
        }
        if (command == "add-party")
        {
            AddParty();
        }
        else if (command == "add-row")
        {
            AddRow();
        }
        else if (command.StartsWith("remove-party:", StringComparison.Ordinal))
        {
            var index = Parties.FindIndex(p => p.Key == command["remove-party:".Length..]);
            if (index >= 0)
            {
                Parties.RemoveAt(index);
                Rows.ForEach(r => r.Roles.RemoveAt(index));
            }
        }
        else if (command.StartsWith("remove-row:", StringComparison.Ordinal))
        {
            Rows.RemoveAll(r => r.Key == command["remove-row:".Length..]);
        }
        return Page();
    }

    private void AddParty()
    {
        MatrixParty party;
        switch (NewPartyKind)
        {
            case PartyKind.Vendor:
                if (VendorsToAdd.FirstOrDefault(v => v.Id == NewVendorId) is not { Name: not null } vendor)
                {
                    ModelState.AddModelError(nameof(NewVendorId), l["ResponsibilityChooseVendor"]);
                    return;
                }
                party = new MatrixParty(ResponsibilityService.VendorKey(vendor.Id), PartyKind.Vendor, vendor.Name, vendor.Id);
                break;
            case PartyKind.Subcontractor:
                if (SubcontractorsToAdd.FirstOrDefault(c => c.RequestId == NewSubcontractRequestId) is not { Name: not null } sub)
                {
                    ModelState.AddModelError(nameof(NewSubcontractRequestId), l["ResponsibilityChooseSubcontractor"]);
                    return;
                }
                party = new MatrixParty(ResponsibilityService.SubcontractorKey(sub.RequestId), PartyKind.Subcontractor, sub.Name, null, sub.RequestId);
                break;
            case PartyKind.HospitalDepartment or PartyKind.CloudProvider:
                var name = NewPartyName?.Trim() ?? "";
                if (name.Length is 0 or > MatrixJson.MaxName)
                {
                    ModelState.AddModelError(nameof(NewPartyName), l["ResponsibilityPartyNameRequired"]);
                    return;
                }
                party = new MatrixParty(NextKey(NewPartyKind == PartyKind.HospitalDepartment ? "d-" : "c-", Parties.Select(p => p.Key)), NewPartyKind, name);
                break;
            default:
                return;
        }
        if (Parties.Count >= MatrixJson.MaxParties)
        {
            ModelState.AddModelError("", l["ResponsibilityProblem_TooManyParties", ""]);
            return;
        }
        // Template rows get the template's default for the new party's kind.
        var defaults = service.Template.Rows.ToDictionary(r => r.Key);
        Parties.Add(MatrixJson.ToDto(party));
        foreach (var r in Rows)
        {
            r.Roles.Add(r.Origin == nameof(RowOrigin.Template) && r.Key is not null && defaults.TryGetValue(r.Key, out var t) && t.Defaults.TryGetValue(party.Kind, out var role)
                ? role.ToString() : null);
        }
        NewPartyName = null;
    }

    private void AddRow()
    {
        var text = NewRowText?.Trim() ?? "";
        if (text.Length is 0 or > MatrixJson.MaxText)
        {
            ModelState.AddModelError(nameof(NewRowText), l["ResponsibilityRowTextRequired"]);
            return;
        }
        Rows.Add(new RowInput
        {
            Key = NextKey("custom-", Rows.Select(r => r.Key)), Phase = NewRowPhase.ToString(), Category = NewRowCategory?.Trim() ?? "", Text = text,
            Origin = nameof(RowOrigin.Custom), Roles = [.. Parties.Select(_ => (string?)null)],
        });
        NewRowText = null;
        NewRowCategory = null;
    }

    private static string NextKey(string prefix, IEnumerable<string?> used)
    {
        var taken = used.ToHashSet();
        var n = 1;
        while (taken.Contains(prefix + n))
        {
            n++;
        }
        return prefix + n;
    }

    private string Describe(string? subject)
    {
        if (subject is null)
        {
            return "";
        }
        var key = subject.Split('/')[0];
        return Parties.FirstOrDefault(p => p.Key == key)?.Name ?? Rows.FirstOrDefault(r => r.Key == key)?.Text ?? subject;
    }

    private MatrixJson.ContentDto ToDto() => new()
    {
        TemplateKey = TemplateKey,
        Parties = Parties,
        Rows = [.. Rows.Select(r => new MatrixJson.RowDto
        {
            Key = r.Key, Phase = r.Phase, Category = r.Category, Text = r.Text, TextEn = r.TextEn, Source = r.Source, Origin = r.Origin,
            Cells = Parties.Select((p, i) => (p.Key, Role: i < r.Roles.Count ? r.Roles[i] : null))
                .Where(x => !string.IsNullOrEmpty(x.Role) && x.Key is not null).DistinctBy(x => x.Key).ToDictionary(x => x.Key!, x => x.Role),
        })],
    };

    /// <summary>Null when the page may be shown; otherwise the answer (404, 403, or to the matrix page when there is none yet).</summary>
    private async Task<IActionResult?> LoadAsync(Guid hospitalId, Guid systemId)
    {
        if (await service.LoadAsync(hospitalId, systemId) is not { } state)
        {
            return NotFound();
        }
        if (!ResponsibilityRules.CanEdit(User, tenant.OrganizationKind))
        {
            return Forbid();
        }
        if (state.Matrix is null)
        {
            return RedirectToPage("Matrix", new { hospitalId, systemId });
        }
        State = state;
        Candidates = await service.CandidatesAsync(hospitalId, systemId);
        return null;
    }
}
