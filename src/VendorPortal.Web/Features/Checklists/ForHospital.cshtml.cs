using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using VendorPortal.Features.Forms;
using VendorPortal.Features.Organizations;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Tenancy;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Checklists;

public sealed record ChecklistRow(Guid Id, string VendorName, string? SystemName, int? FiscalYear, SubmissionState State, int LatestVersion, DateTimeOffset UpdatedAt, string TemplateKey,
    FormKind Kind = FormKind.VendorChecklist)
{
    /// <summary>The list row of each form in <paramref name="forms"/>, with the respondent's and the system's names.</summary>
    public static IQueryable<ChecklistRow> From(AppDbContext db, IQueryable<FormSubmission> forms)
        => from s in forms
           join v in db.Organizations on s.RespondentOrganizationId equals v.Id
           select new ChecklistRow(s.Id, v.Name, db.MedicalSystems.Where(m => m.Id == s.SystemId).Select(m => m.Name).FirstOrDefault(),
               s.FiscalYear, s.State, s.LatestVersion, s.UpdatedAt, s.TemplateKey, s.Kind);
}

/// <summary>
/// 事業者確認用 checklists for one hospital: a vendor sees and starts its own; hospital staff see every
/// vendor's submitted ones. The {hospitalId} is checked by the HospitalInRoute policy.
/// </summary>
[Authorize(Policy = Policies.HospitalInRoute)]
public sealed class ForHospitalModel(AppDbContext db, SubmissionWorkflow workflow, ITenantContext tenant, TimeProvider time, IStringLocalizer<SharedResource> l) : PageModel
{
    public Organization Hospital { get; private set; } = null!;
    public List<ChecklistRow> Rows { get; private set; } = [];
    public List<FormTemplateVersion> Templates { get; private set; } = [];
    public List<MedicalSystem> Systems { get; private set; } = [];
    /// <summary>The hospital's own 医療機関確認用 checklists (hospital staff only).</summary>
    public List<FormSubmission> OwnChecklists { get; private set; } = [];
    public List<FormTemplateVersion> OwnTemplates { get; private set; } = [];
    public bool CanAnswerOwn => !IsVendor && ChecklistAccess.CanAnswer(User, FormKind.HospitalChecklist);
    public bool IsVendor => tenant.OrganizationKind == OrganizationKind.Vendor;
    public int CurrentFiscalYear => FiscalYear.Of(JapanTime.TodayInJapan(time)).StartYear;

    [BindProperty] public string? TemplateKey { get; set; }
    [BindProperty] public int? FiscalYearStart { get; set; }
    [BindProperty] public Guid? SystemId { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid hospitalId) => await LoadAsync(hospitalId) ? Page() : NotFound();

    public async Task<IActionResult> OnPostCreateAsync(Guid hospitalId)
    {
        if (!await LoadAsync(hospitalId))
        {
            return NotFound();
        }
        if (!IsVendor || !ChecklistAccess.CanAnswer(User))
        {
            return Forbid();
        }
        var result = await workflow.CreateVendorChecklistAsync(hospitalId, TemplateKey ?? "", FiscalYearStart ?? 0, SystemId);
        if (!result.Succeeded)
        {
            ModelState.AddModelError("", l["Form_" + result.ErrorCode].Value);
            return Page();
        }
        return RedirectToPage("/Checklists/Detail", new { submissionId = result.Submission!.Id });
    }

    public async Task<IActionResult> OnPostCreateOwnAsync(Guid hospitalId)
    {
        if (!await LoadAsync(hospitalId))
        {
            return NotFound();
        }
        if (!CanAnswerOwn)
        {
            return Forbid();
        }
        var result = await workflow.CreateHospitalChecklistAsync(TemplateKey ?? "", FiscalYearStart ?? 0);
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
        Rows = (await ChecklistRow.From(db, db.FormSubmissions.Where(s => s.HospitalId == hospitalId && s.Kind == FormKind.VendorChecklist)).ToListAsync())
            .OrderByDescending(r => r.FiscalYear).ThenBy(r => r.VendorName, StringComparer.Ordinal).ToList();
        if (!IsVendor)
        {
            OwnChecklists = await db.FormSubmissions.Where(s => s.Kind == FormKind.HospitalChecklist && s.RespondentOrganizationId == hospitalId)
                .OrderByDescending(s => s.FiscalYear).ToListAsync();
            OwnTemplates = await db.FormTemplateVersions.AsNoTracking().Where(t => t.Kind == FormKind.HospitalChecklist && t.RetiredAt == null)
                .OrderByDescending(t => t.EffectiveFrom).ToListAsync();
        }
        if (IsVendor)
        {
            Templates = await db.FormTemplateVersions.AsNoTracking().Where(t => t.Kind == FormKind.VendorChecklist && t.RetiredAt == null)
                .OrderByDescending(t => t.EffectiveFrom).ToListAsync();
            Systems = await db.MedicalSystems.Where(m => m.HospitalId == hospitalId).OrderBy(m => m.Name).ToListAsync();
        }
        return true;
    }
}
