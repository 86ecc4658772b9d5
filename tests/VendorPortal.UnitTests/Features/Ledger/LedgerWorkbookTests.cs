using OfficeOpenXml;
using VendorPortal.Features.Ledger;
using VendorPortal.Features.Organizations;

namespace VendorPortal.UnitTests.Features.Ledger;

public sealed class LedgerWorkbookTests
{
    private static readonly Guid SystemId = Guid.NewGuid();

    private static ComponentRow Row(string number, Action<SystemComponent>? change = null)
    {
        var c = new SystemComponent
        {
            Id = Guid.NewGuid(), SystemId = SystemId, ManagementNumber = number, Kind = ComponentKind.VpnDevice, Name = "リモート保守用VPN装置",
            Maker = "ヤマハ", IpAddress = "10.1.10.1, 203.0.113.10", RegisteredOn = new DateOnly(2021, 3, 15), UsesRemoteMaintenance = true,
            NetworkSegment = NetworkSegment.External, Confidentiality = SecurityClass.A, Integrity = SecurityClass.A, Availability = SecurityClass.B,
            AntiMalware = false, Notes = "=HYPERLINK(\"http://example.com\")",
        };
        change?.Invoke(c);
        return new ComponentRow(c, "電子カルテシステム", "メディカルカルテ株式会社", null);
    }

    private static ExcelPackage Open(byte[] bytes) => new(new MemoryStream(bytes));

    private static byte[] Export(params ComponentRow[] rows)
    {
        var system = new MedicalSystem { Id = SystemId, Name = "電子カルテシステム", Category = "電子カルテ" };
        return LedgerWorkbook.Write("中央総合病院", new DateOnly(2026, 11, 21), rows, [new LedgerExportSystem(system, ["メディカルカルテ株式会社"], rows.Length)]);
    }

    [Fact]
    public void The_export_has_a_japanese_header_block_widths_and_reads_back_unchanged()
    {
        using var package = Open(Export(Row("EMR-VPN-001"), Row("EMR-VPN-002", c => c.Kind = ComponentKind.Server)));
        var ws = package.Workbook.Worksheets[0];
        Assert.Equal(LedgerWorkbook.ComponentsSheet, ws.Name);
        Assert.Equal(LedgerWorkbook.SystemsSheet, package.Workbook.Worksheets[1].Name);
        Assert.Equal("中央総合病院", ws.Cells[2, 2].Text);
        Assert.Equal("令和8年11月21日（2026/11/21）", ws.Cells[3, 2].Text);
        Assert.Equal("管理番号", ws.Cells[5, 1].Text);
        Assert.Equal(14, ws.Column(1).Width);
        // Formula injection: stored as a string with the quote prefix, never as a formula.
        var notes = ws.Cells[6, LedgerWorkbook.Columns.Count - 1];
        Assert.True(string.IsNullOrEmpty(notes.Formula));
        Assert.True(notes.Style.QuotePrefix);

        var sheet = LedgerWorkbook.Read(package);
        Assert.Empty(sheet.Problems);
        Assert.Equal(2, sheet.Rows.Count);
        var r = sheet.Rows[0];
        Assert.Equal((6, "電子カルテシステム", "メディカルカルテ株式会社"), (r.Row, r.SystemName, r.VendorName));
        var v = r.Values;
        Assert.Equal(("EMR-VPN-001", ComponentKind.VpnDevice, "10.1.10.1, 203.0.113.10", new DateOnly(2021, 3, 15)), (v.ManagementNumber, v.Kind, v.IpAddress, v.RegisteredOn));
        Assert.Equal((true, NetworkSegment.External, SecurityClass.B, false), (v.UsesRemoteMaintenance, v.NetworkSegment, v.Availability, v.AntiMalware));
        Assert.Equal("=HYPERLINK(\"http://example.com\")", v.Notes);
        Assert.Equal(ComponentKind.Server, sheet.Rows[1].Values.Kind);
    }

    [Fact]
    public void Dates_are_read_as_excel_dates_slashes_or_wareki()
    {
        using var package = Open(Export(Row("A-1"), Row("A-2"), Row("A-3")));
        var ws = package.Workbook.Worksheets[0];
        var col = LedgerWorkbook.Columns.ToList().FindIndex(c => c.Field == "RegisteredOn") + 1;
        ws.Cells[6, col].Value = "2026/4/1";
        ws.Cells[7, col].Value = "令和8年4月1日";
        ws.Cells[8, col].Value = 46113d; // the serial of 2026-04-01
        var sheet = LedgerWorkbook.Read(package);
        Assert.Empty(sheet.Problems);
        Assert.All(sheet.Rows, r => Assert.Equal(new DateOnly(2026, 4, 1), r.Values.RegisteredOn));
    }

    [Fact]
    public void Each_problem_names_its_cell()
    {
        using var package = Open(Export(Row("A-1"), Row("A-2")));
        var ws = package.Workbook.Worksheets[0];
        int Col(string field) => LedgerWorkbook.Columns.ToList().FindIndex(c => c.Field == field) + 1;
        ws.Cells[6, Col("Kind")].Value = "ルータ";
        ws.Cells[6, Col("RegisteredOn")].Value = "昨日";
        ws.Cells[7, Col("Integrity")].Value = "Z";
        ws.Cells[7, Col("UsesRemoteMaintenance")].Value = "たぶん";
        ws.Cells[7, Col("Name")].Formula = "1+1";
        var sheet = LedgerWorkbook.Read(package);
        var found = sheet.Problems.Select(p => (p.Cell, p.Code)).ToList();
        Assert.Contains(("C6", "Ledger_KindUnknown"), found);
        Assert.Contains(($"{ExcelCellBase.GetAddress(6, Col("RegisteredOn"))}", "DateExpected"), found);
        Assert.Contains(($"{ExcelCellBase.GetAddress(7, Col("Integrity"))}", "Ledger_ClassUnknown"), found);
        Assert.Contains(($"{ExcelCellBase.GetAddress(7, Col("UsesRemoteMaintenance"))}", "Ledger_YesNoExpected"), found);
        Assert.Contains(("D7", "FormulaNotAllowed"), found);
        Assert.Equal("F12", sheet.Cell("Model", 12));
    }

    [Fact]
    public void Headers_must_be_the_ledger_columns()
    {
        using var package = new ExcelPackage();
        var ws = package.Workbook.Worksheets.Add("構成機器");
        ws.Cells[1, 1].Value = "管理番号";
        ws.Cells[1, 2].Value = "色";
        ws.Cells[2, 1].Value = "X-1";
        var sheet = LedgerWorkbook.Read(package);
        Assert.Contains(sheet.Problems, p => p.Code == "Ledger_UnknownColumn" && p.Cell == "B1");
        Assert.Contains(sheet.Problems, p => p.Code == "Ledger_MissingColumn" && (string)p.Args[0] == "名称");
        Assert.Empty(sheet.Rows);

        using var empty = new ExcelPackage();
        empty.Workbook.Worksheets.Add("構成機器").Cells[1, 1].Value = "台帳";
        Assert.Equal("Ledger_NoHeaderRow", Assert.Single(LedgerWorkbook.Read(empty).Problems).Code);
    }

    [Fact]
    public void Empty_rows_are_skipped()
    {
        using var package = Open(Export(Row("A-1")));
        var ws = package.Workbook.Worksheets[0];
        ws.Cells[9, 1].Value = "A-9";
        ws.Cells[9, 2].Value = "電子カルテシステム";
        var sheet = LedgerWorkbook.Read(package);
        Assert.Equal([6, 9], sheet.Rows.Select(r => r.Row));
    }
}
