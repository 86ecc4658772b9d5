using VendorPortal.Features.Organizations;

namespace VendorPortal.UnitTests.Features.Organizations;

public sealed class EngagementTests
{
    private static Engagement Engagement(DateOnly starts, DateOnly? ends)
        => new() { Title = "保守契約", StartsOn = starts, EndsOn = ends };

    [Fact]
    public void Is_active_on_its_start_day()
    {
        Assert.True(Engagement(new(2025, 4, 1), new(2026, 3, 31)).IsActiveOn(new(2025, 4, 1)));
    }

    [Fact]
    public void Is_not_active_the_day_before_it_starts()
    {
        Assert.False(Engagement(new(2025, 4, 1), new(2026, 3, 31)).IsActiveOn(new(2025, 3, 31)));
    }

    [Fact]
    public void Is_active_on_its_end_day()
    {
        Assert.True(Engagement(new(2025, 4, 1), new(2026, 3, 31)).IsActiveOn(new(2026, 3, 31)));
    }

    [Fact]
    public void Is_not_active_the_day_after_it_ends()
    {
        Assert.False(Engagement(new(2025, 4, 1), new(2026, 3, 31)).IsActiveOn(new(2026, 4, 1)));
    }

    [Fact]
    public void A_one_day_engagement_is_active_on_that_day_only()
    {
        var e = Engagement(new(2025, 4, 1), new(2025, 4, 1));

        Assert.True(e.IsActiveOn(new(2025, 4, 1)));
        Assert.False(e.IsActiveOn(new(2025, 3, 31)));
        Assert.False(e.IsActiveOn(new(2025, 4, 2)));
    }

    [Fact]
    public void An_open_ended_engagement_stays_active()
    {
        var e = Engagement(new(2025, 4, 1), null);

        Assert.True(e.IsActiveOn(new(2025, 4, 1)));
        Assert.True(e.IsActiveOn(new(2099, 12, 31)));
        Assert.False(e.IsActiveOn(new(2025, 3, 31)));
    }
}
