namespace VendorPortal.Features.Inspection.Export;

/// <summary>
/// One part of the inspection bundle (checklists, MDS/SDS, 連絡体制図, ledger, …). Each part is a scoped service
/// registered as <see cref="IBundleSection"/> (see <see cref="InspectionExportServices"/>); the exporter runs them in
/// <see cref="Order"/> and gives each its own heading in index.html. A part added to the portal later joins the bundle
/// by registering one more section.
/// <para>
/// Rules every section keeps (they make the bundle deterministic and safe):
/// <list type="bullet">
/// <item>It writes only through <see cref="BundleContext"/>, under its own <see cref="Folder"/>.</item>
/// <item>Rows are read in a fixed order (ORDER BY a name and then the id), never in database order.</item>
/// <item>Any date or time written into a file comes from <see cref="BundleContext.GeneratedAt"/> /
/// <see cref="BundleContext.Today"/>, never from <c>TimeProvider</c> or <c>DateTime.Now</c>.</item>
/// <item>It reads through the tenant filters (the exporter's scope acts as the requesting hospital user), so the
/// bundle never holds anything that hospital's users could not see.</item>
/// <item>Large content (attachments) is streamed into the bundle, never loaded whole, and an .xlsx goes through
/// <see cref="BundleContext.AddWorkbookAsync"/> (which fixes EPPlus's zip timestamps).</item>
/// <item>When there is nothing to show it says so (<see cref="BundleContext.Note"/>, e.g. 「該当なし」) rather than
/// leaving the heading empty.</item>
/// </list>
/// </para>
/// </summary>
public interface IBundleSection
{
    /// <summary>Position in the bundle and in index.html (10, 20, 30 … leaving room between).</summary>
    int Order { get; }

    /// <summary>The section's folder in the ZIP: ASCII, numbered like the order, e.g. "01_checklists".</summary>
    string Folder { get; }

    /// <summary>The Japanese heading in index.html, e.g. 「セキュリティチェックリスト」.</summary>
    string Title { get; }

    /// <summary>One sentence under the heading: what the inspector finds here and why (legal basis where there is one).</summary>
    string Description { get; }

    Task WriteAsync(BundleContext context, CancellationToken cancellationToken);
}
