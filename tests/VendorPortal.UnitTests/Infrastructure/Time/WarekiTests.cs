using VendorPortal.Infrastructure.Time;

namespace VendorPortal.UnitTests.Infrastructure.Time;

public sealed class WarekiTests
{
    [Theory]
    [InlineData(2019, 4, 30, "平成31年")]
    [InlineData(2019, 5, 1, "令和元年")]
    [InlineData(2019, 12, 31, "令和元年")]
    [InlineData(2020, 1, 1, "令和2年")]
    [InlineData(2025, 4, 1, "令和7年")]
    [InlineData(1989, 1, 7, "昭和64年")]
    [InlineData(1989, 1, 8, "平成元年")]
    [InlineData(1990, 1, 1, "平成2年")]
    public void YearName_follows_the_era_in_force_that_day(int year, int month, int day, string expected)
    {
        Assert.Equal(expected, Wareki.YearName(new DateOnly(year, month, day)));
    }

    [Fact]
    public void Format_writes_era_year_month_and_day()
    {
        Assert.Equal("令和7年4月1日", Wareki.Format(new DateOnly(2025, 4, 1)));
    }

    [Fact]
    public void Format_writes_gannen_for_the_first_year_of_an_era()
    {
        Assert.Equal("令和元年5月1日", Wareki.Format(new DateOnly(2019, 5, 1)));
    }

    [Fact]
    public void Format_does_not_pad_month_or_day()
    {
        Assert.Equal("令和8年12月31日", Wareki.Format(new DateOnly(2026, 12, 31)));
    }
}
