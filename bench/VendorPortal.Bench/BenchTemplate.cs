using System.Text.Json;
using VendorPortal.Features.Forms;

namespace VendorPortal.Bench;

/// <summary>
/// A 100-item 事業者確認用 checklist used only by the benchmark. It is NOT the official text (status Sample, every
/// item says so): the seed templates have 14 items, and the performance requirement talks about ~100. Published
/// through <see cref="FormTemplateCatalog.Add"/>, so its row, content hash and audit event are real.
/// </summary>
internal static class BenchTemplate
{
    public const string Key = "bench-vendor-checklist-100";

    private static readonly string[] SectionTitles =
    [
        "体制構築（ベンチマーク用サンプル）",
        "医療情報システムの管理・運用（ベンチマーク用サンプル）",
        "インシデント発生に備えた対応（ベンチマーク用サンプル）",
        "技術的対策（ベンチマーク用サンプル）",
        "委託先・外部サービスの管理（ベンチマーク用サンプル）",
    ];

    /// <summary>5 sections of 20 items: 18 はい/いいえ (いいえ needs a 目標日), 1 はい/いいえ/対象外, 1 free text.</summary>
    public static (FormTemplate Template, string Content) Build()
    {
        var sections = SectionTitles.Select((title, s) => new
        {
            number = (s + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            title,
            items = Enumerable.Range(1, 20).Select(n => new
            {
                id = ItemId(s + 1, n),
                number = $"{s + 1}-{n}",
                text = n == 20
                    ? $"（ベンチマーク用サンプル {s + 1}-{n}）この章の対策を担当する部署・担当者名を記入する。"
                    : $"（ベンチマーク用サンプル {s + 1}-{n}）{title.Replace("（ベンチマーク用サンプル）", "", StringComparison.Ordinal)}に関する対策 {n} を実施している。",
                answerType = n == 20 ? AnswerType.Text : n == 10 ? AnswerType.YesNoNa : AnswerType.YesNo,
                verified = false,
                rules = n == 20 ? null : new[] { new { kind = RuleKind.TargetDateWhenNo } },
            }).ToList(),
        }).ToList();
        var document = new
        {
            key = Key,
            kind = FormKind.VendorChecklist,
            title = "ベンチマーク用 事業者確認用チェックリスト（100項目・サンプル）",
            titleEn = "Benchmark vendor checklist (100 items) — sample, not the official text",
            versionLabel = "ベンチマーク用サンプル",
            guidelineEdition = "6.0",
            effectiveFrom = new DateOnly(2023, 4, 1),
            status = TemplateStatus.Sample,
            notice = "性能測定（bench/run.sh）専用のサンプルです。公式の「事業者確認用」チェックリストの項目文言ではありません。",
            rounds = 2,
            provenance = new { sources = new[] { "bench/VendorPortal.Bench/BenchTemplate.cs" }, note = "Generated for the scale benchmark only." },
            sections,
        };
        var content = JsonSerializer.Serialize(document, new JsonSerializerOptions(FormTemplate.Json) { WriteIndented = true });
        return (FormTemplate.Parse(content, Key), content);
    }

    public static string ItemId(int section, int n) => $"b{section}-{n:00}";
}
