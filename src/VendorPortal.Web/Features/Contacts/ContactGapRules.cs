using VendorPortal.Features.Gaps;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Contacts;

/// <summary>An actively engaged vendor's incident contacts as the gap rules see them: counts and the last confirmation (JST day).</summary>
public sealed record GapVendorContacts(Guid VendorId, string VendorName, DateOnly EngagedSince, int Count, bool Has24h, DateOnly? ConfirmedOn);

/// <summary>The 連絡体制図 data of one hospital: its engaged vendors' contacts and its own roles.</summary>
public sealed record GapContacts(IReadOnlyList<GapVendorContacts> Vendors, IReadOnlyList<GapHospitalContact> Hospital);

/// <summary>An engaged vendor without an incident contact, or without a 24-hour line (the vendor acts on /Contacts).</summary>
public sealed class VendorContactMissingRule : IGapRule
{
    public IEnumerable<ComplianceGap> Evaluate(GapSnapshot s)
        => (s.Contacts?.Vendors ?? []).Where(v => v.Count == 0 || !v.Has24h)
            .Select(v => new ComplianceGap(v.Count == 0 ? "VendorContactMissing" : "VendorContact24hMissing", GapSeverity.Medium, GapActor.Vendor,
                v.VendorId, v.VendorName, null, null, null, null, v.EngagedSince) { Link = ContactLinks.HospitalVendor(s.HospitalId, v.VendorId) });
}

/// <summary>A vendor has not confirmed its contacts for 12 months: since the last confirmation + 12 months.</summary>
public sealed class VendorContactStaleRule : IGapRule
{
    public const int Months = 12;

    public IEnumerable<ComplianceGap> Evaluate(GapSnapshot s)
        => (s.Contacts?.Vendors ?? []).Where(v => v.Count > 0 && v.ConfirmedOn is { } c && c.AddMonths(Months) <= s.Today)
            .Select(v => new ComplianceGap("VendorContactStale", GapSeverity.Medium, GapActor.Vendor, v.VendorId, v.VendorName, null, null, null, null,
                v.ConfirmedOn!.Value.AddMonths(Months), Wareki.Format(v.ConfirmedOn!.Value)) { Link = ContactLinks.HospitalVendor(s.HospitalId, v.VendorId) });
}

/// <summary>The hospital's chart is incomplete (see <see cref="ContactRules.ChartComplete"/>); the hospital acts.</summary>
public sealed class HospitalChartIncompleteRule : IGapRule
{
    public IEnumerable<ComplianceGap> Evaluate(GapSnapshot s)
    {
        if (s.Contacts is { } c && !ContactRules.ChartComplete([.. c.Hospital]))
        {
            yield return new ComplianceGap("ContactChartIncomplete", GapSeverity.Medium, GapActor.Hospital, null, null, null, null, null, null, s.Year.FirstDay)
                { Link = ContactLinks.Hospital(s.HospitalId) };
        }
    }
}

public static class ContactLinks
{
    /// <summary>Where the vendor fixes its contacts (its own page).</summary>
    public const string Vendor = "/Contacts";
    public static string Hospital(Guid hospitalId) => $"/Hospitals/{hospitalId}/Contacts";
    /// <summary>
    /// The gap list is the hospital's: a vendor gap links to the vendor's section of the hospital's chart page (which the hospital
    /// can open; the vendor fixes it on <see cref="Vendor"/>).
    /// </summary>
    public static string HospitalVendor(Guid hospitalId, Guid vendorId) => $"{Hospital(hospitalId)}#vendor-{vendorId}";
}
