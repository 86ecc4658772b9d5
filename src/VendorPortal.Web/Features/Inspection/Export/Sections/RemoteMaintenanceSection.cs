using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Forms;
using VendorPortal.Features.Forms.Workbooks;
using VendorPortal.Features.Ledger;
using VendorPortal.Infrastructure.Data;

namespace VendorPortal.Features.Inspection.Export.Sections;

/// <summary>
/// Remote maintenance: the リモートメンテナンス開示 of the hospital's systems (latest submitted version of each, as
/// .xlsx, grouped by system) and the list of ledger components that use remote maintenance (not retired on the
/// bundle's date), ordered by 管理番号, as a printable HTML page and .xlsx.
/// </summary>
public sealed class RemoteMaintenanceSection(AppDbContext db, FormWorkbookService workbooks) : IBundleSection
{
    public int Order => 50;
    public string Folder => "05_remote-maintenance";
    public string Title => "リモートメンテナンス（開示書と利用機器）";
    public string Description =>
        "事業者から提出されたリモートメンテナンスの開示書（システムごとの最新提出版）と、医療情報システム台帳でリモートメンテナンスを利用すると登録されている機器の一覧です。";

    public static readonly IReadOnlyList<SectionColumn> DeviceColumns =
    [
        new("管理番号", 12), new("システム", 18), new("種別", 12), new("名称", 20), new("製造業者", 14), new("型式", 14),
        new("保守事業者", 20), new("IPアドレス", 16), new("ネットワーク区分", 10), new("設置場所", 14),
    ];

    public async Task WriteAsync(BundleContext context, CancellationToken cancellationToken)
    {
        var hospitalId = context.HospitalId;

        // 1. The disclosures (the filter shows the hospital only submitted ones; LatestVersion > 0 says so again).
        var disclosures = (await (from s in db.FormSubmissions.AsNoTracking()
                                  where s.HospitalId == hospitalId && s.Kind == FormKind.RemoteMaintenance && s.LatestVersion > 0
                                  join o in db.Organizations on s.RespondentOrganizationId equals o.Id
                                  join v in db.FormSubmissionVersions on new { SubmissionId = s.Id, Number = s.LatestVersion } equals new { v.SubmissionId, v.Number }
                                  select new
                                  {
                                      Submission = s, VendorName = o.Name, v.SubmittedAt,
                                      SystemName = db.MedicalSystems.Where(m => m.Id == s.SystemId).Select(m => m.Name).FirstOrDefault(),
                                  }).ToListAsync(cancellationToken))
            .OrderBy(x => x.SystemName ?? "", StringComparer.Ordinal).ThenBy(x => x.VendorName, StringComparer.Ordinal).ThenBy(x => x.Submission.Id)
            .ToList();
        var names = new FileNameSet();
        foreach (var d in disclosures)
        {
            var s = d.Submission;
            var file = await workbooks.ExportSubmissionAsync(s, s.LatestVersion, cancellationToken, context.Today, recordAudit: false)
                ?? throw new InvalidOperationException("A submitted remote-maintenance disclosure has no submitted version.");
            var name = names.Unique(FormWorkbookService.FileName("リモートメンテナンス開示", d.SystemName, d.VendorName, $"第{s.LatestVersion}版"));
            await context.AddWorkbookAsync("disclosures/" + name,
                $"リモートメンテナンス開示（{d.VendorName}、第{s.LatestVersion}版、{SectionTable.DateTime(d.SubmittedAt)} 提出、{ChecklistStatus.ReviewLabel(s.State)}）",
                file.Bytes, d.SystemName is null ? "対象システム: —" : $"対象システム: {d.SystemName}", cancellationToken: cancellationToken);
        }
        if (disclosures.Count == 0)
        {
            context.Note("リモートメンテナンス開示書: 該当なし（提出された開示書はありません）。");
        }

        // 2. The devices with remote maintenance = yes, not retired on the bundle's date.
        var today = context.Today;
        var devices = (await (from c in db.SystemComponents.AsNoTracking()
                              where c.HospitalId == hospitalId && c.UsesRemoteMaintenance && (c.RetiredOn == null || c.RetiredOn > today)
                              join m in db.MedicalSystems on c.SystemId equals m.Id
                              select new
                              {
                                  c.Id, c.ManagementNumber, SystemName = m.Name, c.Kind, c.Name, c.Maker, c.Model, c.IpAddress, c.NetworkSegment, c.Location,
                                  Vendor = db.Organizations.Where(o => o.Id == c.SupplierVendorId).Select(o => o.Name).FirstOrDefault(),
                              }).ToListAsync(cancellationToken))
            .OrderBy(x => x.ManagementNumber, StringComparer.Ordinal).ThenBy(x => x.Id).ToList();
        if (devices.Count == 0)
        {
            context.Note("リモートメンテナンスを利用する機器: 該当なし（台帳に登録されていません）。");
            return;
        }
        var table = new SectionTable("リモートメンテナンス利用機器一覧",
            [$"医療機関: {context.HospitalName}", $"作成日時: {SectionTable.DateTime(context.GeneratedAt)}（この時点の医療情報システム台帳。廃棄済みの機器を除く）"],
            DeviceColumns,
            [.. devices.Select(d => (IReadOnlyList<object?>)[
                d.ManagementNumber, d.SystemName, LedgerRules.KindLabels.GetValueOrDefault(d.Kind, d.Kind.ToString()), d.Name, d.Maker, d.Model, d.Vendor,
                d.IpAddress, d.NetworkSegment is { } seg ? LedgerRules.SegmentLabels.GetValueOrDefault(seg) : null, d.Location])],
            [$"{devices.Count} 台"]);
        await context.AddTextAsync("リモートメンテナンス利用機器一覧.html", $"リモートメンテナンス利用機器一覧（印刷用、{devices.Count} 台）", table.ToHtml(), cancellationToken: cancellationToken);
        await context.AddWorkbookAsync("リモートメンテナンス利用機器一覧.xlsx", $"リモートメンテナンス利用機器一覧（Excel、{devices.Count} 台）", table.ToXlsx("利用機器"),
            cancellationToken: cancellationToken);
    }
}
