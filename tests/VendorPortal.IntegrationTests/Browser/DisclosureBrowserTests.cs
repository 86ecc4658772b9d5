using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using VendorPortal.Features.Account;
using VendorPortal.IntegrationTests.Disclosures;
using VendorPortal.IntegrationTests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace VendorPortal.IntegrationTests.Browser;

/// <summary>
/// MDS/SDS in a real browser on Kestrel: the vendor registers a product, picks the hospital, answers, attaches the
/// signed PDF with the file input (the upload button submits the checklist form as multipart, so the answers on
/// screen are kept), submits; the hospital finds it in its review queue and downloads the PDF.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DisclosureBrowserTests(BrowserPortalFactory factory, ITestOutputHelper output) : IClassFixture<BrowserPortalFactory>
{
    [Fact]
    public async Task Vendor_registers_answers_attaches_and_submits_an_MDS_that_the_hospital_then_reviews()
    {
        var tenants = await factory.Tenants.CreateAsync();
        var vendorUser = tenants[Roles.VendorMember];
        var hospitalUser = tenants[Roles.SecurityManager];
        var clock = Stopwatch.StartNew();

        await PortalBrowser.RunAsync(factory, nameof(Vendor_registers_answers_attaches_and_submits_an_MDS_that_the_hospital_then_reviews), async browser =>
        {
            var page = browser.Page;
            await browser.SignInWithCodeAsync(vendorUser, Totp.Code(vendorUser.AuthenticatorKey!));

            await page.Locator("header nav a[href='/Products']").ClickAsync();
            await browser.WaitForPathAsync("/Products");
            await page.Locator("main a[href='/Products/New']").ClickAsync();
            await browser.WaitForPathAsync("/Products/New");
            await page.Locator("#name").FillAsync("画像サーバ PX");
            await page.Locator("#version").FillAsync("3.0");
            await page.Locator("#new-product button[type=submit]").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex(@"/Products/[0-9a-f-]{36}$"), new() { Timeout = 30_000 });
            await Expect(page.Locator("main p.notice")).ToContainTextAsync("画像サーバ PX 3.0");

            await page.Locator($"#h-{tenants.Hospital.Id}").CheckAsync();
            await page.Locator("#recipients-form button[type=submit]").ClickAsync();
            await Expect(page.Locator("main p.notice")).ToContainTextAsync("提出先を保存しました");
            await page.Locator("#open-disclosure").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex(@"/Checklists/[0-9a-f-]{36}$"), new() { Timeout = 30_000 });
            await Expect(page.Locator("table.rounds")).ToHaveCountAsync(0);
            await Expect(page.Locator("#product-name")).ToHaveTextAsync("画像サーバ PX");

            // Answer every item on screen, then attach the PDF before saving: the answers travel with the upload.
            var yes = page.Locator("#checklist-form input[type=radio][value=Yes]");
            for (var i = 0; i < await yes.CountAsync(); i++)
            {
                await yes.Nth(i).CheckAsync();
            }
            await page.Locator("#checklist-form input[type=text][name$='99-1.v']").FillAsync("特記事項なし");
            await page.Locator("#attachment-file").SetInputFilesAsync(new FilePayload { Name = "署名済みMDS_画像サーバPX_3.0.pdf", MimeType = "application/pdf", Buffer = DisclosureSupport.Pdf() });
            await page.Locator("#upload-button").ClickAsync();
            await Expect(page.Locator("main p.notice")).ToContainTextAsync("添付しました");
            await Expect(page.Locator("#attachment-list")).ToContainTextAsync("署名済みMDS_画像サーバPX_3.0.pdf");
            await Expect(page.Locator("#checklist-form input[type=radio][value=Yes]:checked")).ToHaveCountAsync(await yes.CountAsync());
            output.WriteLine($"vendor draft shot: {await browser.ScreenshotAsync("vendor-draft")}");

            await page.Locator("#checklist-form button", new() { HasText = "提出する" }).ClickAsync();
            await Expect(page.Locator("#submission-state")).ToContainTextAsync("提出済");
            await Expect(page.Locator("#recipient-states")).ToContainTextAsync(tenants.Hospital.Name);
            await browser.SignOutAsync();

            await browser.SignInWithCodeAsync(hospitalUser, Totp.Code(hospitalUser.AuthenticatorKey!));
            await page.Locator("header nav a[href='/Reviews']").ClickAsync();
            await browser.WaitForPathAsync("/Reviews");
            await page.Locator("#disclosures-waiting a", new() { HasText = "画像サーバ PX" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex(@"/Checklists/[0-9a-f-]{36}$"), new() { Timeout = 30_000 });
            await Expect(page.Locator("#recipient-states")).ToHaveCountAsync(0);
            var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#attachment-list a").ClickAsync());
            Assert.Equal("署名済みMDS_画像サーバPX_3.0.pdf", download.SuggestedFilename);
            output.WriteLine($"hospital review shot: {await browser.ScreenshotAsync("hospital-review")}");
            await page.Locator("#review-form button[value=accept]").ClickAsync();
            await Expect(page.Locator("#submission-state")).ToContainTextAsync("受理");
            await browser.SignOutAsync();
        });
        output.WriteLine($"took {clock.Elapsed.TotalSeconds:F1} s");
    }
}
