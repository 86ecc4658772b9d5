using Microsoft.Extensions.Localization;
using VendorPortal.Features.Gaps;

namespace VendorPortal.UnitTests.Features.Gaps;

public sealed class GapFilterTests
{
    private static readonly Guid VendorA = Guid.NewGuid(), VendorB = Guid.NewGuid(), SystemX = Guid.NewGuid(), SystemY = Guid.NewGuid();

    private static ComplianceGap Gap(string kind, GapSeverity severity, GapActor actor, Guid? vendor, Guid? system, int day)
        => new(kind, severity, actor, vendor, vendor == VendorA ? "A社" : vendor is null ? null : "B社", system, system is null ? null : "電子カルテ", null, null,
            new DateOnly(2025, 4, 1).AddDays(day));

    private static readonly ComplianceGap[] Gaps =
    [
        Gap("MissingVendorChecklist", GapSeverity.High, GapActor.Vendor, VendorA, null, 30),
        Gap("MissingHospitalChecklist", GapSeverity.High, GapActor.Hospital, null, null, 0),
        Gap("ReviewOverdue", GapSeverity.Medium, GapActor.Hospital, VendorB, SystemX, 10),
        Gap("RmNoTwoFactor", GapSeverity.Medium, GapActor.Vendor, VendorA, SystemY, 5),
        Gap("EosWithinWindow", GapSeverity.Low, GapActor.Hospital, VendorB, SystemX, 1),
    ];

    [Fact]
    public void No_filter_keeps_every_gap_most_severe_first_then_oldest_first()
    {
        var shown = GapFilter.None.Apply(Gaps);
        Assert.Equal(["MissingHospitalChecklist", "MissingVendorChecklist", "RmNoTwoFactor", "ReviewOverdue", "EosWithinWindow"], shown.Select(g => g.Kind));
        Assert.True(GapFilter.None.IsEmpty);
    }

    [Fact]
    public void Filters_combine_vendor_system_kind_severity_and_actor()
    {
        Assert.Equal(["MissingVendorChecklist", "RmNoTwoFactor"], new GapFilter { VendorId = VendorA }.Apply(Gaps).Select(g => g.Kind));
        Assert.Equal(["ReviewOverdue", "EosWithinWindow"], new GapFilter { SystemId = SystemX }.Apply(Gaps).Select(g => g.Kind));
        Assert.Equal(["ReviewOverdue"], new GapFilter { SystemId = SystemX, Severities = [GapSeverity.Medium] }.Apply(Gaps).Select(g => g.Kind));
        Assert.Equal(["MissingHospitalChecklist", "ReviewOverdue", "EosWithinWindow"], new GapFilter { Actor = GapActor.Hospital }.Apply(Gaps).Select(g => g.Kind));
        Assert.Equal(4, new GapFilter { MinSeverity = GapSeverity.Medium }.Apply(Gaps).Count);
        Assert.Equal(["MissingHospitalChecklist", "EosWithinWindow"],
            new GapFilter { Severities = [GapSeverity.High, GapSeverity.Low], Actor = GapActor.Hospital }.Apply(Gaps).Select(g => g.Kind));
        Assert.Equal(["RmNoTwoFactor", "EosWithinWindow"], new GapFilter { Kinds = ["EosWithinWindow", "RmNoTwoFactor"] }.Apply(Gaps).Select(g => g.Kind));
        Assert.Empty(new GapFilter { Kinds = ["SomeFutureRule"] }.Apply(Gaps));
    }

    [Fact]
    public void Parse_reads_names_case_insensitively_and_ignores_empty_values()
    {
        var p = GapFilter.Parse(VendorA.ToString(), " ", ["RmNoTwoFactor", "", "RmNoTwoFactor", "EosWithin90Days"], ["high", "Medium", "HIGH"], "low", "vendor");
        Assert.True(p.IsValid);
        Assert.Equal(VendorA, p.Filter.VendorId);
        Assert.Null(p.Filter.SystemId);
        Assert.Equal(["RmNoTwoFactor", "EosWithin90Days"], p.Filter.Kinds);
        Assert.Equal([GapSeverity.High, GapSeverity.Medium], p.Filter.Severities);
        Assert.Equal(GapSeverity.Low, p.Filter.MinSeverity);
        Assert.Equal(GapActor.Vendor, p.Filter.Actor);
        Assert.True(GapFilter.Parse(null, null, null, null, null, null).Filter.IsEmpty);
    }

    [Theory]
    [InlineData("vendorId", "not-a-guid", null, null, null, null, "GapFilter_BadId")]
    [InlineData("systemId", null, "123", null, null, null, "GapFilter_BadId")]
    [InlineData("kind", null, null, "<script>", null, null, "GapFilter_BadKind")]
    [InlineData("kind", null, null, "1abc", null, null, "GapFilter_BadKind")]
    [InlineData("severity", null, null, null, "Critical", null, "GapFilter_BadSeverity")]
    [InlineData("severity", null, null, null, "3", null, "GapFilter_BadSeverity")]
    [InlineData("actor", null, null, null, null, "Auditor", "GapFilter_BadActor")]
    [InlineData("actor", null, null, null, null, "0", "GapFilter_BadActor")]
    public void Each_bad_value_is_reported_under_its_parameter(string field, string? vendor, string? system, string? kind, string? severity, string? actor, string code)
    {
        var p = GapFilter.Parse(vendor, system, kind is null ? null : [kind], severity is null ? null : [severity], null, actor);
        Assert.False(p.IsValid);
        Assert.Equal(code, p.Errors[field]);
        Assert.True(p.Filter.IsEmpty);
    }

    [Fact]
    public void A_bad_minimum_severity_is_reported_and_good_values_are_kept()
    {
        var p = GapFilter.Parse(VendorA.ToString(), null, null, null, "Urgent", null);
        Assert.Equal("GapFilter_BadSeverity", p.Errors["minSeverity"]);
        Assert.Equal(VendorA, p.Filter.VendorId);
    }

    [Fact]
    public void More_than_fifty_kinds_is_refused()
    {
        var p = GapFilter.Parse(null, null, Enumerable.Range(0, 51).Select(i => "Kind" + i), null, null, null);
        Assert.Equal("GapFilter_TooManyKinds", p.Errors["kind"]);
        Assert.Empty(p.Filter.Kinds);
    }

    [Fact]
    public void The_filter_round_trips_through_its_query_string()
    {
        var f = new GapFilter { VendorId = VendorB, SystemId = SystemX, Kinds = ["A", "B"], Severities = [GapSeverity.Low], MinSeverity = GapSeverity.Medium, Actor = GapActor.Hospital };
        var q = f.ToQuery().ToLookup(p => p.Key, p => p.Value);
        var back = GapFilter.Parse(q["vendorId"].Single(), q["systemId"].Single(), q["kind"], q["severity"], q["minSeverity"].Single(), q["actor"].Single());
        Assert.True(back.IsValid);
        Assert.Equal(f.Kinds, back.Filter.Kinds);
        Assert.Equal(f with { Kinds = back.Filter.Kinds, Severities = back.Filter.Severities }, back.Filter);
        Assert.Equal(f.Severities, back.Filter.Severities);
    }

    [Fact]
    public void Summary_counts_every_severity_and_actor_and_orders_kinds_by_count()
    {
        var s = GapSummary.Of([.. Gaps, Gap("RmNoTwoFactor", GapSeverity.Medium, GapActor.Vendor, VendorB, SystemX, 3)]);
        Assert.Equal(6, s.Count);
        Assert.Equal([GapSeverity.High, GapSeverity.Medium, GapSeverity.Low], s.BySeverity.Keys);
        Assert.Equal([2, 3, 1], s.BySeverity.Values);
        Assert.Equal(new KeyValuePair<string, int>("RmNoTwoFactor", 2), s.ByKind[0]);
        Assert.Equal("EosWithinWindow", s.ByKind[1].Key);
        Assert.Equal(3, s.ByActor[GapActor.Hospital]);
        var empty = GapSummary.Of([]);
        Assert.Equal(0, empty.BySeverity[GapSeverity.High]);
        Assert.Empty(empty.ByKind);
    }

    [Fact]
    public void Days_open_and_link_fall_back_sensibly()
    {
        var g = Gaps[0];
        Assert.Equal(30, GapView.DaysOpen(g, g.Since.AddDays(30)));
        Assert.Equal(0, GapView.DaysOpen(g, g.Since.AddDays(-3)));
        Assert.Null(GapView.LinkOf(g));
        var id = Guid.NewGuid();
        Assert.Equal($"/Checklists/{id}", GapView.LinkOf(g with { SubmissionId = id }));
        Assert.Equal("/Ledger/1", GapView.LinkOf(g with { SubmissionId = id, Link = "/Ledger/1" }));
    }

    [Fact]
    public void Text_of_an_unknown_kind_is_the_kind_and_a_message_with_wrong_placeholders_is_shown_unformatted()
    {
        var text = new GapText(new DictionaryLocalizer(new()
        {
            ["GapKind_ReviewOverdue"] = "審査の遅れ",
            ["Gap_ReviewOverdue"] = "提出から{0}日を超えて審査されていません。",
            ["Gap_Broken"] = "{0}と{3}",
            ["Severity_High"] = "高",
        }));
        Assert.Equal("審査の遅れ", text.Kind("ReviewOverdue"));
        Assert.Equal("提出から14日を超えて審査されていません。", text.Message(Gaps[2] with { Args = [14] }));
        Assert.Equal("BrandNewRule", text.Kind("BrandNewRule"));
        Assert.Equal("BrandNewRule", text.Message(Gaps[0] with { Kind = "BrandNewRule" }));
        Assert.Equal("{0}と{3}", text.Message(Gaps[0] with { Kind = "Broken", Args = ["x"] }));
        Assert.Equal("高", text.Severity(GapSeverity.High));
        Assert.Equal("Vendor", text.Actor(GapActor.Vendor));
    }

    /// <summary>An <see cref="IStringLocalizer"/> over a dictionary; a missing key answers ResourceNotFound, as the real one does.</summary>
    private sealed class DictionaryLocalizer(Dictionary<string, string> strings) : IStringLocalizer
    {
        public LocalizedString this[string name] => strings.TryGetValue(name, out var v) ? new(name, v) : new(name, name, resourceNotFound: true);
        public LocalizedString this[string name, params object[] arguments] => this[name];
        public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) => strings.Select(p => new LocalizedString(p.Key, p.Value));
    }
}
