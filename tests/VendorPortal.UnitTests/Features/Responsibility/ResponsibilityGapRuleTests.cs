using VendorPortal.Features.Gaps;
using VendorPortal.Features.Responsibility;
using VendorPortal.Features.Subcontracting;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.UnitTests.Features.Responsibility;

public sealed class ResponsibilityGapRuleTests
{
    private static readonly DateOnly Today = new(2026, 11, 20);
    private static readonly DateOnly Saved = new(2026, 10, 1);
    private static readonly Guid Hospital = Guid.NewGuid();
    private static readonly Guid VendorId = Guid.Parse("11111111-1111-1111-1111-111111111111");
    private static readonly Guid RequestId = Guid.Parse("22222222-2222-2222-2222-222222222222");
    private static readonly Guid SystemId = Guid.NewGuid();
    private static readonly GapEngagement Engaged = new(VendorId, "電子カルテ株式会社", new DateOnly(2024, 4, 1));

    private static GapMatrixSystem System(MatrixContent? content, IReadOnlyCollection<Guid>? confirmed = null, params GapEngagement[] engaged)
        => new(SystemId, "電子カルテ", engaged, content is null ? null : new GapMatrix(2, Saved, content, confirmed ?? []));

    private static GapSnapshot Snapshot(IEnumerable<GapSubcontract>? subcontracts = null, params GapMatrixSystem[] systems)
        => new(Hospital, FiscalYear.Of(Today), Today, [], []) { Matrices = systems, Subcontracts = [.. subcontracts ?? []] };

    private static MatrixContent WithRow(Dictionary<string, MatrixRole> cells)
    {
        var sample = MatrixContentTests.Sample();
        return sample with { Rows = [sample.Rows[0] with { Cells = cells }] };
    }

    private static GapSubcontract Request(SubcontractState state, DateOnly? ends = null)
        => new(RequestId, VendorId, "電子カルテ株式会社", state, Today.AddMonths(-1), true, Today.AddYears(-1), ends, []);

    [Fact]
    public void A_row_without_a_responsible_party_is_a_gap_on_the_hospital_linked_to_the_matrix()
    {
        var content = WithRow(new() { ["hospital"] = MatrixRole.Approves, ["v-1"] = MatrixRole.Supports });
        var gap = Assert.Single(new MatrixRowWithoutResponsibleRule().Evaluate(Snapshot(null, System(content, null, Engaged))));
        Assert.Equal(("MatrixNoResponsible", GapActor.Hospital, SystemId, Saved), (gap.Kind, gap.MustAct, gap.SystemId!.Value, gap.Since));
        Assert.Equal($"/Hospitals/{Hospital}/Responsibility/{SystemId}", gap.Link);
        Assert.Equal("バックアップの取得", gap.Args[0]);
        Assert.Empty(new MatrixRowWithoutResponsibleRule().Evaluate(Snapshot(null, System(MatrixContentTests.Sample(), null, Engaged))));
    }

    [Fact]
    public void A_row_with_two_responsible_parties_is_a_gap()
    {
        var content = WithRow(new() { ["hospital"] = MatrixRole.Responsible, ["v-1"] = MatrixRole.Responsible });
        var gap = Assert.Single(new MatrixRowManyResponsibleRule().Evaluate(Snapshot(null, System(content, null, Engaged))));
        Assert.Equal(("MatrixManyResponsible", GapSeverity.Low, 2), (gap.Kind, gap.Severity, (int)gap.Args[1]));
        Assert.Empty(new MatrixRowManyResponsibleRule().Evaluate(Snapshot(null, System(MatrixContentTests.Sample(), null, Engaged))));
    }

    [Fact]
    public void Each_party_that_has_not_confirmed_the_current_version_must_act()
    {
        var gaps = new MatrixNotConfirmedRule().Evaluate(Snapshot(null, System(MatrixContentTests.Sample(), null, Engaged))).ToList();
        Assert.Equal(2, gaps.Count);
        Assert.Contains(gaps, g => g.MustAct == GapActor.Hospital && g.VendorId is null && (int)g.Args[0] == 2);
        Assert.Contains(gaps, g => g.MustAct == GapActor.Vendor && g.VendorId == VendorId && g.VendorName == "電子カルテ株式会社");

        var vendorOnly = Assert.Single(new MatrixNotConfirmedRule().Evaluate(Snapshot(null, System(MatrixContentTests.Sample(), [Hospital], Engaged))));
        Assert.Equal(GapActor.Vendor, vendorOnly.MustAct);
        Assert.Empty(new MatrixNotConfirmedRule().Evaluate(Snapshot(null, System(MatrixContentTests.Sample(), [Hospital, VendorId], Engaged))));
    }

    [Fact]
    public void A_vendor_party_without_an_active_engagement_for_the_system_is_a_gap()
    {
        var gap = Assert.Single(new MatrixVendorNotEngagedRule().Evaluate(Snapshot(null, System(MatrixContentTests.Sample()))));
        Assert.Equal(("MatrixVendorNotEngaged", GapActor.Hospital, VendorId), (gap.Kind, gap.MustAct, gap.VendorId!.Value));
        Assert.Empty(new MatrixVendorNotEngagedRule().Evaluate(Snapshot(null, System(MatrixContentTests.Sample(), null, Engaged))));
    }

    [Fact]
    public void A_subcontractor_party_needs_an_approved_unexpired_request()
    {
        var rule = new MatrixSubcontractorNotApprovedRule();
        var system = System(MatrixContentTests.Sample(), null, Engaged);
        Assert.Empty(rule.Evaluate(Snapshot([Request(SubcontractState.Approved, Today.AddYears(1))], system)));

        var unknown = Assert.Single(rule.Evaluate(Snapshot(null, system)));
        Assert.Equal(("MatrixSubcontractorNotApproved", GapActor.Hospital, GapSeverity.High), (unknown.Kind, unknown.MustAct, unknown.Severity));
        Assert.Equal("保守サービス株式会社", unknown.Args[0]);
        var ended = Assert.Single(rule.Evaluate(Snapshot([Request(SubcontractState.Approved, Today.AddDays(-1))], system)));
        Assert.Equal((GapActor.Vendor, VendorId), (ended.MustAct, ended.VendorId!.Value));
        var waiting = Assert.Single(rule.Evaluate(Snapshot([Request(SubcontractState.Submitted)], system)));
        Assert.Equal(GapActor.Hospital, waiting.MustAct);
    }

    [Fact]
    public void An_engaged_system_without_a_matrix_is_a_gap_since_the_engagement_or_the_year_began()
    {
        var gap = Assert.Single(new MissingMatrixRule().Evaluate(Snapshot(null, System(null, null, Engaged))));
        Assert.Equal(("MissingMatrix", GapActor.Hospital, FiscalYear.Of(Today).FirstDay), (gap.Kind, gap.MustAct, gap.Since));
        var recent = Engaged with { StartsOn = Today.AddDays(-5) };
        Assert.Equal(Today.AddDays(-5), Assert.Single(new MissingMatrixRule().Evaluate(Snapshot(null, System(null, null, recent)))).Since);
        Assert.Empty(new MissingMatrixRule().Evaluate(Snapshot(null, System(MatrixContentTests.Sample(), null, Engaged))));
        Assert.Empty(new MissingMatrixRule().Evaluate(Snapshot(null, System(null))));
    }

    [Fact]
    public void Every_matrix_rule_is_registered()
    {
        Type[] rules = [typeof(MissingMatrixRule), typeof(MatrixRowWithoutResponsibleRule), typeof(MatrixRowManyResponsibleRule), typeof(MatrixNotConfirmedRule),
            typeof(MatrixVendorNotEngagedRule), typeof(MatrixSubcontractorNotApprovedRule)];
        Assert.All(rules, t => Assert.Contains(GapRules.All, r => r.GetType() == t));
    }
}
