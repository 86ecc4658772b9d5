using VendorPortal.Features.Patches;
using VendorPortal.Features.Policy;

namespace VendorPortal.UnitTests.Features.Policy;

public sealed class PolicyRulesTests
{
    private static readonly DateOnly Today = new(2026, 11, 21);
    private static readonly int[] Windows = CompliancePolicy.DefaultEosWarningDays;

    [Theory]
    [InlineData(366, null)]
    [InlineData(365, 365)]
    [InlineData(181, 365)]
    [InlineData(180, 180)]
    [InlineData(91, 180)]
    [InlineData(90, 90)]
    [InlineData(30, 30)]
    [InlineData(0, 30)]
    public void An_end_of_support_date_enters_the_smallest_window_it_is_inside(int daysLeft, int? threshold)
    {
        var s = PolicyRules.Eos(Today.AddDays(daysLeft), Today, Windows);
        Assert.Equal(threshold, s.Threshold);
        Assert.Equal(daysLeft, s.DaysLeft);
        Assert.False(s.Passed);
    }

    [Fact]
    public void A_passed_date_is_past_every_window()
    {
        var s = PolicyRules.Eos(Today.AddDays(-1), Today, Windows);
        Assert.True(s.Passed);
        Assert.Null(s.Threshold);
        Assert.True(s.NeedsAttention);
        Assert.False(PolicyRules.Eos(Today.AddDays(400), Today, Windows).NeedsAttention);
    }

    [Fact]
    public void Windows_need_not_be_sorted()
        => Assert.Equal(90, PolicyRules.Eos(Today.AddDays(60), Today, [30, 365, 90]).Threshold);

    [Theory]
    [InlineData(AdvisorySeverity.Critical, 14)]
    [InlineData(AdvisorySeverity.High, 30)]
    [InlineData(AdvisorySeverity.Medium, 90)]
    [InlineData(AdvisorySeverity.Low, 90)]
    public void Default_patch_deadlines_follow_severity(AdvisorySeverity severity, int days)
    {
        var released = new DateOnly(2026, 11, 1);
        var due = PolicyRules.PatchDueOn(severity, released, CompliancePolicy.Defaults(Guid.NewGuid()));
        Assert.Equal(released.AddDays(days), due);
        Assert.False(PolicyRules.PatchOverdue(PatchState.Open, false, due, due));
        Assert.True(PolicyRules.PatchOverdue(PatchState.Open, false, due, due.AddDays(1)));
    }

    [Theory]
    [InlineData(PatchState.Open, false, true)]
    [InlineData(PatchState.Planned, false, true)]
    [InlineData(PatchState.Deferred, false, true)]
    [InlineData(PatchState.Deferred, true, false)]
    [InlineData(PatchState.Applied, false, false)]
    [InlineData(PatchState.NotApplicable, false, false)]
    public void Only_applied_not_applicable_and_approved_deferrals_are_settled(PatchState state, bool approved, bool unsettled)
        => Assert.Equal(unsettled, PolicyRules.PatchUnsettled(state, approved));

    [Fact]
    public void A_planned_date_passes_the_day_after()
    {
        Assert.False(PolicyRules.PlannedDatePassed(PatchState.Planned, Today, Today));
        Assert.True(PolicyRules.PlannedDatePassed(PatchState.Planned, Today.AddDays(-1), Today));
        Assert.False(PolicyRules.PlannedDatePassed(PatchState.Applied, Today.AddDays(-1), Today));
    }

    [Fact]
    public void The_defaults_are_valid_and_bad_values_are_named()
    {
        Assert.Empty(PolicyRules.Validate(CompliancePolicy.Defaults(Guid.NewGuid())));
        var p = CompliancePolicy.Defaults(Guid.NewGuid());
        p.EosWarningDays = [90, 90];
        p.CriticalPatchDays = 60;
        p.EscalateToExecutiveDays = 0;
        Assert.Equal(["PolicyEosWarningDaysInvalid", "PolicyPatchDaysOrder", "PolicyEscalationDaysInvalid"], PolicyRules.Validate(p));
        p.EosWarningDays = [];
        Assert.Contains("PolicyEosWarningDaysInvalid", PolicyRules.Validate(p));
    }
}
