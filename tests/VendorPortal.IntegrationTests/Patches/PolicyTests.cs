using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Account;
using VendorPortal.IntegrationTests.Support;

namespace VendorPortal.IntegrationTests.Patches;

/// <summary>The hospital's policy page and API: defaults until saved, validation, who may change it, other tenants.</summary>
public sealed class PolicyTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private static Dictionary<string, string> Form(string eos, string critical = "7", string high = "30", string other = "90")
        => new()
        {
            ["EosWarningDays"] = eos, ["CriticalPatchDays"] = critical, ["HighPatchDays"] = high, ["OtherPatchDays"] = other,
            ["EscalateToSystemOperatorDays"] = "2", ["EscalateToSecurityManagerDays"] = "5", ["EscalateToExecutiveDays"] = "10",
        };

    [Fact]
    public async Task Defaults_show_until_a_security_manager_saves_and_bad_values_are_refused_with_messages()
    {
        var t = await factory.Tenants.CreateAsync();
        var path = $"/Hospitals/{t.Hospital.Id}/Policy";
        using var sm = factory.CreatePortalClient();
        await sm.SignInAsync(t[Roles.SecurityManager]);

        var page = await sm.GetDocumentAsync(path);
        Assert.Equal("365,180,90,30", page.QuerySelector("#eos")!.GetAttribute("value"));
        Assert.Contains("既定値", page.QuerySelector("#policy-origin")!.TextContent);

        var bad = await sm.PostFormAsync(path, Form("365,abc", critical: "40", high: "30"));
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        var errors = (await PortalClient.ParseAsync(bad)).QuerySelector(".validation-summary-errors")!.TextContent;
        Assert.Contains("EOS の警告日数", errors);
        Assert.Contains("緊急 ≦ 重要 ≦ その他", errors);
        Assert.False(await factory.WithDbAsync(async (db, _) => await db.CompliancePolicies.AnyAsync(p => p.HospitalId == t.Hospital.Id)));

        Assert.Equal(HttpStatusCode.Redirect, (await sm.PostFormAsync(path, Form("30, 180,90"))).StatusCode);
        var saved = await factory.WithDbAsync(async (db, _) => await db.CompliancePolicies.SingleAsync(p => p.HospitalId == t.Hospital.Id));
        Assert.Equal(new[] { 180, 90, 30 }, saved.EosWarningDays);
        Assert.Equal((7, 2), (saved.CriticalPatchDays, saved.EscalateToSystemOperatorDays));
        Assert.True(await factory.WithDbAsync(async (db, _) => await db.AuditEvents.AnyAsync(a => a.TargetType == "compliance_policies" && a.OrganizationId == t.Hospital.Id)));

        // A SystemOperator reads it and cannot change it.
        using var op = factory.CreatePortalClient();
        await op.SignInAsync(t[Roles.SystemOperator]);
        var readOnly = await op.GetDocumentAsync(path);
        Assert.NotNull(readOnly.QuerySelector("#policy-readonly"));
        Assert.Null(readOnly.QuerySelector("#save-policy"));
        var refused = await op.PostFormAsync(path, Form("365"));
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("/Account/AccessDenied", refused.Headers.Location!.OriginalString);
        Assert.Equal(new[] { 180, 90, 30 }, (await factory.WithDbAsync(async (db, _) => await db.CompliancePolicies.SingleAsync(p => p.HospitalId == t.Hospital.Id))).EosWarningDays);
    }

    [Fact]
    public async Task The_api_reads_and_replaces_the_policy_validates_and_answers_404_for_another_hospital()
    {
        var t = await factory.Tenants.CreateAsync();
        var theirs = await factory.Tenants.CreateAsync();
        var api = $"/api/v1/hospitals/{t.Hospital.Id}/policy";
        using var admin = factory.CreatePortalClient();
        await admin.SignInAsync(t[Roles.TenantAdmin]);

        var initial = await admin.Http.GetFromJsonAsync<JsonElement>(api);
        Assert.True(initial.GetProperty("isDefault").GetBoolean());
        Assert.Equal(14, initial.GetProperty("criticalPatchDays").GetInt32());

        var body = new { eosWarningDays = new[] { 0, 30 }, criticalPatchDays = 14, highPatchDays = 30, otherPatchDays = 90,
            escalateToSystemOperatorDays = 3, escalateToSecurityManagerDays = 7, escalateToExecutiveDays = 200 };
        var invalid = await admin.SendJsonAsync(HttpMethod.Put, api, body);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("application/problem+json", invalid.Content.Headers.ContentType!.MediaType);
        var problem = await invalid.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("eosWarningDays", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("escalationDays", out _));

        var ok = await admin.SendJsonAsync(HttpMethod.Put, api, body with { eosWarningDays = new[] { 90, 30 }, escalateToExecutiveDays = 20 });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var after = await ok.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(after.GetProperty("isDefault").GetBoolean());
        Assert.Equal(20, after.GetProperty("escalateToExecutiveDays").GetInt32());

        // An auditor reads but cannot replace; a vendor cannot read; another hospital's policy is not found.
        using var auditor = factory.CreatePortalClient();
        await auditor.SignInAsync(t[Roles.Auditor]);
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync(api)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.SendJsonAsync(HttpMethod.Put, api, body with { eosWarningDays = new[] { 60 } })).StatusCode);
        using var vendor = factory.CreatePortalClient();
        await vendor.SignInAsync(t[Roles.VendorAdmin]);
        Assert.NotEqual(HttpStatusCode.OK, (await vendor.GetAsync(api)).StatusCode);
        var theirApi = $"/api/v1/hospitals/{theirs.Hospital.Id}/policy";
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(theirApi)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.SendJsonAsync(HttpMethod.Put, theirApi, body with { eosWarningDays = new[] { 60 } })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/Hospitals/{theirs.Hospital.Id}/Policy")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostFormAsync($"/Hospitals/{theirs.Hospital.Id}/Policy", Form("60"), tokenFrom: "/Account/Security")).StatusCode);
        Assert.False(await factory.WithDbAsync(async (db, _) => await db.CompliancePolicies.AnyAsync(p => p.HospitalId == theirs.Hospital.Id)));
    }
}
