using VendorPortal.Features.Gaps;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Inspection.Bcp;

/// <summary>The hospital's current BCP document as the gap rules see it; all null when none is on file.</summary>
public sealed record GapBcp(Guid? DocumentId, string? Title, DateOnly? DocumentDate);

/// <summary>
/// BCP（サイバー攻撃を想定した事業継続計画）, checked at the 立入検査 since 令和6年度: no document on file (BcpMissing), or
/// the current one dated <see cref="BcpRules.ReviewMonths"/> months or more before today (BcpOutdated). The hospital acts,
/// on /Hospitals/{id}/Inspection/Bcp. Runs only when the snapshot carries BCP data (<see cref="GapSnapshot.Bcp"/>).
/// </summary>
public sealed class BcpMissingRule : IGapRule
{
    public IEnumerable<ComplianceGap> Evaluate(GapSnapshot s)
    {
        if (s.Bcp is not { } bcp)
        {
            yield break;
        }
        if (bcp.DocumentDate is not { } date)
        {
            yield return new ComplianceGap("BcpMissing", GapSeverity.High, GapActor.Hospital, null, null, null, null, null, null, s.Year.FirstDay)
                { Link = BcpLinks.Page(s.HospitalId) };
        }
        else if (BcpRules.IsStale(date, s.Today))
        {
            yield return new ComplianceGap("BcpOutdated", GapSeverity.Medium, GapActor.Hospital, null, null, null, null, null, null,
                date.AddMonths(BcpRules.ReviewMonths), Wareki.Format(date), BcpRules.ReviewMonths) { Link = BcpLinks.Page(s.HospitalId) };
        }
    }
}

public static class BcpLinks
{
    public static string Page(Guid hospitalId) => $"/Hospitals/{hospitalId}/Inspection/Bcp";
    public static string Content(Guid hospitalId, Guid documentId) => $"/Hospitals/{hospitalId}/Inspection/Bcp/{documentId}";
    public static string Api(Guid hospitalId) => $"/api/v1/hospitals/{hospitalId}/bcp-documents";
}
