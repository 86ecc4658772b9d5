using VendorPortal.Features.Gaps;

namespace VendorPortal.Features.Inspection.Export.Sections;

/// <summary>The compliance gaps still open when the bundle was generated, for the scope's 年度 (the gap view's export).</summary>
public sealed class GapsSection(GapExportService gaps, GapQuery query) : IBundleSection
{
    public int Order => 900;
    public string Folder => "90_gaps";
    public string Title => "出力時点で未対応のコンプライアンス上の不備";
    public string Description =>
        "作成日時の時点で未対応の不備（チェックリスト未提出、「いいえ」の目標日なし、MDS/SDS 未受領、未承認の再委託、EOS・パッチ期限など）の一覧です。改善状況の説明にお使いください。";

    public async Task WriteAsync(BundleContext context, CancellationToken cancellationToken)
    {
        var year = context.ReferenceYear;
        var file = await gaps.BuildAsync(context.HospitalId, year, new GapFilter(), cancellationToken, context.GeneratedAt)
            ?? throw new InvalidOperationException("The hospital is not visible to the exporting user.");
        var all = await query.ForHospitalAsync(context.HospitalId, year, cancellationToken, context.Today);
        await context.AddWorkbookAsync("コンプライアンス上の不備.xlsx", $"不備一覧（{year}、{all.Count} 件）", file.Bytes, cancellationToken: cancellationToken);
        var high = all.Count(g => g.Severity == GapSeverity.High);
        context.Note(all.Count == 0
            ? "作成日時の時点で未対応の不備はありません。"
            : $"作成日時の時点で未対応の不備: {all.Count} 件（うち重要度「高」{high} 件）。");
    }
}
