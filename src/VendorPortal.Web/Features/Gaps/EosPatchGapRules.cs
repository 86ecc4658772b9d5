using VendorPortal.Features.Patches;
using VendorPortal.Features.Policy;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Gaps;

/// <summary>
/// End-of-support dates of components in use, grouped by system, supplier, subject and date: one gap says "Windows
/// Server 2016 ends on … for 12 components of 電子カルテ (SV-001 …)" instead of twelve rows. Only dates within the
/// largest warning window or already passed are loaded (<see cref="GapQuery"/>).
/// </summary>
public sealed record GapEos(Guid SystemId, string SystemName, Guid? SupplierVendorId, string? SupplierName, string Subject, DateOnly EndsOn,
    int Components, string FirstManagementNumber)
{
    public string Link(Guid hospitalId) => $"/Hospitals/{hospitalId}/Ledger/{SystemId}";

    /// <summary>The supplying vendor keeps the component up to date (it proposes the update or replacement); without one, the hospital.</summary>
    public GapActor MustAct => SupplierVendorId is null ? GapActor.Hospital : GapActor.Vendor;
}

/// <summary>
/// Unsettled patch statuses of components in use, counted per advisory, state, committing vendor and whether the
/// planned date has passed (20,000 statuses become a few hundred groups in SQL). Deferred here means not yet approved.
/// </summary>
public sealed record GapPatchGroup(Guid AdvisoryId, string Identifier, AdvisorySeverity Severity, DateOnly ReleasedOn, PatchState State,
    Guid? CommittedByVendorId, string? VendorName, bool PlannedPassed, int Count, DateOnly? EarliestPlannedOn, DateOnly EarliestChange)
{
    public string Link(Guid hospitalId) => PatchService.Link(hospitalId, AdvisoryId);

    /// <summary>Critical and high advisories make high gaps, medium medium, low low.</summary>
    public GapSeverity GapSeverity => Severity switch
    {
        AdvisorySeverity.Critical or AdvisorySeverity.High => GapSeverity.High,
        AdvisorySeverity.Medium => GapSeverity.Medium,
        _ => GapSeverity.Low,
    };
}

/// <summary>An end-of-support date is within the hospital's warning window: ≤30 days left high, ≤90 medium, else low.</summary>
public sealed class EosApproachingRule : IGapRule
{
    public IEnumerable<ComplianceGap> Evaluate(GapSnapshot s)
    {
        var windows = s.EffectivePolicy.EosWarningDays;
        foreach (var e in s.EosDates)
        {
            var standing = PolicyRules.Eos(e.EndsOn, s.Today, windows);
            if (standing.Passed || standing.Threshold is not { } threshold)
            {
                continue;
            }
            var severity = standing.DaysLeft <= 30 ? GapSeverity.High : standing.DaysLeft <= 90 ? GapSeverity.Medium : GapSeverity.Low;
            yield return new ComplianceGap("EosApproaching", severity, e.MustAct, e.SupplierVendorId, e.SupplierName, e.SystemId, e.SystemName, null, null,
                e.EndsOn.AddDays(-threshold), e.Subject, Wareki.Format(e.EndsOn), e.Components, e.FirstManagementNumber, standing.DaysLeft) { Link = e.Link(s.HospitalId) };
        }
    }
}

/// <summary>An end-of-support date has passed on a component that is still in use (not retired): high.</summary>
public sealed class EosPassedRule : IGapRule
{
    public IEnumerable<ComplianceGap> Evaluate(GapSnapshot s)
        => s.EosDates.Where(e => e.EndsOn < s.Today)
            .Select(e => new ComplianceGap("EosPassed", GapSeverity.High, e.MustAct, e.SupplierVendorId, e.SupplierName, e.SystemId, e.SystemName, null, null,
                e.EndsOn.AddDays(1), e.Subject, Wareki.Format(e.EndsOn), e.Components, e.FirstManagementNumber) { Link = e.Link(s.HospitalId) });
}

/// <summary>
/// An advisory's patch is past its due day (release + the policy's days for its severity) on components where it is
/// still unsettled: one gap per advisory with the count, on the hospital (it owns the decision, even where a vendor
/// committed to a date — that is <see cref="PatchCommitmentPassedRule"/>).
/// </summary>
public sealed class PatchOverdueRule : IGapRule
{
    public IEnumerable<ComplianceGap> Evaluate(GapSnapshot s)
    {
        var policy = s.EffectivePolicy;
        foreach (var g in s.UnsettledPatches.GroupBy(p => p.AdvisoryId))
        {
            var first = g.First();
            var due = PolicyRules.PatchDueOn(first.Severity, first.ReleasedOn, policy);
            var count = g.Where(p => PolicyRules.PatchOverdue(p.State, false, due, s.Today)).Sum(p => p.Count);
            if (count > 0)
            {
                yield return new ComplianceGap("PatchOverdue", first.GapSeverity, GapActor.Hospital, null, null, null, null, null, null,
                    due.AddDays(1), first.Identifier, count, Wareki.Format(due)) { Link = first.Link(s.HospitalId) };
            }
        }
    }
}

/// <summary>A vendor's committed planned date has passed without the patch applied: one gap per advisory and vendor, on the vendor.</summary>
public sealed class PatchCommitmentPassedRule : IGapRule
{
    public IEnumerable<ComplianceGap> Evaluate(GapSnapshot s)
        => s.UnsettledPatches.Where(p => p.CommittedByVendorId is not null && PolicyRules.PlannedDatePassed(p.State, p.EarliestPlannedOn, s.Today) && p.PlannedPassed)
            .GroupBy(p => (p.AdvisoryId, p.CommittedByVendorId))
            .Select(g =>
            {
                var first = g.First();
                var earliest = g.Min(p => p.EarliestPlannedOn!.Value);
                return new ComplianceGap("PatchCommitmentPassed", first.GapSeverity, GapActor.Vendor, first.CommittedByVendorId, first.VendorName, null, null, null, null,
                    earliest.AddDays(1), first.Identifier, g.Sum(p => p.Count), Wareki.Format(earliest)) { Link = first.Link(s.HospitalId) };
            });
}

/// <summary>A deferral waits for the SecurityManager's approval (until then the patch counts as unsettled): low, on the hospital.</summary>
public sealed class PatchDeferralAwaitingApprovalRule : IGapRule
{
    public IEnumerable<ComplianceGap> Evaluate(GapSnapshot s)
        => s.UnsettledPatches.Where(p => p.State == PatchState.Deferred).GroupBy(p => p.AdvisoryId)
            .Select(g =>
            {
                var first = g.First();
                return new ComplianceGap("PatchDeferralAwaitingApproval", GapSeverity.Low, GapActor.Hospital, null, null, null, null, null, null,
                    g.Min(p => p.EarliestChange), first.Identifier, g.Sum(p => p.Count)) { Link = first.Link(s.HospitalId) };
            });
}
