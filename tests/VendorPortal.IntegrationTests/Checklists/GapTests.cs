using System.Net;
using System.Net.Http.Json;
using VendorPortal.Features.Account;
using VendorPortal.Features.Gaps;
using VendorPortal.IntegrationTests.Support;

namespace VendorPortal.IntegrationTests.Checklists;

public sealed class GapTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Hospital_sees_its_gaps_on_a_page_in_the_api_and_as_a_count_on_the_dashboard()
    {
        var tenants = await factory.Tenants.CreateAsync();
        using var client = factory.CreatePortalClient();
        await client.SignInAsync(tenants[Roles.Auditor]);
        var gaps = await client.Http.GetFromJsonAsync<List<GapDto>>($"/api/v1/hospitals/{tenants.Hospital.Id}/gaps");
        Assert.Contains(gaps!, g => g.Kind == "MissingHospitalChecklist");
        Assert.Contains(gaps!, g => g.Kind == "MissingVendorChecklist" && g.VendorId == tenants.Vendor.Id && g.Message.Contains("提出されていません"));

        await ChecklistLoopTests.SubmittedChecklistAsync(factory, tenants);
        var after = await client.Http.GetFromJsonAsync<List<GapDto>>($"/api/v1/hospitals/{tenants.Hospital.Id}/gaps");
        Assert.DoesNotContain(after!, g => g.Kind == "MissingVendorChecklist");

        var page = await client.GetDocumentAsync($"/Hospitals/{tenants.Hospital.Id}/Gaps?severity=High");
        Assert.Contains("医療機関確認用の未記録", page.QuerySelector("#gaps")!.TextContent);
        var dashboard = await client.GetDocumentAsync("/");
        Assert.Equal(after!.Count.ToString(), dashboard.QuerySelector("#gap-total")!.TextContent.Trim());
    }

    [Fact]
    public async Task Vendors_and_other_hospitals_cannot_read_a_hospitals_gaps()
    {
        var mine = await factory.Tenants.CreateAsync();
        var theirs = await factory.Tenants.CreateAsync();
        using var vendor = factory.CreatePortalClient();
        await vendor.SignInAsync(mine[Roles.VendorAdmin]);
        Assert.Equal(HttpStatusCode.Forbidden, (await vendor.GetAsync($"/api/v1/hospitals/{mine.Hospital.Id}/gaps")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await vendor.GetAsync($"/api/v1/hospitals/{theirs.Hospital.Id}/gaps")).StatusCode);
        using var other = factory.CreatePortalClient();
        await other.SignInAsync(theirs[Roles.SecurityManager]);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/hospitals/{mine.Hospital.Id}/gaps")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/Hospitals/{mine.Hospital.Id}/Gaps")).StatusCode);
    }
}
