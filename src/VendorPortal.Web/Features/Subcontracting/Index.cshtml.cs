using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Organizations;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.Subcontracting;

public sealed record SubcontractListRow(Guid Id, string HospitalName, string VendorName, string Subcontractor, int Companies, bool Foreign,
    SubcontractState State, int Version, DateTimeOffset StateChangedAt, DateTimeOffset UpdatedAt);

/// <summary>
/// 再委託: a vendor's own requests (all hospitals) with the button to file one; for hospital staff, the requests
/// waiting for one of their roles first, then every submitted request addressed to the hospital.
/// </summary>
[Authorize(Policy = Policies.HospitalOrVendor)]
public sealed class IndexModel(AppDbContext db, ITenantContext tenant) : PageModel
{
    public const int MaxRows = 500;

    public bool IsVendor => tenant.OrganizationKind == OrganizationKind.Vendor;
    public bool CanFile => SubcontractAccess.CanFile(User, tenant);
    public Guid OrganizationId => tenant.OrganizationId!.Value;
    public List<SubcontractListRow> Waiting { get; private set; } = [];
    public List<SubcontractListRow> Rows { get; private set; } = [];
    public SubcontractState? StateFilter { get; private set; }

    public async Task OnGetAsync(SubcontractState? state)
    {
        StateFilter = state;
        var org = tenant.OrganizationId;
        var mine = IsVendor ? db.SubcontractRequests.Where(r => r.VendorId == org) : db.SubcontractRequests.Where(r => r.HospitalId == org);
        if (!IsVendor)
        {
            var waitingStates = SubcontractAccess.StatesWaitingFor(User).ToList();
            Waiting = await ListAsync(mine.Where(r => waitingStates.Contains(r.State)).OrderBy(r => r.StateChangedAt));
        }
        var all = state is { } s ? mine.Where(r => r.State == s) : mine;
        Rows = await ListAsync(all.OrderByDescending(r => r.UpdatedAt).Take(MaxRows));
    }

    /// <summary>One row per request with the chain's size (one query), then the parties' names (one more).</summary>
    private async Task<List<SubcontractListRow>> ListAsync(IQueryable<SubcontractRequest> requests)
    {
        var rows = await (from r in requests
                          select new
                          {
                              r.Id, r.HospitalId, r.VendorId, r.State, r.Version, r.StateChangedAt, r.UpdatedAt,
                              Name = db.Subcontractors.Where(s => s.RequestId == r.Id && s.ParentId == null).Select(s => s.Name).FirstOrDefault() ?? "",
                              Companies = db.Subcontractors.Count(s => s.RequestId == r.Id),
                              Foreign = db.Subcontractors.Any(s => s.RequestId == r.Id && (s.Country != SubcontractCountries.Japan
                                  || (s.DataStorageCountry != null && s.DataStorageCountry != SubcontractCountries.Japan))),
                          }).ToListAsync();
        var names = await SubcontractReader.PartyNamesAsync(db, rows.SelectMany(r => new[] { r.HospitalId, r.VendorId }));
        return [.. rows.Select(r => new SubcontractListRow(r.Id, names.GetValueOrDefault(r.HospitalId, ""), names.GetValueOrDefault(r.VendorId, ""),
            r.Name, r.Companies, r.Foreign, r.State, r.Version, r.StateChangedAt, r.UpdatedAt))];
    }
}
