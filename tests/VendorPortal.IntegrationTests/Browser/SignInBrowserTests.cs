using System.Diagnostics;
using VendorPortal.Features.Account;
using VendorPortal.IntegrationTests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace VendorPortal.IntegrationTests.Browser;

/// <summary>Sign-in, enrolment and the dashboard through Chromium against the portal on Kestrel.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SignInBrowserTests(BrowserPortalFactory factory, ITestOutputHelper output) : IClassFixture<BrowserPortalFactory>
{
    [Fact]
    public async Task Vendor_enrols_authenticator_and_signs_in_with_code_and_recovery_code()
    {
        var tenants = await factory.Tenants.CreateAsync(enrolled: false);
        var other = await factory.Tenants.CreateAsync();
        var user = tenants[Roles.VendorMember];
        var clock = Stopwatch.StartNew();

        await PortalBrowser.RunAsync(factory, nameof(Vendor_enrols_authenticator_and_signs_in_with_code_and_recovery_code), async browser =>
        {
            var page = browser.Page;

            // Password only: no authenticator yet, so the portal sends the user to enrolment.
            await browser.SubmitPasswordAsync(user);
            await browser.WaitForPathAsync("/Account/EnableAuthenticator");
            await Expect(page.Locator("h1")).ToHaveTextAsync("認証アプリの登録");
            // The session cookie is Secure and HttpOnly, and the browser kept it.
            var cookies = await browser.Context.CookiesAsync();
            Assert.Contains(cookies, c => c.Name == "vp.session" && c.Secure && c.HttpOnly);
            await Expect(page.Locator("img.qr")).ToBeVisibleAsync();
            Assert.StartsWith("data:image/png;base64,", await page.Locator("img.qr").GetAttributeAsync("src"));
            var key = await page.Locator("#shared-key").GetAttributeAsync("data-key") ?? "";
            Assert.Matches("^[A-Z2-7]{16,}$", key);
            output.WriteLine($"enrolment page shot: {await browser.ScreenshotAsync("enrolment")}");

            // Confirm with the authenticator app's code: ten recovery codes, shown once.
            await page.Locator("input[name='Code']").FillAsync(Totp.Code(key));
            await browser.MainSubmit.ClickAsync();
            await browser.WaitForPathAsync("/Account/ShowRecoveryCodes");
            var codeItems = page.Locator("ol#recovery-codes li code");
            await Expect(codeItems).ToHaveCountAsync(10);
            var recoveryCodes = (await codeItems.AllTextContentsAsync()).Select(c => c.Trim()).ToArray();
            Assert.All(recoveryCodes, c => Assert.False(string.IsNullOrWhiteSpace(c)));
            Assert.Equal(10, recoveryCodes.Distinct().Count());

            // On to the dashboard: the hospital it serves, and no other tenant's hospital.
            await page.Locator("main a.button[href='/']").ClickAsync();
            await browser.WaitForDashboardAsync();
            await ExpectVendorDashboardAsync(browser, tenants, other);
            output.WriteLine($"dashboard shot: {await browser.ScreenshotAsync("dashboard")}");
            output.WriteLine($"enrolled and on the dashboard after {clock.Elapsed.TotalSeconds:F1} s");

            // Second sign-in: password, then the next time step's code (the enrolment code may count as used).
            await browser.SignOutAsync();
            await browser.SignInWithCodeAsync(user, Totp.Code(key, stepOffset: 1));
            await ExpectVendorDashboardAsync(browser, tenants, other);

            // Third sign-in: password, then one of the recovery codes read at enrolment.
            await browser.SignOutAsync();
            await browser.SubmitPasswordAsync(user);
            await browser.WaitForPathAsync("/Account/LoginWith2fa");
            await page.Locator("main a[href^='/Account/LoginWithRecoveryCode']").ClickAsync();
            await browser.WaitForPathAsync("/Account/LoginWithRecoveryCode");
            await Expect(page.Locator("h1")).ToHaveTextAsync("リカバリーコードでログイン");
            await page.Locator("input[name='RecoveryCode']").FillAsync(recoveryCodes[3]);
            await browser.MainSubmit.ClickAsync();
            await browser.WaitForDashboardAsync();
            await Expect(page.Locator("main p.notice[role=status]")).ToContainTextAsync("残りは9個です");
            await ExpectVendorDashboardAsync(browser, tenants, other);
        });
        output.WriteLine($"took {clock.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task Hospital_user_lands_on_their_hospitals_dashboard_and_sees_only_it()
    {
        var tenants = await factory.Tenants.CreateAsync();
        var other = await factory.Tenants.CreateAsync();
        var user = tenants[Roles.SecurityManager];
        var clock = Stopwatch.StartNew();

        await PortalBrowser.RunAsync(factory, nameof(Hospital_user_lands_on_their_hospitals_dashboard_and_sees_only_it), async browser =>
        {
            var page = browser.Page;
            await browser.SignInWithCodeAsync(user, Totp.Code(user.AuthenticatorKey!));

            await Expect(page.Locator("main h1")).ToHaveTextAsync(tenants.Hospital.Name);
            await Expect(page.Locator("main p.muted")).ToContainTextAsync("医療機関のダッシュボード");
            await Expect(page.Locator("#vendor-count")).ToHaveTextAsync("1");
            var rows = page.Locator("table#engagements tbody tr");
            await Expect(rows).ToHaveCountAsync(1);
            await Expect(rows.Locator("td").Nth(0)).ToHaveTextAsync(tenants.Hospital.Name);
            await Expect(rows.Locator("td").Nth(1)).ToHaveTextAsync(tenants.Vendor.Name);
            await Expect(rows.Locator("td").Nth(2)).ToHaveTextAsync(tenants.Engagement.Title);
            var body = page.Locator("body");
            await Expect(body).Not.ToContainTextAsync(other.Hospital.Name);
            await Expect(body).Not.ToContainTextAsync(other.Vendor.Name);
            await Expect(body).Not.ToContainTextAsync(other.Engagement.Title);
            output.WriteLine($"dashboard shot: {await browser.ScreenshotAsync("dashboard")}");

            await browser.SignOutAsync();
        });
        output.WriteLine($"took {clock.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>A vendor's dashboard lists exactly the hospital it serves; the other tenant set is invisible.</summary>
    private static async Task ExpectVendorDashboardAsync(PortalBrowser browser, TenantSet tenants, TenantSet other)
    {
        var page = browser.Page;
        await Expect(page.Locator("main h1")).ToHaveTextAsync(tenants.Vendor.Name);
        await Expect(page.Locator("main h2")).ToHaveTextAsync("取引先の医療機関");
        var rows = page.Locator("table#engagements tbody tr");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.Locator("td").Nth(0)).ToHaveTextAsync(tenants.Hospital.Name);
        var body = page.Locator("body");
        await Expect(body).Not.ToContainTextAsync(other.Hospital.Name);
        await Expect(body).Not.ToContainTextAsync(other.Vendor.Name);
    }
}
