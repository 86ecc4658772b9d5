using System.Text.RegularExpressions;
using Microsoft.Playwright;
using VendorPortal.IntegrationTests.Support;
using static Microsoft.Playwright.Assertions;

namespace VendorPortal.IntegrationTests.Browser;

/// <summary>
/// One user's browser tab on the portal, with the steps tests repeat. Every step waits for the page it
/// leads to (URL and load event) or for a selector; nothing sleeps.
/// </summary>
public sealed class PortalBrowser(BrowserPortalFactory factory, IBrowserContext context, IPage page, string testName) : IAsyncDisposable
{
    public IBrowserContext Context { get; } = context;
    public IPage Page { get; } = page;

    /// <summary>The page's own form (the header also holds the language and sign-out forms).</summary>
    public ILocator MainSubmit => Page.Locator("main form button[type=submit]");

    public static async Task<PortalBrowser> OpenAsync(BrowserPortalFactory factory, string testName)
    {
        var context = await factory.NewContextAsync();
        return new PortalBrowser(factory, context, await context.NewPageAsync(), testName);
    }

    public async Task GotoAsync(string path)
    {
        var response = await Page.GotoAsync(factory.Url(path));
        Assert.True(response is { Ok: true }, $"GET {path} answered {response?.Status}");
    }

    /// <summary>Waits until the tab shows <paramref name="path"/> (query string allowed).</summary>
    public Task WaitForPathAsync(string path)
        => Expect(Page).ToHaveURLAsync(new Regex("^" + Regex.Escape(factory.Url(path)) + @"(\?.*)?$"), UrlWait);

    /// <summary>Waits for exactly the dashboard, "/".</summary>
    public Task WaitForDashboardAsync() => Expect(Page).ToHaveURLAsync(factory.Url("/"), UrlWait);

    /// <summary>
    /// The URL is polled, with no load state involved: the assertions after each step auto-wait for the content.
    /// (Page.WaitForURLAsync, when the navigation had already committed before it was called, waits for the "load"
    /// event instead, which on a loaded 2-core machine could outlast the timeout — a flaky sign-in in CI.)
    /// </summary>
    private static readonly PageAssertionsToHaveURLOptions UrlWait = new() { Timeout = 30_000 };

    /// <summary>E-mail and password on the sign-in page; the caller waits for where that leads.</summary>
    public async Task SubmitPasswordAsync(TestUser user)
    {
        await GotoAsync("/Account/Login");
        await Expect(Page.Locator("h1")).ToHaveTextAsync("ログイン");
        await Page.Locator("input[name='Input.Email']").FillAsync(user.Email);
        await Page.Locator("input[name='Input.Password']").FillAsync(user.Password);
        await MainSubmit.ClickAsync();
    }

    /// <summary>Password, then the authenticator code: lands on the dashboard.</summary>
    public async Task SignInWithCodeAsync(TestUser user, string code)
    {
        await SubmitPasswordAsync(user);
        await WaitForPathAsync("/Account/LoginWith2fa");
        await Page.Locator("input[name='Code']").FillAsync(code);
        await MainSubmit.ClickAsync();
        await WaitForDashboardAsync();
    }

    /// <summary>The sign-out button in the header posts to /Account/Logout, which sends the browser to sign-in.</summary>
    public async Task SignOutAsync()
    {
        await Page.Locator("header form[action='/Account/Logout'] button[type=submit]").ClickAsync();
        await WaitForPathAsync("/Account/Login");
        Assert.DoesNotContain(await Context.CookiesAsync(), c => c.Name == "vp.session");
    }

    public async Task<string> ScreenshotAsync(string step)
    {
        var path = Path.Combine(BrowserPortalFactory.ScreenshotFolder, $"{testName}-{step}.png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    /// <summary>Runs a test body in a fresh browser profile; on failure keeps a screenshot of where it stopped.</summary>
    public static async Task RunAsync(BrowserPortalFactory factory, string testName, Func<PortalBrowser, Task> body)
    {
        await using var browser = await OpenAsync(factory, testName);
        try
        {
            await body(browser);
        }
        catch
        {
            try
            {
                await browser.ScreenshotAsync("failure");
            }
            catch (PlaywrightException)
            {
                // The page may already be gone; the original failure is what matters.
            }
            throw;
        }
    }

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}
