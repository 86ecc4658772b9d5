using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace VendorPortal.IntegrationTests.Support;

/// <summary>Drives the portal's pages like a browser: forms with their antiforgery token, cookies, redirects asserted.</summary>
public sealed class PortalClient(HttpClient http) : IDisposable
{
    public HttpClient Http { get; } = http;
    private static readonly HtmlParser Parser = new();

    public Task<HttpResponseMessage> GetAsync(string path) => Http.GetAsync(path);

    public async Task<IHtmlDocument> GetDocumentAsync(string path)
    {
        var response = await Http.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode} {response.Headers.Location}");
        return await Parser.ParseDocumentAsync(await response.Content.ReadAsStringAsync());
    }

    public static async Task<IHtmlDocument> ParseAsync(HttpResponseMessage response)
        => await Parser.ParseDocumentAsync(await response.Content.ReadAsStringAsync());

    /// <summary>An antiforgery token valid for this session (taken from any page's form).</summary>
    public async Task<string> AntiforgeryTokenAsync(string fromPath = "/Account/Login")
    {
        var response = await Http.GetAsync(fromPath);
        var doc = await ParseAsync(response);
        var input = doc.QuerySelector("input[name=__RequestVerificationToken]") as IHtmlInputElement;
        if (input?.Value is { } value)
        {
            return value;
        }
        // Pages without a form: the sign-out form (signed in) or the sign-in form (anonymous) carries one.
        return fromPath switch
        {
            "/Account/Logout" => await AntiforgeryTokenAsync("/Account/Login"),
            "/Account/Login" => throw new InvalidOperationException($"No antiforgery token on {fromPath} ({(int)response.StatusCode})"),
            _ => await AntiforgeryTokenAsync("/Account/Logout"),
        };
    }

    /// <summary>Posts a form the way the page does, with the page's own antiforgery token.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string path, IDictionary<string, string> fields, string? tokenFrom = null)
    {
        var token = await AntiforgeryTokenAsync(tokenFrom ?? StripQuery(path));
        var content = new FormUrlEncodedContent(fields.Append(new("__RequestVerificationToken", token)));
        return await Http.PostAsync(path, content);
    }

    public async Task<HttpResponseMessage> SendJsonAsync(HttpMethod method, string path, object? body, string? tokenFrom = "/Account/Security")
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        if (tokenFrom is not null)
        {
            request.Headers.Add("RequestVerificationToken", await AntiforgeryTokenAsync(tokenFrom));
        }
        return await Http.SendAsync(request);
    }

    /// <summary>Password, then the authenticator code: the full sign-in through the real pages.</summary>
    public async Task SignInAsync(TestUser user)
    {
        var response = await PostFormAsync("/Account/Login", new Dictionary<string, string> { ["Input.Email"] = user.Email, ["Input.Password"] = user.Password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        if (user.AuthenticatorKey is null)
        {
            Assert.StartsWith("/Account/EnableAuthenticator", response.Headers.Location!.OriginalString);
            return;
        }
        Assert.StartsWith("/Account/LoginWith2fa", response.Headers.Location!.OriginalString);
        var second = await PostFormAsync("/Account/LoginWith2fa", new Dictionary<string, string> { ["Code"] = Totp.Code(user.AuthenticatorKey) });
        Assert.True(second.StatusCode == HttpStatusCode.Redirect, $"second factor refused: {(int)second.StatusCode}");
        Assert.Equal("/", second.Headers.Location!.OriginalString);
    }

    /// <summary>A multipart upload with one file field (and optional extra fields), with the antiforgery token as a form field.</summary>
    public async Task<HttpResponseMessage> PostFileAsync(string path, string field, byte[] content, string fileName,
        IDictionary<string, string>? fields = null, string? tokenFrom = null, bool tokenAsHeader = false)
    {
        var token = await AntiforgeryTokenAsync(tokenFrom ?? StripQuery(path));
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields ?? new Dictionary<string, string>())
        {
            form.Add(new StringContent(value), name);
        }
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        form.Add(file, field, fileName);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = form };
        if (tokenAsHeader)
        {
            request.Headers.Add("RequestVerificationToken", token);
        }
        else
        {
            form.Add(new StringContent(token), "__RequestVerificationToken");
        }
        return await Http.SendAsync(request);
    }

    private static string StripQuery(string path) => path.Split('?')[0];

    public void Dispose() => Http.Dispose();
}
