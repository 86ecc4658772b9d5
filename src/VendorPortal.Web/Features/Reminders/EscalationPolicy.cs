using VendorPortal.Features.Account;
using VendorPortal.Features.Policy;

namespace VendorPortal.Features.Reminders;

/// <summary>What the escalation pass does with one reminder today.</summary>
public enum EscalationAction
{
    None,
    /// <summary>Move to the next level (<see cref="EscalationDecision.Level"/>), address its hospital role, restart the clock.</summary>
    Escalate,
    /// <summary>The snooze date has come: back to Open at the same level, the clock restarts today.</summary>
    Wake,
}

public sealed record EscalationDecision(EscalationAction Action, int Level)
{
    public static readonly EscalationDecision Nothing = new(EscalationAction.None, -1);
}

/// <summary>
/// The escalation rule, pure: an unacknowledged reminder (Open or Escalated) moves from its first recipient (level 0,
/// a vendor) to the hospital's SystemOperator (1), then the SecurityManager (2), then the Executive (3), each after the
/// policy's number of days counted from the day the previous level started. A hospital reminder whose first
/// recipient is the SystemOperator starts at level 1. Acknowledged and resolved reminders never escalate; a snoozed one
/// waits until its snooze date, then returns to Open and its clock restarts that day. One level per day at most.
/// </summary>
public static class EscalationPolicy
{
    public const int FirstRecipient = 0;
    public const int SystemOperatorLevel = 1;
    public const int SecurityManagerLevel = 2;
    public const int ExecutiveLevel = 3;
    public const int TopLevel = ExecutiveLevel;

    /// <summary>The hospital role addressed at a level (level 0 is the first recipient's own, not a hospital role).</summary>
    public static string? HospitalRoleFor(int level) => level switch
    {
        SystemOperatorLevel => Roles.SystemOperator,
        SecurityManagerLevel => Roles.SecurityManager,
        ExecutiveLevel => Roles.Executive,
        _ => null,
    };

    /// <summary>The level a new reminder starts at: 1 when it goes to the hospital's SystemOperator, else 0.</summary>
    public static int InitialLevel(bool toHospitalSystemOperator) => toHospitalSystemOperator ? SystemOperatorLevel : FirstRecipient;

    /// <summary>Days a reminder waits at <paramref name="level"/> before going up; null at the top.</summary>
    public static int? DaysAt(int level, CompliancePolicy policy) => level switch
    {
        FirstRecipient => policy.EscalateToSystemOperatorDays,
        SystemOperatorLevel => policy.EscalateToSecurityManagerDays,
        SecurityManagerLevel => policy.EscalateToExecutiveDays,
        _ => null,
    };

    public static bool CanEscalate(ReminderState state) => state is ReminderState.Open or ReminderState.Escalated;

    /// <summary>The day the reminder escalates next, or null when it cannot (stored on the row for the pass's index).</summary>
    public static DateOnly? NextEscalationOn(ReminderState state, int level, DateOnly levelSince, CompliancePolicy policy)
        => CanEscalate(state) && DaysAt(level, policy) is { } days ? levelSince.AddDays(days) : null;

    public static EscalationDecision Decide(ReminderState state, int level, DateOnly levelSince, DateOnly? snoozedUntil, DateOnly today, CompliancePolicy policy)
    {
        if (state == ReminderState.Snoozed)
        {
            return snoozedUntil is { } until && today >= until ? new EscalationDecision(EscalationAction.Wake, level) : EscalationDecision.Nothing;
        }
        return NextEscalationOn(state, level, levelSince, policy) is { } next && today >= next
            ? new EscalationDecision(EscalationAction.Escalate, level + 1)
            : EscalationDecision.Nothing;
    }

    /// <summary>The longest snooze a user may choose.</summary>
    public const int MaxSnoozeDays = 90;

    /// <summary>Problems with a snooze request as resource keys (empty when valid).</summary>
    public static List<string> ValidateSnooze(DateOnly? until, string? reason, DateOnly today)
    {
        var errors = new List<string>();
        if (until is not { } u || u <= today || u > today.AddDays(MaxSnoozeDays))
        {
            errors.Add("ReminderSnoozeUntilInvalid");
        }
        if (string.IsNullOrWhiteSpace(reason))
        {
            errors.Add("ReminderSnoozeReasonRequired");
        }
        else if (reason.Length > 1000)
        {
            errors.Add("ReminderNoteTooLong");
        }
        return errors;
    }
}
