using System.Text;
using VendorPortal.Features.Responsibility;

namespace VendorPortal.Features.Inspection.Export.Sections;

/// <summary>One system's sign-off record as the bundle lists it.</summary>
public sealed record SignOffSystem(string SystemName, int Version, string ContentHash, DateTimeOffset SavedAt, string SavedBy,
    IReadOnlyList<SignOffParty> Current, IReadOnlyList<SignOffHistory> Earlier);

/// <summary>A party that has to confirm the current version, with its confirmation if given.</summary>
public sealed record SignOffParty(string Organization, bool IsHospital, string? UserName, DateTimeOffset? ConfirmedAt);

/// <summary>A confirmation of an earlier version (kept as history: it no longer counts).</summary>
public sealed record SignOffHistory(int Version, string Organization, string UserName, DateTimeOffset ConfirmedAt);

/// <summary>The sign-off list (承認記録) of every matrix: pure, unit-tested.</summary>
public static class SignOffDocument
{
    public const string Title = "責任分界表の承認記録";

    public static SignOffSystem From(MatrixState state)
    {
        var names = state.Confirmers.ToDictionary(c => c.OrganizationId, c => c.Name);
        names[state.Hospital.Id] = state.Hospital.Name;
        var current = state.CurrentVersion!;
        return new SignOffSystem(state.System.Name, current.Number, current.ContentHash, current.CreatedAt, current.CreatedByName,
            [.. state.Confirmers.Select(c => new SignOffParty(c.Name, c.IsHospital, c.Confirmation?.UserName, c.Confirmation?.ConfirmedAt))],
            [.. state.Versions.Where(v => v.Number != current.Number).OrderByDescending(v => v.Number)
                .SelectMany(v => v.Confirmations.Select(c => new SignOffHistory(v.Number, names.GetValueOrDefault(c.OrganizationId, "（表示対象外の組織）"), c.UserName, c.ConfirmedAt)))]);
    }

    public static IEnumerable<string> Waiting(SignOffSystem s) => s.Current.Where(p => p.ConfirmedAt is null).Select(p => p.Organization);

    public static string Html(string hospitalName, string scope, DateTimeOffset generatedAt, IReadOnlyList<SignOffSystem> systems, IReadOnlyList<string> withoutMatrix)
    {
        var E = PrintPage.E;
        var b = new StringBuilder();
        b.Append("<p class=\"muted\">各システムの責任分界表の現行版について、確認（承認）が必要な組織ごとに、確認した担当者と日時、未確認の組織を示します。内容が変更されると新しい版となり、前の版の確認は数えません（履歴として下に記載）。</p>\n");
        if (systems.Count == 0)
        {
            b.Append("<p>責任分界表が作成されたシステムはありません（該当なし）。</p>\n");
        }
        foreach (var s in systems)
        {
            var waiting = Waiting(s).ToList();
            b.Append("<section class=\"block\">\n<h2>").Append(E(s.SystemName)).Append("</h2>\n<dl class=\"meta\">\n<dt>現行版</dt><dd>第")
                .Append(s.Version).Append("版（").Append(E(PrintPage.Time(s.SavedAt))).Append(' ').Append(E(s.SavedBy)).Append("）</dd>\n<dt>SHA-256</dt><dd>")
                .Append(E(s.ContentHash)).Append("</dd>\n<dt>確認状況</dt><dd class=\"").Append(waiting.Count == 0 ? "ok" : "warn").Append("\">")
                .Append(waiting.Count == 0 ? "全組織が確認済み" : E($"未確認: {string.Join("、", waiting)}")).Append("</dd>\n</dl>\n")
                .Append("<table>\n<thead><tr><th>組織</th><th>区分</th><th>状況</th><th>確認者</th><th>確認日時</th></tr></thead>\n<tbody>\n");
            foreach (var p in s.Current)
            {
                b.Append("<tr><td>").Append(E(p.Organization)).Append("</td><td>").Append(p.IsHospital ? "医療機関" : "事業者").Append("</td>")
                    .Append(p.ConfirmedAt is null ? "<td class=\"missing\">未確認</td>" : "<td>確認済み</td>")
                    .Append("<td>").Append(E(p.UserName)).Append("</td><td>").Append(E(PrintPage.Time(p.ConfirmedAt))).Append("</td></tr>\n");
            }
            b.Append("</tbody>\n</table>\n");
            if (s.Earlier.Count > 0)
            {
                b.Append("<h3>以前の版の確認（履歴）</h3>\n<table>\n<thead><tr><th>版</th><th>組織</th><th>確認者</th><th>確認日時</th></tr></thead>\n<tbody>\n");
                foreach (var h in s.Earlier)
                {
                    b.Append("<tr><td>第").Append(h.Version).Append("版</td><td>").Append(E(h.Organization)).Append("</td><td>").Append(E(h.UserName))
                        .Append("</td><td>").Append(E(PrintPage.Time(h.ConfirmedAt))).Append("</td></tr>\n");
                }
                b.Append("</tbody>\n</table>\n");
            }
            b.Append("</section>\n");
        }
        if (withoutMatrix.Count > 0)
        {
            b.Append("<section class=\"block\">\n<h2>責任分界表が未作成のシステム</h2>\n<ul>\n");
            foreach (var name in withoutMatrix)
            {
                b.Append("<li class=\"warn\">").Append(E(name)).Append("</li>\n");
            }
            b.Append("</ul>\n</section>\n");
        }
        return PrintPage.Render(Title, hospitalName, generatedAt, scope, b.ToString());
    }
}

/// <summary>07_responsibility: each system's current 責任分界表 (.xlsx with its confirmations) and one sign-off list.</summary>
public sealed class ResponsibilitySection(ResponsibilityService responsibility) : IBundleSection
{
    public int Order => 70;
    public string Folder => "07_responsibility";
    public string Title => "責任分界表（システムごと、承認記録付き）";
    public string Description =>
        "システムごとの医療機関と事業者の責任分界表（通常時・非常時）の現行版と、各組織の確認（承認）記録です（ガイドライン 経営管理編 1.3.2、企画管理編 2章、システム運用編 3章）。";

    public async Task WriteAsync(BundleContext context, CancellationToken cancellationToken)
    {
        var overview = (await responsibility.OverviewAsync(context.HospitalId, cancellationToken))
            .OrderBy(r => r.SystemName, StringComparer.Ordinal).ThenBy(r => r.SystemId).ToList();
        var withMatrix = overview.Where(r => r.Version is not null).ToList();
        var without = overview.Where(r => r.Version is null).Select(r => r.SystemName).ToList();
        var names = new FileNameSet();
        var signOffs = new List<SignOffSystem>();
        for (var i = 0; i < withMatrix.Count; i++)
        {
            var row = withMatrix[i];
            var state = await responsibility.LoadAsync(context.HospitalId, row.SystemId, cancellationToken);
            var export = await responsibility.ExportAsync(context.HospitalId, row.SystemId, null, cancellationToken, context.Today);
            if (state?.Matrix is null || export is not { } file)
            {
                continue;
            }
            var signOff = SignOffDocument.From(state);
            signOffs.Add(signOff);
            var waiting = SignOffDocument.Waiting(signOff).ToList();
            await context.AddWorkbookAsync(names.Unique($"{row.SystemName}_第{signOff.Version}版.xlsx", "matrix.xlsx"), $"責任分界表 第{signOff.Version}版", file.Content, group: row.SystemName,
                note: waiting.Count == 0 ? "全組織が確認済み" : $"未確認: {string.Join("、", waiting)}", cancellationToken: cancellationToken);
            context.ReportProgress(i + 1, withMatrix.Count);
        }
        if (signOffs.Count > 0 || without.Count > 0)
        {
            await context.AddTextAsync("承認記録.html", "責任分界表の承認記録（全システム、印刷用 HTML）",
                SignOffDocument.Html(context.HospitalName, PrintPage.Scope(context), context.GeneratedAt, signOffs, without), cancellationToken: cancellationToken);
        }
        if (signOffs.Count == 0)
        {
            context.Note("責任分界表が作成されたシステムはありません（該当なし）。");
        }
        else
        {
            var complete = signOffs.Count(s => !SignOffDocument.Waiting(s).Any());
            context.Note($"責任分界表 {signOffs.Count} 件（うち全組織が現行版を確認済み {complete} 件）。");
        }
        if (without.Count > 0)
        {
            context.Note($"責任分界表が未作成のシステム: {string.Join("、", without)}");
        }
    }
}
