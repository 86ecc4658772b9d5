using System.Globalization;
using System.Net;
using System.Text;
using VendorPortal.Features.Inspection.Bundle;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Inspection.Export;

public sealed record BundleIndexEntry(string Title, string Path, long Size, string? Group, string? Note);

public sealed class BundleIndexSection(string title, string description, string folder)
{
    private readonly List<BundleIndexEntry> _entries = [];
    private readonly List<(string Text, string? Group)> _notes = [];

    public string Title { get; } = title;
    public string Description { get; } = description;
    public string Folder { get; } = folder;
    public IReadOnlyList<BundleIndexEntry> Entries => _entries;
    public IReadOnlyList<(string Text, string? Group)> Notes => _notes;

    internal void Add(BundleIndexEntry entry) => _entries.Add(entry);

    internal void AddNote(string text, string? group) => _notes.Add((text, group));
}

/// <summary>
/// index.html: the bundle's table of contents in Japanese. One static page (inline CSS, no script, no external
/// resource) that opens offline from the extracted folder and links every file with a relative link. Pure: the same
/// sections give the same bytes.
/// </summary>
public sealed class BundleIndex
{
    public const string FileName = "index.html";

    private readonly List<BundleIndexSection> _sections = [];

    public IReadOnlyList<BundleIndexSection> Sections => _sections;

    public BundleIndexSection AddSection(string title, string description, string folder)
    {
        var section = new BundleIndexSection(title, description, folder);
        _sections.Add(section);
        return section;
    }

    /// <summary>A relative link to a bundle path: each segment percent-encoded (Japanese names, spaces, #, %).</summary>
    public static string Href(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KB",
        < 1024L * 1024 * 1024 => (bytes / (1024.0 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + " MB",
        _ => (bytes / (1024.0 * 1024 * 1024)).ToString("0.00", CultureInfo.InvariantCulture) + " GB",
    };

    /// <summary>「2026年度（令和8年度）: 2026年4月1日〜2027年3月31日」 or 「2026年4月1日〜2026年9月30日」.</summary>
    public static string DescribeScope(BundleScope scope, DateOnly from, DateOnly to)
    {
        var range = $"{Day(from)}〜{Day(to)}";
        return scope.FiscalYear is { } year
            ? $"{new FiscalYear(year)}（{new FiscalYear(year).ToWarekiString()}）: {range}"
            : range;
    }

    private static string Day(DateOnly day) => $"{day.Year}年{day.Month}月{day.Day}日（{Wareki.Format(day)}）";

    public byte[] Render(BundleContext context, string generatorVersion)
    {
        var e = (string s) => WebUtility.HtmlEncode(s);
        var generated = JapanTime.ToJst(context.GeneratedAt);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>立入検査用 提出資料一式 — ").Append(e(context.HospitalName)).Append("</title>\n")
            .Append("<style>\n")
            .Append("body{font-family:\"Noto Sans CJK JP\",\"Hiragino Sans\",\"Yu Gothic\",\"Meiryo\",sans-serif;margin:2em auto;max-width:60em;padding:0 1em;color:#1a1a1a;line-height:1.6}\n")
            .Append("h1{font-size:1.6em;border-bottom:3px solid #1f4e79;padding-bottom:.3em}h2{font-size:1.25em;margin-top:2em;border-left:6px solid #1f4e79;padding-left:.5em}h3{font-size:1.05em;margin:1.2em 0 .4em}\n")
            .Append("table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{border:1px solid #999;padding:.3em .5em;text-align:left;vertical-align:top}th{background:#e8eef5;white-space:nowrap}\n")
            .Append("td.size{text-align:right;white-space:nowrap}.desc{color:#333}.note{color:#444}code{font-size:.95em}\n")
            .Append("dl.meta{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dl.meta dt{font-weight:bold}\n")
            .Append("@media print{a{color:inherit;text-decoration:none}h2{break-after:avoid}tr{break-inside:avoid}}\n")
            .Append("</style>\n</head>\n<body>\n")
            .Append("<h1>立入検査用 提出資料一式</h1>\n")
            .Append("<dl class=\"meta\">\n")
            .Append("<dt>医療機関</dt><dd>").Append(e(context.HospitalName)).Append("</dd>\n")
            .Append("<dt>対象期間</dt><dd>").Append(e(DescribeScope(context.Scope, context.PeriodFrom, context.PeriodTo))).Append("</dd>\n")
            .Append("<dt>作成者</dt><dd>").Append(e(context.GeneratedBy)).Append("</dd>\n")
            .Append("<dt>作成日時</dt><dd>")
            .Append(e(generated.ToString("yyyy年M月d日 HH:mm:ss", CultureInfo.InvariantCulture))).Append("（日本時間、")
            .Append(e(Wareki.Format(DateOnly.FromDateTime(generated.DateTime)))).Append("）</dd>\n")
            .Append("<dt>作成システム</dt><dd>").Append(e(BundleManifest.GeneratorName)).Append(' ').Append(e(generatorVersion)).Append("</dd>\n")
            .Append("<dt>ファイル数</dt><dd>").Append(context.Files.Count + 1).Append("（この目次を含む。ほかに manifest.json と SHA256SUMS）</dd>\n")
            .Append("</dl>\n");

        html.Append("<h2>目次</h2>\n<ol>\n");
        for (var i = 0; i < _sections.Count; i++)
        {
            html.Append("<li><a href=\"#s").Append(i + 1).Append("\">").Append(e(_sections[i].Title)).Append("</a>（")
                .Append(_sections[i].Entries.Count).Append(" ファイル）</li>\n");
        }
        html.Append("<li><a href=\"#verify\">改ざんがないことの確認方法</a></li>\n</ol>\n");

        for (var i = 0; i < _sections.Count; i++)
        {
            var section = _sections[i];
            html.Append("<section>\n<h2 id=\"s").Append(i + 1).Append("\">").Append(i + 1).Append(". ").Append(e(section.Title)).Append("</h2>\n")
                .Append("<p class=\"desc\">").Append(e(section.Description)).Append("</p>\n");
            var groups = section.Entries.Select(x => x.Group).Concat(section.Notes.Select(n => n.Group)).Distinct().ToList();
            // Ungrouped entries and notes first, then each group in the order it first appeared.
            groups.Sort((a, b) => (a is null ? 0 : 1).CompareTo(b is null ? 0 : 1));
            foreach (var group in groups)
            {
                if (group is not null)
                {
                    html.Append("<h3>").Append(e(group)).Append("</h3>\n");
                }
                foreach (var note in section.Notes.Where(n => n.Group == group))
                {
                    html.Append("<p class=\"note\">").Append(e(note.Text)).Append("</p>\n");
                }
                var entries = section.Entries.Where(x => x.Group == group).ToList();
                if (entries.Count == 0)
                {
                    continue;
                }
                html.Append("<table>\n<thead><tr><th>資料</th><th>ファイル</th><th>サイズ</th><th>備考</th></tr></thead>\n<tbody>\n");
                foreach (var entry in entries)
                {
                    html.Append("<tr><td>").Append(e(entry.Title)).Append("</td><td><a href=\"").Append(e(Href(entry.Path))).Append("\">")
                        .Append(e(entry.Path)).Append("</a></td><td class=\"size\">").Append(e(Size(entry.Size))).Append("</td><td>")
                        .Append(e(entry.Note ?? "")).Append("</td></tr>\n");
                }
                html.Append("</tbody>\n</table>\n");
            }
            html.Append("</section>\n");
        }

        html.Append("<section>\n<h2 id=\"verify\">改ざんがないことの確認方法</h2>\n")
            .Append("<p><a href=\"manifest.json\">manifest.json</a> に全ファイルのサイズと SHA-256 ハッシュ値、対象範囲、作成日時を記録しています。")
            .Append("<a href=\"SHA256SUMS\">SHA256SUMS</a> は同じハッシュ値を sha256sum の形式で並べたものです。</p>\n")
            .Append("<p>展開したフォルダで次を実行し、すべての行が <code>OK</code> となることを確認してください（Linux / macOS）。</p>\n")
            .Append("<pre><code>sha256sum -c --strict SHA256SUMS\nsed 2d manifest.json | sha256sum    # manifest.json の2行目の manifestSha256 と一致すること</code></pre>\n")
            .Append("<p>Windows では PowerShell の <code>Get-FileHash -Algorithm SHA256</code> で同じ値を確認できます。")
            .Append("manifestSha256 の値は、医療機関のポータルの監査ログにも出力時に記録されています。</p>\n")
            .Append("</section>\n</body>\n</html>\n");
        return new UTF8Encoding(false).GetBytes(html.ToString());
    }
}
