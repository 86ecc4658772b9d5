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
public sealed class ReviewsModel(AppDbContext db, ITenantContext tenant, Disclosures.DisclosureService disclosures) : PageModel
{
    public List<ChecklistRow> Waiting { get; private set; } = [];
    public List<ChecklistRow> Others { get; private set; } = [];
    /// <summary>MDS/SDS shared with this hospital, by this hospital's own review state.</summary>
    public List<Disclosures.DisclosureRow> DisclosuresWaiting { get; private set; } = [];
    public List<Disclosures.DisclosureRow> DisclosuresOther { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var rows = await ChecklistRow.From(db, db.FormSubmissions
            .Where(s => s.HospitalId == tenant.OrganizationId && s.RespondentOrganizationId != tenant.OrganizationId)
            .OrderByDescending(s => s.UpdatedAt).Take(500)).ToListAsync();
        Waiting = rows.Where(r => r.State == SubmissionState.Submitted).OrderBy(r => r.UpdatedAt).ToList();
        Others = rows.Where(r => r.State != SubmissionState.Submitted).ToList();
        var shared = await disclosures.RowsForHospitalAsync(tenant.OrganizationId!.Value);
        DisclosuresWaiting = shared.Where(r => r.ReviewState == SubmissionState.Submitted).OrderBy(r => r.UpdatedAt).ToList();
        DisclosuresOther = shared.Where(r => r.ReviewState != SubmissionState.Submitted).ToList();
    }
}
