using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Account;
using VendorPortal.Features.Contacts;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.IntegrationTests.Support;

namespace VendorPortal.IntegrationTests.Contacts;

/// <summary>連絡体制図: vendors keep their incident contacts, hospitals see engaged vendors' contacts and keep their own roles.</summary>
public sealed class ContactTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private static Dictionary<string, string> VendorForm(string phone = "0120-000-111", string other = "FAX 03-0000-1112")
        => new()
        {
            ["Rows[0].RoleLabel"] = "障害受付窓口", ["Rows[0].Name"] = "カスタマーセンター", ["Rows[0].Phone24h"] = phone,
            ["Rows[0].OtherChannel"] = other, ["Rows[0].Email"] = "desk@vendor.test", ["Rows[0].Hours"] = "24時間365日",
            ["Rows[1].RoleLabel"] = "", ["Rows[1].Name"] = "",
        };

    private static readonly object ApiBody = new
    {
        contacts = new[]
        {
            new { roleLabel = "障害受付窓口", name = "サポート", phone24h = (string?)"03-1111-2222", otherChannel = "https://support.vendor.test", email = (string?)null, hours = (string?)null },
            new { roleLabel = "セキュリティ責任者", name = "鈴木", phone24h = (string?)null, otherChannel = "携帯 090-1111-2222", email = (string?)"sec@vendor.test", hours = (string?)"平日 9-18時" },
        },
    };

    private static async Task<List<string>> GapKindsAsync(PortalClient client, Guid hospitalId)
    {
        var gaps = await client.Http.GetFromJsonAsync<JsonElement>($"/api/v1/hospitals/{hospitalId}/gaps");
        return [.. gaps.EnumerateArray().Select(g => g.GetProperty("kind").GetString()!)];
    }

    [Fact]
    public async Task A_vendor_admin_edits_and_confirms_a_member_only_reads_and_every_change_is_audited()
    {
        var t = await factory.Tenants.CreateAsync();
        using var admin = factory.CreatePortalClient();
        await admin.SignInAsync(t[Roles.VendorAdmin]);

        var bad = await admin.PostFormAsync("/Contacts", VendorForm(phone: "03-ABCD"));
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Contains("電話番号", (await PortalClient.ParseAsync(bad)).QuerySelector(".validation-summary-errors")!.TextContent);
        Assert.False(await factory.WithDbAsync(async (db, _) => await db.VendorContacts.AnyAsync(c => c.VendorId == t.Vendor.Id)));

        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/Contacts", VendorForm())).StatusCode);
        var saved = await factory.WithDbAsync(async (db, _) => await db.VendorContacts.SingleAsync(c => c.VendorId == t.Vendor.Id));
        Assert.Equal(("障害受付窓口", "0120-000-111", "FAX 03-0000-1112"), (saved.RoleLabel, saved.Phone24h, saved.OtherChannel));
        var first = await factory.WithDbAsync(async (db, _) => await db.VendorContactConfirmations.SingleAsync(c => c.VendorId == t.Vendor.Id));

        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/Contacts?handler=Confirm", new Dictionary<string, string>(), tokenFrom: "/Contacts")).StatusCode);
        var second = await factory.WithDbAsync(async (db, _) => await db.VendorContactConfirmations.SingleAsync(c => c.VendorId == t.Vendor.Id));
        Assert.True(second.ConfirmedAt > first.ConfirmedAt);
        Assert.Equal(1, await factory.WithDbAsync(async (db, _) => await db.VendorContacts.CountAsync(c => c.VendorId == t.Vendor.Id)));
        var actions = await factory.WithDbAsync(async (db, _) => await db.AuditEvents
            .Where(a => a.OrganizationId == t.Vendor.Id && a.TargetType == "vendor_contacts").Select(a => a.Action).ToListAsync());
        Assert.Contains(AuditActions.ContactsUpdated, actions);
        Assert.Contains(AuditActions.ContactsConfirmed, actions);

        using var member = factory.CreatePortalClient();
        await member.SignInAsync(t[Roles.VendorMember]);
        var page = await member.GetDocumentAsync("/Contacts");
        Assert.NotNull(page.QuerySelector("#contacts-readonly"));
        Assert.Null(page.QuerySelector("#save-contacts"));
        Assert.Contains("0120-000-111", page.QuerySelector("#contacts")!.TextContent);
        var refused = await member.PostFormAsync("/Contacts", VendorForm(phone: "03-9999-9999"), tokenFrom: "/Account/Security");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("/Account/AccessDenied", refused.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.SendJsonAsync(HttpMethod.Put, "/api/v1/contacts", ApiBody)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.SendJsonAsync(HttpMethod.Post, "/api/v1/contacts/confirmations", null)).StatusCode);
        Assert.Equal("0120-000-111", (await factory.WithDbAsync(async (db, _) => await db.VendorContacts.SingleAsync(c => c.VendorId == t.Vendor.Id))).Phone24h);
    }

    [Fact]
    public async Task The_api_replaces_validates_and_confirms_the_callers_own_contacts()
    {
        var t = await factory.Tenants.CreateAsync();
        var other = await factory.Tenants.CreateAsync();
        using var admin = factory.CreatePortalClient();
        await admin.SignInAsync(t[Roles.VendorAdmin]);

        var nothing = await admin.SendJsonAsync(HttpMethod.Post, "/api/v1/contacts/confirmations", null);
        Assert.Equal(HttpStatusCode.BadRequest, nothing.StatusCode);

        var invalid = await admin.SendJsonAsync(HttpMethod.Put, "/api/v1/contacts", new
        {
            contacts = new[] { new { roleLabel = "窓口", name = "サポート", phone24h = "tel:0312345678", otherChannel = "", email = "x" } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("application/problem+json", invalid.Content.Headers.ContentType!.MediaType);
        var errors = (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("contacts[0].phone24h", out _));
        Assert.True(errors.TryGetProperty("contacts[0].otherChannel", out _));
        Assert.True(errors.TryGetProperty("contacts[0].email", out _));

        var ok = await admin.SendJsonAsync(HttpMethod.Put, "/api/v1/contacts", ApiBody);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var body = await ok.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, body.GetProperty("contacts").GetArrayLength());
        Assert.Equal(t.Vendor.Id, body.GetProperty("vendorId").GetGuid());
        Assert.Equal(HttpStatusCode.OK, (await admin.SendJsonAsync(HttpMethod.Post, "/api/v1/contacts/confirmations", null)).StatusCode);

        // The other vendor's contacts are untouched and invisible.
        Assert.False(await factory.WithDbAsync(async (db, _) => await db.VendorContacts.AnyAsync(c => c.VendorId == other.Vendor.Id)));
        using var otherAdmin = factory.CreatePortalClient();
        await otherAdmin.SignInAsync(other[Roles.VendorAdmin]);
        var theirs = await otherAdmin.Http.GetFromJsonAsync<JsonElement>("/api/v1/contacts");
        Assert.Equal(0, theirs.GetProperty("contacts").GetArrayLength());
        Assert.Equal(other.Vendor.Id, theirs.GetProperty("vendorId").GetGuid());
        // A vendor cannot read a hospital's chart, even the one it serves.
        Assert.NotEqual(HttpStatusCode.OK, (await admin.GetAsync($"/api/v1/hospitals/{t.Hospital.Id}/contacts")).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await admin.GetAsync($"/Hospitals/{t.Hospital.Id}/Contacts")).StatusCode);
    }

    [Fact]
    public async Task A_hospital_sees_its_engaged_vendors_contacts_keeps_its_roles_and_another_hospital_gets_404()
    {
        var t = await factory.Tenants.CreateAsync();
        var other = await factory.Tenants.CreateAsync();
        foreach (var set in new[] { t, other })
        {
            using var v = factory.CreatePortalClient();
            await v.SignInAsync(set[Roles.VendorAdmin]);
            Assert.Equal(HttpStatusCode.OK, (await v.SendJsonAsync(HttpMethod.Put, "/api/v1/contacts", ApiBody)).StatusCode);
        }
        using var sm = factory.CreatePortalClient();
        await sm.SignInAsync(t[Roles.SecurityManager]);
        var path = $"/Hospitals/{t.Hospital.Id}/Contacts";

        var chart = await sm.Http.GetFromJsonAsync<JsonElement>($"/api/v1/hospitals/{t.Hospital.Id}/contacts");
        var vendors = chart.GetProperty("vendors").EnumerateArray().ToList();
        Assert.Equal(t.Vendor.Id, Assert.Single(vendors).GetProperty("vendorId").GetGuid());
        Assert.Equal(2, vendors[0].GetProperty("contacts").GetArrayLength());
        var mhlw = chart.GetProperty("authorities").EnumerateArray().Single(a => a.GetProperty("role").GetString() == "AuthorityMhlw");
        Assert.Equal("03-6812-7837", mhlw.GetProperty("phone").GetString());

        var page = await sm.GetDocumentAsync(path);
        Assert.NotNull(page.QuerySelector($"#vendor-{t.Vendor.Id}"));
        Assert.Null(page.QuerySelector($"#vendor-{other.Vendor.Id}"));
        Assert.DoesNotContain(other.Vendor.Name, page.Body!.TextContent);

        // The chart is incomplete until the security manager and the local authorities are filled in.
        var gaps = await GapKindsAsync(sm, t.Hospital.Id);
        Assert.Contains(gaps, k => k == "ContactChartIncomplete");
        Assert.DoesNotContain(gaps, k => k.StartsWith("VendorContact", StringComparison.Ordinal));

        var rows = page.QuerySelectorAll("#chart-roles input[type=hidden]").Select(i => i.GetAttribute("value")!).ToList();
        var form = new Dictionary<string, string>();
        for (var i = 0; i < rows.Count; i++)
        {
            form[$"Rows[{i}].Role"] = rows[i];
        }
        var safety = rows.IndexOf("SafetyManager");
        var police = rows.IndexOf("AuthorityPolice");
        var health = rows.IndexOf("AuthorityHealthCenter");
        form[$"Rows[{safety}].Name"] = "山田 太郎";
        form[$"Rows[{safety}].Phone"] = "03-1234-0001";
        form[$"Rows[{safety}].PhoneOutOfHours"] = "090-1234-0001x";
        var bad = await sm.PostFormAsync(path, form);
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.False(await factory.WithDbAsync(async (db, _) => await db.HospitalContacts.AnyAsync(c => c.HospitalId == t.Hospital.Id)));

        form[$"Rows[{safety}].PhoneOutOfHours"] = "090-1234-0001";
        form[$"Rows[{police}].Name"] = "県警察本部サイバー犯罪対策課";
        form[$"Rows[{police}].Phone"] = "099-000-0110";
        form[$"Rows[{health}].Name"] = "市保健所";
        form[$"Rows[{health}].Phone"] = "099-000-1153";
        Assert.Equal(HttpStatusCode.Redirect, (await sm.PostFormAsync(path, form)).StatusCode);
        Assert.Equal(rows.Count, await factory.WithDbAsync(async (db, _) => await db.HospitalContacts.CountAsync(c => c.HospitalId == t.Hospital.Id)));
        Assert.True(await factory.WithDbAsync(async (db, _) => await db.AuditEvents.AnyAsync(a => a.Action == AuditActions.HospitalContactsUpdated && a.OrganizationId == t.Hospital.Id)));
        gaps = await GapKindsAsync(sm, t.Hospital.Id);
        Assert.DoesNotContain(gaps, k => k == "ContactChartIncomplete");

        // An auditor reads; another hospital's chart answers 404 on the page, the form and the API.
        using var auditor = factory.CreatePortalClient();
        await auditor.SignInAsync(t[Roles.Auditor]);
        Assert.NotNull((await auditor.GetDocumentAsync(path)).QuerySelector("#chart-readonly"));
        var refused = await auditor.PostFormAsync(path, form);
        Assert.Contains("/Account/AccessDenied", refused.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.NotFound, (await sm.GetAsync($"/Hospitals/{other.Hospital.Id}/Contacts")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sm.PostFormAsync($"/Hospitals/{other.Hospital.Id}/Contacts", form, tokenFrom: "/Account/Security")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sm.GetAsync($"/api/v1/hospitals/{other.Hospital.Id}/contacts")).StatusCode);
        Assert.False(await factory.WithDbAsync(async (db, _) => await db.HospitalContacts.AnyAsync(c => c.HospitalId == other.Hospital.Id)));
    }
}
