using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using VendorPortal.Features.Checklists;
using VendorPortal.Features.Forms;
using VendorPortal.Features.Organizations;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.RemoteMaintenance;

/// <summary>
/// リモートメンテナンス開示 for one hospital: a vendor sees its own and starts one per system it is engaged for;
/// hospital staff see every vendor's submitted ones with their risk flags. {hospitalId} is checked by the
/// HospitalInRoute policy (another tenant's hospital is not found).
/// </summary>
[Authorize(Policy = Policies.HospitalInRoute)]
public sealed class ForHospitalModel(AppDbContext db, RemoteMaintenanceService service, SubmissionWorkflow workflow, ITenantContext tenant,
    IStringLocalizer<SharedResource> l) : PageModel
{
    public Organization Hospital { get; private set; } = null!;
    public List<RemoteMaintenanceRow> Rows { get; private set; } = [];
    public List<FormTemplateVersion> Templates { get; private set; } = [];
    public List<MedicalSystem> Systems { get; private set; } = [];
    public bool IsVendor => tenant.OrganizationKind == OrganizationKind.Vendor;
    public bool CanCreate => IsVendor && ChecklistAccess.CanAnswer(User, FormKind.RemoteMaintenance);

    [BindProperty] public string? TemplateKey { get; set; }
    [BindProperty] public Guid? SystemId { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid hospitalId) => await LoadAsync(hospitalId) ? Page() : NotFound();

    public async Task<IActionResult> OnPostCreateAsync(Guid hospitalId)
    {
        if (!await LoadAsync(hospitalId))
        {
            return NotFound();
        }
        if (!CanCreate)
        {
            return Forbid();
        }
        var result = await workflow.CreateRemoteMaintenanceAsync(hospitalId, TemplateKey ?? "", SystemId);
        if (!result.Succeeded)
        {
            ModelState.AddModelError("", l["Form_" + result.ErrorCode].Value);
            return Page();
        }
        return RedirectToPage("/Checklists/Detail", new { submissionId = result.Submission!.Id });
    }

    private async Task<bool> LoadAsync(Guid hospitalId)
    {
        var hospital = await db.Organizations.SingleOrDefaultAsync(o => o.Id == hospitalId && o.Kind == OrganizationKind.Hospital);
        if (hospital is null)
        {
            return false;
        }
        Hospital = hospital;
        Rows = await service.RowsAsync(hospitalId);
        if (IsVendor)
        {
            Templates = await service.TemplatesAsync();
            Systems = await service.EngagedSystemsAsync(hospitalId);
        }
        return true;
    }
}
