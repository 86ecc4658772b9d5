using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using OfficeOpenXml;
using VendorPortal.Features.Account;
using VendorPortal.Infrastructure.Time;
using VendorPortal.IntegrationTests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace VendorPortal.IntegrationTests.Browser;

/// <summary>
/// The whole checklist loop in a real browser: the vendor fills in the page, exports to Excel, edits the
/// workbook, imports it back, submits; the hospital returns it with an item comment; the vendor sees it.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ChecklistBrowserTests(BrowserPortalFactory factory, ITestOutputHelper output) : IClassFixture<BrowserPortalFactory>
{
    [Fact]
    public async Task Vendor_fills_exports_reimports_and_submits_hospital_returns_with_a_comment()
    {
        var tenants = await factory.Tenants.CreateAsync();
        var vendorUser = tenants[Roles.VendorMember];
        var hospitalUser = tenants[Roles.SystemOperator];
        var today = JapanTime.TodayInJapan(TimeProvider.System);
        var fiscalYear = FiscalYear.Of(today);
        var itemIds = await factory.WithDbAsync(async (db, _) =>
            (await db.FormTemplateVersions.SingleAsync(t => t.Key == "vendor-checklist-sample-r7")).Parse().Items.Select(i => i.Id).ToList());

        await using var vendor = await PortalBrowser.OpenAsync(factory, nameof(Vendor_fills_exports_reimports_and_submits_hospital_returns_with_a_comment) + "-vendor");
        await using var hospital = await PortalBrowser.OpenAsync(factory, nameof(Vendor_fills_exports_reimports_and_submits_hospital_returns_with_a_comment) + "-hospital");
        try
        {
            var page = vendor.Page;
            await vendor.SignInWithCodeAsync(vendorUser, Totp.Code(vendorUser.AuthenticatorKey!));

            // Start this 年度's checklist for the hospital.
            await vendor.GotoAsync($"/Hospitals/{tenants.Hospital.Id}/Checklists");
            await page.Locator("#tpl").SelectOptionAsync("vendor-checklist-sample-r7");
            await page.Locator("form.filters button[type=submit]").ClickAsync();
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/Checklists/[0-9a-f-]{36}$"), new() { Timeout = 30_000 });
            var detailPath = new Uri(page.Url).AbsolutePath;

            // Fill part of it in the page and save the draft.
            await page.Locator("#r1-date").FillAsync(today.ToString("yyyy-MM-dd"));
            foreach (var id in itemIds.Take(3))
            {
                await page.Locator($"input[type=radio][name='r1.{id}.v'][value=Yes]").CheckAsync();
            }
            await page.Locator("button[formaction$='handler=Save'], button:has-text('下書き保存')").First.ClickAsync();
            await Expect(page.Locator("[role=status]")).ToContainTextAsync("下書きを保存しました");

            // Export to Excel: the draft comes out as it is in the page.
            var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#export-xlsx").ClickAsync());
            Assert.EndsWith(".xlsx", download.SuggestedFilename);
            var exported = Path.Combine(Path.GetTempPath(), $"vp-{Guid.NewGuid():N}.xlsx");
            await download.SaveAsAsync(exported);

            // Finish it in "Excel": はい for the rest, one いいえ with a 目標日 and a remark.
            using (var package = new ExcelPackage(new FileInfo(exported)))
            {
                var ws = package.Workbook.Worksheets[0];
                var rows = Enumerable.Range(1, ws.Dimension.End.Row).Where(r => itemIds.Contains(ws.Cells[r, 1].Text)).ToList();
                Assert.Equal(itemIds.Count, rows.Count);
                Assert.Equal("はい", ws.Cells[rows[0], 4].Text); // what was answered in the page
                foreach (var r in rows.Skip(3))
                {
                    ws.Cells[r, 4].Value = "はい";
                }
                ws.Cells[rows[5], 4].Value = "いいえ";
                ws.Cells[rows[5], 5].Value = fiscalYear.LastDay.ToDateTime(TimeOnly.MinValue);
                ws.Cells[rows[5], 6].Value = "VPN装置の更改に合わせて対応";
                package.Save();
            }
            await page.Locator("#workbook").SetInputFilesAsync(exported);
            await page.Locator("#import-form button[type=submit]").ClickAsync();
            await Expect(page.Locator("[role=status]")).ToContainTextAsync($"{itemIds.Count} 項目を読み込み");
            await Expect(page.Locator($"input[name='r1.{itemIds[5]}.m']")).ToHaveValueAsync("VPN装置の更改に合わせて対応");
            await Expect(page.Locator($"input[type=radio][name='r1.{itemIds[5]}.v'][value=No]")).ToBeCheckedAsync();
            output.WriteLine($"imported: {await vendor.ScreenshotAsync("imported")}");

            await page.Locator("button:has-text('提出する')").ClickAsync();
            await Expect(page.Locator("[role=status]")).ToContainTextAsync("第1版として提出しました");
            await Expect(page.Locator("#submission-state")).ToHaveTextAsync("提出済（審査待ち）");

            // The hospital finds it in its review queue and returns it with a comment on the いいえ item.
            var hp = hospital.Page;
            await hospital.SignInWithCodeAsync(hospitalUser, Totp.Code(hospitalUser.AuthenticatorKey!));
            await hospital.GotoAsync("/Reviews");
            await hp.Locator($"a[href='{detailPath}']").First.ClickAsync();
            await hospital.WaitForPathAsync(detailPath);
            await Expect(hp.Locator($"#item-{itemIds[5]} .answer-value").First).ToHaveTextAsync("いいえ");
            await hp.Locator($"textarea[name='c.{itemIds[5]}']").FillAsync("目標日までの作業計画を添えてください");
            await hp.Locator("button[name=decision][value=return]").ClickAsync();
            await Expect(hp.Locator("[role=status]")).ToContainTextAsync("差し戻しました");
            await Expect(hp.Locator("#submission-state")).ToHaveTextAsync("差戻し");

            // The vendor sees the comment next to the item.
            await vendor.GotoAsync(detailPath);
            await Expect(page.Locator("#submission-state")).ToHaveTextAsync("差戻し");
            await Expect(page.Locator($"#item-{itemIds[5]}")).ToContainTextAsync("目標日までの作業計画を添えてください");
            output.WriteLine($"returned: {await vendor.ScreenshotAsync("returned")}");
        }
        catch
        {
            await vendor.ScreenshotAsync("failure");
            await hospital.ScreenshotAsync("failure");
            throw;
        }
    }
}
