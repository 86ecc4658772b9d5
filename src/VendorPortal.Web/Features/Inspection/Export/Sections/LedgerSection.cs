using VendorPortal.Features.Ledger;

namespace VendorPortal.Features.Inspection.Export.Sections;

/// <summary>06_ledger: the 医療情報システム台帳 workbook as the ledger page exports it, 作成日 = the bundle's day.</summary>
public sealed class LedgerSection(LedgerImport ledger) : IBundleSection
{
    public int Order => 60;
    public string Folder => "06_ledger";
    public string Title => "医療情報システム台帳";
    public string Description =>
        "医療情報システムとその構成機器（サーバ、端末、ネットワーク機器、医療機器など）の台帳です。管理番号、ソフトウェア・OS のバージョン、設置場所、保守事業者、リモート保守の有無、ネットワーク区分を記載しています（チェックリスト「サーバ、端末PC、ネットワーク機器の台帳管理を行っている」に対応）。";

    public async Task WriteAsync(BundleContext context, CancellationToken cancellationToken)
    {
        var (bytes, components, systems) = await ledger.BuildAsync(context.HospitalId, context.HospitalName, context.Today);
        await context.AddWorkbookAsync("医療情報システム台帳.xlsx", $"医療情報システム台帳（システム {systems} 件、構成機器 {components} 件）", bytes,
            cancellationToken: cancellationToken);
        context.Note(systems == 0 && components == 0
            ? "台帳に登録されたシステム・構成機器はありません（該当なし）。"
            : $"作成日時の時点の台帳: システム {systems} 件、構成機器 {components} 件（廃棄済みを含む）。");
    }
}
