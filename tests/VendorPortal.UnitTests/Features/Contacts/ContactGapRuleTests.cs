using VendorPortal.Features.Contacts;
using VendorPortal.Features.Gaps;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.UnitTests.Features.Contacts;

public sealed class ContactGapRuleTests
{
    private static readonly Guid Hospital = Guid.NewGuid();
    private static readonly Guid VendorA = Guid.NewGuid();
    private static readonly DateOnly Today = new(2025, 11, 20);
    private static readonly DateOnly Engaged = new(2024, 4, 1);

    private static readonly GapHospitalContact[] CompleteChart =
    [
        new(HospitalContactRole.SafetyManager, true, true, true),
        new(HospitalContactRole.AuthorityPolice, true, true, false),
        new(HospitalContactRole.AuthorityHealthCenter, true, true, false),
    ];

    private static GapSnapshot Snapshot(GapVendorContacts[] vendors, GapHospitalContact[]? hospital = null)
        => new(Hospital, FiscalYear.Of(Today), Today, [], []) { Contacts = new GapContacts(vendors, hospital ?? CompleteChart) };

    private static GapVendorContacts Vendor(int count = 1, bool has24h = true, DateOnly? confirmed = null)
        => new(VendorA, "A社", Engaged, count, has24h, confirmed ?? Today.AddMonths(-1));

    [Fact]
    public void A_vendor_without_contacts_or_without_a_24_hour_line_must_add_them()
    {
        var rule = new VendorContactMissingRule();
        var none = Assert.Single(rule.Evaluate(Snapshot([Vendor(count: 0, confirmed: null) with { ConfirmedOn = null }])));
        Assert.Equal(("VendorContactMissing", GapSeverity.Medium, GapActor.Vendor, VendorA, Engaged, $"/Hospitals/{Hospital}/Contacts#vendor-{VendorA}"),
            (none.Kind, none.Severity, none.MustAct, none.VendorId!.Value, none.Since, none.Link));
        Assert.Equal("VendorContact24hMissing", Assert.Single(rule.Evaluate(Snapshot([Vendor(has24h: false)]))).Kind);
        Assert.Empty(rule.Evaluate(Snapshot([Vendor()])));
    }

    [Fact]
    public void Contacts_not_confirmed_for_12_months_are_a_gap_since_the_anniversary()
    {
        var rule = new VendorContactStaleRule();
        var confirmed = Today.AddMonths(-13);
        var gap = Assert.Single(rule.Evaluate(Snapshot([Vendor(confirmed: confirmed)])));
        Assert.Equal(("VendorContactStale", GapActor.Vendor, confirmed.AddMonths(12), Wareki.Format(confirmed)), (gap.Kind, gap.MustAct, gap.Since, (string)gap.Args[0]));
        Assert.Single(rule.Evaluate(Snapshot([Vendor(confirmed: Today.AddMonths(-12))])));
        Assert.Empty(rule.Evaluate(Snapshot([Vendor(confirmed: Today.AddMonths(-12).AddDays(1))])));
        // Without contacts the missing rule speaks, not this one.
        Assert.Empty(rule.Evaluate(Snapshot([Vendor(count: 0, confirmed: confirmed)])));
    }

    [Fact]
    public void An_incomplete_chart_is_on_the_hospital_and_links_to_its_contacts_page()
    {
        var rule = new HospitalChartIncompleteRule();
        Assert.Empty(rule.Evaluate(Snapshot([])));
        var gap = Assert.Single(rule.Evaluate(Snapshot([], [CompleteChart[0], CompleteChart[1]])));
        Assert.Equal(("ContactChartIncomplete", GapSeverity.Medium, GapActor.Hospital, $"/Hospitals/{Hospital}/Contacts", FiscalYear.Of(Today).FirstDay),
            (gap.Kind, gap.Severity, gap.MustAct, gap.Link, gap.Since));
        Assert.Single(rule.Evaluate(Snapshot([], [])));
    }

    [Fact]
    public void Without_contact_data_no_contact_rule_runs_and_the_rules_are_registered()
    {
        var empty = new GapSnapshot(Hospital, FiscalYear.Of(Today), Today, [], []);
        Assert.Empty(new HospitalChartIncompleteRule().Evaluate(empty));
        Assert.Contains(GapRules.All, r => r is VendorContactMissingRule);
        Assert.Contains(GapRules.All, r => r is VendorContactStaleRule);
        Assert.Contains(GapRules.All, r => r is HospitalChartIncompleteRule);
    }
}
