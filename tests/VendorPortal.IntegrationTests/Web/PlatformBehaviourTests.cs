using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VendorPortal.Features.Account;
using VendorPortal.IntegrationTests.Support;
using VendorPortal.Infrastructure.Security;

namespace VendorPortal.IntegrationTests.Web;

public sealed class PlatformBehaviourTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Healthz_reports_the_database()
    {
        using var client = factory.CreateClient();
        var r = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var body = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Equal("reachable", body.GetProperty("database").GetString());
    }

    [Fact]
    public async Task Healthz_answers_503_when_the_database_is_unreachable()
    {
        await using var broken = factory.WithWebHostBuilder(b =>
            b.UseSetting("ConnectionStrings:Default", "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none;Timeout=2")
             .UseSetting("Database:MigrateOnStartup", "false"));
        using var client = broken.CreateClient();
        var r = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode);
        Assert.Contains("unreachable", await r.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Every_response_carries_the_security_headers_and_cookies_are_locked_down()
    {
        using var client = factory.CreatePortalClient();
        var r = await client.GetAsync("/Account/Login");
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, r.Headers.GetValues("Content-Security-Policy").Single());
        Assert.DoesNotContain("unsafe-inline", SecurityHeaders.ContentSecurityPolicy);
        Assert.Contains("frame-ancestors 'none'", SecurityHeaders.ContentSecurityPolicy);
        Assert.Equal("nosniff", r.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("strict-origin-when-cross-origin", r.Headers.GetValues("Referrer-Policy").Single());

        var tenants = await factory.Tenants.CreateAsync();
        var user = tenants[Roles.Auditor];
        var token = await client.AntiforgeryTokenAsync();
        var login = await client.Http.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = user.Email, ["Input.Password"] = user.Password, ["__RequestVerificationToken"] = token,
        }));
        var cookies = login.Headers.GetValues("Set-Cookie").ToList();
        Assert.NotEmpty(cookies);
        Assert.All(cookies, c =>
        {
            Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("httponly", c, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("samesite=", c, StringComparison.OrdinalIgnoreCase);
        });
    }

    [Fact]
    public async Task Pages_are_japanese_by_default_and_switch_to_english()
    {
        using var client = factory.CreatePortalClient();
        var ja = await client.GetDocumentAsync("/Account/Login");
        Assert.Equal("ja", ja.DocumentElement.GetAttribute("lang"));
        Assert.Contains("ログイン", ja.Title);
        var r = await client.PostFormAsync("/Culture", new Dictionary<string, string> { ["culture"] = "en", ["returnUrl"] = "/Account/Login" }, "/Account/Login");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var en = await client.GetDocumentAsync("/Account/Login");
        Assert.Equal("en", en.DocumentElement.GetAttribute("lang"));
        Assert.Contains("Sign in", en.Title);
        var bad = await client.PostFormAsync("/Account/Login", new Dictionary<string, string> { ["Input.Email"] = "", ["Input.Password"] = "" });
        Assert.Contains("E-mail is required", await bad.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Openapi_document_describes_the_v1_api()
    {
        using var client = factory.CreateClient();
        var doc = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/me", paths);
        Assert.Contains("/api/v1/hospitals/{hospitalId}", paths);
        Assert.Contains("/api/v1/api-keys", paths);
        Assert.Contains("/api/v1/audit-events", paths);
        // The workbook upload documents its multipart body (it is read by hand, so this comes from a transformer).
        var upload = doc.GetProperty("paths").GetProperty("/api/v1/submissions/{submissionId}/xlsx").GetProperty("post");
        Assert.Equal("binary", upload.GetProperty("requestBody").GetProperty("content").GetProperty("multipart/form-data")
            .GetProperty("schema").GetProperty("properties").GetProperty("file").GetProperty("format").GetString());
    }

    [Fact]
    public async Task Api_errors_are_problem_json()
    {
        using var client = factory.CreateClient();
        var r = await client.GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        var tenants = await factory.Tenants.CreateAsync();
        using var session = factory.CreatePortalClient();
        await session.SignInAsync(tenants[Roles.VendorMember]);
        var nf = await session.GetAsync($"/api/v1/hospitals/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, nf.StatusCode);
        Assert.Equal("application/problem+json", nf.Content.Headers.ContentType?.MediaType);
    }
}
