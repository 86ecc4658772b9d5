using OfficeOpenXml;
using VendorPortal.Features.Gaps;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.UnitTests.Features.Gaps;

public sealed class GapWorkbookWriterTests
{
    private static readonly GapWorkbookRow Row = new("高", "事業者確認用の未提出", "今年度の事業者確認用チェックリストが提出されていません。", "1-①", "A社", "電子カルテ", "事業者",
        new DateOnly(2025, 4, 1), 233, "/Checklists/x");

    [Fact]
    public void Writes_the_header_block_the_japanese_column_headers_and_one_row_per_gap()
    {
        var header = new GapWorkbookHeader("中央総合病院", new FiscalYear(2025), ["事業者: A社", "重要度: 高"], new DateTimeOffset(2025, 11, 20, 16, 30, 0, TimeSpan.Zero), 7);
        using var package = new ExcelPackage(new MemoryStream(GapWorkbookWriter.Write(header, [Row, Row with { Severity = "中", DaysOpen = 3 }])));
        var ws = package.Workbook.Worksheets[0];
        Assert.Equal(GapWorkbookWriter.SheetName, ws.Name);
        Assert.Equal(GapWorkbookWriter.Title, ws.Cells[1, 1].Text);
        Assert.Equal(("医療機関名", "中央総合病院"), (ws.Cells[3, 1].Text, ws.Cells[3, 2].Text));
        Assert.Equal("令和7年度（2025年度）", ws.Cells[4, 2].Text);
        Assert.Equal("事業者: A社、重要度: 高", ws.Cells[5, 2].Text);
        // 16:30 UTC is already the next day in Japan.
        Assert.Equal("令和7年11月21日（2025/11/21 01:30 JST）", ws.Cells[6, 2].Text);
        Assert.Equal("2件（全7件中）", ws.Cells[7, 2].Text);

        var top = GapWorkbookWriter.TableHeaderRow;
        Assert.Equal(GapWorkbookWriter.Columns.Select(c => c.Header), Enumerable.Range(1, GapWorkbookWriter.Columns.Count).Select(c => ws.Cells[top, c].Text));
        Assert.Equal(["重要度", "種類", "内容", "項番", "事業者", "システム", "対応者", "発生日", "経過日数", "対応場所"], GapWorkbookWriter.Columns.Select(c => c.Header));
        Assert.Equal("高", ws.Cells[top + 1, 1].Text);
        Assert.Equal("事業者確認用の未提出", ws.Cells[top + 1, 2].Text);
        Assert.Equal("1-①", ws.Cells[top + 1, 4].Text);
        Assert.Equal(new DateTime(2025, 4, 1), ws.Cells[top + 1, 8].GetValue<DateTime>());
        Assert.Equal("yyyy/mm/dd", ws.Cells[top + 1, 8].Style.Numberformat.Format);
        Assert.Equal(233, Convert.ToInt32(ws.Cells[top + 1, 9].Value));
        Assert.Equal("中", ws.Cells[top + 2, 1].Text);
        Assert.Null(ws.Cells[top + 3, 1].Value);

        // Widths by hand, header row frozen, A4 landscape.
        Assert.Equal(60, ws.Column(3).Width, 1);
        Assert.Equal(top + 1, ws.View.Panes.Length > 0 ? FrozenRow(ws) : 0);
        Assert.Equal(eOrientation.Landscape, ws.PrinterSettings.Orientation);
        Assert.Equal(ePaperSize.A4, ws.PrinterSettings.PaperSize);
    }

    [Fact]
    public void Text_that_a_spreadsheet_would_read_as_a_formula_gets_the_quote_prefix_and_stays_a_string()
    {
        var header = new GapWorkbookHeader("=HYPERLINK(\"http://evil\")", new FiscalYear(2025), [], DateTimeOffset.UnixEpoch, 1);
        var bytes = GapWorkbookWriter.Write(header, [Row with { Vendor = "=1+2", System = "+SUM(A1)", Message = "-cmd", ItemNumber = "@x" }]);
        using var package = new ExcelPackage(new MemoryStream(bytes));
        var ws = package.Workbook.Worksheets[0];
        var top = GapWorkbookWriter.TableHeaderRow;
        foreach (var (r, c, text) in new[] { (3, 2, "=HYPERLINK(\"http://evil\")"), (top + 1, 5, "=1+2"), (top + 1, 6, "+SUM(A1)"), (top + 1, 3, "-cmd"), (top + 1, 4, "@x") })
        {
            Assert.Equal(text, ws.Cells[r, c].Value);
            Assert.True(ws.Cells[r, c].Style.QuotePrefix, $"quote prefix at {r},{c}");
            Assert.True(string.IsNullOrEmpty(ws.Cells[r, c].Formula));
        }
        Assert.Equal("なし（すべての不備）", ws.Cells[5, 2].Text);
        Assert.Equal("1件", ws.Cells[7, 2].Text);
    }

    [Fact]
    public void An_empty_list_still_makes_a_readable_sheet_with_its_header()
    {
        var bytes = GapWorkbookWriter.Write(new GapWorkbookHeader("病院", new FiscalYear(2026), [], DateTimeOffset.UnixEpoch, 0), []);
        using var package = new ExcelPackage(new MemoryStream(bytes));
        var ws = package.Workbook.Worksheets[0];
        Assert.Equal("重要度", ws.Cells[GapWorkbookWriter.TableHeaderRow, 1].Text);
        Assert.Equal("0件", ws.Cells[7, 2].Text);
    }

    private static int FrozenRow(ExcelWorksheet ws)
    {
        // EPPlus 4 exposes the frozen pane through the sheet view XML: <pane ySplit="n" state="frozen"/>.
        var pane = ws.WorksheetXml.GetElementsByTagName("pane")[0]!;
        Assert.Equal("frozen", pane.Attributes!["state"]!.Value);
        return int.Parse(pane.Attributes["ySplit"]!.Value, System.Globalization.CultureInfo.InvariantCulture) + 1;
    }
}
