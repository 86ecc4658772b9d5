using OfficeOpenXml;
using VendorPortal.Features.Responsibility;

namespace VendorPortal.UnitTests.Features.Responsibility;

public sealed class MatrixWorkbookTests
{
    [Fact]
    public void The_workbook_has_the_header_both_phases_the_roles_and_no_formulas()
    {
        var template = new MatrixTemplate("k", "t", "t", "公式様式ではありません", "not official", []);
        var sample = MatrixContentTests.Sample();
        var content = sample with { Rows = [.. sample.Rows, new MatrixRow("custom-1", MatrixPhase.Normal, "=cmd", "=HYPERLINK(\"http://x\")", RowOrigin.Custom, new Dictionary<string, MatrixRole>())] };
        var bytes = MatrixWorkbookWriter.Write(new MatrixWorkbookHeader("中央総合病院", "電子カルテ", 3, new string('a', 64), DateTimeOffset.UnixEpoch, "運用 一郎",
            new DateOnly(2026, 11, 20), [new MatrixWorkbookConfirmation("中央総合病院", "security@example", DateTimeOffset.UnixEpoch)]), template, content);
        using var package = new ExcelPackage(new MemoryStream(bytes));
        var ws = package.Workbook.Worksheets[0];
        var cells = ws.Cells[1, 1, 40, 6].Where(c => c.Value is not null).ToList();
        var texts = cells.Select(c => c.Text).ToList();
        Assert.Contains("中央総合病院", texts);
        Assert.Contains(new string('a', 64), texts);
        Assert.Contains("通常時", texts);
        Assert.Contains("非常時", texts);
        Assert.Contains("主担当", texts);
        Assert.Contains(texts, t => t.Contains("security@example", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("公式様式ではありません", StringComparison.Ordinal));
        Assert.All(cells, c => Assert.True(string.IsNullOrEmpty(c.Formula)));
        Assert.True(cells.Single(c => c.Text == "=cmd").Style.QuotePrefix);
        Assert.True(ws.Column(2).Width > 30);
    }
}
