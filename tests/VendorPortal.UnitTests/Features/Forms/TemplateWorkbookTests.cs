using OfficeOpenXml;
using VendorPortal.Features.Forms;
using VendorPortal.Features.Forms.Workbooks;

namespace VendorPortal.UnitTests.Features.Forms;

public sealed class TemplateWorkbookTests
{
    private static TemplateImportHeader Header(FormKind kind = FormKind.VendorChecklist) => new(
        "vendor-checklist-r8", kind, "チェックリスト（事業者確認用）", "令和8年度版", "7.0", new DateOnly(2026, 6, 1), null,
        TemplateStatus.Official, 2, "https://www.mhlw.go.jp/content/10808000/001716188.xlsx", null);

    private static (FormTemplate? Template, IReadOnlyList<WorkbookProblem> Problems) Read(TemplateImportHeader header, params string?[][] rows)
    {
        using var package = new ExcelPackage();
        var ws = package.Workbook.Worksheets.Add("項目");
        for (var r = 0; r < rows.Length; r++)
        {
            for (var c = 0; c < rows[r].Length; c++)
            {
                if (rows[r][c] is { } v)
                {
                    ws.Cells[r + 1, c + 1].Value = v;
                }
            }
        }
        using var reopened = new ExcelPackage(new MemoryStream(package.GetAsByteArray()));
        return TemplateWorkbookReader.Read(reopened, header);
    }

    [Fact]
    public void Rows_become_sections_and_items_with_rules_and_references()
    {
        var (t, problems) = Read(Header(),
            ["項番", "大項目", "確認項目", "回答種別", "参照", "規則"],
            ["1-1", "1 体制構築", "医療情報システム安全管理責任者を設置している", "はい/いいえ", "経営管理編 2.1、企画管理編 1", "目標日"],
            ["2-①", "2 医療情報システムの管理・運用", "リモートメンテナンスを利用している", "はい・いいえ", null, "以降不要"],
            ["2-②", "2 医療情報システムの管理・運用", "接続方式", "選択", null, "適用条件:2-①=はい"],
            [null, null, null, null, null, null],
            ["3-1", "３．インシデント", "連絡体制図がある", "はい/いいえ/対象外", null, "目標日、備考必須"]);
        Assert.Contains(problems, p => p.Code == "TemplateChoices"); // 選択 without 選択肢
        Assert.Null(t);

        (t, problems) = Read(Header(),
            ["項番", "大項目", "確認項目", "回答種別", "参照", "規則", "選択肢"],
            ["1-1", "1 体制構築", "医療情報システム安全管理責任者を設置している", "はい/いいえ", "経営管理編 2.1、企画管理編 1", "目標日", null],
            ["2-①", "2 医療情報システムの管理・運用", "リモートメンテナンスを利用している", "はい・いいえ", null, "以降不要", null],
            ["2-②", "2 医療情報システムの管理・運用", "接続方式", "選択", null, "適用条件:2-①=はい", "IPsec-VPN、TLS1.2以上、専用線"],
            ["3-1", "３．インシデント", "連絡体制図がある", "はい/いいえ/対象外", null, "目標日、備考必須", null]);
        Assert.Empty(problems);
        Assert.NotNull(t);
        Assert.Equal(["1", "2", "3"], t!.Sections.Select(s => s.Number));
        Assert.Equal(["体制構築", "医療情報システムの管理・運用", "インシデント"], t.Sections.Select(s => s.Title));
        var items = t.Items.ToList();
        Assert.Equal(["i-1-1", "i-2-1", "i-2-2", "i-3-1"], items.Select(i => i.Id));
        Assert.Equal("2-①", items[1].Number);
        Assert.Equal(["経営管理編 2.1", "企画管理編 1"], items[0].References);
        Assert.Equal(new ItemRule(RuleKind.ApplicableWhen, "i-2-1", YesNo.Yes), Assert.Single(items[2].Rules!));
        Assert.Equal(3, items[2].Choices!.Count);
        Assert.Equal([RuleKind.TargetDateWhenNo, RuleKind.RemarkWhenNo], items[3].Rules!.Select(r => r.Kind));
        Assert.Equal(AnswerType.YesNoNa, items[3].AnswerType);
        Assert.Equal(2, t.Rounds);
        Assert.Equal("https://www.mhlw.go.jp/content/10808000/001716188.xlsx", Assert.Single(t.Provenance.Sources));
    }

    [Fact]
    public void Without_a_rules_column_every_yes_no_item_of_a_checklist_needs_a_target_date()
    {
        var (t, problems) = Read(Header(),
            ["項番", "大項目", "確認項目", "回答種別"],
            ["1", "体制", "責任者がいる", "はい/いいえ"],
            ["2", "体制", "備考", "記述"]);
        Assert.Empty(problems);
        Assert.True(t!.Items.First().Has(RuleKind.TargetDateWhenNo));
        Assert.Null(t.Items.Last().Rules);
        Assert.Equal("1", t.Sections[0].Number); // no number in 大項目: its position
    }

    [Fact]
    public void A_disclosure_has_no_rounds_and_no_default_rules()
    {
        var (t, problems) = Read(Header(FormKind.Mds) with { Key = "mds-v51" },
            ["項番", "大項目", "確認項目", "回答種別"],
            ["1.1", "1 管理", "責任者", "はい/いいえ/対象外"]);
        Assert.Empty(problems);
        Assert.Equal(0, t!.Rounds);
        Assert.Null(t.Items.Single().Rules);
    }

    [Fact]
    public void Every_bad_row_is_reported_by_cell()
    {
        var (t, problems) = Read(Header(),
            ["項番", "大項目", "確認項目", "回答種別", "規則"],
            ["1", "体制", null, "はい/いいえ", null],
            ["2", "体制", "項目", "〇×", null],
            ["3", "体制", "項目", "はい/いいえ", "たぶん"],
            ["4", "体制", "項目", "はい/いいえ", "適用条件:9=はい"]);
        Assert.Null(t);
        var byCell = problems.ToDictionary(p => p.Cell!, p => p.Code);
        Assert.Equal("TemplateCellRequired", byCell["C2"]);
        Assert.Equal("TemplateAnswerType", byCell["D3"]);
        Assert.Equal("TemplateRule", byCell["E4"]);
        Assert.Equal("TemplateRule", byCell["E5"]);
    }

    [Fact]
    public void Duplicate_numbers_get_distinct_ids_and_a_missing_header_is_named()
    {
        var (t, _) = Read(Header(), ["項番", "大項目", "確認項目", "回答種別"], ["1", "A", "x", "記述"], ["1", "B", "y", "記述"]);
        Assert.Equal(["i-1", "i-1-2"], t!.Items.Select(i => i.Id));
        Assert.Equal("TemplateHeaderRow", Assert.Single(Read(Header(), ["項番", "確認項目"], ["1", "x"]).Problems).Code);
        Assert.Equal("TemplateNoItems", Assert.Single(Read(Header(), ["項番", "大項目", "確認項目", "回答種別"]).Problems).Code);
    }

    [Fact]
    public void An_invalid_key_is_refused_by_the_same_checks_as_seed_files()
    {
        var (t, problems) = Read(Header() with { Key = "Bad Key" }, ["項番", "大項目", "確認項目", "回答種別"], ["1", "A", "x", "記述"]);
        Assert.Null(t);
        Assert.Equal("TemplateInvalid", Assert.Single(problems).Code);
    }
}
