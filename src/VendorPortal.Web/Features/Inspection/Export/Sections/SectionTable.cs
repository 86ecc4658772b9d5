using System.Drawing;
using System.Globalization;
using System.Net;
using System.Text;
using OfficeOpenXml;
using OfficeOpenXml.Style;
using VendorPortal.Features.Forms.Workbooks;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Inspection.Export.Sections;

/// <summary>One column of a <see cref="SectionTable"/>: its Japanese heading and its width in Excel characters.</summary>
public sealed record SectionColumn(string Header, double Width);

/// <summary>
/// A list of the bundle (status table, disclosure list, device list) written twice from the same rows: a printable
/// HTML page (A4 landscape, inline CSS, no script, opens offline) and an .xlsx (A4 landscape, one page wide, header
/// row repeated). Cells are <c>string</c>, <c>int</c>, <c>DateOnly</c> or null (shown as 「—」 in HTML, empty in
/// Excel). Every text goes into Excel as a string cell with the formula-injection defence of
/// <see cref="FormWorkbookWriter.Text"/>. The generation time is the bundle's; nothing here reads a clock.
/// </summary>
public sealed record SectionTable(string Title, IReadOnlyList<string> Lines, IReadOnlyList<SectionColumn> Columns,
    IReadOnlyList<IReadOnlyList<object?>> Rows, IReadOnlyList<string> Notes)
{
    public static string Date(DateOnly day) => PrintPage.Date(day);

    public static string DateTime(DateTimeOffset instant) => JapanTime.ToJst(instant).ToString("yyyy/MM/dd HH:mm", CultureInfo.InvariantCulture);

    public static string Cell(object? value) => value switch
    {
        null => "—",
        DateOnly d => Date(d),
        int i => i.ToString(CultureInfo.InvariantCulture),
        _ => value.ToString() is { Length: > 0 } s ? s : "—",
    };

    public string ToHtml()
    {
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(E(Title)).Append("</title>\n<style>\n")
            .Append("@page { size: A4 landscape; margin: 10mm; }\n")
            .Append("body { font-family: \"Yu Gothic\", \"Hiragino Sans\", \"Noto Sans CJK JP\", sans-serif; font-size: 9pt; margin: 0; }\n")
            .Append("h1 { font-size: 13pt; margin: 0 0 4px; }\np { margin: 2px 0; }\n")
            .Append("table { border-collapse: collapse; width: 100%; margin-top: 6px; }\n")
            .Append("th, td { border: 1px solid #888; padding: 2px 4px; vertical-align: top; }\n")
            .Append("th { background: #dde6f0; font-weight: bold; text-align: left; }\nthead { display: table-header-group; }\n")
            .Append("tr { page-break-inside: avoid; }\n.n { text-align: right; }\n</style>\n</head>\n<body>\n");
        h.Append("<h1>").Append(E(Title)).Append("</h1>\n");
        foreach (var line in Lines)
        {
            h.Append("<p>").Append(E(line)).Append("</p>\n");
        }
        h.Append("<table>\n<thead>\n<tr>");
        foreach (var c in Columns)
        {
            h.Append("<th>").Append(E(c.Header)).Append("</th>");
        }
        h.Append("</tr>\n</thead>\n<tbody>\n");
        foreach (var row in Rows)
        {
            h.Append("<tr>");
            foreach (var value in row)
            {
                h.Append(value is int ? "<td class=\"n\">" : "<td>").Append(E(Cell(value))).Append("</td>");
            }
            h.Append("</tr>\n");
        }
        h.Append("</tbody>\n</table>\n");
        foreach (var note in Notes)
        {
            h.Append("<p>").Append(E(note)).Append("</p>\n");
        }
        h.Append("</body>\n</html>\n");
        return h.ToString();
    }

    public byte[] ToXlsx(string sheetName)
    {
        using var package = new ExcelPackage();
        package.Workbook.Properties.Title = Title;
        package.Workbook.Properties.Author = "VendorPortal";
        var ws = package.Workbook.Worksheets.Add(sheetName);
        ws.Cells.Style.Font.Name = "Yu Gothic";
        ws.Cells.Style.Font.Size = 10;
        FormWorkbookWriter.Text(ws.Cells[1, 1], Title);
        ws.Cells[1, 1].Style.Font.Size = 14;
        ws.Cells[1, 1].Style.Font.Bold = true;
        var row = 2;
        foreach (var line in Lines)
        {
            FormWorkbookWriter.Text(ws.Cells[row++, 1], line);
        }
        var top = ++row;
        for (var c = 0; c < Columns.Count; c++)
        {
            ws.Column(c + 1).Width = Columns[c].Width;
            var cell = ws.Cells[top, c + 1];
            FormWorkbookWriter.Text(cell, Columns[c].Header);
            cell.Style.Font.Bold = true;
            cell.Style.Fill.PatternType = ExcelFillStyle.Solid;
            cell.Style.Fill.BackgroundColor.SetColor(Color.FromArgb(0xDD, 0xE6, 0xF0));
            cell.Style.WrapText = true;
        }
        foreach (var values in Rows)
        {
            row++;
            for (var c = 0; c < values.Count && c < Columns.Count; c++)
            {
                var cell = ws.Cells[row, c + 1];
                switch (values[c])
                {
                    case null:
                        break;
                    case int i:
                        cell.Value = i;
                        break;
                    case DateOnly d:
                        cell.Value = d.ToDateTime(TimeOnly.MinValue);
                        cell.Style.Numberformat.Format = "yyyy/mm/dd";
                        break;
                    default:
                        FormWorkbookWriter.Text(cell, values[c]!.ToString());
                        break;
                }
                cell.Style.WrapText = true;
                cell.Style.VerticalAlignment = ExcelVerticalAlignment.Top;
            }
        }
        var last = Math.Max(row, top);
        var table = ws.Cells[top, 1, last, Columns.Count];
        table.Style.Border.Top.Style = table.Style.Border.Bottom.Style = ExcelBorderStyle.Thin;
        table.Style.Border.Left.Style = table.Style.Border.Right.Style = ExcelBorderStyle.Thin;
        row = last + 1;
        foreach (var note in Notes)
        {
            FormWorkbookWriter.Text(ws.Cells[++row, 1], note);
        }
        ws.PrinterSettings.PaperSize = ePaperSize.A4;
        ws.PrinterSettings.Orientation = eOrientation.Landscape;
        ws.PrinterSettings.FitToPage = true;
        ws.PrinterSettings.FitToWidth = 1;
        ws.PrinterSettings.FitToHeight = 0;
        ws.PrinterSettings.RepeatRows = new ExcelAddress($"${top}:${top}");
        ws.PrinterSettings.TopMargin = ws.PrinterSettings.BottomMargin = 0.5m;
        ws.PrinterSettings.LeftMargin = ws.PrinterSettings.RightMargin = 0.4m;
        ws.HeaderFooter.OddFooter.CenteredText = "&P / &N";
        ws.View.FreezePanes(top + 1, 1);
        return package.GetAsByteArray();
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
