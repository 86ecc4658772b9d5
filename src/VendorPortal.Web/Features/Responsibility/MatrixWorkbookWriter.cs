using System.Drawing;
using OfficeOpenXml;
using OfficeOpenXml.Style;
using VendorPortal.Features.Forms.Workbooks;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Responsibility;

public sealed record MatrixWorkbookConfirmation(string Organization, string UserName, DateTimeOffset ConfirmedAt);

public sealed record MatrixWorkbookHeader(string HospitalName, string SystemName, int Version, string ContentHash, DateTimeOffset SavedAt, string SavedBy,
    DateOnly CreatedOn, IReadOnlyList<MatrixWorkbookConfirmation> Confirmations);

/// <summary>
/// One version of a 責任分界表 as .xlsx: title and notice (a proposal, not an official form), a header block
/// (医療機関, 対象システム, 版, SHA-256, 保存, 確認), then 通常時 and 非常時 sections with one column per party.
/// Widths set by hand (EPPlus 4 AutoFit is unreliable without GDI); every text a string cell, quote-prefixed when it
/// looks like a formula (<see cref="FormWorkbookWriter.Text"/>). A4 landscape, one page wide, header row repeated.
/// </summary>
public static class MatrixWorkbookWriter
{
    private static readonly Color HeaderFill = Color.FromArgb(0xDD, 0xE6, 0xF0);
    private static readonly Color SectionFill = Color.FromArgb(0xF2, 0xF2, 0xF2);

    public static string RoleMark(MatrixRole? role) => role switch
    {
        MatrixRole.Responsible => "主担当",
        MatrixRole.Approves => "承認",
        MatrixRole.Supports => "支援",
        MatrixRole.Informed => "報告受領",
        _ => "",
    };

    public static string PhaseLabel(MatrixPhase phase) => phase == MatrixPhase.Normal ? "通常時" : "非常時";

    public static string KindLabel(PartyKind kind) => kind switch
    {
        PartyKind.HospitalDepartment => "医療機関",
        PartyKind.Vendor => "事業者",
        PartyKind.Subcontractor => "再委託先",
        _ => "クラウド事業者",
    };

    public static byte[] Write(MatrixWorkbookHeader header, MatrixTemplate template, MatrixContent content)
    {
        using var package = new ExcelPackage();
        package.Workbook.Properties.Title = "責任分界表";
        package.Workbook.Properties.Author = "VendorPortal";
        package.Workbook.Properties.Company = header.HospitalName;
        var ws = package.Workbook.Worksheets.Add("責任分界表");
        const int CategoryCol = 1, TextCol = 2, FirstParty = 3;
        var lastCol = Math.Max(TextCol + 1, FirstParty + content.Parties.Count - 1);

        FormWorkbookWriter.Text(ws.Cells[1, 1], $"責任分界表 — {header.SystemName}");
        ws.Cells[1, 1].Style.Font.Size = 14;
        ws.Cells[1, 1].Style.Font.Bold = true;
        FormWorkbookWriter.Text(ws.Cells[2, 1], "※ " + template.Notice);
        ws.Cells[2, 1, 2, lastCol].Merge = true;
        ws.Cells[2, 1].Style.WrapText = true;
        ws.Cells[2, 1].Style.Font.Color.SetColor(Color.DarkRed);
        ws.Row(2).Height = 45;
        var row = 4;
        void Pair(string label, string value)
        {
            FormWorkbookWriter.Text(ws.Cells[row, CategoryCol], label);
            ws.Cells[row, CategoryCol].Style.Font.Bold = true;
            FormWorkbookWriter.Text(ws.Cells[row, TextCol], value);
            row++;
        }
        Pair("医療機関名", header.HospitalName);
        Pair("対象システム", header.SystemName);
        Pair("版", $"第{header.Version}版（{JapanTime.Format(header.SavedAt)} {header.SavedBy}）");
        Pair("SHA-256", header.ContentHash);
        Pair("作成日", Wareki.Format(header.CreatedOn));
        if (header.Confirmations.Count == 0)
        {
            Pair("確認", "未確認");
        }
        foreach (var c in header.Confirmations)
        {
            Pair("確認", $"{c.Organization}　{c.UserName}　{JapanTime.Format(c.ConfirmedAt)}");
        }
        Pair("凡例", "主担当 = 実施責任 / 承認 = 承認 / 支援 = 支援 / 報告受領 = 報告を受ける / 空欄 = 役割なし");
        row++;

        var tableTop = row;
        FormWorkbookWriter.Text(ws.Cells[row, CategoryCol], "区分");
        FormWorkbookWriter.Text(ws.Cells[row, TextCol], "作業・責任");
        for (var i = 0; i < content.Parties.Count; i++)
        {
            var p = content.Parties[i];
            FormWorkbookWriter.Text(ws.Cells[row, FirstParty + i], $"{p.Name}\n（{KindLabel(p.Kind)}）");
        }
        using (var head = ws.Cells[row, 1, row, lastCol])
        {
            head.Style.Font.Bold = true;
            head.Style.WrapText = true;
            head.Style.Fill.PatternType = ExcelFillStyle.Solid;
            head.Style.Fill.BackgroundColor.SetColor(HeaderFill);
        }
        ws.Row(row).Height = 45;
        row++;
        foreach (var phase in new[] { MatrixPhase.Normal, MatrixPhase.Emergency })
        {
            var rows = content.Rows.Where(r => r.Phase == phase).ToList();
            if (rows.Count == 0)
            {
                continue;
            }
            FormWorkbookWriter.Text(ws.Cells[row, CategoryCol], PhaseLabel(phase));
            using (var section = ws.Cells[row, 1, row, lastCol])
            {
                section.Style.Font.Bold = true;
                section.Style.Fill.PatternType = ExcelFillStyle.Solid;
                section.Style.Fill.BackgroundColor.SetColor(SectionFill);
            }
            row++;
            foreach (var r in rows)
            {
                FormWorkbookWriter.Text(ws.Cells[row, CategoryCol], r.Category);
                FormWorkbookWriter.Text(ws.Cells[row, TextCol], r.Source is null ? r.Text : $"{r.Text}\n（{r.Source}）");
                for (var i = 0; i < content.Parties.Count; i++)
                {
                    var cell = ws.Cells[row, FirstParty + i];
                    FormWorkbookWriter.Text(cell, RoleMark(r.RoleOf(content.Parties[i].Key)));
                    cell.Style.HorizontalAlignment = ExcelHorizontalAlignment.Center;
                }
                ws.Cells[row, 1, row, lastCol].Style.WrapText = true;
                ws.Cells[row, 1, row, lastCol].Style.VerticalAlignment = ExcelVerticalAlignment.Top;
                row++;
            }
        }
        var table = ws.Cells[tableTop, 1, row - 1, lastCol];
        table.Style.Border.Top.Style = table.Style.Border.Bottom.Style = table.Style.Border.Left.Style = table.Style.Border.Right.Style = ExcelBorderStyle.Thin;

        ws.Column(CategoryCol).Width = 16;
        ws.Column(TextCol).Width = 60;
        for (var i = 0; i < content.Parties.Count; i++)
        {
            ws.Column(FirstParty + i).Width = 14;
        }
        ws.View.FreezePanes(tableTop + 1, FirstParty);
        ws.PrinterSettings.Orientation = eOrientation.Landscape;
        ws.PrinterSettings.PaperSize = ePaperSize.A4;
        ws.PrinterSettings.FitToPage = true;
        ws.PrinterSettings.FitToWidth = 1;
        ws.PrinterSettings.FitToHeight = 0;
        ws.PrinterSettings.RepeatRows = ws.Cells[$"{tableTop}:{tableTop}"];
        return package.GetAsByteArray();
    }
}
