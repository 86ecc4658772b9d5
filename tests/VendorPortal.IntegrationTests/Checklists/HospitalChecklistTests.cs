using System.Net;
using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Account;
using VendorPortal.Features.Forms;
using VendorPortal.Infrastructure.Time;
using VendorPortal.IntegrationTests.Support;

namespace VendorPortal.IntegrationTests.Checklists;

/// <summary>The hospital fills its own 医療機関確認用 checklist with the same engine; nobody reviews it.</summary>
public sealed class HospitalChecklistTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private static int ThisYear => FiscalYear.Of(JapanTime.TodayInJapan(TimeProvider.System)).StartYear;

    [Fact]
    public async Task Hospital_records_its_own_checklist_and_a_no_on_the_gate_item_ends_the_form()
    {
        var tenants = await factory.Tenants.CreateAsync();
        var template = await factory.WithDbAsync(async (db, _) => (await db.FormTemplateVersions.SingleAsync(t => t.Key == "hospital-checklist-r7")).Parse());
        var gate = template.Items.First(i => i.Has(RuleKind.GateForAllFollowing));
        var list = $"/Hospitals/{tenants.Hospital.Id}/Checklists";

        using (var auditor = factory.CreatePortalClient())
        {
            await auditor.SignInAsync(tenants[Roles.Auditor]);
            var refused = await auditor.PostFormAsync(list + "?handler=CreateOwn", new Dictionary<string, string> { ["TemplateKey"] = template.Key, ["FiscalYearStart"] = ThisYear.ToString() }, list);
            Assert.Contains("/Account/AccessDenied", refused.Headers.Location!.OriginalString);
        }

        using var client = factory.CreatePortalClient();
        await client.SignInAsync(tenants[Roles.SecurityManager]);
        var created = await client.PostFormAsync(list + "?handler=CreateOwn", new Dictionary<string, string> { ["TemplateKey"] = template.Key, ["FiscalYearStart"] = ThisYear.ToString() }, list);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var detail = created.Headers.Location!.OriginalString;

        var today = JapanTime.TodayInJapan(TimeProvider.System).ToString("yyyy-MM-dd");
        var submitted = await client.PostFormAsync(detail + "?handler=Submit",
            new Dictionary<string, string> { ["rounds"] = "2", ["r1.date"] = today, [$"r1.{gate.Id}.v"] = "No" }, detail);
        Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
        var id = Guid.Parse(detail.Split('/').Last());
        var s = await factory.WithDbAsync(async (db, _) => await db.FormSubmissions.SingleAsync(x => x.Id == id));
        Assert.Equal((SubmissionState.Recorded, 1), (s.State, s.LatestVersion));

        // The vendor never sees the hospital's own checklist.
        using var vendor = factory.CreatePortalClient();
        await vendor.SignInAsync(tenants[Roles.VendorAdmin]);
        Assert.Equal(HttpStatusCode.NotFound, (await vendor.GetAsync(detail)).StatusCode);
        Assert.DoesNotContain(id.ToString(), await (await vendor.GetAsync(list)).Content.ReadAsStringAsync());
    }
}
