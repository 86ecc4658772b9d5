using System.Net;
using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Account;
using VendorPortal.Features.Forms;
using VendorPortal.IntegrationTests.Support;
using static VendorPortal.IntegrationTests.Disclosures.DisclosureSupport;

namespace VendorPortal.IntegrationTests.Disclosures;

/// <summary>
/// Every disclosure endpoint and page, called with the real ids by another vendor and by hospitals that do
/// not receive the disclosure (one the vendor serves, one it does not): 404 for reading and for changing,
/// and nothing changes.
/// </summary>
public sealed class DisclosureIsolationTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Another_vendor_and_non_recipient_hospitals_get_404_on_every_disclosure_route_and_change_nothing()
    {
        var mine = await factory.Tenants.CreateAsync();
        var theirs = await factory.Tenants.CreateAsync();
        var stranger = await factory.Tenants.CreateAsync();
        await EngageAsync(factory, mine.Vendor, theirs.Hospital); // served by my vendor, but not a recipient
        var (productId, submissionId, attachmentId) = await SubmittedDisclosureAsync(factory, mine, "秘密の製品");
        var before = await SnapshotAsync(submissionId);

        var callers = new (string Who, TestUser User)[]
        {
            ("another vendor", theirs[Roles.VendorAdmin]),
            ("served non-recipient hospital", theirs[Roles.TenantAdmin]),
            ("unrelated hospital", stranger[Roles.SecurityManager]),
        };
        foreach (var (who, user) in callers)
        {
            using var client = factory.CreatePortalClient();
            await client.SignInAsync(user);
            var failures = new List<string>();
            async Task Expect404(string what, Task<HttpResponseMessage> call)
            {
                var response = await call;
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.NotFound)
                {
                    failures.Add($"{what} → {(int)response.StatusCode}");
                }
                if (body.Contains("秘密の製品", StringComparison.Ordinal) || body.Contains(mine.Hospital.Name, StringComparison.Ordinal))
                {
                    failures.Add($"{what} leaked a name");
                }
            }

            // Reading.
            foreach (var path in new[]
            {
                $"/api/v1/products/{productId}", $"/api/v1/submissions/{submissionId}", $"/api/v1/submissions/{submissionId}/recipients",
                $"/api/v1/submissions/{submissionId}/attachments", $"/api/v1/submissions/{submissionId}/attachments/{attachmentId}",
                $"/api/v1/submissions/{submissionId}/versions/1", $"/Products/{productId}", $"/Checklists/{submissionId}",
                $"/Checklists/{submissionId}/Attachments", $"/Checklists/{submissionId}/Attachments/{attachmentId}",
                $"/Checklists/{submissionId}/Diff?from=1&to=1", $"/Checklists/{submissionId}?version=1",
            })
            {
                await Expect404("GET " + path, client.GetAsync(path));
            }

            // Changing, through the API…
            await Expect404("PUT recipients", client.SendJsonAsync(HttpMethod.Put, $"/api/v1/submissions/{submissionId}/recipients", new { hospitalIds = new[] { user.OrganizationId } }));
            await Expect404("POST attachment", UploadApiAsync(client, submissionId, Pdf("intruder"), "x.pdf"));
            await Expect404("DELETE attachment", client.SendJsonAsync(HttpMethod.Delete, $"/api/v1/submissions/{submissionId}/attachments/{attachmentId}", null));
            await Expect404("PUT draft", client.SendJsonAsync(HttpMethod.Put, $"/api/v1/submissions/{submissionId}/draft", new { rounds = new[] { new { number = 1, answers = new Dictionary<string, object>() } } }));
            await Expect404("POST submit", client.SendJsonAsync(HttpMethod.Post, $"/api/v1/submissions/{submissionId}/submit", null));
            await Expect404("POST review", client.SendJsonAsync(HttpMethod.Post, $"/api/v1/submissions/{submissionId}/review", new { decision = "accept" }));
            // …and through the pages.
            await Expect404("POST product recipients", PostFieldsAsync(client, $"/Products/{productId}?handler=Recipients", [new("hospitalIds", user.OrganizationId.ToString())], "/Account/Security"));
            await Expect404("POST page upload", UploadViaTokenAsync(client, submissionId));
            await Expect404("POST page remove", PostFieldsAsync(client, $"/Checklists/{submissionId}/Attachments?handler=Remove", [new("attachmentId", attachmentId.ToString())], "/Account/Security"));
            foreach (var handler in new[] { "Save", "Submit", "Review" })
            {
                await Expect404("POST page " + handler, PostFieldsAsync(client, $"/Checklists/{submissionId}?handler={handler}", [new("decision", "accept"), new("rounds", "1")], "/Account/Security"));
            }

            // Copying another vendor's product is refused as "not found", without copying anything.
            var copy = await client.SendJsonAsync(HttpMethod.Post, "/api/v1/products", new { kind = "Mds", name = "コピー", version = "1", templateKey = MdsTemplate, copyFromProductId = productId });
            if (copy.StatusCode is not (HttpStatusCode.BadRequest or HttpStatusCode.Forbidden))
            {
                failures.Add($"POST products copyFrom → {(int)copy.StatusCode}");
            }

            // Lists never show it.
            foreach (var path in new[] { "/api/v1/products", "/api/v1/submissions", "/Products", "/Reviews", $"/Hospitals/{user.OrganizationId}/Disclosures" })
            {
                var body = await (await client.GetAsync(path)).Content.ReadAsStringAsync();
                if (body.Contains("秘密の製品", StringComparison.Ordinal) || body.Contains(submissionId.ToString(), StringComparison.Ordinal))
                {
                    failures.Add($"GET {path} lists the disclosure");
                }
            }
            Assert.True(failures.Count == 0, $"As {who}:\n" + string.Join("\n", failures));
        }
        // Another vendor cannot open the recipient hospital's disclosures page, nor copy the product through the page;
        // another hospital cannot open that page either.
        using (var otherVendor = factory.CreatePortalClient())
        {
            await otherVendor.SignInAsync(theirs[Roles.VendorMember]);
            Assert.Equal(HttpStatusCode.NotFound, (await otherVendor.GetAsync($"/Hospitals/{mine.Hospital.Id}/Disclosures")).StatusCode);
            var copy = await otherVendor.PostFormAsync("/Products/New", new Dictionary<string, string>
                { ["Kind"] = "Mds", ["Name"] = "盗用", ["Version"] = "1", ["TemplateKey"] = MdsTemplate, ["CopyFrom"] = productId.ToString() });
            Assert.Equal(HttpStatusCode.OK, copy.StatusCode);
            Assert.Contains("コピー元の製品・サービスが見つかりません", await copy.Content.ReadAsStringAsync());
        }
        using (var otherHospital = factory.CreatePortalClient())
        {
            await otherHospital.SignInAsync(stranger[Roles.TenantAdmin]);
            Assert.Equal(HttpStatusCode.NotFound, (await otherHospital.GetAsync($"/Hospitals/{mine.Hospital.Id}/Disclosures")).StatusCode);
        }
        Assert.False(await factory.WithDbAsync(async (db, _) => await db.Products.AnyAsync(p => p.VendorId != mine.Vendor.Id && p.Name == "盗用")));

        Assert.Equal(before, await SnapshotAsync(submissionId));
    }

    [Fact]
    public async Task A_recipient_hospital_sees_nothing_before_the_first_submission_and_cannot_change_the_disclosure()
    {
        var t = await factory.Tenants.CreateAsync();
        using var vendor = factory.CreatePortalClient();
        await vendor.SignInAsync(t[Roles.VendorAdmin]);
        var created = await JsonAsync(await vendor.SendJsonAsync(HttpMethod.Post, "/api/v1/products", new { kind = "Mds", name = "未提出の製品", version = "0.9", templateKey = MdsTemplate }));
        var submissionId = created.GetProperty("submissionId").GetGuid();
        var productId = created.GetProperty("id").GetGuid();
        await JsonAsync(await vendor.SendJsonAsync(HttpMethod.Put, $"/api/v1/submissions/{submissionId}/recipients", new { hospitalIds = new[] { t.Hospital.Id } }));
        var draftFile = await JsonAsync(await UploadApiAsync(vendor, submissionId, Pdf(), "draft.pdf"));

        using var hospital = factory.CreatePortalClient();
        await hospital.SignInAsync(t[Roles.TenantAdmin]);
        foreach (var path in new[] { $"/Checklists/{submissionId}", $"/api/v1/submissions/{submissionId}", $"/api/v1/products/{productId}",
                     $"/api/v1/submissions/{submissionId}/attachments/{draftFile.GetProperty("id").GetGuid()}", $"/api/v1/submissions/{submissionId}/recipients" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await hospital.GetAsync(path)).StatusCode);
        }
        Assert.DoesNotContain("未提出の製品", (await hospital.GetDocumentAsync("/Reviews")).Body!.TextContent);

        // Once submitted, the hospital reads it, but changing it is the vendor's alone.
        var ids = await ItemIdsAsync(factory);
        await vendor.SendJsonAsync(HttpMethod.Put, $"/api/v1/submissions/{submissionId}/draft", new { rounds = new[] { new { number = 1, answers = AllYes(ids) } } });
        await JsonAsync(await vendor.SendJsonAsync(HttpMethod.Post, $"/api/v1/submissions/{submissionId}/submit", null));
        Assert.Equal(HttpStatusCode.OK, (await hospital.GetAsync($"/Checklists/{submissionId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await hospital.SendJsonAsync(HttpMethod.Put, $"/api/v1/submissions/{submissionId}/recipients", new { hospitalIds = Array.Empty<Guid>() })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await UploadApiAsync(hospital, submissionId, Pdf(), "x.pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await hospital.SendJsonAsync(HttpMethod.Put, $"/api/v1/submissions/{submissionId}/draft", new { rounds = Array.Empty<object>() })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hospital.GetAsync($"/Products/{productId}")).StatusCode);
        // An auditor reads but may not review.
        using var auditor = factory.CreatePortalClient();
        await auditor.SignInAsync(t[Roles.Auditor]);
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.SendJsonAsync(HttpMethod.Post, $"/api/v1/submissions/{submissionId}/review", new { decision = "accept" })).StatusCode);
        Assert.Null((await auditor.GetDocumentAsync($"/Checklists/{submissionId}")).QuerySelector("#review-form"));
    }

    private static async Task<HttpResponseMessage> UploadViaTokenAsync(PortalClient client, Guid submissionId)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(await client.AntiforgeryTokenAsync("/Account/Security")), "__RequestVerificationToken" },
            { new ByteArrayContent(Pdf("intruder")), "file", "x.pdf" },
        };
        return await client.Http.PostAsync($"/Checklists/{submissionId}/Attachments?handler=Upload", form);
    }

    private async Task<string> SnapshotAsync(Guid submissionId) => await factory.WithDbAsync(async (db, _) =>
    {
        var s = await db.FormSubmissions.SingleAsync(x => x.Id == submissionId);
        var recipients = await db.FormSubmissionRecipients.Where(r => r.SubmissionId == submissionId).OrderBy(r => r.HospitalId)
            .Select(r => $"{r.HospitalId}:{r.ReviewState}:{r.WithdrawnAt}").ToListAsync();
        var files = await db.FormAttachments.Where(a => a.SubmissionId == submissionId).OrderBy(a => a.Id).Select(a => $"{a.Id}:{a.InDraft}").ToListAsync();
        var events = await db.FormReviewEvents.CountAsync(e => e.SubmissionId == submissionId);
        return $"{s.State}|{s.LatestVersion}|{s.DraftAnswers}|{string.Join(",", recipients)}|{string.Join(",", files)}|{events}";
    });
}
