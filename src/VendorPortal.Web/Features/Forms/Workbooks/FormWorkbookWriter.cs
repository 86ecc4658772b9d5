using System.Drawing;
using OfficeOpenXml;
using OfficeOpenXml.DataValidation;
using OfficeOpenXml.Style;
using VendorPortal.Infrastructure.Time;
using static VendorPortal.Features.Forms.Workbooks.FormSheetLayout;

namespace VendorPortal.Features.Forms.Workbooks;

/// <summary>Who and what the sheet is for: the header block of the official sheets.</summary>
public sealed record WorkbookHeader(
    DateOnly CreatedOn,
    string? HospitalName = null,
    string? VendorName = null,
    int? FiscalYear = null,
    string? SystemName = null,
    string? ProductName = null,
    string? ProductVersion = null,
    Guid? SubmissionId = null,
    int? VersionNumber = null,
    string? ContentHash = null,
    string? State = null);

/// <summary>
/// Writes a form, blank or filled, as an .xlsx laid out like the official sheet: a title, a header block
/// (医療機関名, 事業者名, 年度 / 製品名称, バージョン / for remote maintenance 医療機関名, 事業者名, 対象システム; 作成日, each round's 確認日), then one row per item with
/// 項番, 確認項目 and per round 回答 (a はい/いいえ/対象外 drop-down), 目標日 and 備考. Only the answer cells are
/// unlocked; the sheet prints on A4 landscape, one page wide, with the table header repeated. A hidden
/// column keeps each row's item id and a hidden sheet the template key, so re-import maps rows exactly.
/// Every text is written as a string cell; text starting with =, +, -, @ also gets the quote prefix, so
/// no spreadsheet program treats it as a formula.
/// </summary>
public static class FormWorkbookWriter
{
    private const int IdCol = 1, NumberCol = 2, TextCol = 3, FirstRoundCol = 4;
    private static readonly Color HeaderFill = Color.FromArgb(0xDD, 0xE6, 0xF0);
    private static readonly Color SectionFill = Color.FromArgb(0xF2, 0xF2, 0xF2);
    private static readonly Color AnswerFill = Color.FromArgb(0xFF, 0xFD, 0xE7);

    public static byte[] Write(FormTemplate template, string templateHash, WorkbookHeader header, FormAnswers? answers,
        IReadOnlyDictionary<string, string>? itemComments = null)
    {
        using var package = new ExcelPackage();
        package.Workbook.Properties.Title = template.Title;
        package.Workbook.Properties.Author = "VendorPortal";
        package.Workbook.Properties.Company = header.VendorName ?? header.HospitalName ?? "";
        var ws = package.Workbook.Worksheets.Add(SheetName(template.Kind switch
        {
            FormKind.Mds => "MDS",
            FormKind.Sds => "SDS",
            FormKind.BcpChecklist => "BCP確認表",
            FormKind.RemoteMaintenance => "リモートメンテナンス",
            _ => "チェックリスト",
        }));
        var rounds = Math.Max(1, template.Rounds);
        var withTarget = template.IsChecklist || template.Items.Any(i => i.Has(RuleKind.TargetDateWhenNo));
        var perRound = withTarget ? 3 : 2;
        var lastRoundCol = FirstRoundCol + rounds * perRound - 1;
        var comments = itemComments is { Count: > 0 };
        var lastCol = comments ? lastRoundCol + 1 : lastRoundCol;

        // Title and edition.
        Text(ws.Cells[1, NumberCol], template.Title);
        ws.Cells[1, NumberCol, 1, lastCol].Merge = true;
        ws.Cells[1, NumberCol].Style.Font.Size = 14;
        ws.Cells[1, NumberCol].Style.Font.Bold = true;
        Text(ws.Cells[2, NumberCol], $"{template.VersionLabel}　（医療情報システムの安全管理に関するガイドライン 第{template.GuidelineEdition}版）");
        ws.Cells[2, NumberCol, 2, lastCol].Merge = true;
        var row = 3;
        if (template.Status != TemplateStatus.Official)
        {
            Text(ws.Cells[row, NumberCol], template.Status == TemplateStatus.Sample
                ? "※ この様式は公式様式ではありません（VendorPortal のサンプル）。公式の文言は厚生労働省・JAHIS 等の原本で確認してください。"
                : "※ 一部の項目の文言は公式原本と照合されていません（未照合の項目に印）。");
            ws.Cells[row, NumberCol, row, lastCol].Merge = true;
            ws.Cells[row, NumberCol].Style.Font.Color.SetColor(Color.DarkRed);
            row++;
        }
        row++;

        // Header block: label in 項番's column, value in 確認項目's.
        var headerRows = new List<(string Label, object? Value)>();
        if (template.IsChecklist)
        {
            headerRows.Add(("医療機関名", header.HospitalName));
            if (template.Kind != FormKind.HospitalChecklist)
            {
                headerRows.Add(("事業者名", header.VendorName));
            }
            headerRows.Add(("年度", header.FiscalYear is { } fy ? $"{new FiscalYear(fy).ToWarekiString()}（{fy}年度）" : null));
            if (header.SystemName is not null)
            {
                headerRows.Add(("対象システム", header.SystemName));
            }
        }
        else if (template.IsHospitalDisclosure)
        {
            // A standing disclosure for one hospital's system: no 年度, no rounds.
            headerRows.Add(("医療機関名", header.HospitalName));
            headerRows.Add(("事業者名", header.VendorName));
            headerRows.Add(("対象システム", header.SystemName));
        }
        else
        {
            headerRows.Add((template.Kind == FormKind.Mds ? "製造業者名" : "サービス事業者名", header.VendorName));
            headerRows.Add((template.Kind == FormKind.Mds ? "製品名称" : "サービス名称", header.ProductName));
            headerRows.Add(("バージョン", header.ProductVersion));
        }
        headerRows.Add(("作成日", header.CreatedOn.ToDateTime(TimeOnly.MinValue)));
        if (header.VersionNumber is { } vn)
        {
            headerRows.Add(("提出版", $"第{vn}版 {header.State}（SHA-256 {header.ContentHash?[..16]}…）"));
        }
        foreach (var (label, value) in headerRows)
        {
            Label(ws.Cells[row, NumberCol], label);
            SetValue(ws.Cells[row, TextCol], value);
            row++;
        }
        if (template.IsChecklist)
        {
            for (var r = 1; r <= rounds; r++)
            {
                Label(ws.Cells[row, NumberCol], Header(r, Field.CheckedOn, true));
                var cell = ws.Cells[row, TextCol];
                SetValue(cell, answers?.Rounds.FirstOrDefault(x => x.Number == r)?.CheckedOn?.ToDateTime(TimeOnly.MinValue));
                AnswerCell(cell);
                cell.Style.Numberformat.Format = "yyyy/mm/dd";
                cell.Style.HorizontalAlignment = ExcelHorizontalAlignment.Left;
                DateValidation(ws, cell.Address);
                row++;
            }
        }
        row++;

        // The item table.
        var tableTop = row;
        Text(ws.Cells[row, IdCol], IdHeader);
        Text(ws.Cells[row, NumberCol], NumberHeader);
        Text(ws.Cells[row, TextCol], TextHeader);
        for (var r = 1; r <= rounds; r++)
        {
            var c = FirstRoundCol + (r - 1) * perRound;
            Text(ws.Cells[row, c], Header(r, Field.Answer, template.IsChecklist));
            if (withTarget)
            {
                Text(ws.Cells[row, c + 1], Header(r, Field.TargetDate, template.IsChecklist));
            }
            Text(ws.Cells[row, c + perRound - 1], Header(r, Field.Remark, template.IsChecklist));
        }
        if (comments)
        {
            Text(ws.Cells[row, lastCol], CommentHeader);
        }
        var headerRange = ws.Cells[row, NumberCol, row, lastCol];
        headerRange.Style.Font.Bold = true;
        headerRange.Style.Fill.PatternType = ExcelFillStyle.Solid;
        headerRange.Style.Fill.BackgroundColor.SetColor(HeaderFill);
        headerRange.Style.HorizontalAlignment = ExcelHorizontalAlignment.Center;
        headerRange.Style.WrapText = true;
        row++;

        foreach (var section in template.Sections)
        {
            Text(ws.Cells[row, NumberCol], section.Number);
            Text(ws.Cells[row, TextCol], section.Title);
            var sectionRange = ws.Cells[row, NumberCol, row, lastCol];
            sectionRange.Style.Font.Bold = true;
            sectionRange.Style.Fill.PatternType = ExcelFillStyle.Solid;
            sectionRange.Style.Fill.BackgroundColor.SetColor(SectionFill);
            row++;
            foreach (var item in section.Items)
            {
                Text(ws.Cells[row, IdCol], item.Id);
                Text(ws.Cells[row, NumberCol], item.Number);
                var text = item.Text;
                if (item.Scopes is { Count: > 0 })
                {
                    text += $"\n（{string.Join("・", item.Scopes)}）";
                }
                if (!item.Verified)
                {
                    text += "\n［未照合］";
                }
                if (item.AnswerType == AnswerType.Choice && item.Choices is { } choices)
                {
                    text += $"\n選択肢: {string.Join(" / ", choices)}";
                }
                Text(ws.Cells[row, TextCol], text);
                for (var r = 1; r <= rounds; r++)
                {
                    var c = FirstRoundCol + (r - 1) * perRound;
                    var a = answers?.Rounds.FirstOrDefault(x => x.Number == r)?.Answers.GetValueOrDefault(item.Id);
                    var answerCell = ws.Cells[row, c];
                    SetValue(answerCell, AnswerValue(item, a?.Value));
                    AnswerCell(answerCell);
                    if (withTarget)
                    {
                        var target = ws.Cells[row, c + 1];
                        SetValue(target, a?.TargetDate?.ToDateTime(TimeOnly.MinValue));
                        target.Style.Numberformat.Format = "yyyy/mm/dd";
                        AnswerCell(target);
                    }
                    var remark = ws.Cells[row, c + perRound - 1];
                    SetValue(remark, a?.Remark);
                    AnswerCell(remark);
                }
                if (comments && itemComments!.TryGetValue(item.Id, out var comment))
                {
                    Text(ws.Cells[row, lastCol], comment);
                }
                row++;
            }
        }
        var lastRow = row - 1;

        // Drop-downs and date checks per answer column, by answer type.
        for (var r = 1; r <= rounds; r++)
        {
            var c = FirstRoundCol + (r - 1) * perRound;
            AddListValidations(ws, template, tableTop + 1, c);
            if (withTarget)
            {
                DateValidation(ws, ws.Cells[tableTop + 1, c + 1, lastRow, c + 1].Address);
            }
        }

        // Table look: borders, wrapping, widths set by hand (AutoFitColumns needs GDI, absent on Linux).
        var table = ws.Cells[tableTop, NumberCol, lastRow, lastCol];
        table.Style.Border.Top.Style = table.Style.Border.Bottom.Style = table.Style.Border.Left.Style = table.Style.Border.Right.Style = ExcelBorderStyle.Thin;
        table.Style.VerticalAlignment = ExcelVerticalAlignment.Top;
        ws.Cells[tableTop + 1, TextCol, lastRow, lastCol].Style.WrapText = true;
        ws.Column(IdCol).Width = 14;
        ws.Column(IdCol).Hidden = true;
        ws.Column(NumberCol).Width = 10;
        ws.Column(TextCol).Width = 60;
        for (var r = 1; r <= rounds; r++)
        {
            var c = FirstRoundCol + (r - 1) * perRound;
            ws.Column(c).Width = 11;
            if (withTarget)
            {
                ws.Column(c + 1).Width = 12;
            }
            ws.Column(c + perRound - 1).Width = 24;
        }
        if (comments)
        {
            ws.Column(lastCol).Width = 30;
        }

        // Printing: A4 landscape, one page wide, the table header on every page.
        ws.PrinterSettings.PaperSize = ePaperSize.A4;
        ws.PrinterSettings.Orientation = eOrientation.Landscape;
        ws.PrinterSettings.FitToPage = true;
        ws.PrinterSettings.FitToWidth = 1;
        ws.PrinterSettings.FitToHeight = 0;
        ws.PrinterSettings.PrintArea = ws.Cells[1, NumberCol, lastRow, lastCol];
        ws.PrinterSettings.RepeatRows = new ExcelAddress($"${tableTop}:${tableTop}");
        ws.PrinterSettings.TopMargin = ws.PrinterSettings.BottomMargin = 0.5m;
        ws.PrinterSettings.LeftMargin = ws.PrinterSettings.RightMargin = 0.4m;
        ws.HeaderFooter.OddFooter.CenteredText = "&P / &N";
        ws.View.FreezePanes(tableTop + 1, FirstRoundCol);

        // Protect the layout (no password): only the answer cells can be typed into.
        ws.Protection.IsProtected = true;
        ws.Protection.AllowFormatColumns = true;
        ws.Protection.AllowFormatRows = true;
        ws.Protection.AllowSelectLockedCells = true;
        ws.Protection.AllowSelectUnlockedCells = true;

        var meta = package.Workbook.Worksheets.Add(MetaSheet);
        var metaRows = new (string, string?)[]
        {
            ("format", "vendorportal-form/1"), ("templateKey", template.Key), ("templateHash", templateHash),
            ("submissionId", header.SubmissionId?.ToString()), ("version", header.VersionNumber?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        for (var i = 0; i < metaRows.Length; i++)
        {
            Text(meta.Cells[i + 1, 1], metaRows[i].Item1);
            Text(meta.Cells[i + 1, 2], metaRows[i].Item2);
        }
        meta.Hidden = eWorkSheetHidden.Hidden;
        package.Workbook.View.ActiveTab = 0;
        return package.GetAsByteArray();
    }

    private static object? AnswerValue(TemplateItem item, string? value)
        => item.AnswerType is AnswerType.YesNo or AnswerType.YesNoNa
            ? FormRules.ParseYesNo(value) switch { YesNo.Yes => "はい", YesNo.No => "いいえ", YesNo.NotApplicable => "対象外", _ => value }
            : item.AnswerType == AnswerType.Date && DateOnly.TryParseExact(value, "yyyy-MM-dd", out var d) ? d.ToDateTime(TimeOnly.MinValue) : value;

    private static void AddListValidations(ExcelWorksheet ws, FormTemplate template, int firstRow, int col)
    {
        // One validation per run of consecutive rows with the same list, so the sheet stays small.
        var row = firstRow;
        string[]? current = null;
        var start = 0;
        foreach (var section in template.Sections)
        {
            Flush(row - 1);
            current = null;
            row++; // the section row
            foreach (var item in section.Items)
            {
                var list = item.AnswerType switch
                {
                    AnswerType.YesNo => ["はい", "いいえ"],
                    AnswerType.YesNoNa => ["はい", "いいえ", "対象外"],
                    AnswerType.Choice => item.Choices?.ToArray(),
                    _ => null,
                };
                if (list is null || current is null || !list.SequenceEqual(current))
                {
                    Flush(row - 1);
                    current = list;
                    start = row;
                }
                if (item.AnswerType == AnswerType.Date)
                {
                    DateValidation(ws, ws.Cells[row, col].Address);
                    ws.Cells[row, col].Style.Numberformat.Format = "yyyy/mm/dd";
                }
                row++;
            }
        }
        Flush(row - 1);

        void Flush(int end)
        {
            if (current is null || end < start)
            {
                return;
            }
            var v = ws.DataValidations.AddListValidation(ws.Cells[start, col, end, col].Address);
            // A list longer than Excel's 255-character formula limit cannot be inline; the text says the choices.
            if (string.Join(",", current).Length <= 250)
            {
                foreach (var option in current)
                {
                    v.Formula.Values.Add(option);
                }
                v.ShowErrorMessage = true;
                v.ErrorStyle = ExcelDataValidationWarningStyle.stop;
                v.ErrorTitle = "入力できない値です";
                v.Error = "一覧から選んでください: " + string.Join(" / ", current);
            }
            else
            {
                ws.DataValidations.Remove(v);
            }
            current = null;
        }
    }

    private static void DateValidation(ExcelWorksheet ws, string address)
    {
        var v = ws.DataValidations.AddDateTimeValidation(address);
        v.Operator = ExcelDataValidationOperator.between;
        v.Formula.Value = new DateTime(2000, 1, 1);
        v.Formula2.Value = new DateTime(2099, 12, 31);
        v.ShowErrorMessage = true;
        v.ErrorStyle = ExcelDataValidationWarningStyle.stop;
        v.ErrorTitle = "日付ではありません";
        v.Error = "日付を 2026/4/1 の形で入力してください。";
        v.AllowBlank = true;
    }

    private static void AnswerCell(ExcelRange cell)
    {
        cell.Style.Locked = false;
        cell.Style.Fill.PatternType = ExcelFillStyle.Solid;
        cell.Style.Fill.BackgroundColor.SetColor(AnswerFill);
    }

    private static void Label(ExcelRange cell, string text)
    {
        Text(cell, text);
        cell.Style.Font.Bold = true;
    }

    private static void SetValue(ExcelRange cell, object? value)
    {
        if (value is DateTime date)
        {
            cell.Value = date;
            cell.Style.Numberformat.Format = "yyyy/mm/dd";
        }
        else
        {
            Text(cell, value as string);
        }
    }

    /// <summary>Always a string cell; a leading =, +, -, @ (or tab/CR) also gets Excel's quote prefix.</summary>
    public static void Text(ExcelRange cell, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }
        cell.Value = text;
        if (LooksLikeFormula(text))
        {
            cell.Style.QuotePrefix = true;
        }
    }

    public static bool LooksLikeFormula(string text) => text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '＝' or '＋' or '－' or '＠';
}
