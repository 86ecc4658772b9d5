using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Subcontracting;
using VendorPortal.Infrastructure.Data;

namespace VendorPortal.Features.Inspection.Export.Sections;

/// <summary>The 再委託 workbook of the bundle (register, requests with their decisions, full history). Pure; unit-tested.</summary>
public static class SubcontractDocument
{
    public static string Action(SubcontractEventAction a) => a switch
    {
        SubcontractEventAction.Created => "作成",
        SubcontractEventAction.Submitted => "申請",
        SubcontractEventAction.InformationRequested => "追加情報の依頼（差戻し）",
        SubcontractEventAction.Reviewed => "確認（システム運用担当者）",
        SubcontractEventAction.OpinionGiven => "意見（安全管理責任者）",
        SubcontractEventAction.Approved => "承認",
        SubcontractEventAction.ApprovedWithConditions => "条件付き承認",
        SubcontractEventAction.Rejected => "却下",
        SubcontractEventAction.Withdrawn => "取下げ",
        _ => a.ToString(),
    };

    public static string State(SubcontractState s) => s switch
    {
        SubcontractState.Draft => "下書き",
        SubcontractState.Submitted => "医療機関の確認待ち",
        SubcontractState.InformationRequested => "追加情報の依頼中",
        SubcontractState.Reviewed => "安全管理責任者の意見待ち",
        SubcontractState.OpinionGiven => "経営層の判断待ち",
        SubcontractState.Approved => "承認",
        SubcontractState.ApprovedWithConditions => "条件付き承認",
        SubcontractState.Rejected => "却下",
        SubcontractState.Withdrawn => "取下げ",
        _ => s.ToString(),
    };

    public static string Opinion(SecurityOpinion? o) => o switch
    {
        SecurityOpinion.Favourable => "承認してよい",
        SecurityOpinion.FavourableWithConditions => "条件を付けて承認してよい",
        SecurityOpinion.Unfavourable => "承認すべきでない",
        _ => "",
    };

    public static string Certification(CertificationKind k) => k switch
    {
        CertificationKind.PrivacyMark => "プライバシーマーク",
        CertificationKind.Isms => "ISMS",
        CertificationKind.Iso27017 => "ISMS クラウドセキュリティ",
        CertificationKind.Ismap => "ISMAP",
        _ => k.ToString(),
    };

    public static string Status(RegisterStatus s) => s switch
    {
        RegisterStatus.Upcoming => "開始前",
        RegisterStatus.Active => "有効",
        _ => "終了",
    };

    /// <summary>A register row overlaps the period [from, to] (its work period within its approval).</summary>
    public static bool Overlaps(RegisterRow r, DateOnly from, DateOnly to) => r.PeriodFrom <= to && r.ApprovalEndsOn >= from;

    /// <summary>A file name inside a request's folder: the uploaded name made safe, its extension kept.</summary>
    public static string FileName(string uploaded)
    {
        // Not Path.GetExtension: the name is the uploader's text, and a '/' in it is a character, not a directory.
        var dot = uploaded.LastIndexOf('.');
        var ext = dot >= 0 ? uploaded[dot..] : "";
        if (ext.Length is > 1 and <= 8 && ext.Skip(1).All(char.IsAsciiLetterOrDigit))
        {
            return SectionFiles.Sanitize(uploaded[..dot], "attachment") + ext.ToLowerInvariant();
        }
        return SectionFiles.Sanitize(uploaded, "attachment");
    }

    public static byte[] Xlsx(string hospitalName, string scope, DateTimeOffset generatedAt, IReadOnlyList<RegisterRow> register,
        IReadOnlyList<(SubcontractDetail Detail, string Folder)> requests)
    {
        using var package = PrintPage.Workbook("再委託（事前承認の記録）", hospitalName);
        var ws = package.Workbook.Worksheets.Add("再委託先台帳");
        var row = PrintPage.Sheet(ws, "再委託先台帳（承認済みの再委託先・再々委託先）", hospitalName, generatedAt, scope,
        [
            ("事業者", 22), ("契約", 22), ("対象システム", 20), ("階層", 8), ("委託元", 20), ("再委託先", 22), ("法人番号", 15), ("所在国", 8), ("データ保存国", 10),
            ("国外", 6), ("個人情報", 8), ("医療情報", 8), ("業務内容", 30), ("期間", 24), ("承認期限", 12), ("決定", 12), ("条件", 30), ("決定日時", 18),
            ("状況", 8), ("認証", 30),
        ]);
        foreach (var r in register)
        {
            PrintPage.Row(ws, row++, r.VendorName, r.EngagementTitle, string.Join("、", r.Systems), r.Depth == 1 ? "再委託" : $"再々委託（{r.Depth}次）", r.ParentName ?? r.VendorName,
                r.Name, r.CorporateNumber, r.Country, r.DataStorageCountry, Yes(r.Foreign), Yes(r.HandlesPersonalInformation), Yes(r.HandlesMedicalInformation), r.Work,
                $"{PrintPage.Date(r.PeriodFrom)}〜{PrintPage.Date(r.PeriodTo)}", PrintPage.Date(r.ApprovalEndsOn), State(r.Decision), r.Conditions, PrintPage.Time(r.DecidedAt),
                Status(r.Status),
                string.Join("\n", r.Certifications.Select(c => $"{Certification(c.Kind)} {c.Number}（{PrintPage.Date(c.ExpiresOn)}まで{(c.Expired ? "・期限切れ" : "")}）")));
        }
        if (register.Count == 0)
        {
            PrintPage.Row(ws, row, "該当なし");
        }

        ws = package.Workbook.Worksheets.Add("申請と決定");
        row = PrintPage.Sheet(ws, "再委託申請と経営層の決定", hospitalName, generatedAt, scope,
        [
            ("事業者", 22), ("契約", 22), ("対象システム", 20), ("再委託先（直接）", 22), ("社数", 6), ("状態", 14), ("版", 5), ("初回申請", 18), ("決定日時", 18),
            ("決定理由", 30), ("条件", 30), ("承認期限（経営層の指定）", 14), ("承認の終了日", 12), ("国外の注意の確認", 18), ("添付", 6), ("添付フォルダ", 22), ("内容ハッシュ (SHA-256)", 30),
        ]);
        foreach (var (d, folder) in requests)
        {
            var r = d.Request;
            PrintPage.Row(ws, row++, d.VendorName, d.EngagementTitle, string.Join("、", d.SystemNames), d.Root.Subcontractor.Name, d.Nodes.Count().ToString(),
                State(r.State), r.Version.ToString(), PrintPage.Time(r.FirstSubmittedAt), PrintPage.Time(r.DecidedAt), r.DecisionReason, r.Conditions,
                PrintPage.Date(r.ValidUntil), r.IsApproved ? PrintPage.Date(d.ApprovalEndsOn) : "", PrintPage.Time(r.ForeignAcknowledgedAt),
                d.Attachments.Count.ToString(), d.Attachments.Count > 0 ? folder : "", r.ContentHash);
        }
        if (requests.Count == 0)
        {
            PrintPage.Row(ws, row, "該当なし");
        }

        ws = package.Workbook.Worksheets.Add("審査・決定の履歴");
        row = PrintPage.Sheet(ws, "審査・決定の履歴（院内限定のコメントを含む）", hospitalName, generatedAt, scope,
        [
            ("事業者", 22), ("再委託先（直接）", 22), ("日時", 18), ("操作", 22), ("版", 5), ("実施者", 18), ("役割", 16), ("意見", 20), ("コメント・理由", 40),
            ("院内限定", 8), ("ハッシュ (SHA-256)", 30),
        ]);
        foreach (var (d, _) in requests)
        {
            foreach (var h in d.History)
            {
                PrintPage.Row(ws, row++, d.VendorName, d.Root.Subcontractor.Name, PrintPage.Time(h.At), Action(h.Action), h.Version.ToString(), h.ActorName, h.ActorRole,
                    Opinion(h.Opinion), h.Comment, h.Withheld ? "非表示" : "", h.ContentHash);
            }
        }
        if (requests.Count == 0)
        {
            PrintPage.Row(ws, row, "該当なし");
        }
        return package.GetAsByteArray();
    }

    private static string Yes(bool value) => value ? "○" : "";
}

/// <summary>
/// 08_subcontracting: the 再委託 register and every step of every request relevant to the period (decided, reviewed or
/// submitted in it, or approved for work overlapping it), with the request attachments, grouped per request.
/// </summary>
public sealed class SubcontractingSection(SubcontractRegister register, SubcontractReader reader, AppDbContext db) : IBundleSection
{
    public int Order => 80;
    public string Folder => "08_subcontracting";
    public string Title => "再委託（事前承認の記録）";
    public string Description =>
        "事業者からの再委託・再々委託の申請と、医療機関による確認、安全管理責任者の意見、経営層の決定（承認・条件付き承認・却下・差戻し）の記録、承認済み再委託先の台帳、申請の添付資料です（ガイドライン 経営管理編 5.2.2）。院内限定のコメントを含みます。";

    public async Task WriteAsync(BundleContext context, CancellationToken cancellationToken)
    {
        var start = context.PeriodStart.ToUniversalTime();
        var end = context.PeriodEnd.ToUniversalTime();
        var hospitalId = context.HospitalId;
        var rows = (await register.ListAsync(hospitalId, includeEnded: true, ct: cancellationToken, asOf: context.Today))
            .Where(r => SubcontractDocument.Overlaps(r, context.PeriodFrom, context.PeriodTo) && r.DecidedAt < context.GeneratedAt).ToList();
        var stepped = await (from ev in db.SubcontractEvents.AsNoTracking()
                             join r in db.SubcontractRequests on ev.RequestId equals r.Id
                             where r.HospitalId == hospitalId && r.FirstSubmittedAt != null && ev.At >= start && ev.At < end
                             select r.Id).Distinct().ToListAsync(cancellationToken);
        var ids = stepped.Concat(rows.Select(r => r.RequestId)).Distinct().ToList();

        var details = new List<SubcontractDetail>();
        foreach (var id in ids)
        {
            if (await reader.DetailAsync(id, cancellationToken) is { } d)
            {
                // Only what was recorded before the bundle was generated.
                details.Add(d with
                {
                    History = [.. d.History.Where(h => h.At < context.GeneratedAt).OrderBy(h => h.At).ThenBy(h => h.Id)],
                    Attachments = [.. d.Attachments.Where(a => a.UploadedAt < context.GeneratedAt).OrderBy(a => a.UploadedAt).ThenBy(a => a.Id)],
                });
            }
        }
        var ordered = details.OrderBy(d => d.VendorName, StringComparer.Ordinal).ThenBy(d => d.Request.FirstSubmittedAt).ThenBy(d => d.Request.Id)
            .Select((d, i) => (Detail: d, Folder: $"attachments/request-{i + 1:000}")).ToList();

        await context.AddWorkbookAsync("再委託の記録.xlsx", $"再委託先台帳・申請と決定・審査の履歴（申請 {ordered.Count} 件）",
            SubcontractDocument.Xlsx(context.HospitalName, PrintPage.Scope(context), context.GeneratedAt, rows, ordered), cancellationToken: cancellationToken);

        var total = ordered.Sum(x => x.Detail.Attachments.Count);
        var done = 0;
        foreach (var (d, folder) in ordered.Where(x => x.Detail.Attachments.Count > 0))
        {
            var group = $"添付資料: {d.VendorName} — {d.Root.Subcontractor.Name}（{folder}）";
            var names = new FileNameSet();
            for (var i = 0; i < d.Attachments.Count; i++)
            {
                var a = d.Attachments[i];
                var id = a.Id;
                // One attachment at a time, through the tenant filter (content of an attachment the hospital can see).
                var bytes = await db.SubcontractAttachmentContents.AsNoTracking().Where(c => c.AttachmentId == id).Select(c => c.Bytes).SingleAsync(cancellationToken);
                await context.AddFileAsync($"{folder}/{names.Unique(SubcontractDocument.FileName(a.FileName), "attachment")}", a.Description ?? a.FileName, bytes, group: group,
                    note: $"{PrintPage.Time(a.UploadedAt)} {a.UploadedByName} 登録、SHA-256 {a.Sha256}", cancellationToken: cancellationToken);
                context.ReportProgress(++done, total);
            }
        }

        var approved = rows.Select(r => r.RequestId).Distinct().Count();
        context.Note(ordered.Count == 0
            ? "対象期間に関係する再委託の申請・承認はありません（該当なし）。"
            : $"対象期間に関係する申請 {ordered.Count} 件（承認済みで期間に係るもの {approved} 件、再委託先 {rows.Count} 社）、添付資料 {total} 件。");
    }
}
