using VendorPortal.Features.Patches;

namespace VendorPortal.Features.Policy;

/// <summary>
/// Where an end-of-support date stands on a day under a hospital's warning windows. <see cref="Threshold"/> is the
/// smallest window the date has entered (e.g. 90 when 31–90 days are left with windows 365/180/90/30); null when
/// the date is further away than the largest window or already passed.
/// </summary>
public sealed record EosStanding(int DaysLeft, int? Threshold)
{
    public bool Passed => DaysLeft < 0;
    public bool InWindow => Threshold is not null;
    public bool NeedsAttention => Passed || InWindow;
}

/// <summary>The pure date rules of the policy: shared by the gap view, the daily reminder run and their tests.</summary>
public static class PolicyRules
{
    public const int MaxWarningDays = 1095;
    public const int MaxPatchDays = 365;
    public const int MaxEscalationDays = 90;
    public const int MaxWarningSteps = 6;

    public static EosStanding Eos(DateOnly endsOn, DateOnly today, IReadOnlyCollection<int> warningDays)
    {
        var left = endsOn.DayNumber - today.DayNumber;
        if (left < 0)
        {
            return new EosStanding(left, null);
        }
        int? threshold = null;
        foreach (var d in warningDays)
        {
            if (left <= d && (threshold is null || d < threshold))
            {
                threshold = d;
            }
        }
        return new EosStanding(left, threshold);
    }

    /// <summary>The largest warning window: nothing ending later needs to be read at all (the reminder run's filter).</summary>
    public static int Horizon(IReadOnlyCollection<int> warningDays) => warningDays.Count == 0 ? 0 : warningDays.Max();

    /// <summary>Days a patch of this severity may stay unapplied after its release.</summary>
    public static int PatchDays(AdvisorySeverity severity, CompliancePolicy policy) => severity switch
    {
        AdvisorySeverity.Critical => policy.CriticalPatchDays,
        AdvisorySeverity.High => policy.HighPatchDays,
        _ => policy.OtherPatchDays,
    };

    /// <summary>The last day a patch may be applied on time.</summary>
    public static DateOnly PatchDueOn(AdvisorySeverity severity, DateOnly releasedOn, CompliancePolicy policy)
        => releasedOn.AddDays(PatchDays(severity, policy));

    /// <summary>
    /// A patch status still needs action: open, planned, or deferred without the SecurityManager's approval.
    /// Applied, not applicable and an approved deferral are settled.
    /// </summary>
    public static bool PatchUnsettled(PatchState state, bool deferralApproved)
        => state is PatchState.Open or PatchState.Planned || (state == PatchState.Deferred && !deferralApproved);

    /// <summary>Overdue: unsettled and past its due day.</summary>
    public static bool PatchOverdue(PatchState state, bool deferralApproved, DateOnly dueOn, DateOnly today)
        => PatchUnsettled(state, deferralApproved) && today > dueOn;

    /// <summary>A planned date (often a vendor's commitment) that has passed without the patch being applied.</summary>
    public static bool PlannedDatePassed(PatchState state, DateOnly? plannedOn, DateOnly today)
        => state == PatchState.Planned && plannedOn is { } p && today > p;

    /// <summary>Problems with a policy as resource keys (empty when it can be saved).</summary>
    public static List<string> Validate(CompliancePolicy p)
    {
        var errors = new List<string>();
        if (p.EosWarningDays.Length is 0 or > MaxWarningSteps || p.EosWarningDays.Any(d => d is < 1 or > MaxWarningDays)
            || p.EosWarningDays.Distinct().Count() != p.EosWarningDays.Length)
        {
            errors.Add("PolicyEosWarningDaysInvalid");
        }
        if (new[] { p.CriticalPatchDays, p.HighPatchDays, p.OtherPatchDays }.Any(d => d is < 1 or > MaxPatchDays))
        {
            errors.Add("PolicyPatchDaysInvalid");
        }
        else if (p.CriticalPatchDays > p.HighPatchDays || p.HighPatchDays > p.OtherPatchDays)
        {
            errors.Add("PolicyPatchDaysOrder");
        }
        if (new[] { p.EscalateToSystemOperatorDays, p.EscalateToSecurityManagerDays, p.EscalateToExecutiveDays }.Any(d => d is < 1 or > MaxEscalationDays))
        {
            errors.Add("PolicyEscalationDaysInvalid");
        }
        return errors;
    }
}
