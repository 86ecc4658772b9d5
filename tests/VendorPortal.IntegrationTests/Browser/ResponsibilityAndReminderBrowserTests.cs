using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using VendorPortal.Features.Account;
using VendorPortal.Features.Reminders;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Time;
using VendorPortal.IntegrationTests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace VendorPortal.IntegrationTests.Browser;

/// <summary>
/// Issue 5 end to end in Chromium, each person in their own browser: the hospital's security manager builds the
/// 責任分界表 of a system from the template (the vendor made 主担当 of a row), confirms it, and the vendor confirms it
/// too; the security manager then records a component with an end-of-support date 20 days away; the daily reminder
/// run raises an EOS reminder that the system operator sees, it escalates to the security manager when nobody
/// acknowledges it, the security manager acknowledges it, and later escalation passes leave it where it is.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ResponsibilityAndReminderBrowserTests(BrowserPortalFactory factory, ITestOutputHelper output) : IClassFixture<BrowserPortalFactory>
{
    [Fact]
    public async Task Hospital_builds_a_matrix_vendor_confirms_an_eos_reminder_appears_is_acknowledged_and_stops_escalating()
    {
        var t = await factory.Tenants.CreateAsync();
        var clock = Stopwatch.StartNew();
        await using var security = await PortalBrowser.OpenAsync(factory, "matrix-security");
        await using var vendor = await PortalBrowser.OpenAsync(factory, "matrix-vendor");
        await using var operatorTab = await PortalBrowser.OpenAsync(factory, "matrix-operator");
        try
        {
            await RunAsync(t, security, vendor, operatorTab);
        }
        catch
        {
            foreach (var tab in new[] { security, vendor, operatorTab })
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

    private async Task RunAsync(TenantSet t, PortalBrowser security, PortalBrowser vendor, PortalBrowser operatorTab)
    {
        var matrixPath = $"/Hospitals/{t.Hospital.Id}/Responsibility/{t.System.Id}";

        // 1. The security manager creates the matrix from the template: version 1, nobody has confirmed it yet.
        var s = security.Page;
        await security.SignInWithCodeAsync(t[Roles.SecurityManager], Totp.Code(t[Roles.SecurityManager].AuthenticatorKey!));
        await security.GotoAsync($"/Hospitals/{t.Hospital.Id}/Responsibility");
        await Expect(s.Locator("main")).ToContainTextAsync(t.System.Name);
        await security.GotoAsync(matrixPath);
        await Expect(s.Locator("#no-matrix")).ToBeVisibleAsync();
        await s.Locator("#create-matrix button").ClickAsync();
        await Expect(s.Locator("#matrix-meta")).ToBeVisibleAsync();
        await Expect(s.Locator("#matrix-hash")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9a-f]{64}$"));
        var firstHash = await s.Locator("#matrix-hash").TextContentAsync();

        // 2. Edit: the engaged vendor is a party (added if the template did not bring it), 主担当 of the first row.
        await s.Locator("#edit-matrix").ClickAsync();
        await security.WaitForPathAsync(matrixPath + "/Edit");
        if (await s.Locator("#parties tbody tr", new() { HasText = t.Vendor.Name }).CountAsync() == 0)
        {
            await s.Locator("#new-vendor").SelectOptionAsync(t.Vendor.Id.ToString());
            await s.Locator("#add-party button[value=add-party]").ClickAsync();
            await Expect(s.Locator("#parties tbody tr", new() { HasText = t.Vendor.Name })).ToHaveCountAsync(1);
        }
        var partyNames = await s.Locator("#parties tbody tr").AllTextContentsAsync();
        var vendorColumn = partyNames.ToList().FindIndex(n => n.Contains(t.Vendor.Name, StringComparison.Ordinal));
        Assert.True(vendorColumn >= 0);
        var firstRow = s.Locator("#grid-normal tbody tr").First;
        await firstRow.Locator("select").Nth(vendorColumn).SelectOptionAsync("Responsible");
        await s.Locator("#note").FillAsync("電子カルテの保守事業者を台帳管理の主担当に設定");
        await s.Locator("#save").ClickAsync();
        await security.WaitForPathAsync(matrixPath);
        await Expect(s.Locator("#history tbody tr")).ToHaveCountAsync(2);
        Assert.NotEqual(firstHash, await s.Locator("#matrix-hash").TextContentAsync());

        // 3. The hospital confirms version 2; the vendor is still awaited.
        await s.Locator("#confirm-matrix button").ClickAsync();
        await Expect(s.Locator($"#confirmers tr[data-org='{t.Hospital.Id}'] .badge.ok")).ToBeVisibleAsync();
        await Expect(s.Locator($"#confirmers tr[data-org='{t.Vendor.Id}'] .badge.off")).ToBeVisibleAsync();

        // 4. The vendor opens the same matrix, sees its 主担当 row and confirms the current version.
        var v = vendor.Page;
        await vendor.SignInWithCodeAsync(t[Roles.VendorMember], Totp.Code(t[Roles.VendorMember].AuthenticatorKey!));
        await vendor.GotoAsync(matrixPath);
        await Expect(v.Locator("#confirm-matrix")).ToContainTextAsync("2");
        await v.Locator("#confirm-matrix button").ClickAsync();
        await Expect(v.Locator($"#confirmers tr[data-org='{t.Vendor.Id}'] .badge.ok")).ToBeVisibleAsync();
        await Expect(v.Locator("#confirm-matrix")).ToHaveCountAsync(0);
        await s.ReloadAsync();
        await Expect(s.Locator("#confirmers .badge.ok")).ToHaveCountAsync(2);

        // 5. The security manager records a server of the system and its OS end of support, 20 days away.
        var today = JapanTime.TodayInJapan(TimeProvider.System);
        var endsOn = today.AddDays(20);
        await security.GotoAsync($"/Hospitals/{t.Hospital.Id}/Ledger/{t.System.Id}");
        await s.Locator("#Input_ManagementNumber").FillAsync("SV-EOS-01");
        await s.Locator("#Input_Kind").SelectOptionAsync("Server");
        await s.Locator("#Input_Name").FillAsync("電子カルテ DB サーバ");
        await s.Locator("#Input_Os").FillAsync("Windows Server");
        await s.Locator("#Input_OsVersion").FillAsync("2016");
        await s.Locator("#create-component button[type=submit]").ClickAsync(); // opens the new component's page
        await Expect(s.Locator("#component-fields")).ToContainTextAsync("電子カルテ DB サーバ");
        await s.Locator("#DateKind").SelectOptionAsync("Os");
        await s.Locator("#DateSubject").FillAsync("Windows Server 2016");
        await s.Locator("#DateEndsOn").FillAsync(endsOn.ToString("yyyy-MM-dd"));
        await s.Locator("#DateSource").FillAsync("Microsoft ライフサイクル ポリシー");
        await s.Locator("#add-support-date button[type=submit]").ClickAsync();
        await Expect(s.Locator("#support-dates")).ToContainTextAsync("Windows Server 2016");

        // 6. The daily run (what the Quartz job calls at 06:00 JST): an EOS reminder for the hospital's system operator.
        using (var scope = factory.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<ReminderRun>().RunAsync(today);
        }
        var reminderId = await ReminderIdAsync(t);
        var o = operatorTab.Page;
        await operatorTab.SignInWithCodeAsync(t[Roles.SystemOperator], Totp.Code(t[Roles.SystemOperator].AuthenticatorKey!));
        await operatorTab.GotoAsync("/Reminders");
        var row = o.Locator($"#reminders tr[data-reminder='{reminderId}']");
        await Expect(row).ToContainTextAsync("Windows Server 2016");
        await Expect(row).ToContainTextAsync("システム運用担当者");

        // 7. Nobody acknowledges it for a week: it escalates to the security manager, who sees it and acknowledges it.
        var policyDays = 7; // CompliancePolicy default EscalateToSecurityManagerDays
        await EscalateAsync(today.AddDays(policyDays));
        await security.GotoAsync("/Reminders");
        await Expect(s.Locator($"#reminders tr[data-reminder='{reminderId}']")).ToContainTextAsync("医療情報システム安全管理責任者");
        await s.Locator($"#reminders tr[data-reminder='{reminderId}'] a").ClickAsync();
        await security.WaitForPathAsync($"/Reminders/{reminderId}");
        await s.Locator("#ack-note").FillAsync("更新計画を作成し、保守事業者と調整します");
        await s.Locator("#acknowledge-form button[type=submit]").ClickAsync();
        await Expect(s.Locator("#reminder-state")).ToContainTextAsync("確認済");
        await Expect(s.Locator("#reminder-history")).ToContainTextAsync("更新計画を作成し");

        // 8. Later escalation passes (well past the executive's step) leave the acknowledged reminder where it is.
        await EscalateAsync(today.AddDays(policyDays + 30));
        await EscalateAsync(today.AddDays(policyDays + 60));
        await s.ReloadAsync();
        await Expect(s.Locator("#reminder-state")).ToContainTextAsync("確認済");
        await Expect(s.Locator("#reminder-level")).ToContainTextAsync("医療情報システム安全管理責任者");
        await using var scope2 = factory.Services.CreateAsyncScope();
        var db = scope2.ServiceProvider.GetRequiredService<AppDbContext>();
        var reminder = await db.Reminders.IgnoreQueryFilters().SingleAsync(r => r.Id == reminderId);
        Assert.Equal(ReminderState.Acknowledged, reminder.State);
        Assert.Equal(2, reminder.EscalationLevel);
        Assert.False(await db.ReminderEvents.IgnoreQueryFilters().AnyAsync(e => e.ReminderId == reminderId && e.Level == 3));
    }

    private async Task EscalateAsync(DateOnly day)
    {
        using var scope = factory.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<ReminderRun>().EscalateAsync(day);
    }

    private async Task<Guid> ReminderIdAsync(TenantSet t)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.Reminders.IgnoreQueryFilters()
            .Where(r => r.HospitalId == t.Hospital.Id && r.Kind == ReminderKind.Eos && r.State != ReminderState.Resolved)
            .Select(r => r.Id).SingleAsync();
    }
}
