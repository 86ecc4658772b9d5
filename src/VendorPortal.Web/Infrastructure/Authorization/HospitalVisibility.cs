using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Organizations;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Infrastructure.Authorization;

/// <summary>Which hospitals an organization may see: its own, or those it serves under an active engagement.</summary>
public interface IHospitalVisibility
{
    Task<bool> CanSeeHospitalAsync(Guid organizationId, OrganizationKind kind, Guid hospitalId);
}

public sealed class HospitalVisibility(AppDbContext db, TimeProvider time) : IHospitalVisibility
{
    private readonly Dictionary<Guid, bool> _cache = [];

    public async Task<bool> CanSeeHospitalAsync(Guid organizationId, OrganizationKind kind, Guid hospitalId)
    {
        if (_cache.TryGetValue(hospitalId, out var known))
        {
            return known;
        }
        var today = JapanTime.TodayInJapan(time);
        var visible = kind switch
        {
            OrganizationKind.Hospital => hospitalId == organizationId,
            OrganizationKind.Vendor => await db.Engagements.IgnoreQueryFilters().AnyAsync(e =>
                e.VendorId == organizationId && e.HospitalId == hospitalId
                && e.StartsOn <= today && (e.EndsOn == null || e.EndsOn >= today)),
            _ => false,
        };
        _cache[hospitalId] = visible;
        return visible;
    }
}
