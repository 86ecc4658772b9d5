using System.IO.Compression;
using System.Text;
using OfficeOpenXml;
using VendorPortal.Features.Forms;
using VendorPortal.Features.Inspection.Bundle;
using VendorPortal.Features.Inspection.Export;
using VendorPortal.Features.Inspection.Export.Sections;

namespace VendorPortal.UnitTests.Features.Inspection;

public sealed class SectionFileNameTests
{
    [Theory]
    [InlineData("開示書.pdf", "開示書.pdf")]
    [InlineData("a/b\\c:d*e?f\"g<h>i|j.pdf", "a_b_c_d_e_f_g_h_i_j.pdf")]
    [InlineData("  報告書. ", "報告書")]
    [InlineData("tab\there\n.pdf", "tab_here_.pdf")]
    [InlineData("CON.pdf", "_CON.pdf")]
    [InlineData("nul", "_nul")]
    [InlineData("...", "file")]
    [InlineData("", "file")]
    [InlineData(null, "file")]
    public void Names_are_made_safe_for_the_bundle_and_for_windows(string? name, string expected)
    {
        var safe = SectionFiles.Sanitize(name);
        Assert.Equal(expected, safe);
        Assert.Null(BundlePaths.Check("04_mds-sds/01_MDS/" + safe).Error);
    }

    [Fact]
    public void Decomposed_kana_are_composed_and_lone_surrogates_dropped()
    {
        Assert.Equal("\u30AC\u30A4\u30C9.pdf", SectionFiles.Sanitize("\u30AB\u3099\u30A4\u30C9.pdf")); // カ + combining dakuten → ガ
        Assert.Equal("ab.pdf", SectionFiles.Sanitize("a\ud800b.pdf"));
        Assert.Equal("😀.png", SectionFiles.Sanitize("😀.png"));
    }

    [Fact]
    public void A_long_name_is_cut_on_a_character_boundary_and_keeps_its_extension()
    {
        var safe = SectionFiles.Sanitize(new string('資', 100) + "😀😀.pdf");
        Assert.EndsWith(".pdf", safe);
        Assert.True(Encoding.UTF8.GetByteCount(safe) <= SectionFiles.MaxNameBytes);
        Assert.DoesNotContain('\ufffd', Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(safe)));
        Assert.Equal("😀", SectionFiles.Truncate("😀😀", 5));
    }

    [Fact]
    public void Repeated_names_get_a_number_ignoring_case_and_the_same_sequence_gives_the_same_names()
    {
        static List<string> Run()
        {
            var set = new FileNameSet();
            return [set.Unique("開示書.pdf"), set.Unique("開示書.PDF"), set.Unique("開示書.pdf"), set.Unique("開示書 (2).pdf"), set.Unique("README"), set.Unique("readme")];
        }
        var names = Run();
        Assert.Equal(["開示書.pdf", "開示書 (2).PDF", "開示書 (3).pdf", "開示書 (2) (2).pdf", "README", "readme (2)"], names);
        Assert.Equal(names, Run());
        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void A_numbered_long_name_stays_within_the_limit()
    {
        var set = new FileNameSet();
        var name = new string('x', 300) + ".pdf";
        var first = set.Unique(name);
        var second = set.Unique(name);
        Assert.NotEqual(first, second);
        Assert.True(Encoding.UTF8.GetByteCount(second) <= SectionFiles.MaxNameBytes);
        Assert.EndsWith(" (2).pdf", second);
    }
}

public sealed class ChecklistStatusTests
{
    private static readonly Guid Hospital = Guid.Parse("00000000-0000-0000-0000-000000000001");
    private static readonly Guid VendorA = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    private static readonly Guid VendorB = Guid.Parse("00000000-0000-0000-0000-00000000000b");
    private static readonly Guid VendorC = Guid.Parse("00000000-0000-0000-0000-00000000000c");

    private static FormTemplate Template() => new("t", FormKind.VendorChecklist, "t", "v", "6.0", new DateOnly(2025, 1, 1), null,
        TemplateStatus.Sample, new TemplateProvenance(["x"]),
        [new TemplateSection("1", "s", [
            new TemplateItem("a", "1", "a", AnswerType.YesNo, Rules: [new ItemRule(RuleKind.TargetDateWhenNo)]),
            new TemplateItem("b", "2", "b", AnswerType.YesNo, Rules: [new ItemRule(RuleKind.TargetDateWhenNo)]),
            new TemplateItem("c", "3", "c", AnswerType.YesNoNa),
        ])], Rounds: 2);

    [Fact]
    public void The_latest_round_that_answered_an_item_decides_the_count_of_no()
    {
        var answers = new FormAnswers([
            new CheckRound(1, new DateOnly(2026, 5, 1), new Dictionary<string, ItemAnswer>
            {
                ["a"] = new("No", new DateOnly(2026, 12, 1), null), ["b"] = new("No", null, null), ["c"] = new("No", null, null),
            }),
            new CheckRound(2, new DateOnly(2026, 10, 1), new Dictionary<string, ItemAnswer> { ["b"] = new("Yes", null, null) }),
        ]);
        Assert.Equal((2, 1), ChecklistStatus.CountNo(Template(), answers));
        Assert.Equal(new DateOnly(2026, 5, 1), ChecklistStatus.FirstRoundOn(answers));
        Assert.Equal((0, 0), ChecklistStatus.CountNo(Template(), new FormAnswers([])));
    }

    [Fact]
    public void Every_engaged_vendor_appears_and_one_without_a_checklist_is_not_submitted()
    {
        var at = new DateTimeOffset(2026, 6, 30, 16, 0, 0, TimeSpan.Zero); // 2026-07-01 JST
        var rows = ChecklistStatus.Rows("中央病院",
            [
                new ChecklistFacts(Guid.NewGuid(), FormKind.VendorChecklist, VendorB, "B社", "電子カルテ", SubmissionState.Accepted, 2,
                    new DateOnly(2026, 5, 1), at, at.AddDays(3), 3, 2),
                new ChecklistFacts(Guid.NewGuid(), FormKind.VendorChecklist, VendorB, "B社", null, SubmissionState.Returned, 1, null, at, null, 0, 0),
                new ChecklistFacts(Guid.NewGuid(), FormKind.VendorChecklist, VendorC, "C社（契約終了）", null, SubmissionState.Submitted, 1, null, at, null, 1, 1),
                new ChecklistFacts(Guid.NewGuid(), FormKind.HospitalChecklist, Hospital, "中央病院", null, SubmissionState.Recorded, 1, new DateOnly(2026, 4, 20), at, null, 0, 0),
            ],
            [new EngagedVendor(VendorB, "B社"), new EngagedVendor(VendorA, "A社"), new EngagedVendor(VendorA, "A社")]);

        Assert.Equal(["中央病院", "A社", "B社", "B社", "C社（契約終了）"], rows.Select(r => r.Name));
        Assert.Equal(ChecklistStatus.HospitalCategory, rows[0].Category);
        Assert.Equal("記録済み", rows[0].Status);
        Assert.Equal(ChecklistStatus.NotSubmitted, rows[1].Status);
        Assert.Null(rows[1].Version);
        // B社: the checklist without a system first, then by system name.
        Assert.Null(rows[2].SystemName);
        Assert.Equal("差戻し中", rows[2].Review);
        Assert.Null(rows[2].AcceptedOn);
        Assert.Equal("電子カルテ", rows[3].SystemName);
        Assert.Equal(("受理済み", (DateOnly?)new DateOnly(2026, 7, 4), (DateOnly?)new DateOnly(2026, 7, 1), 3, 2),
            (rows[3].Review, rows[3].AcceptedOn, rows[3].LatestSubmittedOn, rows[3].NoCount!.Value, rows[3].NoWithTarget!.Value));
        Assert.Equal("確認待ち", rows[4].Review);
        Assert.All(rows, r => Assert.Equal(ChecklistStatus.Columns.Count, r.Cells.Count));
    }

    [Fact]
    public void A_hospital_without_its_own_checklist_gets_a_not_recorded_row()
    {
        var rows = ChecklistStatus.Rows("中央病院", [], [new EngagedVendor(VendorA, "A社")]);
        Assert.Equal(("中央病院", "未記録"), (rows[0].Name, rows[0].Status));
        Assert.Equal(("A社", ChecklistStatus.NotSubmitted), (rows[1].Name, rows[1].Status));
    }
}

public sealed class SectionTableTests
{
    private static SectionTable Table() => new("一覧", ["医療機関: 中央病院"], [new("名前", 10), new("日付", 10), new("数", 5)],
        [["=cmd|' /C calc'!A0", new DateOnly(2026, 11, 21), 3], [null, null, null]], ["注記 <b>"]);

    [Fact]
    public void The_html_page_escapes_text_and_prints_dates_and_empty_cells()
    {
        var html = Table().ToHtml();
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<td>2026/11/21</td>", html);
        Assert.Contains("<td class=\"n\">3</td>", html);
        Assert.Contains("<td>—</td>", html);
        Assert.Contains("注記 &lt;b&gt;", html);
        Assert.Contains("size: A4 landscape", html);
        Assert.DoesNotContain("<script", html);
    }

    [Fact]
    public void The_workbook_has_the_rows_with_formula_text_quoted_and_is_deterministic_once_normalised()
    {
        var bytes = Table().ToXlsx("一覧");
        using var package = new ExcelPackage(new MemoryStream(bytes));
        var ws = package.Workbook.Worksheets[0];
        var cell = ws.Cells[5, 1];
        Assert.Equal("=cmd|' /C calc'!A0", cell.Value);
        Assert.True(cell.Style.QuotePrefix);
        Assert.Equal(3, Convert.ToInt32(ws.Cells[5, 3].Value));
        Assert.Equal(DeterministicXlsx.Normalize(bytes), DeterministicXlsx.Normalize(Table().ToXlsx("一覧")));
        using var zip = new ZipArchive(new MemoryStream(DeterministicXlsx.Normalize(bytes)));
        Assert.NotEmpty(zip.Entries);
    }
}
