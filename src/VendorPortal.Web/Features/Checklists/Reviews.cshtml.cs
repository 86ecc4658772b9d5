using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Forms;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.Checklists;

/// <summary>The hospital's review queue: every engaged vendor's submissions, waiting ones first.</summary>
[Authorize(Policy = Policies.HospitalStaff)]
public sealed class ReviewsModel(AppDbContext db, ITenantContext tenant) : PageModel
{
    public List<ChecklistRow> Waiting { get; private set; } = [];
    public List<ChecklistRow> Others { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var rows = await (from s in db.FormSubmissions
                          join v in db.Organizations on s.RespondentOrganizationId equals v.Id
                          where s.HospitalId == tenant.OrganizationId && s.RespondentOrganizationId != tenant.OrganizationId
                          orderby s.UpdatedAt descending
                          select new ChecklistRow(s.Id, v.Name, db.MedicalSystems.Where(m => m.Id == s.SystemId).Select(m => m.Name).FirstOrDefault(),
                              s.FiscalYear, s.State, s.LatestVersion, s.UpdatedAt, s.TemplateKey)).Take(500).ToListAsync();
        Waiting = rows.Where(r => r.State == SubmissionState.Submitted).OrderBy(r => r.UpdatedAt).ToList();
        Others = rows.Where(r => r.State != SubmissionState.Submitted).ToList();
    }
}
