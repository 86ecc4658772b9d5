using System.Net;
using System.Text;
using VendorPortal.Features.Inspection.Bcp;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Inspection.Export.Sections;

/// <summary>
/// 事業継続計画（BCP）: the current BCP document's original PDF (streamed from the database, one document) and the list of
/// every BCP document on file (title, date, version, uploader, SHA-256) as a printable HTML page; a Note when none.
/// </summary>
public sealed class BcpSection(BcpService service) : IBundleSection
{
    public int Order => 30;
    public string Folder => "03_bcp";
    public string Title => "事業継続計画（BCP）";
    public string Description =>
        "サイバー攻撃を想定した事業継続計画（BCP）です（令和6年度から立入検査の確認項目）。現行の文書の原本と、登録されているすべての版の一覧（策定日・改訂日、版、登録者、SHA-256）を収めています。";

    public const string ListFile = "BCP一覧.html";

    public async Task WriteAsync(BundleContext context, CancellationToken cancellationToken)
    {
        // Through the tenant filters (the exporter acts as the requesting hospital user); fixed order: newest upload first, then id.
        var documents = await service.ListAsync(context.HospitalId, cancellationToken);
        if (documents.Count == 0)
        {
            context.Note("BCP が登録されていません");
            return;
        }
        var current = documents.Single(d => d.IsCurrent);
        await context.AddFileAsync("現行BCP_" + current.FileName, $"現行の BCP: {current.Title}（{Wareki.Format(current.DocumentDate)}）",
            s => service.CopyContentAsync(current.Id, s, cancellationToken), note: $"SHA-256 {current.Sha256}", cancellationToken: cancellationToken);
        await context.AddTextAsync(ListFile, $"登録されている BCP の一覧（{documents.Count} 件）", ListHtml(context, documents), cancellationToken: cancellationToken);
        if (BcpRules.IsStale(current.DocumentDate, context.Today))
        {
            context.Note($"現行の BCP の策定日・改訂日（{Wareki.Format(current.DocumentDate)}）から {BcpRules.ReviewMonths} か月以上経過しています。");
        }
    }

    /// <summary>A small self-contained page (no script, no external resources) that prints on A4.</summary>
    public static string ListHtml(BundleContext context, IReadOnlyList<BcpDocumentView> documents)
    {
        static string E(string? s) => WebUtility.HtmlEncode(s ?? "");
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n<title>事業継続計画（BCP）一覧</title>\n<style>\n")
          .Append("body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse;width:100%}th,td{border:1px solid #444;padding:.3em .5em;text-align:left;vertical-align:top}")
          .Append("th{background:#eee}code{font-size:.8em;word-break:break-all}@page{size:A4 landscape;margin:12mm}\n</style>\n</head>\n<body>\n")
          .Append("<h1>事業継続計画（BCP）一覧</h1>\n")
          .Append("<p>").Append(E(context.HospitalName)).Append(" ／ 作成日時 ").Append(E(JapanTime.ToJst(context.GeneratedAt).ToString("yyyy/MM/dd HH:mm", System.Globalization.CultureInfo.InvariantCulture))).Append("（日本時間）</p>\n")
          .Append("<table>\n<thead><tr><th>状態</th><th>表題</th><th>策定日・改訂日</th><th>版</th><th>備考</th><th>ファイル名</th><th>登録者</th><th>登録日時</th><th>SHA-256</th></tr></thead>\n<tbody>\n");
        foreach (var d in documents)
        {
            sb.Append("<tr><td>").Append(d.IsCurrent ? "現行" : "旧版").Append("</td><td>").Append(E(d.Title))
              .Append("</td><td>").Append(E(Wareki.Format(d.DocumentDate))).Append("（").Append(d.DocumentDate.ToString("yyyy/MM/dd", System.Globalization.CultureInfo.InvariantCulture)).Append("）")
              .Append("</td><td>").Append(E(d.VersionLabel ?? "—")).Append("</td><td>").Append(E(d.Note ?? ""))
              .Append("</td><td>").Append(E(d.FileName)).Append("</td><td>").Append(E(d.UploadedByName))
              .Append("</td><td>").Append(E(JapanTime.ToJst(d.UploadedAt).ToString("yyyy/MM/dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)))
              .Append("</td><td><code>").Append(E(d.Sha256)).Append("</code></td></tr>\n");
        }
        sb.Append("</tbody>\n</table>\n</body>\n</html>\n");
        return sb.ToString();
    }
}
