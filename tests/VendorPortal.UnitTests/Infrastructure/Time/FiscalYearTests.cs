using VendorPortal.Infrastructure.Time;

namespace VendorPortal.UnitTests.Infrastructure.Time;

public sealed class FiscalYearTests
{
    [Fact]
    public void Fiscal_year_starts_on_the_first_of_April()
    {
        Assert.Equal(new DateOnly(2025, 4, 1), new FiscalYear(2025).FirstDay);
    }

    [Fact]
    public void Fiscal_year_ends_on_the_thirty_first_of_March_of_the_next_year()
    {
        Assert.Equal(new DateOnly(2026, 3, 31), new FiscalYear(2025).LastDay);
    }

    [Theory]
    [InlineData(2026, 3, 31, 2025)]
    [InlineData(2026, 4, 1, 2026)]
    [InlineData(2026, 1, 1, 2025)]
    [InlineData(2025, 12, 31, 2025)]
    [InlineData(2025, 4, 1, 2025)]
    [InlineData(2024, 2, 29, 2023)]
    public void Of_names_the_fiscal_year_by_the_year_it_starts_in(int year, int month, int day, int expectedStartYear)
    {
        Assert.Equal(new FiscalYear(expectedStartYear), FiscalYear.Of(new DateOnly(year, month, day)));
    }

    [Fact]
    public void Contains_both_first_and_last_day()
    {
        var fy = new FiscalYear(2025);

        Assert.True(fy.Contains(new DateOnly(2025, 4, 1)));
        Assert.True(fy.Contains(new DateOnly(2026, 3, 31)));
        Assert.True(fy.Contains(new DateOnly(2025, 12, 31)));
    }

    [Fact]
    public void Does_not_contain_the_day_before_or_after()
    {
        var fy = new FiscalYear(2025);

        Assert.False(fy.Contains(new DateOnly(2025, 3, 31)));
        Assert.False(fy.Contains(new DateOnly(2026, 4, 1)));
    }

    [Fact]
    public void Every_day_is_in_the_fiscal_year_Of_returns()
    {
        for (var day = new DateOnly(2023, 1, 1); day <= new DateOnly(2026, 12, 31); day = day.AddDays(1))
        {
            Assert.True(FiscalYear.Of(day).Contains(day), day.ToString("O"));
        }
    }

    [Fact]
    public void Fiscal_years_order_by_start_year()
    {
        Assert.True(new FiscalYear(2024).CompareTo(new FiscalYear(2025)) < 0);
        Assert.True(new FiscalYear(2025).CompareTo(new FiscalYear(2024)) > 0);
        Assert.Equal(0, new FiscalYear(2025).CompareTo(new FiscalYear(2025)));
    }

    [Fact]
    public void ToString_is_the_start_year_with_nendo()
    {
        Assert.Equal("2025年度", new FiscalYear(2025).ToString());
    }

    [Theory]
    [InlineData(2025, "令和7年度")]
    [InlineData(2020, "令和2年度")]
    [InlineData(2018, "平成30年度")]
    [InlineData(1989, "平成元年度")]
    [InlineData(1988, "昭和63年度")]
    public void ToWarekiString_names_the_fiscal_year_by_the_era_in_force_at_its_end(int startYear, string expected)
    {
        Assert.Equal(expected, new FiscalYear(startYear).ToWarekiString());
    }

    [Fact]
    public void Fiscal_year_2019_is_Reiwa_gannendo_as_official_documents_write_it()
    {
        // 令和 began on 1 May 2019, inside the fiscal year; MHLW and the prefectures call it 令和元年度.
        Assert.Equal("令和元年度", new FiscalYear(2019).ToWarekiString());
    }
}
