using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Audit;
using VendorPortal.Infrastructure.Auditing;

namespace VendorPortal.Features.Inspection.Export.Sections;

/// <summary>The text of the chain verification result (Japanese, one fact per line). Pure; unit-tested.</summary>
public static class AuditChainReport
{
    public static string Summary(AuditVerificationResult r) => r.IsIntact
        ? r.Checked == 0
            ? "ハッシュチェーン検証: 作成日時より前の監査ログはありません。"
            : $"ハッシュチェーン検証: 正常（改ざんは検出されませんでした）。{r.Checked} 件を検証、最後の事象 #{r.LastSequence}。"
        : $"ハッシュチェーン検証: 異常 — 事象 #{r.FirstBreak!.Sequence} で連鎖が途切れています（{Kind(r.FirstBreak.Kind)}）。{r.Checked} 件目で検出。";

    public static string Kind(string kind) => kind switch
    {
        "sequence_gap" => "通番の欠落",
        "prev_hash_mismatch" => "直前の事象のハッシュと不一致",
        "content_changed" => "事象の内容が記録時のハッシュと不一致",
        _ => kind,
    };

    private static string Seconds(DateTimeOffset t)
        => Infrastructure.Time.JapanTime.ToJst(t).ToString("yyyy/MM/dd HH:mm:ss", CultureInfo.InvariantCulture) + " JST";

    public static string Text(string hospitalName, DateTimeOffset generatedAt, DateTimeOffset periodStart, DateTimeOffset periodEnd, long exported,
        long? firstExported, long? lastExported, AuditVerificationResult r)
    {
        var b = new StringBuilder();
        b.Append("監査ログ ハッシュチェーン検証結果\n")
            .Append("================================\n")
            .Append("医療機関: ").Append(hospitalName).Append('\n')
            .Append("作成日時: ").Append(Seconds(generatedAt)).Append('\n')
            .Append("抽出期間: ").Append(Seconds(periodStart)).Append(" 以降 ").Append(Seconds(periodEnd)).Append(" より前\n")
            .Append("抽出件数: ").Append(exported.ToString(CultureInfo.InvariantCulture)).Append(" 件");
        if (firstExported is { } f && lastExported is { } l)
        {
            b.Append("（通番 #").Append(f).Append("〜#").Append(l).Append('）');
        }
        b.Append("\n\n")
            .Append("検証範囲: ポータル全体の監査ログのハッシュチェーン（全組織共通）のうち、保存されている最初の事象から、作成日時より前に記録された最後の事象まで\n")
            .Append("検証件数: ").Append(r.Checked.ToString(CultureInfo.InvariantCulture)).Append(" 件\n")
            .Append("結果: ").Append(r.IsIntact ? "正常（改ざんは検出されませんでした）" : "異常（ハッシュチェーンが途切れています）").Append('\n');
        if (r.LastSequence is { } seq)
        {
            b.Append("最後に検証した事象の通番: ").Append(seq.ToString(CultureInfo.InvariantCulture)).Append('\n')
                .Append("最後に検証した事象のハッシュ (SHA-256): ").Append(r.LastHash).Append('\n');
        }
        if (r.FirstBreak is { } br)
        {
            b.Append("最初の不整合: 通番 ").Append(br.Sequence.ToString(CultureInfo.InvariantCulture)).Append("、").Append(Kind(br.Kind))
                .Append("（").Append(br.Detail).Append("）\n");
        }
        b.Append('\n')
            .Append("方式: 各事象のハッシュ = SHA-256(直前の事象のハッシュ + 改行 + 事象の正規化内容)。\n")
            .Append("抽出 CSV の prev_hash / hash 列は、この連鎖の値です。他組織の事象は CSV に含まれないため、CSV の行どうしの通番は連続しないことがあります。\n");
        return b.ToString();
    }
}

/// <summary>
/// 95_audit: the hospital's own audit events of the period (as its audit page shows them) as CSV, and the result of
/// verifying the whole hash chain up to the bundle's generation time.
/// </summary>
public sealed class AuditSection(AuditSearch search, AuditVerification verification) : IBundleSection
{
    public int Order => 950;
    public string Folder => "95_audit";
    public string Title => "監査ログ（対象期間）とハッシュチェーン検証結果";
    public string Description =>
        "対象期間に記録された医療機関の監査ログ（操作の記録）と、改ざん検出のためのハッシュチェーンの検証結果です（ガイドライン システム運用編 17章 アクセスログ）。作成日時以降の記録は含みません。";

    public async Task WriteAsync(BundleContext context, CancellationToken cancellationToken)
    {
        long count = 0;
        long? first = null, last = null;
        var events = search.Period(context.PeriodStart, context.PeriodEnd);
        await context.AddFileAsync("監査ログ.csv", "監査ログ（対象期間、CSV・UTF-8 BOM 付き）", async s =>
        {
            count = await AuditSearch.WriteCsvAsync(events, s, cancellationToken);
        }, cancellationToken: cancellationToken);
        if (count > 0)
        {
            first = await events.MinAsync(e => (long?)e.Sequence, cancellationToken);
            last = await events.MaxAsync(e => (long?)e.Sequence, cancellationToken);
        }
        var result = await verification.VerifyAsync(cancellationToken, context.GeneratedAt);
        await context.AddTextAsync("ハッシュチェーン検証結果.txt", "ハッシュチェーン検証結果",
            AuditChainReport.Text(context.HospitalName, context.GeneratedAt, context.PeriodStart, context.PeriodEnd, count, first, last, result),
            note: result.IsIntact ? "正常" : "異常", cancellationToken: cancellationToken);
        context.Note($"対象期間の監査ログ {count} 件。");
        context.Note(AuditChainReport.Summary(result));
    }
}
