using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Ledger;
using VendorPortal.Features.Patches;
using VendorPortal.Features.Policy;
using VendorPortal.Infrastructure.Data;

namespace VendorPortal.Features.Inspection.Export.Sections;

/// <summary>One end-of-support date of a component, with where it stands on the bundle's day.</summary>
public sealed record EosRow(string SystemName, string ManagementNumber, string ComponentName, ComponentKind ComponentKind, string? Supplier, SupportKind Kind,
    string Subject, DateOnly EndsOn, string Source, DateOnly? RetiredOn, EosStanding Standing)
{
    /// <summary>Needs attention: the component is in use and the date has passed or entered a warning window.</summary>
    public bool Attention => RetiredOn is null && Standing.NeedsAttention;
}

/// <summary>One advisory on one component, with its due day by the hospital's policy.</summary>
public sealed record PatchRow(string Identifier, string Title, AdvisorySeverity Severity, DateOnly ReleasedOn, DateOnly DueOn, string SystemName,
    string ManagementNumber, string ComponentName, string? Supplier, PatchStatus Status, bool Overdue, bool PlannedDatePassed)
{
    public bool AwaitingApproval => Status.State == PatchState.Deferred && Status.DeferralApprovedAt is null;
}

/// <summary>The EOS and patch documents of the bundle (.xlsx and a printable summary). Pure; unit-tested.</summary>
public static class EosPatchDocument
{
    public const string Title = "サポート終了（EOS）とパッチ適用状況";

    public static string Severity(AdvisorySeverity s) => s switch
    {
        AdvisorySeverity.Critical => "緊急",
        AdvisorySeverity.High => "重要",
        AdvisorySeverity.Medium => "警告",
        _ => "注意",
    };

    public static string State(PatchState s) => s switch
    {
        PatchState.Open => "未対応",
        PatchState.Planned => "適用予定",
        PatchState.Applied => "適用済",
        PatchState.NotApplicable => "対象外",
        _ => "見送り",
    };

    /// <summary>「サポート終了（12日経過）」「残り 80 日（90日前の警告期間）」「残り 400 日」.</summary>
    public static string Standing(EosStanding s) => s.Passed
        ? $"サポート終了（{-s.DaysLeft}日経過）"
        : s.Threshold is { } t ? $"残り{s.DaysLeft}日（{t}日前の警告期間）" : $"残り{s.DaysLeft}日";

    public static string PatchStanding(PatchRow r)
    {
        var parts = new List<string>();
        if (r.Overdue)
        {
            parts.Add("期限超過");
        }
        if (r.AwaitingApproval)
        {
            parts.Add("見送りの承認待ち");
        }
        if (r.PlannedDatePassed)
        {
            parts.Add("予定日経過");
        }
        return string.Join("・", parts);
    }

    public static string Policy(CompliancePolicy p)
        => $"EOS の警告期間: {string.Join("・", p.EosWarningDays.OrderDescending().Select(d => d + "日前"))}。パッチ適用期限（公開日から）: 緊急 {p.CriticalPatchDays}日、重要 {p.HighPatchDays}日、その他 {p.OtherPatchDays}日。";

    public static byte[] Xlsx(string hospitalName, string scope, DateTimeOffset generatedAt, DateOnly today, CompliancePolicy policy,
        IReadOnlyList<EosRow> eos, IReadOnlyList<PatchRow> patches)
    {
        using var package = PrintPage.Workbook(Title, hospitalName);
        var ws = package.Workbook.Worksheets.Add("サポート終了（EOS）");
        var row = PrintPage.Sheet(ws, $"サポート終了（EOS）— 基準日 {PrintPage.Date(today)}", hospitalName, generatedAt, scope,
        [
            ("システム", 20), ("管理番号", 12), ("構成機器", 22), ("種別", 12), ("保守事業者", 20), ("対象", 12), ("対象の名称", 24), ("サポート終了日", 12),
            ("基準日時点", 26), ("要対応", 7), ("出典", 26), ("廃棄日", 12),
        ]);
        foreach (var r in eos)
        {
            PrintPage.Row(ws, row, r.SystemName, r.ManagementNumber, r.ComponentName, LedgerRules.KindLabels[r.ComponentKind], r.Supplier,
                LedgerRules.SupportKindLabels.GetValueOrDefault(r.Kind, r.Kind.ToString()), r.Subject, PrintPage.Date(r.EndsOn), Standing(r.Standing),
                r.Attention ? "○" : "", r.Source, PrintPage.Date(r.RetiredOn));
            ws.Cells[row, 9].Style.Font.Color.SetColor(r.Attention ? System.Drawing.Color.DarkRed : System.Drawing.Color.Black);
            row++;
        }
        if (eos.Count == 0)
        {
            PrintPage.Row(ws, row, "該当なし");
        }

        ws = package.Workbook.Worksheets.Add("パッチ適用状況");
        row = PrintPage.Sheet(ws, $"パッチ適用状況 — 基準日 {PrintPage.Date(today)}", hospitalName, generatedAt, scope,
        [
            ("識別子", 18), ("件名", 28), ("深刻度", 7), ("公開日", 11), ("適用期限", 11), ("システム", 18), ("管理番号", 12), ("構成機器", 20), ("保守事業者", 18),
            ("状態", 9), ("予定日", 11), ("適用日", 11), ("適用者", 14), ("理由", 24), ("代替措置", 24), ("見送りの承認", 24), ("基準日時点", 18),
        ]);
        foreach (var r in patches)
        {
            var s = r.Status;
            PrintPage.Row(ws, row, r.Identifier, r.Title, Severity(r.Severity), PrintPage.Date(r.ReleasedOn), PrintPage.Date(r.DueOn), r.SystemName, r.ManagementNumber,
                r.ComponentName, r.Supplier, State(s.State), PrintPage.Date(s.PlannedOn), PrintPage.Date(s.AppliedOn), s.AppliedByName, s.Reason, s.CompensatingMeasure,
                s.DeferralApprovedAt is { } at ? $"{s.DeferralApprovedByName} {PrintPage.Time(at)}" : "", PatchStanding(r));
            ws.Cells[row, 17].Style.Font.Color.SetColor(System.Drawing.Color.DarkRed);
            row++;
        }
        if (patches.Count == 0)
        {
            PrintPage.Row(ws, row, "該当なし");
        }

        ws = package.Workbook.Worksheets.Add("方針");
        row = PrintPage.Sheet(ws, "適用した方針（医療機関の設定）", hospitalName, generatedAt, scope, [("項目", 30), ("値", 60)]);
        PrintPage.Row(ws, row++, "EOS の警告期間（日前）", string.Join(", ", policy.EosWarningDays.OrderDescending().Select(d => d.ToString(CultureInfo.InvariantCulture))));
        PrintPage.Row(ws, row++, "パッチ適用期限: 緊急（日）", policy.CriticalPatchDays.ToString(CultureInfo.InvariantCulture));
        PrintPage.Row(ws, row++, "パッチ適用期限: 重要（日）", policy.HighPatchDays.ToString(CultureInfo.InvariantCulture));
        PrintPage.Row(ws, row, "パッチ適用期限: その他（日）", policy.OtherPatchDays.ToString(CultureInfo.InvariantCulture));
        return package.GetAsByteArray();
    }

    public static string Html(string hospitalName, string scope, DateTimeOffset generatedAt, DateOnly today, CompliancePolicy policy,
        IReadOnlyList<EosRow> eos, IReadOnlyList<PatchRow> patches)
    {
        var E = PrintPage.E;
        var b = new StringBuilder();
        var inUse = eos.Where(r => r.RetiredOn is null).ToList();
        var passed = inUse.Count(r => r.Standing.Passed);
        var window = inUse.Count(r => r.Standing.InWindow);
        var overdue = patches.Count(r => r.Overdue);
        var awaiting = patches.Count(r => r.AwaitingApproval);
        var advisories = patches.Select(r => r.Identifier).Distinct().Count();
        b.Append("<p class=\"muted\">基準日 ").Append(E(PrintPage.DateWithWareki(today))).Append("。").Append(E(Policy(policy))).Append("</p>\n")
            .Append("<section class=\"block\">\n<h2>概要</h2>\n<table>\n<tbody>\n")
            .Append("<tr><th>サポート終了日が登録された項目（使用中の構成機器）</th><td>").Append(inUse.Count).Append(" 件</td></tr>\n")
            .Append("<tr><th>サポート終了済み</th><td").Append(passed > 0 ? " class=\"warn\"" : "").Append('>').Append(passed).Append(" 件</td></tr>\n")
            .Append("<tr><th>警告期間内</th><td").Append(window > 0 ? " class=\"warn\"" : "").Append('>').Append(window).Append(" 件</td></tr>\n")
            .Append("<tr><th>脆弱性情報・パッチ</th><td>").Append(advisories).Append(" 件（対象の構成機器 ").Append(patches.Count).Append(" 件）</td></tr>\n")
            .Append("<tr><th>適用期限の超過</th><td").Append(overdue > 0 ? " class=\"warn\"" : "").Append('>').Append(overdue).Append(" 件</td></tr>\n")
            .Append("<tr><th>見送りの承認待ち</th><td").Append(awaiting > 0 ? " class=\"warn\"" : "").Append('>').Append(awaiting).Append(" 件</td></tr>\n")
            .Append("</tbody>\n</table>\n</section>\n");

        b.Append("<section>\n<h2>サポート終了・警告期間内の構成機器</h2>\n");
        var attention = eos.Where(r => r.Attention).ToList();
        if (attention.Count == 0)
        {
            b.Append("<p class=\"ok\">該当なし</p>\n");
        }
        else
        {
            b.Append("<table>\n<thead><tr><th>システム</th><th>管理番号</th><th>構成機器</th><th>対象</th><th>サポート終了日</th><th>基準日時点</th></tr></thead>\n<tbody>\n");
            foreach (var r in attention)
            {
                b.Append("<tr><td>").Append(E(r.SystemName)).Append("</td><td>").Append(E(r.ManagementNumber)).Append("</td><td>").Append(E(r.ComponentName))
                    .Append("</td><td>").Append(E(r.Subject)).Append("</td><td>").Append(E(PrintPage.Date(r.EndsOn))).Append("</td><td class=\"warn\">")
                    .Append(E(Standing(r.Standing))).Append("</td></tr>\n");
            }
            b.Append("</tbody>\n</table>\n");
        }
        b.Append("</section>\n<section>\n<h2>期限超過・承認待ちのパッチ</h2>\n");
        var open = patches.Where(r => r.Overdue || r.AwaitingApproval || r.PlannedDatePassed).ToList();
        if (open.Count == 0)
        {
            b.Append("<p class=\"ok\">該当なし</p>\n");
        }
        else
        {
            b.Append("<table>\n<thead><tr><th>識別子</th><th>深刻度</th><th>適用期限</th><th>システム・構成機器</th><th>状態</th><th>基準日時点</th></tr></thead>\n<tbody>\n");
            foreach (var r in open)
            {
                b.Append("<tr><td>").Append(E(r.Identifier)).Append("</td><td>").Append(E(Severity(r.Severity))).Append("</td><td>").Append(E(PrintPage.Date(r.DueOn)))
                    .Append("</td><td>").Append(E($"{r.SystemName} {r.ManagementNumber} {r.ComponentName}")).Append("</td><td>").Append(E(State(r.Status.State)))
                    .Append("</td><td class=\"warn\">").Append(E(PatchStanding(r))).Append("</td></tr>\n");
            }
            b.Append("</tbody>\n</table>\n");
        }
        b.Append("</section>\n<p class=\"muted\">全件の一覧は同じフォルダの Excel ファイルにあります。</p>\n");
        return PrintPage.Render(Title, hospitalName, generatedAt, scope, b.ToString());
    }
}

/// <summary>
/// 09_eos-patches: every end-of-support date of the ledger's components (days left or passed on the bundle's day,
/// under the hospital's EOS windows) and every advisory's per-component patch status with its due day by policy.
/// </summary>
public sealed class EosPatchesSection(PatchService patches, AppDbContext db) : IBundleSection
{
    public int Order => 85;
    public string Folder => "09_eos-patches";
    public string Title => EosPatchDocument.Title;
    public string Description =>
        "構成機器の OS・ミドルウェア・ファームウェア・製品のサポート終了日と作成日時点の残り日数、脆弱性情報ごとのパッチ適用状況（医療機関の方針による適用期限、期限超過、見送りの承認）です（ガイドライン システム運用編 8章 脆弱性対応、チェックリスト「セキュリティパッチを適用している」に対応）。";

    public async Task WriteAsync(BundleContext context, CancellationToken cancellationToken)
    {
        var hospitalId = context.HospitalId;
        var today = context.Today;
        var policy = await CompliancePolicyStore.ReadAsync(db, hospitalId, cancellationToken);

        var dates = await (from d in db.ComponentSupportDates.AsNoTracking()
                           join c in db.SystemComponents on d.ComponentId equals c.Id
                           where d.HospitalId == hospitalId && c.HospitalId == hospitalId
                           select new
                           {
                               d.Id, d.Kind, d.Subject, d.EndsOn, d.Source, c.ManagementNumber, ComponentName = c.Name, ComponentKind = c.Kind, c.RetiredOn,
                               SystemName = db.MedicalSystems.Where(m => m.Id == c.SystemId).Select(m => m.Name).FirstOrDefault(),
                               Supplier = db.Organizations.Where(o => o.Id == c.SupplierVendorId).Select(o => o.Name).FirstOrDefault(),
                           }).ToListAsync(cancellationToken);
        var eos = dates.OrderBy(d => d.EndsOn).ThenBy(d => d.ManagementNumber, StringComparer.Ordinal).ThenBy(d => d.Id)
            .Select(d => new EosRow(d.SystemName ?? "", d.ManagementNumber, d.ComponentName, d.ComponentKind, d.Supplier, d.Kind, d.Subject, d.EndsOn, d.Source,
                d.RetiredOn, PolicyRules.Eos(d.EndsOn, today, policy.EosWarningDays)))
            .ToList();

        var rows = new List<PatchRow>();
        var advisories = await patches.ListAsync(hospitalId, ct: cancellationToken, asOf: today);
        foreach (var a in advisories.OrderByDescending(a => a.ReleasedOn).ThenBy(a => a.Identifier, StringComparer.Ordinal))
        {
            var statuses = await patches.StatusesAsync(a.Id, cancellationToken);
            foreach (var s in statuses.OrderBy(s => s.SystemName, StringComparer.Ordinal).ThenBy(s => s.ManagementNumber, StringComparer.Ordinal).ThenBy(s => s.Status.Id))
            {
                var p = s.Status;
                rows.Add(new PatchRow(a.Identifier, a.Title, a.Severity, a.ReleasedOn, a.DueOn, s.SystemName, s.ManagementNumber, s.ComponentName, s.SupplierName, p,
                    PolicyRules.PatchOverdue(p.State, p.DeferralApprovedAt is not null, a.DueOn, today),
                    PolicyRules.PlannedDatePassed(p.State, p.PlannedOn, today)));
            }
        }

        var scope = PrintPage.Scope(context);
        await context.AddTextAsync("EOS・パッチ状況.html", "サポート終了とパッチ適用状況の概要（印刷用 HTML）",
            EosPatchDocument.Html(context.HospitalName, scope, context.GeneratedAt, today, policy, eos, rows), cancellationToken: cancellationToken);
        await context.AddWorkbookAsync("EOS・パッチ状況.xlsx", "サポート終了日・パッチ適用状況の一覧（Excel）",
            EosPatchDocument.Xlsx(context.HospitalName, scope, context.GeneratedAt, today, policy, eos, rows), cancellationToken: cancellationToken);
        context.Note(eos.Count == 0 && rows.Count == 0
            ? "サポート終了日・脆弱性情報の登録はありません（該当なし）。"
            : $"サポート終了日 {eos.Count} 件（使用中で終了済み {eos.Count(r => r.RetiredOn is null && r.Standing.Passed)} 件、警告期間内 {eos.Count(r => r.RetiredOn is null && r.Standing.InWindow)} 件）、パッチ状況 {rows.Count} 件（期限超過 {rows.Count(r => r.Overdue)} 件）。");
    }
}
