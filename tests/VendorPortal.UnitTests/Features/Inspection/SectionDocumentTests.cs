using OfficeOpenXml;
using VendorPortal.Features.Audit;
using VendorPortal.Features.Contacts;
using VendorPortal.Features.Inspection.Bundle;
using VendorPortal.Features.Inspection.Export.Sections;
using VendorPortal.Features.Policy;
using VendorPortal.Features.Subcontracting;
using VendorPortal.Infrastructure.Auditing;

namespace VendorPortal.UnitTests.Features.Inspection;

/// <summary>The pure builders behind the bundle's 連絡体制図, sign-off list, 再委託, EOS/patch and audit parts.</summary>
public sealed class SectionDocumentTests
{
    private static readonly DateOnly Today = new(2026, 11, 21);
    private static readonly DateTimeOffset Generated = new(2026, 11, 21, 6, 30, 0, TimeSpan.Zero);
    private static DateTimeOffset Jst(int y, int m, int d) => new(y, m, d, 10, 0, 0, TimeSpan.FromHours(9));

    [Fact]
    public void A_confirmation_is_stale_from_the_same_day_twelve_months_later()
    {
        Assert.True(ContactChartDocument.IsStale(Jst(2025, 11, 21), Today));
        Assert.False(ContactChartDocument.IsStale(Jst(2025, 11, 22), Today));
        Assert.False(ContactChartDocument.IsStale(null, Today));
    }

    private static HospitalChart Chart(params VendorContactSheet[] vendors) => new(Guid.NewGuid(),
        [
            new(HospitalContactRole.SafetyManager, "安全 太郎", "03-0000-0001", "090-0000-0001", null, null, true, false),
            new(HospitalContactRole.Csirt, "", null, null, null, null, false, false),
        ],
        [
            new(HospitalContactRole.AuthorityMhlw, "厚生労働省 医療情報担当参事官室", "03-6812-7837", null, null, null, false, false),
            new(HospitalContactRole.AuthorityPolice, "都道府県警察 サイバー犯罪相談窓口", null, null, null, null, false, true),
        ],
        vendors, "出典テキスト");

    private static VendorContact Contact(string? phone24h) => new() { RoleLabel = "障害受付", Name = "受付<b>センター</b>", Phone24h = phone24h, OtherChannel = "FAX 03-1111-2425" };

    [Fact]
    public void The_chart_marks_missing_roles_numbers_stale_and_unconfirmed_vendors_and_escapes_text()
    {
        var fresh = new ChartVendor("新しい事業者", [Contact("03-1111-2424")], Jst(2026, 10, 1), "管理者", false, null);
        var stale = new ChartVendor("古い事業者", [Contact(null)], Jst(2025, 1, 1), "管理者", true, null);
        var none = new ChartVendor("未登録の事業者", [], null, null, false, null);
        var ended = new ChartVendor("終了した事業者", [], null, null, false, new DateOnly(2026, 6, 30));
        var chart = Chart();
        var vendors = new[] { fresh, stale, none, ended };

        var problems = ContactChartDocument.Problems(chart, vendors);
        Assert.Contains("CSIRT・担当窓口: 未登録", problems);
        Assert.Contains("都道府県警察 サイバー犯罪相談窓口の電話番号: 未登録", problems);
        Assert.Contains("古い事業者の24時間連絡先: 未登録", problems);
        Assert.Contains(problems, p => p.StartsWith("古い事業者の連絡先: 12か月以上未確認", StringComparison.Ordinal));
        Assert.Contains("未登録の事業者の連絡先: 未登録", problems);
        Assert.DoesNotContain(problems, p => p.Contains("新しい事業者") || p.Contains("終了した事業者"));

        var html = ContactChartDocument.Html("テスト病院", "2026/04/01〜2027/03/31", Generated, Today, chart, vendors);
        Assert.Contains("03-1111-2424", html);
        Assert.Contains("03-6812-7837", html);
        Assert.Contains("12か月以上未確認", html);
        Assert.Contains("契約終了 2026/06/30", html);
        Assert.Contains("受付&lt;b&gt;センター&lt;/b&gt;", html);
        Assert.Contains("@page{size:A4 portrait", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http", html); // no external resource
        Assert.Equal(html, ContactChartDocument.Html("テスト病院", "2026/04/01〜2027/03/31", Generated, Today, chart, vendors));

        using var package = new ExcelPackage(new MemoryStream(ContactChartDocument.Xlsx("テスト病院", "期間", Generated, chart, vendors)));
        Assert.Equal(["医療機関内", "事業者", "関係機関"], package.Workbook.Worksheets.Select(w => w.Name));
        var sheet = package.Workbook.Worksheets[1];
        Assert.Equal("新しい事業者", sheet.Cells[7, 1].Text);
        Assert.Equal("03-1111-2424", sheet.Cells[7, 5].Text);
        Assert.Equal("未登録", package.Workbook.Worksheets[0].Cells[8, 2].Text); // CSIRT name
    }

    [Fact]
    public void Eos_standing_says_days_passed_or_left_and_the_window()
    {
        int[] windows = [365, 180, 90, 30];
        Assert.Equal("サポート終了（3日経過）", EosPatchDocument.Standing(PolicyRules.Eos(Today.AddDays(-3), Today, windows)));
        Assert.Equal("残り52日（90日前の警告期間）", EosPatchDocument.Standing(PolicyRules.Eos(new DateOnly(2027, 1, 12), Today, windows)));
        Assert.Equal("残り400日", EosPatchDocument.Standing(PolicyRules.Eos(Today.AddDays(400), Today, windows)));
    }

    [Fact]
    public void The_chain_report_names_how_far_it_verified_or_the_first_break()
    {
        var intact = new AuditVerificationResult(93, null, 93, new string('a', 64));
        var text = AuditChainReport.Text("テスト病院", Generated, new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.FromHours(9)), Generated, 35, 8, 61, intact);
        Assert.Contains("作成日時: 2026/11/21 15:30:00 JST", text);
        Assert.Contains("抽出件数: 35 件（通番 #8〜#61）", text);
        Assert.Contains("検証件数: 93 件", text);
        Assert.Contains("結果: 正常", text);
        Assert.Contains("最後に検証した事象の通番: 93", text);
        Assert.Contains(new string('a', 64), text);
        Assert.Contains("正常", AuditChainReport.Summary(intact));

        var broken = new AuditVerificationResult(12, new AuditChainBreak(12, "content_changed", "x"), 11, new string('b', 64));
        var bad = AuditChainReport.Text("テスト病院", Generated, Generated, Generated, 0, null, null, broken);
        Assert.Contains("結果: 異常", bad);
        Assert.Contains("最初の不整合: 通番 12、事象の内容が記録時のハッシュと不一致", bad);
        Assert.Contains("#12", AuditChainReport.Summary(broken));
        Assert.Contains("ありません", AuditChainReport.Summary(new AuditVerificationResult(0, null)));
    }

    [Fact]
    public void Audit_csv_rows_quote_and_defuse_formulas()
    {
        var e = new AuditEvent
        {
            Sequence = 7, OccurredAt = Generated, UserName = "=HYPERLINK(\"x\")", Action = "contacts.updated", Summary = "{\"a\":1,\"b\":2}",
            PrevHash = "p", Hash = "h",
        };
        Assert.Equal("7,2026-11-21 15:30:00,\"'=HYPERLINK(\"\"x\"\")\",,,contacts.updated,,,,,\"{\"\"a\"\":1,\"\"b\"\":2}\",p,h", AuditSearch.CsvRow(e));
    }

    [Theory]
    [InlineData("契約書.PDF", "契約書.pdf")]
    [InlineData("a/b:c.png", "a_b_c.png")]
    [InlineData("証明書", "証明書")]
    [InlineData("x.tar.gz?", "x.tar.gz_")]
    public void Attachment_file_names_keep_a_plain_extension(string uploaded, string expected) =>
        Assert.Equal(expected, SubcontractDocument.FileName(uploaded));

    [Fact]
    public void A_register_row_belongs_to_the_period_when_its_work_overlaps_it()
    {
        RegisterRow Row(DateOnly from, DateOnly ends) => new(Guid.NewGuid(), Guid.NewGuid(), null, null, 1, Guid.NewGuid(), "V", Guid.NewGuid(), "E", [], "S", null, "JP", null,
            false, false, false, "w", from, ends, ends, SubcontractState.Approved, null, Generated, RegisterStatus.Active, []);
        var (from, to) = (new DateOnly(2026, 4, 1), new DateOnly(2027, 3, 31));
        Assert.True(SubcontractDocument.Overlaps(Row(new DateOnly(2025, 1, 1), new DateOnly(2026, 4, 1)), from, to));
        Assert.True(SubcontractDocument.Overlaps(Row(new DateOnly(2027, 3, 31), new DateOnly(2028, 1, 1)), from, to));
        Assert.False(SubcontractDocument.Overlaps(Row(new DateOnly(2025, 1, 1), new DateOnly(2026, 3, 31)), from, to));
        Assert.False(SubcontractDocument.Overlaps(Row(new DateOnly(2027, 4, 1), new DateOnly(2028, 1, 1)), from, to));
    }

    [Fact]
    public void The_sign_off_list_names_who_confirmed_and_who_has_not()
    {
        var system = new SignOffSystem("電子カルテ", 2, new string('c', 64), Generated, "作成者",
            [new("中央病院", true, "安全管理者", Generated), new("ベンダーA", false, null, null)],
            [new SignOffHistory(1, "ベンダーA", "担当者", Generated.AddDays(-10))]);
        Assert.Equal(["ベンダーA"], SignOffDocument.Waiting(system));
        var html = SignOffDocument.Html("中央病院", "期間", Generated, [system], ["検査システム"]);
        Assert.Contains("未確認: ベンダーA", html);
        Assert.Contains("第1版", html);
        Assert.Contains("検査システム", html);
        Assert.Contains("2026/11/21 15:30 JST", html);
    }
}
