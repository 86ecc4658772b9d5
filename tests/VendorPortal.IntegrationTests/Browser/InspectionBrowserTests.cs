using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VendorPortal.Features.Account;
using VendorPortal.Features.Inspection.Bundle;
using VendorPortal.Features.Inspection.Export;
using VendorPortal.IntegrationTests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace VendorPortal.IntegrationTests.Browser;

/// <summary>
/// The inspection bundle in a real browser: an auditor exports the fiscal year, watches the page refresh itself until
/// the job is done (the test runs the job: Quartz is off in tests), downloads the ZIP, which verifies, and uploads it
/// on the verify page, which says it is intact.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class InspectionBrowserTests(BrowserPortalFactory factory, ITestOutputHelper output) : IClassFixture<BrowserPortalFactory>
{
    [Fact]
    public async Task An_auditor_exports_downloads_and_verifies_the_bundle()
    {
        var tenants = await factory.Tenants.CreateAsync();
        var auditor = tenants[Roles.Auditor];

        await PortalBrowser.RunAsync(factory, nameof(An_auditor_exports_downloads_and_verifies_the_bundle), async browser =>
        {
            var page = browser.Page;
            await browser.SignInWithCodeAsync(auditor, Totp.Code(auditor.AuthenticatorKey!));
            await page.Locator("#nav-inspection-exports").ClickAsync();
            await browser.WaitForPathAsync($"/Hospitals/{tenants.Hospital.Id}/Inspection/Exports");
            await Expect(page.Locator("#export-year option:checked")).ToContainTextAsync("令和8年度");
            await page.Locator("#export-year-submit").ClickAsync();
            await Expect(page.Locator("main p.notice")).ToContainTextAsync("出力を受け付けました");
            await Expect(page.Locator("#exports progress")).ToHaveCountAsync(1);

            var id = await factory.WithDbAsync((db, _) => db.InspectionExports.Where(x => x.HospitalId == tenants.Hospital.Id).Select(x => x.Id).SingleAsync());
            Assert.Equal(InspectionExportRunOutcome.Completed, await factory.Services.GetRequiredService<InspectionExportRunner>().RunAsync(id));

            // The page reloads itself (meta refresh) while the export runs: the download appears without a click.
            await Expect(page.Locator($"#export-{id} a.download")).ToBeVisibleAsync(new() { Timeout = 20_000 });
            output.WriteLine($"exports shot: {await browser.ScreenshotAsync("exports")}");
            var manifest = await page.Locator($"#export-{id} code.manifest-sha").TextContentAsync();

            var download = await page.RunAndWaitForDownloadAsync(() => page.Locator($"#export-{id} a.download").ClickAsync());
            Assert.StartsWith($"立入検査資料_{tenants.Hospital.Name}_2026年度_", download.SuggestedFilename);
            var path = Path.Combine(Path.GetTempPath(), $"vp-browser-{id}.zip");
            await download.SaveAsAsync(path);
            try
            {
                await using (var zip = File.OpenRead(path))
                {
                    var verification = await BundleVerifier.VerifyAsync(zip);
                    Assert.True(verification.Ok, string.Join("; ", verification.Problems.Select(p => p.Detail)));
                    Assert.Equal(manifest, verification.ManifestSha256);
                }

                await page.Locator("#verify-link").ClickAsync();
                await browser.WaitForPathAsync("/Inspection/Verify");
                await page.Locator("#verify-file").SetInputFilesAsync(path);
                await page.Locator("#verify-submit").ClickAsync();
                await Expect(page.Locator("#verify-ok")).ToContainTextAsync("改ざんは検出されませんでした");
                await Expect(page.Locator("#verify-manifest")).ToHaveTextAsync(manifest!);
                output.WriteLine($"verify shot: {await browser.ScreenshotAsync("verify")}");
            }
            finally
            {
                File.Delete(path);
            }
        });
    }
}
