using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using VendorPortal.Features.Account;
using VendorPortal.Features.Subcontracting;
using VendorPortal.IntegrationTests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using static VendorPortal.IntegrationTests.Subcontracting.SubcontractData;

namespace VendorPortal.IntegrationTests.Browser;

/// <summary>
/// The whole 再委託 approval path through the pages in Chromium, each person in their own browser: the vendor files
/// (with a 再々委託 abroad and an attachment), the system operator asks for more, the vendor answers, the security
/// manager gives an opinion, the executive approves with conditions after acknowledging the foreign handling.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SubcontractBrowserTests(BrowserPortalFactory factory, ITestOutputHelper output) : IClassFixture<BrowserPortalFactory>
{
    /// <summary>Reloads wait for the response only; the assertions after them wait for the content (as PortalBrowser's steps do).</summary>
    private static readonly PageReloadOptions Committed = new() { WaitUntil = WaitUntilState.Commit };

    [Fact]
    public async Task Vendor_files_operator_asks_for_more_vendor_answers_security_manager_advises_executive_approves_with_conditions()
    {
        var t = await factory.Tenants.CreateAsync();
        var clock = Stopwatch.StartNew();
        await using var vendor = await PortalBrowser.OpenAsync(factory, "subcontract-vendor");
        await using var operatorTab = await PortalBrowser.OpenAsync(factory, "subcontract-operator");
        await using var security = await PortalBrowser.OpenAsync(factory, "subcontract-security");
        await using var executive = await PortalBrowser.OpenAsync(factory, "subcontract-executive");
        try
        {
            await RunAsync(t, vendor, operatorTab, security, executive);
        }
        catch
        {
            foreach (var tab in new[] { vendor, operatorTab, security, executive })
            {
                try
                {
                    output.WriteLine($"failure shot: {await tab.ScreenshotAsync("failure")}");
                }
                catch (PlaywrightException)
                {
                    // The original failure is what matters.
                }
            }
            throw;
        }
        output.WriteLine($"took {clock.Elapsed.TotalSeconds:F1} s");
    }

    private async Task RunAsync(TenantSet t, PortalBrowser vendor, PortalBrowser operatorTab, PortalBrowser security, PortalBrowser executive)
    {
        // 1. The vendor files the request: the engagement and the direct subcontractor, saved as a draft.
        var v = vendor.Page;
        await vendor.SignInWithCodeAsync(t[Roles.VendorMember], Totp.Code(t[Roles.VendorMember].AuthenticatorKey!));
        await Expect(v.Locator("header nav a[href='/Subcontracts']")).ToHaveTextAsync("再委託");
        await vendor.GotoAsync("/Subcontracts");
        await v.Locator("#new-request").ClickAsync();
        await vendor.WaitForPathAsync("/Subcontracts/New");
        await Expect(v.Locator("#engagement option")).ToHaveCountAsync(1);
        await Expect(v.Locator("#engagement")).ToContainTextAsync(t.Hospital.Name);
        await v.Locator("#sc-name").FillAsync("東京メディカルデータ株式会社");
        await v.Locator("#sc-corp").FillAsync(ValidCorporateNumber);
        await v.Locator("#sc-address").FillAsync("東京都江東区有明3-1-1");
        await v.Locator("#sc-law").FillAsync("日本法");
        await v.Locator("#sc-work").FillAsync("電子カルテのバックアップデータの保管");
        await v.Locator("#sc-personal").CheckAsync();
        await v.Locator("#sc-medical").CheckAsync();
        await v.Locator("#sc-info").FillAsync("診療録のバックアップ（暗号化済み）");
        await v.Locator("#sc-storage").SelectOptionAsync("JP");
        await v.Locator("#sc-from").FillAsync(Date(0));
        await v.Locator("#sc-to").FillAsync(Date(365));
        await v.Locator("#sc-duties").FillAsync("守秘義務、安全管理措置、事故時の24時間以内の報告、終了時の消去");
        await v.Locator("#cert-Isms-number").FillAsync("IS 612345");
        await v.Locator("#cert-Isms-expires").FillAsync(Date(400));
        await v.Locator("#new-request button[type=submit]").ClickAsync();
        await Expect(v.Locator("main h1")).ToHaveTextAsync("再委託申請：東京メディカルデータ株式会社");
        await Expect(v.Locator("#request-state")).ToHaveTextAsync("下書き");
        var requestPath = new Uri(v.Url).AbsolutePath;
        var requestId = Guid.Parse(requestPath.Split('/').Last());

        // ... a 再々委託 abroad under it (plain form, no script), and the contract excerpt.
        await v.Locator("main a", new() { HasTextString = "この下に再々委託先を追加" }).ClickAsync();
        await Expect(v.Locator("main h1")).ToContainTextAsync("再々委託先の追加");
        await v.Locator("#sc-name").FillAsync("Pacific Cloud Backup Pte. Ltd.");
        await v.Locator("#sc-country").SelectOptionAsync("SG");
        await v.Locator("#sc-address").FillAsync("1 Raffles Place, Singapore");
        await v.Locator("#sc-law").FillAsync("シンガポール法");
        await v.Locator("#sc-work").FillAsync("災害対策用バックアップ複製の遠隔保管");
        await v.Locator("#sc-medical").CheckAsync();
        await v.Locator("#sc-info").FillAsync("暗号化済みバックアップの複製");
        await v.Locator("#sc-storage").SelectOptionAsync("SG");
        await v.Locator("#sc-duties").FillAsync("守秘義務、暗号化済みデータのみの保管");
        await v.Locator("#subcontractor-form button[type=submit]").ClickAsync();
        // Back on the request, at the new company (#node-…).
        await Expect(v.Locator("#chain li li .node-name")).ToHaveTextAsync("Pacific Cloud Backup Pte. Ltd.");
        await Expect(v.Locator("#foreign-caution")).ToBeVisibleAsync();
        await v.Locator("#file").SetInputFilesAsync(new FilePayload { Name = "契約書抜粋.pdf", MimeType = "application/pdf", Buffer = Pdf });
        await v.Locator("#description").FillAsync("再委託契約の安全管理条項");
        await v.Locator("#upload-form button[type=submit]").ClickAsync();
        await Expect(v.Locator("#attachments")).ToContainTextAsync("契約書抜粋.pdf");
        await v.Locator("#submit-form button[type=submit]").ClickAsync();
        await Expect(v.Locator("#request-state")).ToHaveTextAsync("医療機関の確認待ち");
        await Expect(v.Locator("#waiting-for")).ToContainTextAsync("確認を待っています");
        output.WriteLine($"vendor shot: {await vendor.ScreenshotAsync("submitted")}");

        // 2. The system operator is told (bell), opens it and asks for more information.
        var o = operatorTab.Page;
        await operatorTab.SignInWithCodeAsync(t[Roles.SystemOperator], Totp.Code(t[Roles.SystemOperator].AuthenticatorKey!));
        await Expect(o.Locator("#notification-count")).ToHaveTextAsync("1");
        await o.Locator("#notification-bell").ClickAsync();
        await operatorTab.WaitForPathAsync("/Notifications");
        await Expect(o.Locator("#notifications")).ToContainTextAsync(t.Vendor.Name);
        await o.Locator("#notifications button", new() { HasTextString = "開く" }).ClickAsync();
        await operatorTab.WaitForPathAsync(requestPath);
        await Expect(o.Locator("#notification-count")).ToHaveCountAsync(0);
        await Expect(o.Locator("#chain")).ToContainTextAsync("Pacific Cloud Backup Pte. Ltd.");
        await Expect(o.Locator("#decision-form")).ToHaveCountAsync(0);
        await o.Locator("#question").FillAsync("シンガポールで保管するデータの暗号化方式と、鍵の管理者を教えてください。");
        await o.Locator("#request-information-form button[type=submit]").ClickAsync();
        await Expect(o.Locator("#request-state")).ToHaveTextAsync("追加情報の依頼中");

        // 3. The vendor sees the question and answers; the request goes back to the hospital.
        await vendor.GotoAsync("/");
        await Expect(v.Locator("#notification-count")).ToHaveTextAsync("1");
        await vendor.GotoAsync(requestPath);
        await Expect(v.Locator("#open-question")).ToContainTextAsync("鍵の管理者を教えてください");
        await Expect(v.Locator("#notification-count")).ToHaveCountAsync(0); // opening the request read the notification
        await v.Locator("#answer").FillAsync("AES-256で暗号化した複製のみを保管し、鍵は東京メディカルデータが国内で管理します。");
        await v.Locator("#submit-form button[type=submit]").ClickAsync();
        await Expect(v.Locator("#request-state")).ToHaveTextAsync("医療機関の確認待ち");

        // ... and the operator completes the review.
        await o.ReloadAsync(Committed);
        await Expect(o.Locator("#history")).ToContainTextAsync("AES-256で暗号化した複製");
        await o.Locator("#review-note").FillAsync("回答を確認。契約条項は添付で確認済み。");
        await o.Locator("#review-form button[type=submit]").ClickAsync();
        await Expect(o.Locator("#request-state")).ToHaveTextAsync("安全管理責任者の意見待ち");

        // 4. The security manager finds it waiting for them and gives an opinion.
        var s = security.Page;
        await security.SignInWithCodeAsync(t[Roles.SecurityManager], Totp.Code(t[Roles.SecurityManager].AuthenticatorKey!));
        await security.GotoAsync("/Subcontracts");
        await s.Locator("#waiting a", new() { HasTextString = "東京メディカルデータ株式会社" }).ClickAsync();
        await security.WaitForPathAsync(requestPath);
        await s.Locator("#opinion-form input[value=FavourableWithConditions]").CheckAsync();
        await s.Locator("#opinion-text").FillAsync("鍵の国内管理と年1回の監査報告を条件に承認してよい。");
        await s.Locator("#opinion-form button[type=submit]").ClickAsync();
        await Expect(s.Locator("#request-state")).ToHaveTextAsync("経営層の判断待ち");

        // 5. The executive decides: with conditions, a reason, and the explicit acknowledgement of the foreign handling.
        var e = executive.Page;
        await executive.SignInWithCodeAsync(t[Roles.Executive], Totp.Code(t[Roles.Executive].AuthenticatorKey!));
        await Expect(e.Locator("#notification-count")).ToHaveTextAsync("1");
        await executive.GotoAsync(requestPath);
        await Expect(e.Locator("#security-opinion")).ToContainTextAsync("年1回の監査報告");
        await e.Locator("#decision-form input[value=ApproveWithConditions]").CheckAsync();
        await e.Locator("#reason").FillAsync("災害対策上必要な体制であり、安全管理責任者の意見を踏まえて承認する。");
        await e.Locator("#conditions").FillAsync("暗号鍵を国内で管理し、年1回監査報告を提出すること。");
        await e.Locator("#decision-form button[type=submit]").ClickAsync();
        await Expect(e.Locator("#problems")).ToContainTextAsync("注意を確認した旨のチェックが必要です");
        await Expect(e.Locator("#request-state")).ToHaveTextAsync("経営層の判断待ち");
        await Expect(e.Locator("#reason")).ToHaveValueAsync("災害対策上必要な体制であり、安全管理責任者の意見を踏まえて承認する。");
        await e.Locator("#acknowledge-foreign").CheckAsync();
        await e.Locator("#decision-form button[type=submit]").ClickAsync();
        await Expect(e.Locator("#request-state")).ToHaveTextAsync("条件付き承認");
        await Expect(e.Locator("#foreign-caution")).ToContainTextAsync("了承しました");
        await Expect(e.Locator("#notification-count")).ToHaveCountAsync(0);
        output.WriteLine($"executive shot: {await executive.ScreenshotAsync("decided")}");

        // The register lists both companies; the vendor sees the decision and its conditions, not the internal opinion.
        await executive.GotoAsync($"/Hospitals/{t.Hospital.Id}/Subcontractors");
        await Expect(e.Locator("#register tbody tr")).ToHaveCountAsync(2);
        await Expect(e.Locator("#register")).ToContainTextAsync("国外");
        await v.ReloadAsync(Committed);
        await Expect(v.Locator("#request-state")).ToHaveTextAsync("条件付き承認");
        await Expect(v.Locator("#decision-conditions")).ToContainTextAsync("年1回監査報告");
        await Expect(v.Locator("main")).Not.ToContainTextAsync("年1回の監査報告を条件に承認してよい");
        await Expect(v.Locator("#history tbody tr")).ToHaveCountAsync(7);

        var history = await factory.WithDbAsync(async (db, _) => await db.SubcontractEvents.Where(x => x.RequestId == requestId).OrderBy(x => x.At)
            .Select(x => new { x.Action, x.ActorRole }).ToListAsync());
        Assert.Equal(
            [(SubcontractEventAction.Created, Roles.VendorMember), (SubcontractEventAction.Submitted, Roles.VendorMember), (SubcontractEventAction.InformationRequested, Roles.SystemOperator),
             (SubcontractEventAction.Submitted, Roles.VendorMember), (SubcontractEventAction.Reviewed, Roles.SystemOperator), (SubcontractEventAction.OpinionGiven, Roles.SecurityManager),
             (SubcontractEventAction.ApprovedWithConditions, Roles.Executive)],
            history.Select(h => (h.Action, h.ActorRole!)));
    }
}
