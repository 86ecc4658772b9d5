using System.Net;
using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Account;
using VendorPortal.Features.Contacts;
using VendorPortal.Features.Forms;
using VendorPortal.Infrastructure.Time;
using VendorPortal.IntegrationTests.Support;

namespace VendorPortal.IntegrationTests.Inspection;

/// <summary>BCP uploads and the data that makes a hospital inspection-ready (used by the BCP, readiness and route-walk tests).</summary>
public static class BcpData
{
    public static byte[] Pdf(string text = "BCP") => Disclosures.DisclosureSupport.Pdf(text);

    public static string Page(Guid hospitalId) => $"/Hospitals/{hospitalId}/Inspection/Bcp";

    public static Dictionary<string, string> Fields(string title = "サイバー攻撃を想定したBCP", string date = "令和7年4月1日", string? version = "第1版")
        => new() { ["Input.Title"] = title, ["Input.DocumentDate"] = date, ["Input.VersionLabel"] = version ?? "", ["Input.Note"] = "" };

    /// <summary>Uploads through the page as <paramref name="client"/>; the response (redirect on success).</summary>
    public static Task<HttpResponseMessage> UploadPageAsync(PortalClient client, Guid hospitalId, byte[] content, string fileName = "bcp.pdf",
        Dictionary<string, string>? fields = null, string? tokenFrom = null)
        => client.PostFileAsync(Page(hospitalId) + "?handler=Upload", "file", content, fileName, fields ?? Fields(), tokenFrom ?? Page(hospitalId));

    /// <summary>A BCP of <paramref name="t"/>'s hospital uploaded by its security manager; its id.</summary>
    public static async Task<Guid> UploadedAsync(PortalFactory factory, TenantSet t, string title = "サイバー攻撃を想定したBCP", string date = "令和7年4月1日", byte[]? content = null)
    {
        using var client = factory.CreatePortalClient();
        await client.SignInAsync(t[Roles.SecurityManager]);
        var response = await UploadPageAsync(client, t.Hospital.Id, content ?? Pdf(title), fields: Fields(title, date));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return await factory.WithDbAsync(async (db, _) => await db.BcpDocuments.Where(d => d.HospitalId == t.Hospital.Id && d.Title == title)
            .OrderByDescending(d => d.UploadedAt).Select(d => d.Id).FirstAsync());
    }

    /// <summary>
    /// Makes <paramref name="t"/>'s hospital ready for an inspection: its own checklist and the vendor's recorded (1回目 dated,
    /// all はい), the vendor's MDS accepted, the contact chart complete and confirmed, and a BCP dated this 年度.
    /// </summary>
    public static async Task MakeReadyAsync(PortalFactory factory, TenantSet t)
    {
        await Checklists.ChecklistLoopTests.SubmittedChecklistAsync(factory, t);
        var (_, disclosure, _) = await Disclosures.DisclosureSupport.SubmittedDisclosureAsync(factory, t);
        var today = JapanTime.TodayInJapan(TimeProvider.System);
        var year = FiscalYear.Of(today);
        using (var client = factory.CreatePortalClient())
        {
            await client.SignInAsync(t[Roles.SecurityManager]);
            var template = await factory.WithDbAsync(async (db, _) => (await db.FormTemplateVersions.SingleAsync(x => x.Key == "hospital-checklist-r7")).Parse());
            var list = $"/Hospitals/{t.Hospital.Id}/Checklists";
            var created = await client.PostFormAsync(list + "?handler=CreateOwn",
                new Dictionary<string, string> { ["TemplateKey"] = template.Key, ["FiscalYearStart"] = year.StartYear.ToString() }, list);
            var detail = created.Headers.Location!.OriginalString;
            var fields = new Dictionary<string, string> { ["rounds"] = "2", ["r1.date"] = today.ToString("yyyy-MM-dd") };
            foreach (var item in template.Items)
            {
                fields[$"r1.{item.Id}.v"] = "Yes";
            }
            var submitted = await client.PostFormAsync(detail + "?handler=Submit", fields, detail);
            Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
            var id = Guid.Parse(detail.Split('/').Last());
            Assert.Equal(SubmissionState.Recorded, await factory.WithDbAsync(async (db, _) => await db.FormSubmissions.Where(s => s.Id == id).Select(s => s.State).SingleAsync()));
        }
        await factory.WithDbAsync(async (db, _) =>
        {
            var recipient = await db.FormSubmissionRecipients.SingleAsync(r => r.SubmissionId == disclosure && r.HospitalId == t.Hospital.Id);
            recipient.ReviewState = SubmissionState.Accepted;
            var now = DateTimeOffset.UtcNow;
            db.VendorContacts.Add(new VendorContact { VendorId = t.Vendor.Id, RoleLabel = "障害受付窓口", Name = "サポート", Phone24h = "0120-000-111", OtherChannel = "FAX 03-0000-1112" });
            db.VendorContactConfirmations.Add(new VendorContactConfirmation { VendorId = t.Vendor.Id, ConfirmedAt = now, ConfirmedByName = "管理者" });
            db.HospitalContacts.AddRange(
                new HospitalContact { HospitalId = t.Hospital.Id, Role = HospitalContactRole.SafetyManager, Name = "安全 三郎", Phone = "03-0000-0001", PhoneOutOfHours = "090-0000-0001", UpdatedAt = now, UpdatedByName = "x" },
                new HospitalContact { HospitalId = t.Hospital.Id, Role = HospitalContactRole.AuthorityPolice, Name = "県警 サイバー犯罪対策課", Phone = "03-0000-0110", UpdatedAt = now, UpdatedByName = "x" },
                new HospitalContact { HospitalId = t.Hospital.Id, Role = HospitalContactRole.AuthorityHealthCenter, Name = "保健所", Phone = "03-0000-0120", UpdatedAt = now, UpdatedByName = "x" });
            await db.SaveChangesAsync();
        });
        await UploadedAsync(factory, t, date: year.FirstDay.ToString("yyyy-MM-dd"));
    }
}
