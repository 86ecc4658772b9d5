using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Playwright;
using VendorPortal.IntegrationTests.Support;

namespace VendorPortal.IntegrationTests.Browser;

/// <summary>
/// The real portal on Kestrel (https://127.0.0.1, a free port chosen by the OS) against this class's own
/// database, and Debian's Chromium driven by Playwright.
/// HTTPS, not http: Chromium would keep Secure cookies on http://127.0.0.1 (a secure context), but the
/// portal itself refuses to issue antiforgery tokens on a non-HTTPS request (antiforgery cookie
/// SecurePolicy = Always), so every form page would answer 500. The certificate is a throwaway self-signed
/// one for 127.0.0.1, made per fixture; only these browser contexts accept it (IgnoreHTTPSErrors).
/// Chromium comes from VP_CHROMIUM (default /usr/bin/chromium): Playwright's own browser download is not used.
/// </summary>
public sealed class BrowserPortalFactory : PortalFactory
{
    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    private readonly X509Certificate2 _certificate = CreateLoopbackCertificate();
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    // Port 0: the OS picks a free port; WebApplicationFactory reports the address Kestrel bound.
    public BrowserPortalFactory() => UseKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(_certificate)));

    /// <summary>Where the portal listens, e.g. https://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; private set; } = new("https://127.0.0.1/");

    /// <summary>Screenshots go to the build output (bin/ is not committed).</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "browser-screenshots");

    public static string ChromiumPath => Environment.GetEnvironmentVariable("VP_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    protected override string DatabasePrefix => "vp_b";

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser starts in InitializeAsync.");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        // Builds the host (the connection string is known by now) and starts Kestrel; Program runs its
        // start-up (migrations check, roles) on its own thread, so do not block the test's thread on it.
        await Task.Run(StartServer);
        var address = ClientOptions.BaseAddress;
        if (address.Scheme != Uri.UriSchemeHttps || address.Host != "127.0.0.1" || address.IsDefaultPort)
        {
            throw new InvalidOperationException($"Kestrel did not report https://127.0.0.1 with a port: {address}");
        }
        BaseAddress = new Uri(address.GetLeftPart(UriPartial.Authority) + "/");

        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"Chromium not found at {ChromiumPath} (apt-get install chromium, or set VP_CHROMIUM).");
        }
        // The Playwright driver (node + playwright-core) is copied from the NuGet package to bin/.playwright.
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
            Timeout = 30_000,
        });
        Directory.CreateDirectory(ScreenshotFolder);
    }

    /// <summary>A fresh browser profile (no cookies), Japanese, Tokyo time, explicit timeouts.</summary>
    public async Task<IBrowserContext> NewContextAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            IgnoreHTTPSErrors = true, // the fixture's own self-signed certificate for 127.0.0.1
            Locale = "ja-JP",
            TimezoneId = "Asia/Tokyo",
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(20_000);
        context.SetDefaultNavigationTimeout(30_000);
        return context;
    }

    /// <summary>An absolute URL on the portal: the browser's URL is compared with these.</summary>
    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    /// <summary>PortalClient targets the in-memory TestServer at https://localhost; this factory serves Kestrel instead.</summary>
    public override PortalClient CreatePortalClient()
        => throw new NotSupportedException("Browser tests drive the portal through Chromium; use PortalFactory for HTTP-level tests.");

    public override async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
        await base.DisposeAsync();
        _certificate.Dispose();
    }

    private static X509Certificate2 CreateLoopbackCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false)); // server auth
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
    }
}
