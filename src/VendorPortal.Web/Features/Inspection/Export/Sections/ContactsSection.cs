using System.Text;
using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Contacts;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Inspection.Export.Sections;

/// <summary>One vendor of the chart as the bundle shows it: its contacts, the last confirmation and whether it is stale.</summary>
public sealed record ChartVendor(string Name, IReadOnlyList<VendorContact> Contacts, DateTimeOffset? ConfirmedAt, string? ConfirmedByName, bool Stale,
    DateOnly? EngagementEndedOn);

/// <summary>
/// The 連絡体制図 as the bundle prints it (HTML and .xlsx). Pure: the chart read by <see cref="ContactService.HospitalAsync"/>
/// in, bytes out; 「未登録」 and 「12か月以上未確認」 mark what is missing. Unit-tested.
/// </summary>
public static class ContactChartDocument
{
    public const string Title = "連絡体制図（インシデント発生時の連絡先）";
    public const string Stale = "12か月以上未確認";
    public const string NeverConfirmed = "未確認";

    public static string RoleLabel(HospitalContactRole role) => role switch
    {
        HospitalContactRole.SafetyManager => "医療情報システム安全管理責任者",
        HospitalContactRole.Csirt => "CSIRT・担当窓口",
        HospitalContactRole.Executive => "経営層",
        HospitalContactRole.Operations => "システム運用担当者",
        HospitalContactRole.AuthorityMhlw => "厚生労働省（医療情報担当参事官室）",
        HospitalContactRole.AuthorityPolice => "都道府県警察 サイバー犯罪相談窓口",
        HospitalContactRole.AuthorityHealthCenter => "管轄の保健所",
        HospitalContactRole.AuthorityPpc => "個人情報保護委員会（漏えい等報告）",
        HospitalContactRole.AuthorityIpa => "IPA 情報セキュリティ安心相談窓口",
        _ => role.ToString(),
    };

    /// <summary>Not confirmed for <see cref="VendorContactStaleRule.Months"/> months on <paramref name="today"/> (the gap rule's test).</summary>
    public static bool IsStale(DateTimeOffset? confirmedAt, DateOnly today)
        => confirmedAt is { } c && DateOnly.FromDateTime(JapanTime.ToJst(c).DateTime).AddMonths(VendorContactStaleRule.Months) <= today;

    /// <summary>What is missing, one line each (empty when the chart is complete).</summary>
    public static List<string> Problems(HospitalChart chart, IReadOnlyList<ChartVendor> vendors)
    {
        var problems = new List<string>();
        foreach (var r in chart.Internal)
        {
            if (string.IsNullOrWhiteSpace(r.Name))
            {
                problems.Add($"{RoleLabel(r.Role)}: {PrintPage.Missing}");
            }
        }
        if (!chart.Internal.Any(r => !string.IsNullOrWhiteSpace(r.PhoneOutOfHours)))
        {
            problems.Add($"医療機関内の時間外連絡先: {PrintPage.Missing}");
        }
        foreach (var r in chart.Authorities)
        {
            if (string.IsNullOrWhiteSpace(r.Phone))
            {
                problems.Add($"{RoleLabel(r.Role)}の電話番号: {PrintPage.Missing}");
            }
        }
        foreach (var v in vendors.Where(v => v.EngagementEndedOn is null))
        {
            if (v.Contacts.Count == 0)
            {
                problems.Add($"{v.Name}の連絡先: {PrintPage.Missing}");
                continue;
            }
            if (!v.Contacts.Any(c => !string.IsNullOrWhiteSpace(c.Phone24h)))
            {
                problems.Add($"{v.Name}の24時間連絡先: {PrintPage.Missing}");
            }
            if (v.ConfirmedAt is null)
            {
                problems.Add($"{v.Name}の連絡先: {NeverConfirmed}");
            }
            else if (v.Stale)
            {
                problems.Add($"{v.Name}の連絡先: {Stale}（最終確認 {PrintPage.Time(v.ConfirmedAt)}）");
            }
        }
        return problems;
    }

    public static string Confirmation(ChartVendor v)
        => v.ConfirmedAt is { } at
            ? $"最終確認 {PrintPage.Time(at)}（{v.ConfirmedByName}）{(v.Stale ? "　" + Stale : "")}"
            : NeverConfirmed;

    public static string Html(string hospitalName, string scope, DateTimeOffset generatedAt, DateOnly today, HospitalChart chart, IReadOnlyList<ChartVendor> vendors)
    {
        var E = PrintPage.E;
        var b = new StringBuilder();
        b.Append("<p class=\"muted\">基準日 ").Append(E(PrintPage.DateWithWareki(today)))
            .Append("。医療法施行規則第14条第2項に基づく立入検査で確認される連絡体制図です。事業者の連絡先は各事業者がポータルで登録・確認したものです。</p>\n");
        var problems = Problems(chart, vendors);
        b.Append("<section class=\"block\">\n<h2>不足している項目</h2>\n");
        if (problems.Count == 0)
        {
            b.Append("<p class=\"ok\">不足している項目はありません。</p>\n");
        }
        else
        {
            b.Append("<ul>\n");
            foreach (var p in problems)
            {
                b.Append("<li class=\"warn\">").Append(E(p)).Append("</li>\n");
            }
            b.Append("</ul>\n");
        }
        b.Append("</section>\n");

        b.Append("<section>\n<h2>1. 医療機関内の連絡体制</h2>\n<table>\n<thead><tr><th>役割</th><th>氏名・部署</th><th>電話</th><th>時間外連絡先</th><th>メール</th><th>備考</th></tr></thead>\n<tbody>\n");
        foreach (var r in chart.Internal)
        {
            b.Append("<tr><th scope=\"row\">").Append(E(RoleLabel(r.Role))).Append("</th>").Append(PrintPage.CellOrMissing(r.Name))
                .Append(PrintPage.CellOrMissing(r.Phone)).Append(PrintPage.CellOrMissing(r.PhoneOutOfHours))
                .Append("<td>").Append(E(r.Email)).Append("</td><td>").Append(E(r.Note)).Append("</td></tr>\n");
        }
        b.Append("</tbody>\n</table>\n</section>\n");

        b.Append("<section>\n<h2>2. 事業者の連絡先（障害・インシデント受付）</h2>\n");
        if (vendors.Count == 0)
        {
            b.Append("<p>対象期間に契約のある事業者はありません（該当なし）。</p>\n");
        }
        foreach (var v in vendors)
        {
            b.Append("<section class=\"block\">\n<h3>").Append(E(v.Name)).Append("</h3>\n");
            if (v.EngagementEndedOn is { } ended)
            {
                b.Append("<p class=\"muted\">契約終了 ").Append(E(PrintPage.Date(ended)))
                    .Append("（現在は契約がないため、連絡先は医療機関から参照できません）</p>\n</section>\n");
                continue;
            }
            b.Append("<p class=\"").Append(v.ConfirmedAt is null || v.Stale ? "warn" : "muted").Append("\">").Append(E(Confirmation(v))).Append("</p>\n");
            if (v.Contacts.Count == 0)
            {
                b.Append("<p class=\"missing\">連絡先 ").Append(PrintPage.Missing).Append("</p>\n</section>\n");
                continue;
            }
            b.Append("<table>\n<thead><tr><th>役割</th><th>氏名</th><th>24時間連絡先</th><th>メール以外の連絡手段</th><th>メール</th><th>受付時間</th></tr></thead>\n<tbody>\n");
            var has24h = v.Contacts.Any(c => !string.IsNullOrWhiteSpace(c.Phone24h));
            foreach (var c in v.Contacts)
            {
                b.Append("<tr><td>").Append(E(c.RoleLabel)).Append("</td><td>").Append(E(c.Name)).Append("</td>")
                    .Append(has24h ? $"<td>{E(c.Phone24h)}</td>" : PrintPage.CellOrMissing(c.Phone24h))
                    .Append(PrintPage.CellOrMissing(c.OtherChannel)).Append("<td>").Append(E(c.Email)).Append("</td><td>").Append(E(c.Hours)).Append("</td></tr>\n");
            }
            b.Append("</tbody>\n</table>\n</section>\n");
        }
        b.Append("</section>\n");

        b.Append("<section>\n<h2>3. 関係機関</h2>\n<table>\n<thead><tr><th>機関</th><th>名称・担当</th><th>電話</th><th>時間外連絡先</th><th>メール</th><th>備考</th></tr></thead>\n<tbody>\n");
        foreach (var r in chart.Authorities)
        {
            var note = r.Stored ? r.Note : string.IsNullOrEmpty(r.Note) ? "既定値（医療機関による登録なし）" : r.Note;
            b.Append("<tr><th scope=\"row\">").Append(E(RoleLabel(r.Role))).Append(r.Local ? "<br><span class=\"muted\">（所在地の窓口）</span>" : "").Append("</th>")
                .Append(PrintPage.CellOrMissing(r.Name)).Append(PrintPage.CellOrMissing(r.Phone))
                .Append("<td>").Append(E(r.PhoneOutOfHours)).Append("</td><td>").Append(E(r.Email)).Append("</td><td>").Append(E(note)).Append("</td></tr>\n");
        }
        b.Append("</tbody>\n</table>\n<p class=\"muted\">既定値の出典: ").Append(E(chart.AuthoritySource)).Append("</p>\n</section>\n");
        return PrintPage.Render(Title, hospitalName, generatedAt, scope, b.ToString());
    }

    public static byte[] Xlsx(string hospitalName, string scope, DateTimeOffset generatedAt, HospitalChart chart, IReadOnlyList<ChartVendor> vendors)
    {
        using var package = PrintPage.Workbook("連絡体制図", hospitalName);
        var ws = package.Workbook.Worksheets.Add("医療機関内");
        var row = PrintPage.Sheet(ws, "連絡体制図 — 医療機関内の連絡体制", hospitalName, generatedAt, scope,
            [("役割", 30), ("氏名・部署", 24), ("電話", 16), ("時間外連絡先", 16), ("メール", 26), ("備考", 30)]);
        foreach (var r in chart.Internal)
        {
            PrintPage.Row(ws, row++, RoleLabel(r.Role), Or(r.Name), Or(r.Phone), Or(r.PhoneOutOfHours), r.Email, r.Note);
        }

        ws = package.Workbook.Worksheets.Add("事業者");
        row = PrintPage.Sheet(ws, "連絡体制図 — 事業者の連絡先", hospitalName, generatedAt, scope,
            [("事業者", 26), ("最終確認", 34), ("役割", 18), ("氏名", 18), ("24時間連絡先", 16), ("メール以外の連絡手段", 26), ("メール", 26), ("受付時間", 18)]);
        foreach (var v in vendors)
        {
            if (v.EngagementEndedOn is { } ended)
            {
                PrintPage.Row(ws, row++, v.Name, $"契約終了 {PrintPage.Date(ended)}");
                continue;
            }
            if (v.Contacts.Count == 0)
            {
                PrintPage.Row(ws, row++, v.Name, Confirmation(v), PrintPage.Missing);
                continue;
            }
            foreach (var c in v.Contacts)
            {
                PrintPage.Row(ws, row++, v.Name, Confirmation(v), c.RoleLabel, c.Name, c.Phone24h, Or(c.OtherChannel), c.Email, c.Hours);
            }
        }
        if (vendors.Count == 0)
        {
            PrintPage.Row(ws, row, "該当なし");
        }

        ws = package.Workbook.Worksheets.Add("関係機関");
        row = PrintPage.Sheet(ws, "連絡体制図 — 関係機関", hospitalName, generatedAt, scope,
            [("機関", 34), ("名称・担当", 36), ("電話", 16), ("時間外連絡先", 16), ("メール", 26), ("備考", 30)]);
        foreach (var r in chart.Authorities)
        {
            PrintPage.Row(ws, row++, RoleLabel(r.Role), Or(r.Name), Or(r.Phone), r.PhoneOutOfHours, r.Email, r.Stored ? r.Note : "既定値（医療機関による登録なし）");
        }
        return package.GetAsByteArray();
    }

    private static string Or(string? value) => string.IsNullOrWhiteSpace(value) ? PrintPage.Missing : value;
}

/// <summary>
/// 02_contacts: the 連絡体制図 — the hospital's internal roles and the authorities as entered on
/// /Hospitals/{id}/Contacts, and the incident contacts of every vendor engaged during the period.
/// </summary>
public sealed class ContactsSection(ContactService contacts, AppDbContext db) : IBundleSection
{
    public int Order => 20;
    public string Folder => "02_contacts";
    public string Title => ContactChartDocument.Title;
    public string Description =>
        "医療法施行規則第14条第2項の立入検査で確認される連絡体制図です。医療機関内の役割（医療情報システム安全管理責任者、CSIRT、経営層など）、対象期間に契約のある事業者の障害・インシデント連絡先（24時間連絡先、メール以外の連絡手段、最終確認日）、関係機関（厚生労働省、警察、保健所、個人情報保護委員会）を載せています。";

    public async Task WriteAsync(BundleContext context, CancellationToken cancellationToken)
    {
        var until = context.PeriodTo < context.Today ? context.PeriodTo : context.Today;
        var chart = await contacts.HospitalAsync(context.HospitalId, cancellationToken, context.PeriodFrom, until);
        // A vendor whose engagement has ended is still listed for the period, but its contacts are no longer visible
        // to the hospital (tenant filter): say so rather than 「未登録」.
        var ids = chart.Vendors.Select(v => v.VendorId).ToList();
        var today = context.Today;
        var current = await db.Engagements.AsNoTracking()
            .Where(e => e.HospitalId == context.HospitalId && ids.Contains(e.VendorId) && e.StartsOn <= today && (e.EndsOn == null || e.EndsOn >= today))
            .Select(e => e.VendorId).Distinct().ToListAsync(cancellationToken);
        var lastEnd = await db.Engagements.AsNoTracking()
            .Where(e => e.HospitalId == context.HospitalId && ids.Contains(e.VendorId) && e.EndsOn != null)
            .GroupBy(e => e.VendorId).Select(g => new { VendorId = g.Key, EndsOn = g.Max(e => e.EndsOn) }).ToListAsync(cancellationToken);
        var vendors = chart.Vendors.Select(v => new ChartVendor(v.VendorName, v.Contacts, v.ConfirmedAt, v.ConfirmedByName,
            ContactChartDocument.IsStale(v.ConfirmedAt, today),
            current.Contains(v.VendorId) ? null : lastEnd.FirstOrDefault(x => x.VendorId == v.VendorId)?.EndsOn)).ToList();

        var scope = PrintPage.Scope(context);
        var problems = ContactChartDocument.Problems(chart, vendors);
        var note = problems.Count == 0 ? "不足なし" : $"不足 {problems.Count} 件";
        await context.AddTextAsync("連絡体制図.html", "連絡体制図（印刷用 HTML、A4）",
            ContactChartDocument.Html(context.HospitalName, scope, context.GeneratedAt, today, chart, vendors), note: note, cancellationToken: cancellationToken);
        await context.AddWorkbookAsync("連絡体制図.xlsx", "連絡体制図（Excel）",
            ContactChartDocument.Xlsx(context.HospitalName, scope, context.GeneratedAt, chart, vendors), note: note, cancellationToken: cancellationToken);
        context.Note(problems.Count == 0
            ? $"医療機関内の役割・関係機関・事業者 {vendors.Count} 社の連絡先に不足はありません。"
            : $"事業者 {vendors.Count} 社。不足している項目 {problems.Count} 件（「未登録」「{ContactChartDocument.Stale}」などを資料内に表示）。");
    }
}
