using System.Globalization;
using System.Net;
using System.Text;
using OfficeOpenXml;
using OfficeOpenXml.Style;
using VendorPortal.Features.Forms.Workbooks;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Inspection.Export.Sections;

/// <summary>
/// Shared, pure helpers of the bundle's own documents (連絡体制図, EOS/patch summary, sign-off list, chain result):
/// one printable A4 HTML page (inline CSS, no script, no external resource), fixed date formats in JST, file names
/// that pass <see cref="Bundle.BundlePaths"/>, and the header block and cells of the small workbooks. Everything here
/// depends only on its arguments (no clock, no culture), so the same data gives the same bytes.
/// </summary>
public static class PrintPage
{
    /// <summary>Shown wherever a required piece of information has not been entered.</summary>
    public const string Missing = "未登録";

    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>yyyy/MM/dd.</summary>
    public static string Date(DateOnly day) => day.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture);

    public static string Date(DateOnly? day) => day is { } d ? Date(d) : "";

    /// <summary>yyyy/MM/dd HH:mm JST.</summary>
    public static string Time(DateTimeOffset instant) => JapanTime.ToJst(instant).ToString("yyyy/MM/dd HH:mm", CultureInfo.InvariantCulture) + " JST";

    public static string Time(DateTimeOffset? instant) => instant is { } t ? Time(t) : "";

    /// <summary>「2026/11/21（令和8年11月21日）」.</summary>
    public static string DateWithWareki(DateOnly day) => $"{Date(day)}（{Wareki.Format(day)}）";

    /// <summary>A cell that says 「未登録」 in red when <paramref name="value"/> is empty.</summary>
    public static string CellOrMissing(string? value, string missing = Missing)
        => string.IsNullOrWhiteSpace(value) ? $"<td class=\"missing\">{E(missing)}</td>" : $"<td>{E(value)}</td>";

    /// <summary>A complete HTML document: title, the hospital and the generation time at the top, then <paramref name="body"/>.</summary>
    public static string Render(string title, string hospitalName, DateTimeOffset generatedAt, string scope, string body, bool landscape = false)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<title>").Append(E(title)).Append(" — ").Append(E(hospitalName)).Append("</title>\n<style>\n")
            .Append("@page{size:A4 ").Append(landscape ? "landscape" : "portrait").Append(";margin:12mm}\n")
            .Append("body{font-family:\"Noto Sans CJK JP\",\"Hiragino Sans\",\"Yu Gothic\",\"Meiryo\",sans-serif;font-size:10.5pt;color:#000;margin:0 auto;max-width:190mm;line-height:1.45}\n")
            .Append("h1{font-size:16pt;border-bottom:2px solid #000;padding-bottom:2mm;margin:0 0 3mm}h2{font-size:12.5pt;margin:6mm 0 2mm;border-left:4px solid #000;padding-left:2mm}h3{font-size:11pt;margin:4mm 0 1mm}\n")
            .Append("table{border-collapse:collapse;width:100%;margin:1mm 0 3mm}th,td{border:1px solid #555;padding:1mm 1.5mm;text-align:left;vertical-align:top}th{background:#e6e6e6}\n")
            .Append(".missing,.warn{color:#b00020;font-weight:bold}.ok{color:#1b5e20}.muted{color:#444}dl.meta{display:grid;grid-template-columns:max-content auto;gap:0 4mm;margin:0 0 3mm}dl.meta dt{font-weight:bold}dl.meta dd{margin:0}\n")
            .Append("@media print{body{max-width:none}h2,h3{break-after:avoid}tr,section.block{break-inside:avoid}th{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n")
            .Append("</style>\n</head>\n<body>\n<h1>").Append(E(title)).Append("</h1>\n<dl class=\"meta\">\n")
            .Append("<dt>医療機関</dt><dd>").Append(E(hospitalName)).Append("</dd>\n")
            .Append("<dt>対象期間</dt><dd>").Append(E(scope)).Append("</dd>\n")
            .Append("<dt>作成日時</dt><dd>").Append(E(Time(generatedAt))).Append("</dd>\n</dl>\n")
            .Append(body)
            .Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>「2026/04/01〜2027/03/31」 for the context's period.</summary>
    public static string Scope(BundleContext context) => $"{Date(context.PeriodFrom)}〜{Date(context.PeriodTo)}";

    // ---------------------------------------------------------------- workbooks

    private static readonly System.Drawing.Color HeaderFill = System.Drawing.Color.FromArgb(0xDD, 0xE6, 0xF0);

    /// <summary>
    /// A sheet with a title, 医療機関名, 作成日時 and 対象期間 rows, then the header row of a table at row 6 with the given
    /// widths; returns the first data row. A4 landscape, one page wide, the header row repeated.
    /// </summary>
    public static int Sheet(ExcelWorksheet ws, string title, string hospitalName, DateTimeOffset generatedAt, string scope, IReadOnlyList<(string Header, double Width)> columns)
    {
        FormWorkbookWriter.Text(ws.Cells[1, 1], title);
        ws.Cells[1, 1].Style.Font.Size = 14;
        ws.Cells[1, 1].Style.Font.Bold = true;
        (string, string)[] meta = [("医療機関名", hospitalName), ("作成日時", Time(generatedAt)), ("対象期間", scope)];
        for (var i = 0; i < meta.Length; i++)
        {
            FormWorkbookWriter.Text(ws.Cells[2 + i, 1], meta[i].Item1);
            ws.Cells[2 + i, 1].Style.Font.Bold = true;
            FormWorkbookWriter.Text(ws.Cells[2 + i, 2], meta[i].Item2);
        }
        const int top = 6;
        for (var c = 0; c < columns.Count; c++)
        {
            var cell = ws.Cells[top, c + 1];
            FormWorkbookWriter.Text(cell, columns[c].Header);
            cell.Style.Font.Bold = true;
            cell.Style.WrapText = true;
            cell.Style.Fill.PatternType = ExcelFillStyle.Solid;
            cell.Style.Fill.BackgroundColor.SetColor(HeaderFill);
            cell.Style.Border.Bottom.Style = ExcelBorderStyle.Thin;
            ws.Column(c + 1).Width = columns[c].Width;
        }
        ws.View.FreezePanes(top + 1, 1);
        ws.PrinterSettings.Orientation = eOrientation.Landscape;
        ws.PrinterSettings.PaperSize = ePaperSize.A4;
        ws.PrinterSettings.FitToPage = true;
        ws.PrinterSettings.FitToWidth = 1;
        ws.PrinterSettings.FitToHeight = 0;
        ws.PrinterSettings.RepeatRows = new ExcelAddress($"{top}:{top}");
        return top + 1;
    }

    /// <summary>Writes one row of text cells (quote-prefixed when they look like a formula), wrapping long text.</summary>
    public static void Row(ExcelWorksheet ws, int row, params string?[] values)
    {
        for (var c = 0; c < values.Length; c++)
        {
            FormWorkbookWriter.Text(ws.Cells[row, c + 1], values[c]);
            ws.Cells[row, c + 1].Style.WrapText = true;
            ws.Cells[row, c + 1].Style.VerticalAlignment = ExcelVerticalAlignment.Top;
        }
    }

    /// <summary>A workbook with the document properties set (no creation time of its own: <see cref="DeterministicXlsx"/> fixes the rest).</summary>
    public static ExcelPackage Workbook(string title, string hospitalName)
    {
        var package = new ExcelPackage();
        package.Workbook.Properties.Title = title;
        package.Workbook.Properties.Author = "VendorPortal";
        package.Workbook.Properties.Company = hospitalName;
        return package;
    }
}
