using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.Responsibility;

/// <summary>
/// One system's 責任分界表: the current version (or ?version=N) as a table, who confirmed it, the history with hashes and
/// confirmations, a diff picker; hospital editors create it from the template, confirmers confirm, anyone who sees it
/// downloads the Excel of a version. A system the caller cannot see (another tenant's, or not engaged) is 404.
/// </summary>
[Authorize(Policy = Policies.HospitalInRoute)]
public sealed class MatrixModel(ResponsibilityService service, AuditLog audit, ITenantContext tenant, IStringLocalizer<SharedResource> l,
    Infrastructure.Data.AppDbContext db) : PageModel
{
    public MatrixState State { get; private set; } = null!;
    public MatrixVersionInfo? Shown { get; private set; }
    public MatrixContent? ShownContent { get; private set; }
    public bool CanEdit => ResponsibilityRules.CanEdit(User, tenant.OrganizationKind);
    public MatrixConfirmer? MyConfirmation { get; private set; }
    public bool CanConfirm => MyConfirmation is { Confirmation: null } && ResponsibilityRules.CanConfirmFor(User, tenant.OrganizationKind);

    public async Task<IActionResult> OnGetAsync(Guid hospitalId, Guid systemId, int? version)
        => await LoadAsync(hospitalId, systemId, version) ? Page() : NotFound();

    public async Task<IActionResult> OnPostCreateAsync(Guid hospitalId, Guid systemId)
    {
        if (!await LoadAsync(hospitalId, systemId, null))
        {
            return NotFound();
        }
        if (!CanEdit)
        {
            return Forbid();
        }
        var result = await service.CreateFromTemplateAsync(User, hospitalId, systemId);
        if (result.Outcome == MatrixOutcome.Saved)
        {
            TempData["Status"] = l["ResponsibilityCreated"].Value;
        }
        return RedirectToPage(new { hospitalId, systemId });
    }

    public async Task<IActionResult> OnPostConfirmAsync(Guid hospitalId, Guid systemId, int version)
    {
        if (!await LoadAsync(hospitalId, systemId, null))
        {
            return NotFound();
        }
        var (outcome, current) = await service.ConfirmAsync(User, hospitalId, systemId, version);
        switch (outcome)
        {
            case ConfirmOutcome.Confirmed or ConfirmOutcome.AlreadyConfirmed:
                TempData["Status"] = l["ResponsibilityConfirmedStatus", current].Value;
                return RedirectToPage(new { hospitalId, systemId });
            case ConfirmOutcome.NotCurrent:
                ModelState.AddModelError("", l["ResponsibilityNotCurrent", current]);
                break;
            case ConfirmOutcome.NotParty:
                ModelState.AddModelError("", l["ResponsibilityNotParty"]);
                break;
            case ConfirmOutcome.Forbidden:
                return Forbid();
            default:
                return NotFound();
        }
        await LoadAsync(hospitalId, systemId, null);
        return Page();
    }

    /// <summary>The .xlsx of a version (default: current), audit-logged.</summary>
    public async Task<IActionResult> OnGetExcelAsync(Guid hospitalId, Guid systemId, int? version)
    {
        if (await service.ExportAsync(hospitalId, systemId, version) is not { } file)
        {
            return NotFound();
        }
        audit.Record(AuditActions.ResponsibilityExported, ResponsibilityService.Table, systemId.ToString(), new { hospitalId, systemId, version });
        await db.SaveChangesAsync();
        return File(file.Content, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", file.FileName);
    }

    private async Task<bool> LoadAsync(Guid hospitalId, Guid systemId, int? version)
    {
        if (await service.LoadAsync(hospitalId, systemId) is not { } state)
        {
            return false;
        }
        State = state;
        MyConfirmation = state.Confirmers.FirstOrDefault(c => c.OrganizationId == tenant.OrganizationId);
        if (state.Matrix is not null)
        {
            if (await service.VersionAsync(state, version ?? state.Matrix.CurrentVersion) is not { } shown)
            {
                return false;
            }
            (Shown, ShownContent) = shown;
        }
        return true;
    }
}
