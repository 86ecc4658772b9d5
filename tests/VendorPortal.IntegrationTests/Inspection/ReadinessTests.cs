using System.Net;
using VendorPortal.Features.Account;
using VendorPortal.Infrastructure.Time;
using VendorPortal.IntegrationTests.Support;

namespace VendorPortal.IntegrationTests.Inspection;

/// <summary>/Hospitals/{id}/Inspection: the seven inspection items, ready or not, with what is missing and where it is fixed.</summary>
public sealed class ReadinessTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private static string Page(Guid hospitalId) => $"/Hospitals/{hospitalId}/Inspection";

    [Fact]
    public async Task A_new_hospital_sees_what_is_missing_with_links_to_where_it_is_fixed()
    {
        var t = await factory.Tenants.CreateAsync();
        var request = await Subcontracting.SubcontractData.SubmittedAsync(factory, t);
        using var client = factory.CreatePortalClient();
        await client.SignInAsync(t[Roles.SystemOperator]);
        var page = await client.GetDocumentAsync(Page(t.Hospital.Id));
        var id = t.Hospital.Id;

        Assert.Contains("7項目中1項目準備完了", page.QuerySelector("#readiness-summary")!.TextContent);
        var rows = page.QuerySelectorAll("#readiness-items tbody tr").ToDictionary(r => r.Id!);
        Assert.Equal(["readiness-HospitalChecklist", "readiness-VendorChecklists", "readiness-TargetDates", "readiness-ContactChart", "readiness-Bcp",
            "readiness-Disclosures", "readiness-Subcontracting"], rows.Keys);
        Assert.Equal("true", rows["readiness-TargetDates"].GetAttribute("data-ready"));
        Assert.Contains("準備完了", rows["readiness-TargetDates"].TextContent);
        foreach (var (row, link) in new[]
                 {
                     ("readiness-HospitalChecklist", $"/Hospitals/{id}/Checklists"), ("readiness-VendorChecklists", $"/Hospitals/{id}/Checklists"),
                     ("readiness-ContactChart", $"/Hospitals/{id}/Contacts"), ("readiness-Bcp", $"/Hospitals/{id}/Inspection/Bcp"),
                     ("readiness-Disclosures", $"/Hospitals/{id}/Disclosures"), ("readiness-Subcontracting", $"/Hospitals/{id}/Subcontractors"),
                 })
        {
            Assert.Equal("false", rows[row].GetAttribute("data-ready"));
            Assert.Contains("要対応", rows[row].TextContent);
            Assert.Equal(link, rows[row].QuerySelector("a.fix-link")!.GetAttribute("href"));
        }
        Assert.Contains(t.Vendor.Name, rows["readiness-VendorChecklists"].QuerySelector("ul.findings")!.TextContent);
        Assert.Contains(t.Vendor.Name, rows["readiness-Disclosures"].QuerySelector("ul.findings")!.TextContent);
        Assert.Contains(t.Vendor.Name, rows["readiness-ContactChart"].QuerySelector("ul.findings")!.TextContent);
        Assert.Contains("登録されていません", rows["readiness-Bcp"].TextContent);
        var pending = rows["readiness-Subcontracting"].QuerySelector("ul.findings a")!;
        Assert.Equal($"/Subcontracts/{request.RequestId}", pending.GetAttribute("href"));
        Assert.Contains("再委託先テスト株式会社", pending.TextContent);
        // A system operator does not export: no link to the bundle.
        Assert.Null(page.QuerySelector("#readiness-export"));
        Assert.NotNull(page.QuerySelector($"a[href='{Page(id)}']#nav-inspection"));
    }

    [Fact]
    public async Task A_ready_hospital_shows_every_item_ready_and_exporters_get_the_export_link()
    {
        var t = await factory.Tenants.CreateAsync();
        await BcpData.MakeReadyAsync(factory, t);
        using var client = factory.CreatePortalClient();
        await client.SignInAsync(t[Roles.Auditor]);
        var page = await client.GetDocumentAsync(Page(t.Hospital.Id));
        var rows = page.QuerySelectorAll("#readiness-items tbody tr").ToList();
        Assert.All(rows, r => Assert.True(r.GetAttribute("data-ready") == "true", r.TextContent));
        Assert.Contains("7項目中7項目準備完了", page.QuerySelector("#readiness-summary")!.TextContent);
        Assert.Contains("サイバー攻撃を想定したBCP", page.QuerySelector("#readiness-bcp-current")!.TextContent);
        Assert.Contains(Wareki.Format(FiscalYear.Of(JapanTime.TodayInJapan(TimeProvider.System)).FirstDay), page.QuerySelector("#readiness-bcp-current")!.TextContent);
        Assert.Equal($"/Hospitals/{t.Hospital.Id}/Inspection/Exports", page.QuerySelector("#readiness-export")!.GetAttribute("href"));

        // Another 年度 is judged on its own: nothing recorded for next year.
        var next = await client.GetDocumentAsync($"{Page(t.Hospital.Id)}?FiscalYearStart={FiscalYear.Of(JapanTime.TodayInJapan(TimeProvider.System)).StartYear + 1}");
        Assert.Equal("false", next.QuerySelector("#readiness-HospitalChecklist")!.GetAttribute("data-ready"));
        Assert.Equal("true", next.QuerySelector("#readiness-Bcp")!.GetAttribute("data-ready"));
    }

    [Fact]
    public async Task The_dashboard_links_the_readiness_page_for_hospital_staff()
    {
        var t = await factory.Tenants.CreateAsync();
        using var client = factory.CreatePortalClient();
        await client.SignInAsync(t[Roles.Executive]);
        var home = await client.GetDocumentAsync("/");
        Assert.Equal(Page(t.Hospital.Id), home.QuerySelector("#inspection-card a")!.GetAttribute("href"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Page(t.Hospital.Id))).StatusCode);
    }
}
