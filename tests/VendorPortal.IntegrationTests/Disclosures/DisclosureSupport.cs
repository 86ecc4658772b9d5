using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Account;
using VendorPortal.Features.Organizations;
using VendorPortal.IntegrationTests.Support;

namespace VendorPortal.IntegrationTests.Disclosures;

/// <summary>Helpers for the MDS/SDS tests: engagements, answers, files, multipart uploads, form posts with repeated fields.</summary>
public static class DisclosureSupport
{
    public const string MdsTemplate = "mds-sample-v5";
    public const string SdsTemplate = "sds-sample-v5";

    /// <summary>A small but real-looking PDF (the magic bytes are what counts).</summary>
    public static byte[] Pdf(string text = "signed MDS") => System.Text.Encoding.ASCII.GetBytes($"%PDF-1.7\n% {text}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    public static byte[] Png() => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];

    /// <summary>Makes <paramref name="vendor"/> serve <paramref name="hospital"/> from 2024 on.</summary>
    public static Task EngageAsync(PortalFactory factory, Organization vendor, Organization hospital, DateOnly? endsOn = null)
        => factory.WithDbAsync(async (db, _) =>
        {
            db.Engagements.Add(new Engagement
            {
                Id = Guid.NewGuid(), HospitalId = hospital.Id, VendorId = vendor.Id, Title = $"追加契約-{Guid.NewGuid():N}"[..16],
                StartsOn = new DateOnly(2024, 4, 1), EndsOn = endsOn, CreatedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        });

    public static async Task<string[]> ItemIdsAsync(PortalFactory factory, string templateKey = MdsTemplate)
    {
        var version = await factory.WithDbAsync(async (db, _) => await db.FormTemplateVersions.SingleAsync(t => t.Key == templateKey));
        return [.. version.Parse().Items.Select(i => i.Id)];
    }

    /// <summary>Every item answered はい (text items with a text): a draft that passes submission.</summary>
    public static Dictionary<string, object> AllYes(string[] ids)
        => ids.ToDictionary(i => i, i => (object)new { value = i.EndsWith("99-1", StringComparison.Ordinal) ? "特になし" : "Yes" });

    public static async Task<HttpResponseMessage> UploadApiAsync(PortalClient client, Guid submissionId, byte[] content, string fileName, string contentType = "application/pdf")
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "file", fileName);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/submissions/{submissionId}/attachments") { Content = form };
        request.Headers.Add("RequestVerificationToken", await client.AntiforgeryTokenAsync("/Account/Security"));
        return await client.Http.SendAsync(request);
    }

    /// <summary>The page's upload button: it submits the checklist form (answers on screen included) as multipart to the upload handler.</summary>
    public static async Task<HttpResponseMessage> UploadPageAsync(PortalClient client, Guid submissionId, byte[] content, string fileName, string contentType = "application/pdf",
        IDictionary<string, string>? answerFields = null)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(await client.AntiforgeryTokenAsync($"/Checklists/{submissionId}")), "__RequestVerificationToken" },
        };
        foreach (var (k, v) in answerFields ?? new Dictionary<string, string>())
        {
            form.Add(new StringContent(v), k);
        }
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "file", fileName);
        return await client.Http.PostAsync($"/Checklists/{submissionId}/Attachments?handler=Upload", form);
    }

    /// <summary>A form post with repeated fields (checkbox lists), with the page's antiforgery token.</summary>
    public static async Task<HttpResponseMessage> PostFieldsAsync(PortalClient client, string path, IEnumerable<KeyValuePair<string, string>> fields, string tokenFrom)
    {
        var token = await client.AntiforgeryTokenAsync(tokenFrom);
        return await client.Http.PostAsync(path, new FormUrlEncodedContent(fields.Append(new("__RequestVerificationToken", token))));
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>
    /// A product of <paramref name="tenants"/>' vendor with a submitted MDS shared with their hospital and one
    /// attached PDF (used by the route walk and the cross-tenant tests).
    /// </summary>
    public static async Task<(Guid ProductId, Guid SubmissionId, Guid AttachmentId)> SubmittedDisclosureAsync(PortalFactory factory, TenantSet tenants, string name = "共有テスト製品")
    {
        using var vendor = factory.CreatePortalClient();
        await vendor.SignInAsync(tenants[Roles.VendorAdmin]);
        var created = await JsonAsync(await vendor.SendJsonAsync(HttpMethod.Post, "/api/v1/products",
            new { kind = "Mds", name, version = "1.0", templateKey = MdsTemplate }));
        var productId = created.GetProperty("id").GetGuid();
        var submissionId = created.GetProperty("submissionId").GetGuid();
        var ids = await ItemIdsAsync(factory);
        Assert.Equal(HttpStatusCode.NoContent, (await vendor.SendJsonAsync(HttpMethod.Put, $"/api/v1/submissions/{submissionId}/draft",
            new { rounds = new[] { new { number = 1, answers = AllYes(ids) } } })).StatusCode);
        var attachment = await JsonAsync(await UploadApiAsync(vendor, submissionId, Pdf(), "署名済みMDS.pdf"));
        await JsonAsync(await vendor.SendJsonAsync(HttpMethod.Put, $"/api/v1/submissions/{submissionId}/recipients", new { hospitalIds = new[] { tenants.Hospital.Id } }));
        await JsonAsync(await vendor.SendJsonAsync(HttpMethod.Post, $"/api/v1/submissions/{submissionId}/submit", null));
        return (productId, submissionId, attachment.GetProperty("id").GetGuid());
    }
}
