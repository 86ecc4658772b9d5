using VendorPortal.Features.Subcontracting;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Gaps;

public sealed record GapCertificate(CertificationKind Kind, string Number, DateOnly ExpiresOn);

public sealed record GapSubcontractor(string Name, string? CorporateNumber, DateOnly PeriodFrom, DateOnly PeriodTo, IReadOnlyList<GapCertificate> Certificates)
{
    /// <summary>The same company in another request: by 法人番号 when it has one, otherwise by name.</summary>
    public bool IsSameCompany(GapSubcontractor other)
        => CorporateNumber is not null || other.CorporateNumber is not null ? CorporateNumber == other.CorporateNumber : Name == other.Name;
}

/// <summary>
/// A 再委託 request as the gap rules see it. <see cref="ApprovalEnds"/> is the approval's end (period, executive's
/// date, engagement: <see cref="SubcontractWorkflowRules.ApprovalEndsOn"/>) for approved requests, null otherwise.
/// </summary>
public sealed record GapSubcontract(Guid RequestId, Guid VendorId, string VendorName, SubcontractState State, DateOnly StateSince,
    bool EngagementActive, DateOnly? ApprovalStarts, DateOnly? ApprovalEnds, IReadOnlyList<GapSubcontractor> Companies)
{
    public string Link => $"/Subcontracts/{RequestId}";
    public string Name => Companies.Count > 0 ? Companies[0].Name : "";
    public bool IsApproved => State is SubcontractState.Approved or SubcontractState.ApprovedWithConditions;
    public bool IsActiveOn(DateOnly day) => IsApproved && ApprovalStarts <= day && day <= ApprovalEnds;

    /// <summary>Another approved request of the same vendor covers the same direct subcontractor beyond <paramref name="day"/>.</summary>
    public bool IsRenewedAfter(DateOnly day, IEnumerable<GapSubcontract> all)
        => Companies.Count > 0 && all.Any(o => o.RequestId != RequestId && o.VendorId == VendorId && o.IsApproved && o.ApprovalEnds > day
            && o.Companies.Count > 0 && o.Companies[0].IsSameCompany(Companies[0]));
}

/// <summary>A company of a current approval holds a certificate past its expiry (the vendor must renew or report).</summary>
public sealed class SubcontractCertificateExpiredRule : IGapRule
{
    public IEnumerable<ComplianceGap> Evaluate(GapSnapshot s)
        => from sc in s.Subcontracts.Where(x => x.IsActiveOn(s.Today))
           from company in sc.Companies.Where(c => c.PeriodFrom <= s.Today && s.Today <= c.PeriodTo)
           from cert in company.Certificates.Where(c => c.ExpiresOn < s.Today)
           select new ComplianceGap("SubcontractCertificateExpired", GapSeverity.High, GapActor.Vendor, sc.VendorId, sc.VendorName, null, null, null, null,
               cert.ExpiresOn.AddDays(1), company.Name, cert.Number, Wareki.Format(cert.ExpiresOn)) { Link = sc.Link };
}

/// <summary>
/// An approval ended (this 年度, before today) while the engagement goes on and no newer approval covers the same
/// subcontractor: the vendor may still rely on it without the hospital's approval.
/// </summary>
public sealed class SubcontractApprovalEndedRule : IGapRule
{
    public IEnumerable<ComplianceGap> Evaluate(GapSnapshot s)
        => s.Subcontracts.Where(x => x.IsApproved && x.EngagementActive && x.ApprovalEnds is { } end && end < s.Today && end >= s.Year.FirstDay
                && !x.IsRenewedAfter(end, s.Subcontracts))
            .Select(x => new ComplianceGap("SubcontractApprovalEnded", GapSeverity.Medium, GapActor.Vendor, x.VendorId, x.VendorName, null, null, null, null,
                x.ApprovalEnds!.Value.AddDays(1), x.Name, Wareki.Format(x.ApprovalEnds!.Value)) { Link = x.Link });
}

/// <summary>A current approval ends within <see cref="Days"/> days and nothing newer is approved yet.</summary>
public sealed class SubcontractApprovalEndingSoonRule : IGapRule
{
    public const int Days = 30;

    public IEnumerable<ComplianceGap> Evaluate(GapSnapshot s)
        => s.Subcontracts.Where(x => x.IsActiveOn(s.Today) && x.EngagementActive && x.ApprovalEnds is { } end && end <= s.Today.AddDays(Days)
                && !x.IsRenewedAfter(end, s.Subcontracts))
            .Select(x => new ComplianceGap("SubcontractApprovalEndingSoon", GapSeverity.Low, GapActor.Vendor, x.VendorId, x.VendorName, null, null, null, null,
                x.ApprovalEnds!.Value.AddDays(-Days), x.Name, Wareki.Format(x.ApprovalEnds!.Value)) { Link = x.Link });
}

/// <summary>A request has waited for a hospital step (review, opinion, decision) for more than two weeks.</summary>
public sealed class SubcontractStepOverdueRule : IGapRule
{
    public IEnumerable<ComplianceGap> Evaluate(GapSnapshot s)
        => s.Subcontracts.Where(x => SubcontractWorkflowRules.RolesToActNext(x.State).Count > 0 && x.StateSince.AddDays(ReviewOverdueRule.Days) < s.Today)
            .Select(x => new ComplianceGap("SubcontractStepOverdue", GapSeverity.Low, GapActor.Hospital, x.VendorId, x.VendorName, null, null, null, null,
                x.StateSince.AddDays(ReviewOverdueRule.Days), x.Name, ReviewOverdueRule.Days) { Link = x.Link });
}
