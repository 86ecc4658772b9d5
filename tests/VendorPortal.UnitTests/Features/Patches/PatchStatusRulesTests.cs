using VendorPortal.Features.Account;
using VendorPortal.Features.Patches;

namespace VendorPortal.UnitTests.Features.Patches;

public sealed class PatchStatusRulesTests
{
    private static readonly DateOnly Today = new(2026, 11, 20);
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 1, 0, 0, TimeSpan.Zero);
    private static readonly Guid Hospital = Guid.NewGuid();
    private static readonly Guid VendorOrg = Guid.NewGuid();

    private static PatchActor Staff(string role, Guid? user = null) => new(Hospital, user ?? Guid.NewGuid(), role + "さん", false, [role]);
    private static PatchActor Vendor() => new(VendorOrg, Guid.NewGuid(), "ベンダー担当", true, [Roles.VendorMember]);
    private static PatchStatus Open() => new() { Id = Guid.NewGuid(), HospitalId = Hospital, State = PatchState.Open };

    [Fact]
    public void Planning_needs_a_date_not_in_the_past_and_a_vendors_plan_is_its_commitment()
    {
        var s = Open();
        var vendor = Vendor();
        Assert.Equal("DateRequired", PatchStatusRules.Problem(s, PatchAction.Plan, new PatchInput(), vendor, Today));
        Assert.Equal("PlannedInPast", PatchStatusRules.Problem(s, PatchAction.Plan, new PatchInput(Today.AddDays(-1)), vendor, Today));
        Assert.Null(PatchStatusRules.Problem(s, PatchAction.Plan, new PatchInput(Today), vendor, Today));
        PatchStatusRules.Apply(s, PatchAction.Plan, new PatchInput(Today.AddDays(7)), vendor, Now);
        Assert.Equal((PatchState.Planned, (DateOnly?)Today.AddDays(7), (Guid?)VendorOrg, 1, "ベンダー担当"), (s.State, s.PlannedOn, s.CommittedByVendorId, s.Revision, s.UpdatedByName));

        // The hospital re-planning it takes the commitment off the vendor.
        PatchStatusRules.Apply(s, PatchAction.Plan, new PatchInput(Today.AddDays(9)), Staff(Roles.SystemOperator), Now);
        Assert.Null(s.CommittedByVendorId);
    }

    [Fact]
    public void Applying_needs_a_date_not_in_the_future_records_who_and_keeps_the_plan()
    {
        var s = Open();
        var vendor = Vendor();
        PatchStatusRules.Apply(s, PatchAction.Plan, new PatchInput(Today), vendor, Now);
        Assert.Equal("AppliedInFuture", PatchStatusRules.Problem(s, PatchAction.Apply, new PatchInput(Today.AddDays(1)), vendor, Today));
        Assert.Equal("DateRequired", PatchStatusRules.Problem(s, PatchAction.Apply, new PatchInput(), vendor, Today));
        PatchStatusRules.Apply(s, PatchAction.Apply, new PatchInput(Today), vendor, Now);
        Assert.Equal((PatchState.Applied, (DateOnly?)Today, "ベンダー担当", (Guid?)VendorOrg), (s.State, s.AppliedOn, s.AppliedByName, s.CommittedByVendorId));
    }

    [Fact]
    public void Not_applicable_needs_a_reason_and_a_deferral_a_reason_and_a_compensating_measure()
    {
        var s = Open();
        var op = Staff(Roles.SystemOperator);
        Assert.Equal("ReasonRequired", PatchStatusRules.Problem(s, PatchAction.NotApplicable, new PatchInput(Reason: "  "), op, Today));
        Assert.Null(PatchStatusRules.Problem(s, PatchAction.NotApplicable, new PatchInput(Reason: "該当機能を使用していない"), op, Today));
        Assert.Equal("ReasonRequired", PatchStatusRules.Problem(s, PatchAction.Defer, new PatchInput(CompensatingMeasure: "FW"), op, Today));
        Assert.Equal("MeasureRequired", PatchStatusRules.Problem(s, PatchAction.Defer, new PatchInput(Reason: "保守停止不可"), op, Today));
        Assert.Equal("TooLong", PatchStatusRules.Problem(s, PatchAction.Defer, new PatchInput(Reason: new string('x', 2001), CompensatingMeasure: "FW"), op, Today));
        PatchStatusRules.Apply(s, PatchAction.Defer, new PatchInput(Reason: " 保守停止不可 ", CompensatingMeasure: "通信をFWで遮断"), op, Now);
        Assert.Equal((PatchState.Deferred, "保守停止不可", "通信をFWで遮断", op.UserId), (s.State, s.Reason, s.CompensatingMeasure, s.DeferredByUserId));
    }

    [Fact]
    public void A_deferral_is_approved_only_by_a_security_manager_who_did_not_request_it()
    {
        var requester = Staff(Roles.SecurityManager);
        var s = Open();
        PatchStatusRules.Apply(s, PatchAction.Defer, new PatchInput(Reason: "理由", CompensatingMeasure: "代替"), requester, Now);

        Assert.Equal("NotSecurityManager", PatchStatusRules.Forbidden(s, PatchAction.ApproveDeferral, Staff(Roles.SystemOperator), false));
        Assert.Equal("NotSecurityManager", PatchStatusRules.Forbidden(s, PatchAction.ApproveDeferral, Staff(Roles.TenantAdmin), false));
        Assert.Equal("VendorCannotDecide", PatchStatusRules.Forbidden(s, PatchAction.ApproveDeferral, Vendor(), true));
        Assert.Equal("OwnDeferral", PatchStatusRules.Problem(s, PatchAction.ApproveDeferral, new PatchInput(), requester, Today));

        var other = Staff(Roles.SecurityManager);
        Assert.Null(PatchStatusRules.Forbidden(s, PatchAction.ApproveDeferral, other, false));
        Assert.Null(PatchStatusRules.Problem(s, PatchAction.ApproveDeferral, new PatchInput(), other, Today));
        PatchStatusRules.Apply(s, PatchAction.ApproveDeferral, new PatchInput(), other, Now);
        Assert.Equal((other.UserId, "SecurityManagerさん", (DateTimeOffset?)Now), (s.DeferralApprovedByUserId, s.DeferralApprovedByName, s.DeferralApprovedAt));
        Assert.False(VendorPortal.Features.Policy.PolicyRules.PatchUnsettled(s.State, s.DeferralApprovedAt is not null));

        // Approved once: no second decision.
        Assert.Equal("NotAwaitingApproval", PatchStatusRules.Problem(s, PatchAction.RefuseDeferral, new PatchInput(), other, Today));
    }

    [Fact]
    public void A_refused_deferral_is_open_again()
    {
        var s = Open();
        PatchStatusRules.Apply(s, PatchAction.Defer, new PatchInput(Reason: "理由", CompensatingMeasure: "代替"), Staff(Roles.SystemOperator), Now);
        Assert.Equal("NotAwaitingApproval", PatchStatusRules.Problem(Open(), PatchAction.RefuseDeferral, new PatchInput(), Staff(Roles.SecurityManager), Today));
        PatchStatusRules.Apply(s, PatchAction.RefuseDeferral, new PatchInput(), Staff(Roles.SecurityManager), Now);
        Assert.Equal((PatchState.Open, (string?)null, (Guid?)null), (s.State, s.Reason, s.DeferredByUserId));
    }

    [Fact]
    public void A_vendor_plans_and_applies_on_components_it_supplies_but_never_decides_not_applicable_or_deferral()
    {
        var s = Open();
        var vendor = Vendor();
        Assert.Null(PatchStatusRules.Forbidden(s, PatchAction.Plan, vendor, true));
        Assert.Null(PatchStatusRules.Forbidden(s, PatchAction.Apply, vendor, true));
        Assert.Equal("NotAllowed", PatchStatusRules.Forbidden(s, PatchAction.Plan, vendor, false));
        Assert.Equal("VendorCannotDecide", PatchStatusRules.Forbidden(s, PatchAction.Defer, vendor, true));
        Assert.Equal("VendorCannotDecide", PatchStatusRules.Forbidden(s, PatchAction.NotApplicable, vendor, true));
        // The hospital decided: the vendor does not overrule it.
        s.State = PatchState.NotApplicable;
        Assert.Equal("VendorStateDecided", PatchStatusRules.Problem(s, PatchAction.Apply, new PatchInput(Today), vendor, Today));
    }

    [Theory]
    [InlineData(Roles.Executive)]
    [InlineData(Roles.Auditor)]
    public void Read_only_roles_change_nothing(string role)
    {
        foreach (var action in Enum.GetValues<PatchAction>())
        {
            Assert.NotNull(PatchStatusRules.Forbidden(Open(), action, Staff(role), false));
        }
    }

    [Theory]
    [InlineData("CVE-2024-3400", "CVE-2024-3400")]
    [InlineData("cve-2021-44228", "CVE-2021-44228")]
    [InlineData("JVNDB-2024-000123", "JVNDB-2024-000123")]
    [InlineData("FSA-2024-12 (FortiOS)", "FSA-2024-12 (FortiOS)")]
    [InlineData("CVE-24-1", null)]
    [InlineData("CVE-2024-123", null)]
    [InlineData("JVNDB-2024-12", null)]
    [InlineData("  ", null)]
    public void Identifiers_are_cve_jvndb_or_free_text(string raw, string? expected)
        => Assert.Equal(expected, AdvisoryRules.NormalizeIdentifier(raw));

    [Fact]
    public void An_advisory_needs_a_title_and_a_release_date_not_in_the_future()
    {
        Assert.Empty(AdvisoryRules.Validate("CVE-2024-3400", "PAN-OS", Today, "https://example.jp/a", Today));
        var problems = AdvisoryRules.Validate("CVE-1", "", Today.AddDays(1), "javascript:alert(1)", Today).Select(p => p.Key).ToList();
        Assert.Equal(["AdvisoryIdentifierInvalid", "AdvisoryTitleRequired", "AdvisoryReleasedInFuture", "AdvisoryUrlInvalid"], problems);
        Assert.Equal(100, AdvisoryRules.NormalizeIdentifier(new string('a', 100))!.Length);
        Assert.Null(AdvisoryRules.NormalizeIdentifier(new string('a', 101)));
    }
}
