using VendorPortal.Infrastructure.Time;
using VendorPortal.UnitTests.TestDoubles;

namespace VendorPortal.UnitTests.Infrastructure.Time;

public sealed class JapanTimeTests
{
    [Fact]
    public void Jst_is_nine_hours_ahead_of_utc()
    {
        Assert.Equal(TimeSpan.FromHours(9), JapanTime.Offset);
    }

    [Fact]
    public void ToJst_keeps_the_instant_and_shows_it_at_plus_nine()
    {
        var utc = new DateTimeOffset(2026, 3, 31, 15, 0, 0, TimeSpan.Zero);

        var jst = JapanTime.ToJst(utc);

        Assert.Equal(utc, jst);
        Assert.Equal(TimeSpan.FromHours(9), jst.Offset);
        Assert.Equal(new DateTime(2026, 4, 1, 0, 0, 0), jst.DateTime);
    }

    [Fact]
    public void ToJst_converts_from_any_offset()
    {
        var newYork = new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.FromHours(-5));

        Assert.Equal(new DateTime(2026, 1, 2, 0, 0, 0), JapanTime.ToJst(newYork).DateTime);
    }

    [Fact]
    public void Today_in_Japan_is_already_1_April_at_15_00_utc_on_31_March()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 31, 15, 0, 0, TimeSpan.Zero));

        Assert.Equal(new DateOnly(2026, 4, 1), JapanTime.TodayInJapan(time));
    }

    [Fact]
    public void Today_in_Japan_is_still_31_March_one_tick_before_15_00_utc()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 31, 15, 0, 0, TimeSpan.Zero).AddTicks(-1));

        Assert.Equal(new DateOnly(2026, 3, 31), JapanTime.TodayInJapan(time));
    }

    [Fact]
    public void Format_shows_the_jst_clock_time_with_its_suffix()
    {
        var utc = new DateTimeOffset(2026, 3, 31, 15, 4, 59, TimeSpan.Zero);

        Assert.Equal("2026/04/01 00:04 JST", JapanTime.Format(utc));
    }

    [Fact]
    public void Format_of_no_instant_is_a_dash()
    {
        Assert.Equal("—", JapanTime.Format((DateTimeOffset?)null));
    }
}
