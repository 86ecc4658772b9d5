using System.Drawing;
using OfficeOpenXml;
using OfficeOpenXml.Style;
using VendorPortal.Features.Forms.Workbooks;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Gaps;

/// <summary>The header block of the gap export: whose gaps, which 年度, which filters, when (JST), how many.</summary>
public sealed record GapWorkbookHeader(string HospitalName, FiscalYear Year, IReadOnlyList<string> Filters, DateTimeOffset CreatedAt, int Total);

/// <summary>One gap as the sheet shows it: every text already in words (see <see cref="GapText"/>).</summary>
public sealed record GapWorkbookRow(string Severity, string Kind, string Message, string? ItemNumber, string? Vendor, string? System, string MustAct,
    DateOnly Since, int DaysOpen, string? Link);

/// <summary>
/// Writes the (filtered) compliance-gap list as an .xlsx, following the form workbooks' conventions
/// (<see cref="FormWorkbookWriter"/>): a title and a header block (医療機関名, 年度 in 和暦, 絞り込み条件, 作成日 JST,
/// 件数), then one row per gap with Japanese column headers. Every text is a string cell through
/// <see cref="FormWorkbookWriter.Text"/>, so text starting with =, +, -, @ gets the quote prefix and is never a
/// formula. Widths are set by hand (AutoFitColumns needs GDI, absent on Linux); the header row is frozen and
/// repeated on every printed page; A4 landscape, one page wide.
/// </summary>
public static class GapWorkbookWriter
{
    public const string SheetName = "不備一覧";
    public const string Title = "コンプライアンス上の不備一覧";

    /// <summary>The table's columns, left to right, with their widths (characters).</summary>
    public static readonly IReadOnlyList<(string Header, double Width)> Columns =
    [
        ("重要度", 8), ("種類", 26), ("内容", 60), ("項番", 9), ("事業者", 28), ("システム", 24), ("対応者", 10),
        ("発生日", 12), ("経過日数", 9), ("対応場所", 40),
    ];

    private static readonly Color HeaderFill = Color.FromArgb(0xDD, 0xE6, 0xF0);

    public static byte[] Write(GapWorkbookHeader header, IReadOnlyList<GapWorkbookRow> rows)
    {
        using var package = new ExcelPackage();
        package.Workbook.Properties.Title = Title;
        package.Workbook.Properties.Author = "VendorPortal";
        package.Workbook.Properties.Company = header.HospitalName;
        var ws = package.Workbook.Worksheets.Add(SheetName);
        var lastCol = Columns.Count;

        FormWorkbookWriter.Text(ws.Cells[1, 1], Title);
        ws.Cells[1, 1, 1, lastCol].Merge = true;
        ws.Cells[1, 1].Style.Font.Size = 14;
        ws.Cells[1, 1].Style.Font.Bold = true;

        var created = JapanTime.ToJst(header.CreatedAt);
        var block = new (string Label, string Value)[]
        {
            ("医療機関名", header.HospitalName),
            ("年度", $"{header.Year.ToWarekiString()}（{header.Year.StartYear}年度）"),
            ("絞り込み条件", header.Filters.Count == 0 ? "なし（すべての不備）" : string.Join("、", header.Filters)),
            ("作成日", $"{Wareki.Format(DateOnly.FromDateTime(created.DateTime))}（{created:yyyy/MM/dd HH:mm} JST）"),
            ("件数", header.Filters.Count == 0 ? $"{rows.Count}件" : $"{rows.Count}件（全{header.Total}件中）"),
        };
        var row = 3;
        foreach (var (label, value) in block)
        {
            FormWorkbookWriter.Text(ws.Cells[row, 1], label);
            ws.Cells[row, 1].Style.Font.Bold = true;
            FormWorkbookWriter.Text(ws.Cells[row, 2], value);
            ws.Cells[row, 2, row, lastCol].Merge = true;
            row++;
        }
        row++;

        var tableTop = row;
        for (var c = 0; c < Columns.Count; c++)
        {
            FormWorkbookWriter.Text(ws.Cells[row, c + 1], Columns[c].Header);
            ws.Column(c + 1).Width = Columns[c].Width;
        }
        var head = ws.Cells[row, 1, row, lastCol];
        head.Style.Font.Bold = true;
        head.Style.Fill.PatternType = ExcelFillStyle.Solid;
        head.Style.Fill.BackgroundColor.SetColor(HeaderFill);
        head.Style.HorizontalAlignment = ExcelHorizontalAlignment.Center;
        head.Style.WrapText = true;
        row++;

        foreach (var r in rows)
        {
            FormWorkbookWriter.Text(ws.Cells[row, 1], r.Severity);
            FormWorkbookWriter.Text(ws.Cells[row, 2], r.Kind);
            FormWorkbookWriter.Text(ws.Cells[row, 3], r.Message);
            FormWorkbookWriter.Text(ws.Cells[row, 4], r.ItemNumber);
            FormWorkbookWriter.Text(ws.Cells[row, 5], r.Vendor);
            FormWorkbookWriter.Text(ws.Cells[row, 6], r.System);
            FormWorkbookWriter.Text(ws.Cells[row, 7], r.MustAct);
            ws.Cells[row, 8].Value = r.Since.ToDateTime(TimeOnly.MinValue);
            ws.Cells[row, 8].Style.Numberformat.Format = "yyyy/mm/dd";
            ws.Cells[row, 9].Value = r.DaysOpen;
            FormWorkbookWriter.Text(ws.Cells[row, 10], r.Link);
            row++;
        }
        var lastRow = Math.Max(tableTop, row - 1);

        var table = ws.Cells[tableTop, 1, lastRow, lastCol];
        table.Style.Border.Top.Style = table.Style.Border.Bottom.Style = table.Style.Border.Left.Style = table.Style.Border.Right.Style = ExcelBorderStyle.Thin;
        table.Style.VerticalAlignment = ExcelVerticalAlignment.Top;
        if (lastRow > tableTop)
        {
            ws.Cells[tableTop + 1, 2, lastRow, 6].Style.WrapText = true;
            ws.Cells[tableTop + 1, 10, lastRow, 10].Style.WrapText = true;
        }

        ws.PrinterSettings.PaperSize = ePaperSize.A4;
        ws.PrinterSettings.Orientation = eOrientation.Landscape;
        ws.PrinterSettings.FitToPage = true;
        ws.PrinterSettings.FitToWidth = 1;
        ws.PrinterSettings.FitToHeight = 0;
        ws.PrinterSettings.PrintArea = ws.Cells[1, 1, lastRow, lastCol];
        ws.PrinterSettings.RepeatRows = new ExcelAddress($"${tableTop}:${tableTop}");
        ws.PrinterSettings.TopMargin = ws.PrinterSettings.BottomMargin = 0.5m;
        ws.PrinterSettings.LeftMargin = ws.PrinterSettings.RightMargin = 0.4m;
        ws.HeaderFooter.OddFooter.CenteredText = "&P / &N";
        ws.View.FreezePanes(tableTop + 1, 1);
        return package.GetAsByteArray();
    }

    /// <summary>The row of the table's header (1-based), for readers of the sheet: below the title and the header block.</summary>
    public const int TableHeaderRow = 9;
}
