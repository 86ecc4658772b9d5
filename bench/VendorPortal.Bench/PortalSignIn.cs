using System.Net;
using System.Text.RegularExpressions;

namespace VendorPortal.Bench;

/// <summary>
/// Signs in like a browser through the real pages: GET /Account/Login, POST e-mail and password with the
/// page's antiforgery token, then POST the authenticator code on /Account/LoginWith2fa. Prints the resulting
/// Cookie header (session and antiforgery cookies) for wrk.
///
/// The portal runs in Production behind a pretend TLS-terminating proxy: every request says
/// X-Forwarded-Proto: https (the portal trusts it from loopback with Network:BehindProxy=true), so Secure
/// cookies and antiforgery work on http://127.0.0.1 exactly as they do behind the real proxy. Cookies are kept
/// by hand because HttpClient's cookie container would not send Secure cookies over plain http.
/// </summary>
internal static partial class PortalSignIn
{
    public static async Task<int> RunAsync(BenchOptions o)
    {
        var baseUrl = new Uri(o.Required("base"));
        var client = new Client(baseUrl);
        var email = o.Required("email");
        var password = o.Required("password");
        var totpKey = o.Required("totp-key");

        var login = await client.SendAsync(HttpMethod.Get, "/Account/Login");
        Expect(login, HttpStatusCode.OK, "GET /Account/Login");
        var token = AntiforgeryToken(await login.Content.ReadAsStringAsync());
        var password1 = await client.SendAsync(HttpMethod.Post, "/Account/Login", new Dictionary<string, string>
        {
            ["Input.Email"] = email, ["Input.Password"] = password, ["__RequestVerificationToken"] = token,
        });
        Expect(password1, HttpStatusCode.Redirect, "POST /Account/Login");
        if (password1.Headers.Location?.OriginalString.StartsWith("/Account/LoginWith2fa", StringComparison.Ordinal) != true)
        {
            throw new BenchException($"the password step redirected to {password1.Headers.Location}, not to the code step");
        }

        // A code may be refused right at the edge of its 30-second step: try the next step once.
        for (var attempt = 0; ; attempt++)
        {
            var page = await client.SendAsync(HttpMethod.Get, "/Account/LoginWith2fa");
            Expect(page, HttpStatusCode.OK, "GET /Account/LoginWith2fa");
            var second = await client.SendAsync(HttpMethod.Post, "/Account/LoginWith2fa", new Dictionary<string, string>
            {
                ["Code"] = Totp.Code(totpKey), ["__RequestVerificationToken"] = AntiforgeryToken(await page.Content.ReadAsStringAsync()),
            });
            if (second.StatusCode == HttpStatusCode.Redirect && second.Headers.Location?.OriginalString == "/")
            {
                break;
            }
            if (attempt > 0)
            {
                throw new BenchException($"the authenticator code was refused ({(int)second.StatusCode})");
            }
            await Task.Delay(TimeSpan.FromSeconds(31 - (DateTimeOffset.UtcNow.ToUnixTimeSeconds() % 30)));
        }

        var check = await client.SendAsync(HttpMethod.Get, "/Reviews");
        Expect(check, HttpStatusCode.OK, "GET /Reviews after sign-in");
        Console.WriteLine(client.CookieHeader);
        return 0;
    }

    private static void Expect(HttpResponseMessage response, HttpStatusCode status, string what)
    {
        if (response.StatusCode != status)
        {
            throw new BenchException($"{what} answered {(int)response.StatusCode} {response.Headers.Location}, expected {(int)status}");
        }
    }

    private static string AntiforgeryToken(string html)
        => TokenInput().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value)
            : throw new BenchException("no antiforgery token on the page");

    [GeneratedRegex(@"name=""__RequestVerificationToken""[^>]*?value=""([^""]+)""")]
    private static partial Regex TokenInput();

    private sealed class Client(Uri baseUrl)
    {
        private readonly HttpClient _http = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = baseUrl };
        private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

        public string CookieHeader => string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}"));

        public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, Dictionary<string, string>? form = null)
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Add("X-Forwarded-Proto", "https");
            if (_cookies.Count > 0)
            {
                request.Headers.Add("Cookie", CookieHeader);
            }
            if (form is not null)
            {
                request.Content = new FormUrlEncodedContent(form);
            }
            var response = await _http.SendAsync(request);
            foreach (var header in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
            {
                var pair = header.Split(';', 2)[0];
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                var (name, value) = (pair[..eq].Trim(), pair[(eq + 1)..].Trim());
                var expired = header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase);
                if (expired || value.Length == 0)
                {
                    _cookies.Remove(name);
                }
                else
                {
                    _cookies[name] = value;
                }
            }
            return response;
        }
    }
}
