using System.Drawing;
using OfficeOpenXml;
using OfficeOpenXml.Style;
using VendorPortal.Features.Forms.Workbooks;
using VendorPortal.Features.Organizations;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Ledger;

/// <summary>One column of the components sheet: its Japanese header, the field it carries and its width.</summary>
public sealed record LedgerColumn(string Header, string Field, double Width);

/// <summary>A components-sheet row as read: names still to be resolved (system, vendor), the rest parsed.</summary>
public sealed record LedgerSheetRow(int Row, string? SystemName, string? VendorName, ComponentValues Values);

public sealed record LedgerSheet(IReadOnlyList<LedgerSheetRow> Rows, IReadOnlyList<WorkbookProblem> Problems, IReadOnlyDictionary<string, int> Columns)
{
    /// <summary>The cell of a field on a row ("F12").</summary>
    public string Cell(string field, int row) => ExcelCellBase.GetAddress(row, Columns.TryGetValue(field, out var c) ? c : 1);
}

public sealed record LedgerExportSystem(MedicalSystem System, IReadOnlyList<string> Vendors, int Components);

/// <summary>
/// The Excel form of the 医療情報システム台帳 (EPPlus 4.5.3.3, worksheets 0-based). Sheet 1 「構成機器」: a header block
/// (医療機関名, 作成日 in 和暦 on the JST day), then one row per component under Japanese column headers; sheet 2
/// 「システム」 lists the systems (for reference: the import reads sheet 1 only and names systems that must already
/// exist). Text cells are always strings, with Excel's quote prefix when they start like a formula; column widths are
/// set, never auto-fitted. The reader is pure (an ExcelPackage in, rows and problems by cell out).
/// </summary>
public static class LedgerWorkbook
{
    public const string ComponentsSheet = "構成機器";
    public const string SystemsSheet = "システム";
    public const int MaxRows = 5000;
    private const int HeaderSearchRows = 20;
    private static readonly Color HeaderFill = Color.FromArgb(0xDD, 0xE6, 0xF0);

    public static readonly IReadOnlyList<LedgerColumn> Columns =
    [
        new("管理番号", nameof(ComponentValues.ManagementNumber), 14),
        new("システム名", nameof(ComponentValues.SystemId), 24),
        new("種別", nameof(ComponentValues.Kind), 14),
        new("名称", nameof(ComponentValues.Name), 24),
        new("製造業者", nameof(ComponentValues.Maker), 16),
        new("モデル", nameof(ComponentValues.Model), 16),
        new("製造番号", nameof(ComponentValues.SerialNumber), 16),
        new("ソフトウェア", nameof(ComponentValues.Software), 18),
        new("ソフトウェアバージョン", nameof(ComponentValues.SoftwareVersion), 12),
        new("OS", nameof(ComponentValues.Os), 20),
        new("OSバージョン", nameof(ComponentValues.OsVersion), 12),
        new("ファームウェア", nameof(ComponentValues.Firmware), 12),
        new("IPアドレス", nameof(ComponentValues.IpAddress), 18),
        new("ホスト名", nameof(ComponentValues.HostName), 16),
        new("設置場所", nameof(ComponentValues.Location), 16),
        new("利用者", nameof(ComponentValues.Users), 14),
        new("登録日", nameof(ComponentValues.RegisteredOn), 12),
        new("管理部署", nameof(ComponentValues.OwnerDepartment), 14),
        new("供給・保守事業者", nameof(ComponentValues.SupplierVendorId), 24),
        new("リモート保守", nameof(ComponentValues.UsesRemoteMaintenance), 10),
        new("ネットワーク区分", nameof(ComponentValues.NetworkSegment), 12),
        new("機密性", nameof(ComponentValues.Confidentiality), 7),
        new("完全性", nameof(ComponentValues.Integrity), 7),
        new("可用性", nameof(ComponentValues.Availability), 7),
        new("ウイルス対策", nameof(ComponentValues.AntiMalware), 10),
        new("備考", nameof(ComponentValues.Notes), 30),
        new("廃棄日", nameof(ComponentValues.RetiredOn), 12),
    ];

    // ------------------------------------------------------------------ writing

    public static byte[] Write(string hospitalName, DateOnly createdOn, IReadOnlyList<ComponentRow> components, IReadOnlyList<LedgerExportSystem> systems)
    {
        using var package = new ExcelPackage();
        package.Workbook.Properties.Title = "医療情報システム台帳";
        package.Workbook.Properties.Author = "VendorPortal";
        package.Workbook.Properties.Company = hospitalName;

        var ws = package.Workbook.Worksheets.Add(ComponentsSheet);
        var top = HeaderBlock(ws, "医療情報システム台帳（構成機器）", hospitalName, createdOn, Columns.Count);
        for (var i = 0; i < Columns.Count; i++)
        {
            HeaderCell(ws.Cells[top, i + 1], Columns[i].Header);
            ws.Column(i + 1).Width = Columns[i].Width;
        }
        var row = top + 1;
        foreach (var r in components)
        {
            var c = r.Component;
            var values = ComponentValues.Of(c);
            for (var i = 0; i < Columns.Count; i++)
            {
                var cell = ws.Cells[row, i + 1];
                switch (Columns[i].Field)
                {
                    case nameof(ComponentValues.SystemId): FormWorkbookWriter.Text(cell, r.SystemName); break;
                    case nameof(ComponentValues.SupplierVendorId): FormWorkbookWriter.Text(cell, r.SupplierName); break;
                    case nameof(ComponentValues.Kind): FormWorkbookWriter.Text(cell, LedgerRules.KindLabels[c.Kind]); break;
                    case nameof(ComponentValues.NetworkSegment): FormWorkbookWriter.Text(cell, c.NetworkSegment is { } s ? LedgerRules.SegmentLabels[s] : null); break;
                    case nameof(ComponentValues.UsesRemoteMaintenance): FormWorkbookWriter.Text(cell, LedgerRules.YesNo(c.UsesRemoteMaintenance)); break;
                    case nameof(ComponentValues.AntiMalware): FormWorkbookWriter.Text(cell, c.AntiMalware is { } a ? LedgerRules.YesNo(a) : null); break;
                    case nameof(ComponentValues.RegisteredOn): DateCell(cell, c.RegisteredOn); break;
                    case nameof(ComponentValues.RetiredOn): DateCell(cell, c.RetiredOn); break;
                    default: FormWorkbookWriter.Text(cell, LedgerRules.FieldText(values, Columns[i].Field)); break;
                }
            }
            row++;
        }
        ws.View.FreezePanes(top + 1, 2);
        ws.PrinterSettings.Orientation = eOrientation.Landscape;
        ws.PrinterSettings.PaperSize = ePaperSize.A4;
        ws.PrinterSettings.FitToPage = true;
        ws.PrinterSettings.FitToWidth = 1;
        ws.PrinterSettings.FitToHeight = 0;
        ws.PrinterSettings.RepeatRows = new ExcelAddress($"{top}:{top}");

        var sys = package.Workbook.Worksheets.Add(SystemsSheet);
        string[] headers = ["システム名", "区分", "利用目的・利用内容", "設置部署", "管理者", "ネットワーク区分", "機密性", "完全性", "可用性", "運用終了日", "契約事業者", "構成機器数"];
        double[] widths = [26, 14, 36, 16, 14, 12, 7, 7, 7, 12, 30, 10];
        var sTop = HeaderBlock(sys, "医療情報システム台帳（システム）", hospitalName, createdOn, headers.Length);
        for (var i = 0; i < headers.Length; i++)
        {
            HeaderCell(sys.Cells[sTop, i + 1], headers[i]);
            sys.Column(i + 1).Width = widths[i];
        }
        row = sTop + 1;
        foreach (var x in systems)
        {
            var s = x.System;
            FormWorkbookWriter.Text(sys.Cells[row, 1], s.Name);
            FormWorkbookWriter.Text(sys.Cells[row, 2], s.Category);
            FormWorkbookWriter.Text(sys.Cells[row, 3], s.Description);
            FormWorkbookWriter.Text(sys.Cells[row, 4], s.OwnerDepartment);
            FormWorkbookWriter.Text(sys.Cells[row, 5], s.Administrator);
            FormWorkbookWriter.Text(sys.Cells[row, 6], s.NetworkSegment is { } seg ? LedgerRules.SegmentLabels[seg] : null);
            FormWorkbookWriter.Text(sys.Cells[row, 7], s.Confidentiality?.ToString());
            FormWorkbookWriter.Text(sys.Cells[row, 8], s.Integrity?.ToString());
            FormWorkbookWriter.Text(sys.Cells[row, 9], s.Availability?.ToString());
            DateCell(sys.Cells[row, 10], s.RetiredOn);
            FormWorkbookWriter.Text(sys.Cells[row, 11], string.Join("、", x.Vendors));
            sys.Cells[row, 12].Value = x.Components;
            row++;
        }
        sys.View.FreezePanes(sTop + 1, 2);
        return package.GetAsByteArray();
    }

    /// <summary>Title, 医療機関名 and 作成日 (和暦, with the Gregorian date); returns the row of the table header.</summary>
    private static int HeaderBlock(ExcelWorksheet ws, string title, string hospitalName, DateOnly createdOn, int lastCol)
    {
        FormWorkbookWriter.Text(ws.Cells[1, 1], title);
        ws.Cells[1, 1, 1, Math.Min(lastCol, 8)].Merge = true;
        ws.Cells[1, 1].Style.Font.Size = 14;
        ws.Cells[1, 1].Style.Font.Bold = true;
        FormWorkbookWriter.Text(ws.Cells[2, 1], "医療機関名");
        ws.Cells[2, 1].Style.Font.Bold = true;
        FormWorkbookWriter.Text(ws.Cells[2, 2], hospitalName);
        FormWorkbookWriter.Text(ws.Cells[3, 1], "作成日");
        ws.Cells[3, 1].Style.Font.Bold = true;
        FormWorkbookWriter.Text(ws.Cells[3, 2], $"{Wareki.Format(createdOn)}（{createdOn:yyyy/MM/dd}）");
        return 5;
    }

    private static void HeaderCell(ExcelRange cell, string text)
    {
        FormWorkbookWriter.Text(cell, text);
        cell.Style.Font.Bold = true;
        cell.Style.Fill.PatternType = ExcelFillStyle.Solid;
        cell.Style.Fill.BackgroundColor.SetColor(HeaderFill);
        cell.Style.Border.Bottom.Style = ExcelBorderStyle.Thin;
        cell.Style.WrapText = true;
    }

    private static void DateCell(ExcelRange cell, DateOnly? date)
    {
        if (date is { } d)
        {
            cell.Value = d.ToDateTime(TimeOnly.MinValue);
            cell.Style.Numberformat.Format = "yyyy/mm/dd";
        }
    }

    // ------------------------------------------------------------------ reading

    /// <summary>
    /// Reads sheet 「構成機器」 (or the first sheet): finds the header row by its 「管理番号」 cell, maps every column by
    /// its header, and parses each non-empty row. Problems name their cell. Systems and vendors stay names here; the
    /// import resolves them against the hospital's ledger.
    /// </summary>
    public static LedgerSheet Read(ExcelPackage package)
    {
        var problems = new List<WorkbookProblem>();
        var ws = package.Workbook.Worksheets.FirstOrDefault(w => w.Name == ComponentsSheet) ?? package.Workbook.Worksheets.FirstOrDefault();
        if (ws?.Dimension is null)
        {
            return new LedgerSheet([], [new WorkbookProblem(null, "NoSheet")], new Dictionary<string, int>());
        }
        var lastRow = ws.Dimension.End.Row;
        var lastCol = Math.Min(ws.Dimension.End.Column, 200);
        if (lastRow > MaxRows + HeaderSearchRows)
        {
            return new LedgerSheet([], [new WorkbookProblem(null, "TooManyRows", MaxRows, 200)], new Dictionary<string, int>());
        }
        var byHeader = Columns.ToDictionary(c => FormSheetLayout.Normalize(c.Header), c => c.Field);
        int headerRow = 0;
        for (var r = 1; r <= Math.Min(lastRow, HeaderSearchRows) && headerRow == 0; r++)
        {
            for (var c = 1; c <= lastCol; c++)
            {
                if (FormSheetLayout.Normalize(ws.Cells[r, c].Value as string) == FormSheetLayout.Normalize("管理番号"))
                {
                    headerRow = r;
                    break;
                }
            }
        }
        if (headerRow == 0)
        {
            return new LedgerSheet([], [new WorkbookProblem(null, "Ledger_NoHeaderRow")], new Dictionary<string, int>());
        }
        var columns = new Dictionary<string, int>();
        for (var c = 1; c <= lastCol; c++)
        {
            var header = FormSheetLayout.Normalize(ws.Cells[headerRow, c].Value?.ToString());
            if (header.Length == 0)
            {
                continue;
            }
            if (!byHeader.TryGetValue(header, out var field))
            {
                problems.Add(new WorkbookProblem(ws.Cells[headerRow, c].Address, "Ledger_UnknownColumn", ws.Cells[headerRow, c].Text));
            }
            else if (!columns.TryAdd(field, c))
            {
                problems.Add(new WorkbookProblem(ws.Cells[headerRow, c].Address, "DuplicateColumn", ws.Cells[headerRow, c].Text));
            }
        }
        foreach (var missing in Columns.Where(c => !columns.ContainsKey(c.Field)))
        {
            problems.Add(new WorkbookProblem(null, "Ledger_MissingColumn", missing.Header));
        }
        if (problems.Count > 0)
        {
            return new LedgerSheet([], problems, columns);
        }
        if (lastRow - headerRow > MaxRows)
        {
            return new LedgerSheet([], [new WorkbookProblem(null, "TooManyRows", MaxRows, 200)], columns);
        }

        var rows = new List<LedgerSheetRow>();
        for (var r = headerRow + 1; r <= lastRow; r++)
        {
            if (columns.Values.All(c => ws.Cells[r, c].Value is null || (ws.Cells[r, c].Value is string s && string.IsNullOrWhiteSpace(s))))
            {
                continue;
            }
            var cells = columns.ToDictionary(kv => kv.Key, kv => ws.Cells[r, kv.Value]);
            string? Text(string field) => FormWorkbookReader.ReadText(cells[field], problems);
            var v = new ComponentValues
            {
                ManagementNumber = Text(nameof(ComponentValues.ManagementNumber)),
                Name = Text(nameof(ComponentValues.Name)),
                Maker = Text(nameof(ComponentValues.Maker)),
                Model = Text(nameof(ComponentValues.Model)),
                SerialNumber = Text(nameof(ComponentValues.SerialNumber)),
                Software = Text(nameof(ComponentValues.Software)),
                SoftwareVersion = Text(nameof(ComponentValues.SoftwareVersion)),
                Os = Text(nameof(ComponentValues.Os)),
                OsVersion = Text(nameof(ComponentValues.OsVersion)),
                Firmware = Text(nameof(ComponentValues.Firmware)),
                IpAddress = Text(nameof(ComponentValues.IpAddress)),
                HostName = Text(nameof(ComponentValues.HostName)),
                Location = Text(nameof(ComponentValues.Location)),
                Users = Text(nameof(ComponentValues.Users)),
                OwnerDepartment = Text(nameof(ComponentValues.OwnerDepartment)),
                Notes = Text(nameof(ComponentValues.Notes)),
                RegisteredOn = FormWorkbookReader.ReadDate(cells[nameof(ComponentValues.RegisteredOn)], problems),
                RetiredOn = FormWorkbookReader.ReadDate(cells[nameof(ComponentValues.RetiredOn)], problems),
            };
            var cellOf = (string field) => cells[field].Address;
            if (Text(nameof(ComponentValues.Kind)) is { } kind)
            {
                if (LedgerRules.TryParseKind(kind, out var k)) { v.Kind = k; }
                else { problems.Add(new WorkbookProblem(cellOf(nameof(ComponentValues.Kind)), "Ledger_KindUnknown", kind)); }
            }
            if (Text(nameof(ComponentValues.NetworkSegment)) is { } seg)
            {
                if (LedgerRules.TryParseSegment(seg, out var s)) { v.NetworkSegment = s; }
                else { problems.Add(new WorkbookProblem(cellOf(nameof(ComponentValues.NetworkSegment)), "Ledger_SegmentUnknown", seg)); }
            }
            foreach (var field in new[] { nameof(ComponentValues.Confidentiality), nameof(ComponentValues.Integrity), nameof(ComponentValues.Availability) })
            {
                if (Text(field) is not { } text)
                {
                    continue;
                }
                if (!LedgerRules.TryParseClass(text, out var cls))
                {
                    problems.Add(new WorkbookProblem(cellOf(field), "Ledger_ClassUnknown", text));
                }
                else if (field == nameof(ComponentValues.Confidentiality)) { v.Confidentiality = cls; }
                else if (field == nameof(ComponentValues.Integrity)) { v.Integrity = cls; }
                else { v.Availability = cls; }
            }
            if (Text(nameof(ComponentValues.UsesRemoteMaintenance)) is { } remote)
            {
                if (LedgerRules.TryParseBool(remote, out var b)) { v.UsesRemoteMaintenance = b; }
                else { problems.Add(new WorkbookProblem(cellOf(nameof(ComponentValues.UsesRemoteMaintenance)), "Ledger_YesNoExpected", remote)); }
            }
            if (Text(nameof(ComponentValues.AntiMalware)) is { } av)
            {
                if (LedgerRules.TryParseBool(av, out var b)) { v.AntiMalware = b; }
                else { problems.Add(new WorkbookProblem(cellOf(nameof(ComponentValues.AntiMalware)), "Ledger_YesNoExpected", av)); }
            }
            rows.Add(new LedgerSheetRow(r, Text(nameof(ComponentValues.SystemId)), Text(nameof(ComponentValues.SupplierVendorId)), v));
        }
        if (rows.Count == 0 && problems.Count == 0)
        {
            problems.Add(new WorkbookProblem(null, "Ledger_NoRows"));
        }
        return new LedgerSheet(rows, problems, columns);
    }
}
