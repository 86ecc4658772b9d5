using VendorPortal.Features.Forms;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Gaps;

public enum GapSeverity { Low = 1, Medium = 2, High = 3 }

/// <summary>Who has to do something about a gap.</summary>
public enum GapActor { Hospital, Vendor }

/// <summary>One compliance gap: what is missing or late, for which vendor and system, who must act and since when.</summary>
public sealed record ComplianceGap(
    string Kind,
    GapSeverity Severity,
    GapActor MustAct,
    Guid? VendorId,
    string? VendorName,
    Guid? SystemId,
    string? SystemName,
    Guid? SubmissionId,
    string? ItemNumber,
    DateOnly Since,
    params object[] Args)
{
    /// <summary>Where the gap is fixed, when it is not a checklist (<see cref="SubmissionId"/> links those).</summary>
    public string? Link { get; init; }
}

/// <summary>An active engagement: the vendor and the systems it covers.</summary>
public sealed record GapEngagement(Guid VendorId, string VendorName, DateOnly StartsOn);

/// <summary>A form as the gap rules see it: its state and, if submitted, the latest version's answers.</summary>
public sealed record GapForm(Guid Id, FormKind Kind, Guid RespondentId, string RespondentName, Guid? SystemId, string? SystemName,
    SubmissionState State, DateOnly LastChange, FormTemplate Template, FormAnswers? Latest);

/// <summary>
/// An MDS/SDS disclosure shared with the hospital (and submitted), with the hospital's own review state.
/// Disclosures belong to a product, not to a 年度: an accepted one counts in every year.
/// </summary>
public sealed record GapDisclosure(Guid SubmissionId, Guid VendorId, string VendorName, string ProductLabel, SubmissionState ReviewState, DateOnly LastChange);

/// <summary>
/// A vendor's remote-maintenance disclosure for one of the hospital's systems, as last submitted (any review
/// state: a returned one still says what the vendor last declared). Standing, so not tied to a 年度.
/// </summary>
public sealed record GapRemoteMaintenance(Guid SubmissionId, Guid VendorId, string VendorName, Guid? SystemId, string? SystemName,
    SubmissionState State, DateOnly SubmittedOn, FormTemplate Template, FormAnswers Latest);

/// <summary>Everything the rules need for one hospital and one 年度. Built by <see cref="GapQuery"/>; rules never touch the database.</summary>
public sealed record GapSnapshot(Guid HospitalId, FiscalYear Year, DateOnly Today, IReadOnlyList<GapEngagement> Engagements, IReadOnlyList<GapForm> Forms,
    IReadOnlyList<GapDisclosure>? Disclosures = null, IReadOnlyList<GapRemoteMaintenance>? RemoteMaintenance = null)
{
    public IReadOnlyList<GapDisclosure> SharedDisclosures => Disclosures ?? [];
    public IReadOnlyList<GapRemoteMaintenance> RemoteMaintenanceDisclosures => RemoteMaintenance ?? [];

    /// <summary>再委託 requests addressed to the hospital: approved ones (with their chain) and those waiting for a hospital step.</summary>
    public IReadOnlyList<GapSubcontract> Subcontracts { get; init; } = [];

    /// <summary>責任分界表: systems with a matrix (its current version) or an active engagement.</summary>
    public IReadOnlyList<Responsibility.GapMatrixSystem> Matrices { get; init; } = [];
    /// <summary>The hospital's policy (EOS windows, patch days); the defaults when null.</summary>
    public Policy.CompliancePolicy? Policy { get; init; }
    public Policy.CompliancePolicy EffectivePolicy => Policy ?? VendorPortal.Features.Policy.CompliancePolicy.Defaults(HospitalId);

    /// <summary>EOS dates of components in use within the largest warning window or passed, grouped (see <see cref="GapEos"/>).</summary>
    public IReadOnlyList<GapEos> EosDates { get; init; } = [];

    /// <summary>Unsettled patch statuses of components in use, counted per group (see <see cref="GapPatchGroup"/>).</summary>
    public IReadOnlyList<GapPatchGroup> UnsettledPatches { get; init; } = [];

    /// <summary>連絡体制図: engaged vendors' incident contacts and the hospital's roles; no contact rule runs when null.</summary>
    public Contacts.GapContacts? Contacts { get; init; }

    /// <summary>The current BCP document (all null when none is on file); no BCP rule runs when null.</summary>
    public Inspection.Bcp.GapBcp? Bcp { get; init; }
}

/// <summary>A gap rule: one small class with one job, so a new rule is one file (and one unit test).</summary>
public interface IGapRule
{
    IEnumerable<ComplianceGap> Evaluate(GapSnapshot s);
}

/// <summary>An engaged vendor has not submitted its 事業者確認用 checklist for the year.</summary>
public sealed class MissingVendorChecklistRule : IGapRule
{
    public IEnumerable<ComplianceGap> Evaluate(GapSnapshot s)
    {
        foreach (var e in s.Engagements)
        {
            var submitted = s.Forms.Any(f => f.Kind == FormKind.VendorChecklist && f.RespondentId == e.VendorId && f.Latest is not null);
            if (!submitted)
            {
                var since = e.StartsOn > s.Year.FirstDay ? e.StartsOn : s.Year.FirstDay;
                yield return new ComplianceGap("MissingVendorChecklist", GapSeverity.High, GapActor.Vendor, e.VendorId, e.VendorName, null, null, null, null, since);
            }
        }
    }
}

/// <summary>The hospital has not recorded its own 医療機関確認用 checklist for the year (checked at 立入検査).</summary>
public sealed class MissingHospitalChecklistRule : IGapRule
{
    public IEnumerable<ComplianceGap> Evaluate(GapSnapshot s)
    {
        if (!s.Forms.Any(f => f.Kind == FormKind.HospitalChecklist && f.Latest is not null))
        {
            yield return new ComplianceGap("MissingHospitalChecklist", GapSeverity.High, GapActor.Hospital, null, null, null, null, null, null, s.Year.FirstDay);
        }
    }
}

/// <summary>A checklist was returned and the vendor has not resubmitted it.</summary>
public sealed class ReturnedChecklistRule : IGapRule
{
    public IEnumerable<ComplianceGap> Evaluate(GapSnapshot s)
        => s.Forms.Where(f => f.State == SubmissionState.Returned)
            .Select(f => new ComplianceGap("ReturnedChecklist", GapSeverity.Medium, GapActor.Vendor, f.RespondentId, f.RespondentName, f.SystemId, f.SystemName, f.Id, null, f.LastChange));
}

/// <summary>A submission has waited for the hospital's review for more than two weeks.</summary>
public sealed class ReviewOverdueRule : IGapRule
{
    public const int Days = 14;

    public IEnumerable<ComplianceGap> Evaluate(GapSnapshot s)
        => s.Forms.Where(f => f.State == SubmissionState.Submitted && f.LastChange.AddDays(Days) < s.Today)
            .Select(f => new ComplianceGap("ReviewOverdue", GapSeverity.Low, GapActor.Hospital, f.RespondentId, f.RespondentName, f.SystemId, f.SystemName, f.Id, null, f.LastChange.AddDays(Days), Days));
}

/// <summary>
/// いいえ in the latest submitted answers: without a 目標日 (possible in imported or older data), or with a
/// 目標日 that has passed while the latest round still says いいえ.
/// </summary>
public sealed class NoAnswerTargetRule : IGapRule
{
    public IEnumerable<ComplianceGap> Evaluate(GapSnapshot s)
    {
        // Runs over every item of every checklist of the year on each request: plain loops, no per-item allocations.
        foreach (var f in s.Forms)
        {
            if (f.Latest is null)
            {
                continue;
            }
            var rounds = f.Latest.Rounds.Where(r => r.Answers.Count > 0).OrderBy(r => r.Number).ToList();
            foreach (var item in f.Template.Items)
            {
                if (!item.Has(RuleKind.TargetDateWhenNo))
                {
                    continue;
                }
                // The latest round that answered the item decides.
                CheckRound? last = null;
                ItemAnswer? answer = null;
                for (var i = rounds.Count - 1; i >= 0 && last is null; i--)
                {
                    if (rounds[i].Answers.TryGetValue(item.Id, out answer))
                    {
                        last = rounds[i];
                    }
                }
                if (last is null || FormRules.ParseYesNo(answer!.Value) != YesNo.No)
                {
                    continue;
                }
                var actor = f.Kind == FormKind.HospitalChecklist ? GapActor.Hospital : GapActor.Vendor;
                var vendorId = f.Kind == FormKind.HospitalChecklist ? (Guid?)null : f.RespondentId;
                var vendorName = f.Kind == FormKind.HospitalChecklist ? null : f.RespondentName;
                if (answer.TargetDate is not { } target)
                {
                    yield return new ComplianceGap("NoWithoutTargetDate", GapSeverity.High, actor, vendorId, vendorName, f.SystemId, f.SystemName, f.Id, item.Number, last.CheckedOn ?? f.LastChange);
                }
                else if (target < s.Today)
                {
                    yield return new ComplianceGap("TargetDatePassed", GapSeverity.High, actor, vendorId, vendorName, f.SystemId, f.SystemName, f.Id, item.Number, target.AddDays(1), Wareki.Format(target));
                }
            }
        }
    }
}

/// <summary>
/// MDS/SDS (checklist 2-③: obtain the 医療情報セキュリティ開示書 from each vendor): an engaged vendor without an
/// accepted disclosure is a gap, on the vendor while nothing is waiting for review, on the hospital while one
/// is; and every disclosure the hospital returned that the vendor has not resubmitted.
/// </summary>
public sealed class MissingDisclosureRule : IGapRule
{
    public IEnumerable<ComplianceGap> Evaluate(GapSnapshot s)
    {
        var shared = s.SharedDisclosures;
        foreach (var e in s.Engagements)
        {
            var mine = shared.Where(d => d.VendorId == e.VendorId).ToList();
            if (mine.Any(d => d.ReviewState == SubmissionState.Accepted) || mine.Any(d => d.ReviewState == SubmissionState.Returned))
            {
                continue; // accepted: nothing to do; returned: reported below, per disclosure
            }
            if (mine.Where(d => d.ReviewState == SubmissionState.Submitted).OrderBy(d => d.LastChange).FirstOrDefault() is { } waiting)
            {
                yield return new ComplianceGap("DisclosureAwaitingReview", GapSeverity.Low, GapActor.Hospital, e.VendorId, e.VendorName, null, null,
                    waiting.SubmissionId, null, waiting.LastChange, waiting.ProductLabel);
                continue;
            }
            var since = e.StartsOn > s.Year.FirstDay ? e.StartsOn : s.Year.FirstDay;
            yield return new ComplianceGap("MissingDisclosure", GapSeverity.Medium, GapActor.Vendor, e.VendorId, e.VendorName, null, null, null, null, since);
        }
        foreach (var d in shared.Where(d => d.ReviewState == SubmissionState.Returned))
        {
            yield return new ComplianceGap("DisclosureReturned", GapSeverity.Medium, GapActor.Vendor, d.VendorId, d.VendorName, null, null,
                d.SubmissionId, null, d.LastChange, d.ProductLabel);
        }
    }
}

/// <summary>
/// リモートメンテナンス開示: each risk flag of a vendor's latest submitted disclosure (no second factor, no source
/// restriction, shared accounts, no log delivery, always-on, a method the guideline does not name, unknown VPN
/// firmware) is a gap on the vendor, for that system, since the version was submitted. A system without a
/// disclosure is not a gap: only what vendors declared is judged.
/// </summary>
public sealed class RemoteMaintenanceRiskRule : IGapRule
{
    public IEnumerable<ComplianceGap> Evaluate(GapSnapshot s)
    {
        foreach (var d in s.RemoteMaintenanceDisclosures)
        {
            foreach (var flag in RemoteMaintenance.RemoteMaintenanceFlags.Compute(d.Latest, s.Year))
            {
                var number = d.Template.Items.FirstOrDefault(i => i.Id == flag.ItemId)?.Number;
                yield return new ComplianceGap(flag.GapKind, flag.Severity, GapActor.Vendor, d.VendorId, d.VendorName, d.SystemId, d.SystemName,
                    d.SubmissionId, number, d.SubmittedOn);
            }
        }
    }
}

public static class GapRules
{
    /// <summary>Every rule of the portal. Later features (remote maintenance, matrices, EOS, patches) add theirs here.</summary>
    public static readonly IReadOnlyList<IGapRule> All =
    [
        new MissingHospitalChecklistRule(),
        new MissingVendorChecklistRule(),
        new ReturnedChecklistRule(),
        new ReviewOverdueRule(),
        new NoAnswerTargetRule(),
        new MissingDisclosureRule(),
        new RemoteMaintenanceRiskRule(),
        new SubcontractCertificateExpiredRule(),
        new SubcontractApprovalEndedRule(),
        new SubcontractApprovalEndingSoonRule(),
        new SubcontractStepOverdueRule(),
        new Responsibility.MissingMatrixRule(),
        new Responsibility.MatrixRowWithoutResponsibleRule(),
        new Responsibility.MatrixRowManyResponsibleRule(),
        new Responsibility.MatrixNotConfirmedRule(),
        new Responsibility.MatrixVendorNotEngagedRule(),
        new Responsibility.MatrixSubcontractorNotApprovedRule(),
        new EosApproachingRule(),
        new EosPassedRule(),
        new PatchOverdueRule(),
        new PatchCommitmentPassedRule(),
        new PatchDeferralAwaitingApprovalRule(),
        new Contacts.VendorContactMissingRule(),
        new Contacts.VendorContactStaleRule(),
        new Contacts.HospitalChartIncompleteRule(),
        new Inspection.Bcp.BcpMissingRule(),
        new Inspection.Readiness.ChecklistFirstRoundUndatedRule(),
    ];

    public static IReadOnlyList<ComplianceGap> Evaluate(GapSnapshot snapshot)
        => All.SelectMany(r => r.Evaluate(snapshot)).OrderByDescending(g => g.Severity).ThenBy(g => g.Since).ToList();
}
