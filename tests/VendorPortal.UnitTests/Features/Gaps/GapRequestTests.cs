using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using VendorPortal.UnitTests.TestDoubles;
using VendorPortal.Features.Gaps;

namespace VendorPortal.UnitTests.Features.Gaps;

public sealed class GapRequestTests
{
    // 2026-03-31 20:00 UTC is 1 April 2026 in Japan: 年度 2026 has begun.
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 3, 31, 20, 0, 0, TimeSpan.Zero));

    private static GapRequest Read(params (string Key, string[] Values)[] query)
        => GapRequest.Read(new QueryCollection(query.ToDictionary(q => q.Key, q => new StringValues(q.Values))), Time);

    [Fact]
    public void The_year_defaults_to_the_current_one_in_japan_and_can_be_chosen()
    {
        Assert.Equal(2026, Read().Year.StartYear);
        Assert.Equal(2024, Read(("fiscalYear", ["2024"])).Year.StartYear);
        Assert.Empty(Read().Errors);
    }

    [Theory]
    [InlineData("1999")]
    [InlineData("2101")]
    [InlineData("20x5")]
    [InlineData("-2025")]
    public void A_bad_year_is_an_error_and_the_current_year_is_used(string year)
    {
        var r = Read(("fiscalYear", [year]));
        Assert.Equal("GapFilter_BadYear", r.Errors["fiscalYear"]);
        Assert.Equal(2026, r.Year.StartYear);
    }

    [Fact]
    public void Filters_come_from_the_same_names_as_the_api_and_the_older_vendor_name_still_works()
    {
        var vendor = Guid.NewGuid();
        var r = Read(("vendor", [vendor.ToString()]), ("kind", ["A", "B"]), ("severity", ["High"]), ("actor", ["Hospital"]));
        Assert.Equal(vendor, r.Filter.VendorId);
        Assert.Equal(["A", "B"], r.Filter.Kinds);
        Assert.Equal([GapSeverity.High], r.Filter.Severities);
        Assert.Equal(GapActor.Hospital, r.Filter.Actor);
        var other = Guid.NewGuid();
        Assert.Equal(other, Read(("vendorId", [other.ToString()]), ("vendor", [vendor.ToString()])).Filter.VendorId);
        Assert.Equal("GapFilter_BadSeverity", Read(("minSeverity", ["Severe"])).Errors["minSeverity"]);
    }
}
