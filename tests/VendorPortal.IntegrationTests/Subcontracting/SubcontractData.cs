using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VendorPortal.Features.Account;
using VendorPortal.Infrastructure.Time;
using VendorPortal.IntegrationTests.Support;

namespace VendorPortal.IntegrationTests.Subcontracting;

/// <summary>Request bodies and ready-made requests for the 再委託 tests.</summary>
public static class SubcontractData
{
    public static DateOnly Today => JapanTime.TodayInJapan(TimeProvider.System);
    public static string Date(int daysFromToday) => Today.AddDays(daysFromToday).ToString("yyyy-MM-dd");

    /// <summary>国税庁's own corporate number (check digit verified) and another valid one.</summary>
    public const string ValidCorporateNumber = "7000012050002";
    public const string OtherValidCorporateNumber = "1180301018771";

    public static readonly byte[] Pdf = "%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"u8.ToArray();

    /// <summary>A complete subcontractor in Japan, handling medical information, with an ISMS certificate.</summary>
    public static Dictionary<string, object?> Company(string name, string country = "JP", params Dictionary<string, object?>[] children) => new()
    {
        ["name"] = name,
        ["corporateNumber"] = country == "JP" ? ValidCorporateNumber : null,
        ["address"] = country == "JP" ? "東京都千代田区霞が関3-1-1" : "1 Raffles Place, Singapore",
        ["country"] = country,
        ["dataStorageCountry"] = country,
        ["governingLaw"] = country == "JP" ? "日本法" : "シンガポール法",
        ["work"] = "バックアップデータの保管",
        ["handlesPersonalInformation"] = true,
        ["handlesMedicalInformation"] = true,
        ["informationDescription"] = "診療録のバックアップ（暗号化済み）",
        ["periodFrom"] = Date(0),
        ["periodTo"] = Date(365),
        ["securityDuties"] = "守秘義務、安全管理措置、事故時の報告、終了時の消去",
        ["certifications"] = new[] { new Dictionary<string, object?> { ["kind"] = "Isms", ["number"] = "IS 123456", ["expiresOn"] = Date(400) } },
        ["subcontractors"] = children,
    };

    public static async Task<Guid> CreateAsync(PortalClient vendor, TenantSet tenants, Dictionary<string, object?> subcontractor)
    {
        var response = await vendor.SendJsonAsync(HttpMethod.Post, $"/api/v1/hospitals/{tenants.Hospital.Id}/subcontract-requests",
            new { engagementId = tenants.Engagement.Id, subcontractor });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public static async Task<HttpResponseMessage> StepAsync(PortalClient client, Guid requestId, string step, object? body = null)
        => await client.SendJsonAsync(HttpMethod.Post, $"/api/v1/subcontract-requests/{requestId}/{step}", body ?? new { });

    public static async Task<JsonElement> GetAsync(PortalClient client, Guid requestId)
        => await client.Http.GetFromJsonAsync<JsonElement>($"/api/v1/subcontract-requests/{requestId}");

    public static async Task<Guid> UploadAsync(PortalClient vendor, Guid requestId, byte[] bytes, string fileName, string? description = null)
    {
        var response = await UploadRawAsync(vendor, requestId, bytes, fileName, description);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"upload answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public static async Task<HttpResponseMessage> UploadRawAsync(PortalClient vendor, Guid requestId, byte[] bytes, string fileName, string? description = null)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", fileName } };
        if (description is not null)
        {
            form.Add(new StringContent(description), "description");
        }
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/subcontract-requests/{requestId}/attachments") { Content = form };
        request.Headers.Add("RequestVerificationToken", await vendor.AntiforgeryTokenAsync("/Account/Security"));
        return await vendor.Http.SendAsync(request);
    }

    public sealed record Submitted(Guid RequestId, Guid DirectId, Guid SubId, Guid AttachmentId);

    /// <summary>A submitted request of <paramref name="tenants"/>' vendor (a chain of two and one attachment), used by the route walk.</summary>
    public static async Task<Submitted> SubmittedAsync(PortalFactory factory, TenantSet tenants)
    {
        using var vendor = factory.CreatePortalClient();
        await vendor.SignInAsync(tenants[Roles.VendorAdmin]);
        var id = await CreateAsync(vendor, tenants, Company("再委託先テスト株式会社", "JP", Company("再々委託先テスト株式会社")));
        var attachment = await UploadAsync(vendor, id, Pdf, "契約書抜粋.pdf");
        var submitted = await StepAsync(vendor, id, "submit");
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        var dto = await GetAsync(vendor, id);
        var direct = dto.GetProperty("subcontractor");
        return new Submitted(id, direct.GetProperty("id").GetGuid(), direct.GetProperty("subcontractors")[0].GetProperty("id").GetGuid(), attachment);
    }
}
