using VendorPortal.Features.Account;
using VendorPortal.Features.Policy;
using VendorPortal.Features.Reminders;
using VendorPortal.Infrastructure.Time;
using VendorPortal.UnitTests.TestDoubles;

namespace VendorPortal.UnitTests.Features.Reminders;

public sealed class EscalationPolicyTests
{
    private static readonly Guid Hospital = Guid.NewGuid();
    private static readonly CompliancePolicy Policy = CompliancePolicy.Defaults(Hospital); // 3, 7, 14 days
    private static readonly DateOnly Raised = new(2026, 5, 1);

    [Fact]
    public void A_vendor_reminder_goes_to_the_system_operator_after_the_configured_days_counted_from_when_it_was_raised()
    {
        Assert.Equal(new DateOnly(2026, 5, 4), EscalationPolicy.NextEscalationOn(ReminderState.Open, 0, Raised, Policy));
        Assert.Equal(EscalationAction.None, EscalationPolicy.Decide(ReminderState.Open, 0, Raised, null, new DateOnly(2026, 5, 3), Policy).Action);
        var due = EscalationPolicy.Decide(ReminderState.Open, 0, Raised, null, new DateOnly(2026, 5, 4), Policy);
        Assert.Equal(new EscalationDecision(EscalationAction.Escalate, 1), due);
        Assert.Equal(Roles.SystemOperator, EscalationPolicy.HospitalRoleFor(due.Level));
    }

    [Fact]
    public void Each_further_step_counts_from_the_previous_step_security_manager_then_executive_then_nothing()
    {
        var atOperator = new DateOnly(2026, 5, 4);
        Assert.Equal(new DateOnly(2026, 5, 11), EscalationPolicy.NextEscalationOn(ReminderState.Escalated, 1, atOperator, Policy));
        Assert.Equal(EscalationAction.None, EscalationPolicy.Decide(ReminderState.Escalated, 1, atOperator, null, new DateOnly(2026, 5, 10), Policy).Action);
        Assert.Equal(new EscalationDecision(EscalationAction.Escalate, 2), EscalationPolicy.Decide(ReminderState.Escalated, 1, atOperator, null, new DateOnly(2026, 5, 11), Policy));
        Assert.Equal(Roles.SecurityManager, EscalationPolicy.HospitalRoleFor(2));

        var atManager = new DateOnly(2026, 5, 11);
        Assert.Equal(new EscalationDecision(EscalationAction.Escalate, 3), EscalationPolicy.Decide(ReminderState.Escalated, 2, atManager, null, new DateOnly(2026, 5, 25), Policy));
        Assert.Equal(Roles.Executive, EscalationPolicy.HospitalRoleFor(3));

        // The Executive is the top: never further.
        Assert.Null(EscalationPolicy.NextEscalationOn(ReminderState.Escalated, 3, new DateOnly(2026, 5, 25), Policy));
        Assert.Equal(EscalationAction.None, EscalationPolicy.Decide(ReminderState.Escalated, 3, new DateOnly(2026, 5, 25), null, new DateOnly(2027, 1, 1), Policy).Action);
    }

    [Fact]
    public void A_hospital_reminder_addressed_to_the_system_operator_starts_at_level_one()
    {
        Assert.Equal(1, EscalationPolicy.InitialLevel(toHospitalSystemOperator: true));
        Assert.Equal(0, EscalationPolicy.InitialLevel(toHospitalSystemOperator: false));
        // From level 1 the first step is the SecurityManager's days.
        Assert.Equal(Raised.AddDays(7), EscalationPolicy.NextEscalationOn(ReminderState.Open, 1, Raised, Policy));
    }

    [Fact]
    public void The_hospitals_own_days_apply()
    {
        var policy = new CompliancePolicy { HospitalId = Hospital, EscalateToSystemOperatorDays = 1, EscalateToSecurityManagerDays = 2, EscalateToExecutiveDays = 5 };
        Assert.Equal(Raised.AddDays(1), EscalationPolicy.NextEscalationOn(ReminderState.Open, 0, Raised, policy));
        Assert.Equal(Raised.AddDays(2), EscalationPolicy.NextEscalationOn(ReminderState.Escalated, 1, Raised, policy));
        Assert.Equal(Raised.AddDays(5), EscalationPolicy.NextEscalationOn(ReminderState.Escalated, 2, Raised, policy));
    }

    [Theory]
    [InlineData(ReminderState.Acknowledged)]
    [InlineData(ReminderState.Resolved)]
    public void Acknowledged_or_resolved_never_escalates(ReminderState state)
    {
        Assert.Null(EscalationPolicy.NextEscalationOn(state, 0, Raised, Policy));
        Assert.Equal(EscalationAction.None, EscalationPolicy.Decide(state, 0, Raised, null, Raised.AddDays(365), Policy).Action);
    }

    [Fact]
    public void A_snoozed_reminder_waits_for_its_date_then_wakes_at_the_same_level_and_its_clock_restarts()
    {
        var until = new DateOnly(2026, 6, 1);
        Assert.Null(EscalationPolicy.NextEscalationOn(ReminderState.Snoozed, 1, Raised, Policy));
        Assert.Equal(EscalationAction.None, EscalationPolicy.Decide(ReminderState.Snoozed, 1, Raised, until, new DateOnly(2026, 5, 31), Policy).Action);
        Assert.Equal(new EscalationDecision(EscalationAction.Wake, 1), EscalationPolicy.Decide(ReminderState.Snoozed, 1, Raised, until, until, Policy));
        // Back to Open on the 1st: the next step is counted from that day, not from when it was raised.
        Assert.Equal(until.AddDays(7), EscalationPolicy.NextEscalationOn(ReminderState.Open, 1, until, Policy));
    }

    [Fact]
    public void Escalation_days_follow_the_japanese_calendar_day_of_the_clock()
    {
        // 2026-05-03T15:00Z is already 5月4日 in Japan: the vendor reminder raised on 5月1日 escalates that morning.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 5, 3, 15, 0, 0, TimeSpan.Zero));
        var today = JapanTime.TodayInJapan(time);
        Assert.Equal(EscalationAction.Escalate, EscalationPolicy.Decide(ReminderState.Open, 0, Raised, null, today, Policy).Action);
        time.UtcNow = time.UtcNow.AddTicks(-1);
        Assert.Equal(EscalationAction.None, EscalationPolicy.Decide(ReminderState.Open, 0, Raised, null, JapanTime.TodayInJapan(time), Policy).Action);
    }

    [Fact]
    public void A_snooze_needs_a_date_from_tomorrow_to_ninety_days_and_a_reason()
    {
        var today = new DateOnly(2026, 5, 1);
        Assert.Empty(EscalationPolicy.ValidateSnooze(today.AddDays(1), "ベンダー回答待ち", today));
        Assert.Empty(EscalationPolicy.ValidateSnooze(today.AddDays(90), "ベンダー回答待ち", today));
        Assert.Equal(["ReminderSnoozeUntilInvalid"], EscalationPolicy.ValidateSnooze(today, "理由", today));
        Assert.Equal(["ReminderSnoozeUntilInvalid"], EscalationPolicy.ValidateSnooze(today.AddDays(91), "理由", today));
        Assert.Equal(["ReminderSnoozeUntilInvalid"], EscalationPolicy.ValidateSnooze(null, "理由", today));
        Assert.Equal(["ReminderSnoozeReasonRequired"], EscalationPolicy.ValidateSnooze(today.AddDays(3), " ", today));
    }
}
