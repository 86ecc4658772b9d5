using VendorPortal.Features.Gaps;
using VendorPortal.Features.Inspection.Readiness;
using VendorPortal.Features.Subcontracting;

namespace VendorPortal.UnitTests.Features.Inspection;

public sealed class ReadinessRulesTests
{
    private static readonly Guid Hospital = Guid.NewGuid();
    private static readonly Guid VendorA = Guid.NewGuid();
    private static readonly Guid VendorB = Guid.NewGuid();
    private static readonly DateOnly Day = new(2026, 4, 1);

    private static ComplianceGap Gap(string kind, Guid? vendor = null, string? vendorName = null, Guid? submission = null, string? item = null, string? link = null)
        => new(kind, GapSeverity.High, vendor is null ? GapActor.Hospital : GapActor.Vendor, vendor, vendorName, null, null, submission, item, Day) { Link = link };

    [Fact]
    public void Without_gaps_or_pending_requests_all_seven_items_are_ready_and_link_where_they_are_kept()
    {
        var report = ReadinessRules.Build(Hospital, [], []);
        Assert.Equal(7, report.Items.Count);
        Assert.True(report.AllReady);
        Assert.Equal(7, report.ReadyCount);
        Assert.Equal(Enum.GetValues<ReadinessItemKind>(), report.Items.Select(i => i.Kind));
        Assert.Equal($"/Hospitals/{Hospital}/Inspection/Bcp", report.Items.Single(i => i.Kind == ReadinessItemKind.Bcp).FixLink);
        Assert.Equal($"/Hospitals/{Hospital}/Subcontractors", report.Items.Single(i => i.Kind == ReadinessItemKind.Subcontracting).FixLink);
        Assert.Equal($"/Hospitals/{Hospital}/Contacts", report.Items.Single(i => i.Kind == ReadinessItemKind.ContactChart).FixLink);
        Assert.Equal($"/Hospitals/{Hospital}/Disclosures", report.Items.Single(i => i.Kind == ReadinessItemKind.Disclosures).FixLink);
    }

    [Fact]
    public void Each_gap_kind_lands_on_its_item_and_unrelated_gaps_do_not_count()
    {
        var s1 = Guid.NewGuid();
        var gaps = new[]
        {
            Gap("MissingHospitalChecklist"),
            Gap("MissingVendorChecklist", VendorB, "B社"),
            Gap("MissingVendorChecklist", VendorA, "A社"),
            Gap("ChecklistFirstRoundUndated", VendorA, "A社", submission: s1),
            Gap("VendorContactStale", VendorA, "A社", link: "/Hospitals/x/Contacts#vendor-a"),
            Gap("ContactChartIncomplete", link: "/Hospitals/x/Contacts"),
            Gap("BcpMissing", link: "/Hospitals/x/Inspection/Bcp"),
            Gap("MissingDisclosure", VendorB, "B社"),
            Gap("EosPassed", VendorA, "A社"),
            Gap("ReviewOverdue", VendorA, "A社", submission: s1),
        };
        var report = ReadinessRules.Build(Hospital, gaps, []);
        Assert.Equal(2, report.ReadyCount); // 「いいえ」の目標日 and 再委託: EOS and review delays are not inspection items
        var byKind = report.Items.ToDictionary(i => i.Kind);
        Assert.True(byKind[ReadinessItemKind.TargetDates].Ready);
        Assert.True(byKind[ReadinessItemKind.Subcontracting].Ready);
        Assert.Equal("MissingHospitalChecklist", Assert.Single(byKind[ReadinessItemKind.HospitalChecklist].Findings).Kind);
        // Vendors sorted by name; the undated first round links its checklist.
        Assert.Equal([("A社", "ChecklistFirstRoundUndated", $"/Checklists/{s1}"), ("A社", "MissingVendorChecklist", $"/Hospitals/{Hospital}/Checklists"),
                ("B社", "MissingVendorChecklist", $"/Hospitals/{Hospital}/Checklists")],
            byKind[ReadinessItemKind.VendorChecklists].Findings.Select(f => (f.Subject!, f.Kind, f.Link)));
        Assert.Equal(2, byKind[ReadinessItemKind.ContactChart].Findings.Count);
        Assert.Equal("/Hospitals/x/Inspection/Bcp", Assert.Single(byKind[ReadinessItemKind.Bcp].Findings).Link);
        Assert.Equal("B社", Assert.Single(byKind[ReadinessItemKind.Disclosures].Findings).Subject);
        Assert.All(report.Items.SelectMany(i => i.Findings), f => Assert.NotNull(f.Gap));
    }

    [Fact]
    public void No_answers_without_a_target_date_are_listed_once_per_form_with_their_item_numbers_in_order()
    {
        var own = Guid.NewGuid();
        var theirs = Guid.NewGuid();
        var report = ReadinessRules.Build(Hospital,
        [
            Gap("NoWithoutTargetDate", submission: own, item: "1-10"),
            Gap("NoWithoutTargetDate", submission: own, item: "1-2"),
            Gap("NoWithoutTargetDate", VendorA, "A社", submission: theirs, item: "3-1"),
            Gap("TargetDatePassed", VendorA, "A社", submission: theirs, item: "2-1"), // has a target date: not this item
        ], []);
        var item = report.Items.Single(i => i.Kind == ReadinessItemKind.TargetDates);
        Assert.Equal([("NoTargetDatesHospital", "1-2、1-10", $"/Checklists/{own}"), ("NoTargetDatesVendor", "3-1", $"/Checklists/{theirs}")],
            item.Findings.Select(f => (f.Kind, f.Detail!, f.Link)));
        Assert.Equal(6, report.ReadyCount);
    }

    [Fact]
    public void Pending_requests_make_subcontracting_not_ready_once_each_even_when_also_overdue()
    {
        var overdue = Guid.NewGuid();
        var fresh = Guid.NewGuid();
        var report = ReadinessRules.Build(Hospital,
            [Gap("SubcontractStepOverdue", VendorA, "A社", link: $"/Subcontracts/{overdue}")],
            [new ReadinessPendingSubcontract(overdue, VendorA, "A社", "再委託先X", SubcontractState.Reviewed),
             new ReadinessPendingSubcontract(fresh, VendorB, "B社", "再委託先Y", SubcontractState.Submitted)]);
        var item = report.Items.Single(i => i.Kind == ReadinessItemKind.Subcontracting);
        Assert.False(item.Ready);
        Assert.Equal([("SubcontractStepOverdue", $"/Subcontracts/{overdue}"), ("SubcontractPending", $"/Subcontracts/{fresh}")],
            item.Findings.Select(f => (f.Kind, f.Link)));
        Assert.Equal("再委託先Y", item.Findings[1].Detail);
    }

    [Theory]
    [InlineData("BcpOutdated", ReadinessItemKind.Bcp)]
    [InlineData("VendorContact24hMissing", ReadinessItemKind.ContactChart)]
    [InlineData("DisclosureReturned", ReadinessItemKind.Disclosures)]
    [InlineData("SubcontractCertificateExpired", ReadinessItemKind.Subcontracting)]
    public void Gap_kinds_map_to_items(string kind, ReadinessItemKind expected) => Assert.Equal(expected, ReadinessRules.ItemOf(kind));

    [Fact]
    public void Gaps_outside_the_inspection_items_are_ignored() => Assert.Null(ReadinessRules.ItemOf("PatchOverdue"));
}
