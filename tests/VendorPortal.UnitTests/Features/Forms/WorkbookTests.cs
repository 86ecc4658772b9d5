using System.IO.Compression;
using System.Text;
using OfficeOpenXml;
using VendorPortal.Features.Forms;
using VendorPortal.Features.Forms.Workbooks;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.UnitTests.Features.Forms;

public sealed class WorkbookTests
{
    private static FormTemplate Checklist(int rounds = 2) => new(
        "wb-checklist", FormKind.VendorChecklist, "事業者確認用テスト", "令和7年度版", "6.0", new DateOnly(2025, 5, 16), null,
        TemplateStatus.Sample, new TemplateProvenance(["test"]),
        [
            new TemplateSection("1", "体制", [
                new TemplateItem("i-1-1", "1-1", "責任者を定めている", AnswerType.YesNo, Rules: [new ItemRule(RuleKind.TargetDateWhenNo)]),
                new TemplateItem("i-1-2", "1-2", "連絡体制図がある", AnswerType.YesNoNa),
            ]),
            new TemplateSection("2", "技術", [
                new TemplateItem("i-2-1", "2-①", "=HYPERLINK(\"http://evil\") で始まる文言", AnswerType.Text),
                new TemplateItem("i-2-2", "2-②", "更新日", AnswerType.Date),
                new TemplateItem("i-2-3", "2-③", "方式", AnswerType.Choice, Choices: ["IPsec-VPN", "TLS"]),
            ]),
        ], Rounds: rounds);

    private static readonly WorkbookHeader Header = new(new DateOnly(2026, 11, 21), "中央総合病院", "ネット事業者", 2025);

    private static FormAnswers Filled() => new([
        new CheckRound(1, new DateOnly(2025, 6, 2), new Dictionary<string, ItemAnswer>
        {
            ["i-1-1"] = new("No", new DateOnly(2026, 3, 31), "=cmd|' /C calc'!A0"),
            ["i-1-2"] = new("NotApplicable"),
            ["i-2-1"] = new("+81-3-0000-0000 に連絡"),
            ["i-2-2"] = new("2025-04-01"),
            ["i-2-3"] = new("TLS", null, "@SUM(1)"),
        }),
        new CheckRound(2, new DateOnly(2025, 12, 1), new Dictionary<string, ItemAnswer> { ["i-1-1"] = new("Yes") }),
    ]);

    private static WorkbookImport ReadBack(byte[] bytes, FormTemplate template)
    {
        using var package = XlsxSafety.Open(bytes);
        return FormWorkbookReader.Read(package, template);
    }

    [Fact]
    public void A_filled_checklist_survives_export_and_import_unchanged()
    {
        var t = Checklist();
        var bytes = FormWorkbookWriter.Write(t, "hash", Header, Filled());
        var result = ReadBack(bytes, t);
        Assert.True(result.Succeeded, string.Join("; ", result.Problems.Select(p => $"{p.Cell} {p.Code}")));
        Assert.Equal(5, result.ItemRows);
        Assert.Equal(AnswerJson.Serialize(Filled()), AnswerJson.Serialize(result.Answers!));
    }

    [Fact]
    public void The_blank_form_has_the_official_like_layout()
    {
        var bytes = FormWorkbookWriter.Write(Checklist(), "hash", Header, null);
        using var package = new ExcelPackage(new MemoryStream(bytes));
        var ws = package.Workbook.Worksheets[0];
        Assert.Equal("チェックリスト", ws.Name);
        var texts = Enumerable.Range(1, 20).Select(r => ws.Cells[r, 2].Text).ToList();
        Assert.Contains("医療機関名", texts);
        Assert.Contains("事業者名", texts);
        Assert.Contains("年度", texts);
        Assert.Contains("1回目 確認日", texts);
        Assert.Contains("2回目 確認日", texts);
        var headerRow = texts.IndexOf("項番") + 1;
        Assert.Equal(["確認項目", "1回目 回答", "1回目 目標日", "1回目 備考", "2回目 回答"], Enumerable.Range(3, 5).Select(c => ws.Cells[headerRow, c].Text));
        Assert.True(ws.Column(1).Hidden); // the item id column
        Assert.Equal(ePaperSize.A4, ws.PrinterSettings.PaperSize);
        Assert.NotNull(ws.PrinterSettings.PrintArea);
        Assert.True(ws.Column(3).Width >= 40);
        Assert.True(ws.Protection.IsProtected);
        // はい/いいえ drop-down on yes/no answers; はい/いいえ/対象外 where 対象外 is allowed.
        var lists = ws.DataValidations.OfType<OfficeOpenXml.DataValidation.Contracts.IExcelDataValidationList>().ToList();
        Assert.Contains(lists, v => v.Formula.Values.SequenceEqual(["はい", "いいえ"]));
        Assert.Contains(lists, v => v.Formula.Values.SequenceEqual(["はい", "いいえ", "対象外"]));
        Assert.Contains(lists, v => v.Formula.Values.SequenceEqual(["IPsec-VPN", "TLS"]));
        Assert.Equal(eWorkSheetHidden.Hidden, package.Workbook.Worksheets[FormSheetLayout.MetaSheet].Hidden);
    }

    [Fact]
    public void Text_that_looks_like_a_formula_is_written_as_quoted_text_never_as_a_formula()
    {
        var bytes = FormWorkbookWriter.Write(Checklist(), "hash", Header, Filled());
        using var zip = new ZipArchive(new MemoryStream(bytes));
        var sheet = new StreamReader(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open()).ReadToEnd();
        Assert.DoesNotContain("<f>", sheet);
        Assert.DoesNotContain("<f ", sheet);
        using var package = new ExcelPackage(new MemoryStream(bytes));
        var ws = package.Workbook.Worksheets[0];
        var cells = ws.Cells[ws.Dimension.Address].Where(c => c.Value is string s && FormWorkbookWriter.LooksLikeFormula(s)).ToList();
        Assert.True(cells.Count >= 4); // the item text, the remark, the phone number, @SUM
        Assert.All(cells, c => Assert.True(c.Style.QuotePrefix && string.IsNullOrEmpty(c.Formula), c.Address));
    }

    [Fact]
    public void The_simple_one_row_per_item_layout_is_read_with_japanese_values_and_dates()
    {
        var t = Checklist();
        var bytes = Workbook(ws =>
        {
            Row(ws, 1, "項番", "確認項目", "回答", "目標日", "備考", "確認日");
            Row(ws, 2, "1-1", "責任者", "いいえ", "2026/3/31", "来年度に任命", "令和7年6月2日");
            Row(ws, 3, "１－２", "", "対象外", null, null, "2025/6/2");
            Row(ws, 4, "2-①", "", "自由記述", null, null, null);
            ws.Cells[5, 1].Value = "2-②";
            ws.Cells[5, 3].Value = new DateTime(2025, 4, 1);
        });
        var result = ReadBack(bytes, t);
        Assert.True(result.Succeeded, string.Join("; ", result.Problems.Select(p => $"{p.Cell} {p.Code}")));
        var round = Assert.Single(result.Answers!.Rounds);
        Assert.Equal(new DateOnly(2025, 6, 2), round.CheckedOn);
        Assert.Equal(new ItemAnswer("No", new DateOnly(2026, 3, 31), "来年度に任命"), round.Answers["i-1-1"]);
        Assert.Equal("NotApplicable", round.Answers["i-1-2"].Value);
        Assert.Equal("2025-04-01", round.Answers["i-2-2"].Value);
    }

    [Fact]
    public void Every_bad_cell_is_reported_with_its_address_and_nothing_is_returned()
    {
        var t = Checklist();
        var bytes = Workbook(ws =>
        {
            Row(ws, 1, "項番", "回答", "目標日", "備考");
            Row(ws, 2, "1-1", "たぶん", "来年", null);
            Row(ws, 3, "1-2", "はい", null, null);
            Row(ws, 4, "9-9", "はい", null, null);
            Row(ws, 5, "1-2", "いいえ", null, null);
            Row(ws, 6, "2-③", "IPX", null, null);
            ws.Cells[3, 4].Formula = "1+1";
        });
        var result = ReadBack(bytes, t);
        Assert.False(result.Succeeded);
        Assert.Null(result.Answers);
        var byCell = result.Problems.ToDictionary(p => p.Cell!, p => p.Code);
        Assert.Equal("YesNoExpected", byCell["B2"]);
        Assert.Equal("DateExpected", byCell["C2"]);
        Assert.Equal("FormulaNotAllowed", byCell["D3"]);
        Assert.Equal("UnknownItem", byCell["A4"]);
        Assert.Equal("DuplicateItem", byCell["A5"]);
        Assert.Equal("ChoiceExpected", byCell["B6"]);
    }

    [Fact]
    public void A_workbook_of_another_template_is_refused()
    {
        var other = Checklist() with { Key = "other-form" };
        var bytes = FormWorkbookWriter.Write(other, "hash", Header, null);
        var result = ReadBack(bytes, Checklist());
        Assert.Equal("WrongTemplate", Assert.Single(result.Problems).Code);
    }

    [Fact]
    public void A_sheet_without_the_needed_headings_or_items_is_refused()
    {
        Assert.Equal("NoHeaderRow", Assert.Single(ReadBack(Workbook(ws => Row(ws, 1, "名前", "値")), Checklist()).Problems).Code);
        Assert.Equal("NoItems", Assert.Single(ReadBack(Workbook(ws => Row(ws, 1, "項番", "回答")), Checklist()).Problems).Code);
        Assert.Equal("RoundNotInForm", Assert.Single(ReadBack(Workbook(ws => { Row(ws, 1, "項番", "3回目 回答"); Row(ws, 2, "1-1", "はい"); }), Checklist()).Problems).Code);
    }

    [Fact]
    public void A_disclosure_has_no_round_dates_and_reads_back()
    {
        var mds = Checklist(0) with { Key = "wb-mds", Kind = FormKind.Mds };
        var answers = new FormAnswers([new CheckRound(1, null, new Dictionary<string, ItemAnswer> { ["i-1-2"] = new("Yes", null, "備考") })]);
        var bytes = FormWorkbookWriter.Write(mds, "h", new WorkbookHeader(new DateOnly(2026, 1, 1), VendorName: "製造元", ProductName: "PACS", ProductVersion: "5.2"), answers);
        using (var package = new ExcelPackage(new MemoryStream(bytes)))
        {
            var ws = package.Workbook.Worksheets[0];
            Assert.Equal("MDS", ws.Name);
            var texts = Enumerable.Range(1, 15).Select(r => ws.Cells[r, 2].Text).ToList();
            Assert.Contains("製品名称", texts);
            Assert.DoesNotContain("1回目 確認日", texts);
        }
        var result = ReadBack(bytes, mds);
        Assert.True(result.Succeeded);
        Assert.Equal(AnswerJson.Serialize(answers), AnswerJson.Serialize(result.Answers!));
    }

    [Theory]
    [InlineData("not a zip at all", "NotXlsx")]
    [InlineData("", "Empty")]
    public void Files_that_are_not_xlsx_are_refused(string content, string code)
    {
        var ex = Assert.Throws<WorkbookException>(() => XlsxSafety.Open(Encoding.UTF8.GetBytes(content)));
        Assert.Equal(code, ex.Problem.Code);
    }

    [Fact]
    public void A_legacy_xls_or_encrypted_file_is_named_as_such()
    {
        byte[] ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0];
        Assert.Equal("LegacyOrEncrypted", Assert.Throws<WorkbookException>(() => XlsxSafety.Open(ole)).Problem.Code);
    }

    [Fact]
    public void A_zip_that_is_not_a_workbook_or_is_truncated_is_refused()
    {
        var zip = Zip(("hello.txt", Encoding.UTF8.GetBytes("hi")));
        Assert.Equal("NotXlsx", Assert.Throws<WorkbookException>(() => XlsxSafety.Open(zip)).Problem.Code);
        var real = FormWorkbookWriter.Write(Checklist(), "h", Header, null);
        Assert.Equal("Broken", Assert.Throws<WorkbookException>(() => XlsxSafety.Open(real[..(real.Length / 2)])).Problem.Code);
    }

    [Fact]
    public void A_zip_bomb_is_refused_before_it_is_expanded()
    {
        // 120 MB of zeros compresses to about 120 KB: the running cap stops it.
        var zeros = new byte[1024 * 1024];
        using var ms = new MemoryStream();
        using (var archive = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            archive.CreateEntry("[Content_Types].xml").Open().Dispose();
            archive.CreateEntry("xl/workbook.xml").Open().Dispose();
            using var s = archive.CreateEntry("xl/worksheets/sheet1.xml", System.IO.Compression.CompressionLevel.SmallestSize).Open();
            for (var i = 0; i < 120; i++)
            {
                s.Write(zeros);
            }
        }
        Assert.True(ms.Length < XlsxSafety.MaxUploadBytes);
        Assert.Equal("ExpandsTooMuch", Assert.Throws<WorkbookException>(() => XlsxSafety.Open(ms.ToArray())).Problem.Code);
    }

    [Fact]
    public void A_part_with_a_dtd_is_refused()
    {
        var zip = Zip(("[Content_Types].xml", Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><!doctype lol [<!ENTITY a \"aaaa\">]><Types/>")),
            ("xl/workbook.xml", Encoding.UTF8.GetBytes("<workbook/>")));
        Assert.Equal("Broken", Assert.Throws<WorkbookException>(() => XlsxSafety.Open(zip)).Problem.Code);
    }

    [Fact]
    public async Task An_upload_over_10_MB_is_refused_while_reading()
    {
        var big = new MemoryStream(new byte[XlsxSafety.MaxUploadBytes + 1]);
        var ex = await Assert.ThrowsAsync<WorkbookException>(() => XlsxSafety.ReadUploadAsync(big));
        Assert.Equal("TooLarge", ex.Problem.Code);
    }

    [Theory]
    [InlineData("1回目 回答", 1, FormSheetLayout.Field.Answer)]
    [InlineData("２回目　目標日", 2, FormSheetLayout.Field.TargetDate)]
    [InlineData("回答（2回目）", 2, FormSheetLayout.Field.Answer)]
    [InlineData("備考", 1, FormSheetLayout.Field.Remark)]
    [InlineData("確認日", 1, FormSheetLayout.Field.CheckedOn)]
    public void Column_headings_are_recognised_as_people_write_them(string header, int round, FormSheetLayout.Field field)
        => Assert.Equal((null, round, field), FormSheetLayout.Classify(header));

    [Theory]
    [InlineData("令和7年4月1日", 2025, 4, 1)]
    [InlineData("令和元年5月1日", 2019, 5, 1)]
    [InlineData("R8.3.31", 2026, 3, 31)]
    [InlineData("H31/4/30", 2019, 4, 30)]
    public void Wareki_dates_are_read(string text, int y, int m, int d)
    {
        Assert.True(Wareki.TryParse(text, out var day));
        Assert.Equal(new DateOnly(y, m, d), day);
    }

    [Theory]
    [InlineData("令和元年4月30日")] // before 令和 began
    [InlineData("平成31年5月1日")] // already 令和
    [InlineData("令和7年2月30日")]
    [InlineData("2025/4/1")]
    public void Impossible_wareki_dates_are_refused(string text) => Assert.False(Wareki.TryParse(text, out _));

    private static byte[] Workbook(Action<ExcelWorksheet> fill)
    {
        using var package = new ExcelPackage();
        fill(package.Workbook.Worksheets.Add("Sheet1"));
        return package.GetAsByteArray();
    }

    private static void Row(ExcelWorksheet ws, int row, params string?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is not null)
            {
                ws.Cells[row, i + 1].Value = values[i];
            }
        }
    }

    private static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var ms = new MemoryStream();
        using (var archive = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var s = archive.CreateEntry(name).Open();
                s.Write(content);
            }
        }
        return ms.ToArray();
    }
}
