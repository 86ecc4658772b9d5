using System.Globalization;

namespace VendorPortal.Infrastructure.Time;

/// <summary>
/// Japan Standard Time, 年度 (fiscal year, April to March) and 和暦. Japan has no daylight saving,
/// so JST is a fixed UTC+9 and does not depend on the machine's time-zone database.
/// </summary>
public static class JapanTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(9);

    public static DateTimeOffset ToJst(DateTimeOffset instant) => instant.ToOffset(Offset);

    public static DateOnly TodayInJapan(TimeProvider time) => DateOnly.FromDateTime(ToJst(time.GetUtcNow()).DateTime);

    public static string Format(DateTimeOffset instant, IFormatProvider? culture = null)
        => ToJst(instant).ToString("yyyy/MM/dd HH:mm", culture ?? CultureInfo.InvariantCulture) + " JST";

    public static string Format(DateTimeOffset? instant) => instant is null ? "—" : Format(instant.Value);
}

/// <summary>年度: the Japanese fiscal year, from 1 April to 31 March, named by the year it starts in.</summary>
public readonly record struct FiscalYear(int StartYear) : IComparable<FiscalYear>
{
    public DateOnly FirstDay => new(StartYear, 4, 1);
    public DateOnly LastDay => new(StartYear + 1, 3, 31);

    public static FiscalYear Of(DateOnly day) => new(day.Month >= 4 ? day.Year : day.Year - 1);

    public bool Contains(DateOnly day) => day >= FirstDay && day <= LastDay;

    public int CompareTo(FiscalYear other) => StartYear.CompareTo(other.StartYear);

    /// <summary>"2025年度" style.</summary>
    public override string ToString() => $"{StartYear}年度";

    /// <summary>
    /// "令和7年度". A fiscal year takes the era in force at its end, numbered from that era's first
    /// year: April 2019–March 2020 is 令和元年度 (as MHLW and the prefectures write it), not 平成31年度,
    /// although 令和 began on 1 May 2019.
    /// </summary>
    public string ToWarekiString()
    {
        var (eraName, eraFirstYear) = Wareki.EraOf(LastDay);
        if (eraFirstYear > StartYear)
        {
            // The era began after the year's first January (1989: 昭和63年度 ran to March 1989).
            (eraName, eraFirstYear) = Wareki.EraOf(FirstDay);
        }
        var year = StartYear - eraFirstYear + 1;
        return year == 1 ? $"{eraName}元年度" : $"{eraName}{year}年度";
    }
}

/// <summary>和暦 formatting with .NET's JapaneseCalendar (eras from ICU: 令和, 平成, …).</summary>
public static class Wareki
{
    private static readonly CultureInfo JapaneseCulture = CreateCulture();

    private static CultureInfo CreateCulture()
    {
        var culture = new CultureInfo("ja-JP");
        culture.DateTimeFormat.Calendar = new JapaneseCalendar();
        return culture;
    }

    /// <summary>"令和7年" (元年 for the first year of an era).</summary>
    public static string YearName(DateOnly day)
    {
        var dt = day.ToDateTime(TimeOnly.MinValue);
        var calendar = JapaneseCulture.DateTimeFormat.Calendar;
        var era = calendar.GetEra(dt);
        var eraName = JapaneseCulture.DateTimeFormat.GetEraName(era);
        var year = calendar.GetYear(dt);
        return year == 1 ? $"{eraName}元年" : $"{eraName}{year}年";
    }

    /// <summary>The era in force on <paramref name="day"/> and the Gregorian year of its first year.</summary>
    public static (string Name, int FirstGregorianYear) EraOf(DateOnly day)
    {
        var dt = day.ToDateTime(TimeOnly.MinValue);
        var calendar = JapaneseCulture.DateTimeFormat.Calendar;
        return (JapaneseCulture.DateTimeFormat.GetEraName(calendar.GetEra(dt)), day.Year - calendar.GetYear(dt) + 1);
    }

    /// <summary>"令和7年4月1日".</summary>
    public static string Format(DateOnly day) => $"{YearName(day)}{day.Month}月{day.Day}日";

    private static readonly (string Name, string Letter, DateOnly Start)[] Eras =
    [
        ("令和", "R", new DateOnly(2019, 5, 1)),
        ("平成", "H", new DateOnly(1989, 1, 8)),
        ("昭和", "S", new DateOnly(1926, 12, 25)),
    ];

    private static readonly System.Text.RegularExpressions.Regex WarekiPattern = new(
        @"^(?<era>令和|平成|昭和|[RHS])(?<year>元|\d{1,2})[年./-](?<month>\d{1,2})[月./-](?<day>\d{1,2})日?$",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>
    /// Reads a 和暦 date as people type it: "令和7年4月1日", "令和元年5月1日", "R7.4.1", "H31/4/30". A date
    /// outside its era (令和元年4月1日, before 令和 began) is refused.
    /// </summary>
    public static bool TryParse(string? text, out DateOnly day)
    {
        day = default;
        var m = WarekiPattern.Match((text ?? "").Trim().ToUpperInvariant());
        if (!m.Success)
        {
            return false;
        }
        var era = Array.FindIndex(Eras, e => e.Name == m.Groups["era"].Value || e.Letter == m.Groups["era"].Value);
        var year = m.Groups["year"].Value == "元" ? 1 : int.Parse(m.Groups["year"].Value, CultureInfo.InvariantCulture);
        var month = int.Parse(m.Groups["month"].Value, CultureInfo.InvariantCulture);
        var dayOfMonth = int.Parse(m.Groups["day"].Value, CultureInfo.InvariantCulture);
        var gregorian = Eras[era].Start.Year + year - 1;
        if (year < 1 || month is < 1 or > 12 || dayOfMonth < 1 || dayOfMonth > DateTime.DaysInMonth(gregorian, month))
        {
            return false;
        }
        var candidate = new DateOnly(gregorian, month, dayOfMonth);
        // Inside its era: not before it began, not on or after the next era's first day.
        if (candidate < Eras[era].Start || (era > 0 && candidate >= Eras[era - 1].Start))
        {
            return false;
        }
        day = candidate;
        return true;
    }
}
