using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VendorPortal.Features.Inspection.Export;
using VendorPortal.IntegrationTests.Support;

namespace VendorPortal.IntegrationTests.Inspection;

/// <summary>What the test section does while the runner writes it: nothing, throw, or call back (e.g. cancel the run).</summary>
public sealed class SectionHook
{
    public Action? During { get; set; }
}

/// <summary>A bundle part for the job tests: one small known text file, and a hook to break the run mid-way.</summary>
public sealed class HookSection(SectionHook hook) : IBundleSection
{
    public const string Content = "検証用テストファイル: この内容の1バイトを書き換えると検証で検出されます。";
    public const string PathInBundle = "99_test/test.txt";
    public int Order => 990;
    public string Folder => "99_test";
    public string Title => "テスト用の資料";
    public string Description => "ジョブのテストが使う小さなファイルです。";

    public async Task WriteAsync(BundleContext context, CancellationToken cancellationToken)
    {
        await context.AddTextAsync("test.txt", "テストファイル", Content, cancellationToken: cancellationToken);
        hook.During?.Invoke();
        cancellationToken.ThrowIfCancellationRequested();
    }
}

/// <summary>The portal with the hook section added; the runner and sweeper are called by the tests (Scheduling is off in tests).</summary>
public sealed class InspectionFactory : PortalFactory
{
    public SectionHook Hook { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s =>
        {
            s.AddSingleton(Hook);
            s.AddScoped<IBundleSection, HookSection>();
        });
    }

    public InspectionExportRunner Runner => Services.GetRequiredService<InspectionExportRunner>();
    public InspectionExportSweeper Sweeper => Services.GetRequiredService<InspectionExportSweeper>();

    public Task<InspectionExport> RowAsync(Guid id)
        => WithDbAsync((db, _) => db.InspectionExports.AsNoTracking().SingleAsync(x => x.Id == id));

    public Task UpdateRowAsync(Guid id, Action<InspectionExport> change)
        => WithDbAsync(async (db, _) =>
        {
            var row = await db.InspectionExports.SingleAsync(x => x.Id == id);
            change(row);
            row.Revision++;
            await db.SaveChangesAsync();
        });

    /// <summary>A Queued export of this hospital as if the user had asked for it (the service, as the page does).</summary>
    public Task<InspectionExport> QueueAsync(TenantSet t, string role, int fiscalYear = 2026)
        => WithDbAsync(async (_, sp) =>
        {
            var result = await sp.GetRequiredService<InspectionExportService>()
                .RequestAsync(t.Hospital.Id, fiscalYear, null, null, t[role].Id, $"{role} user");
            return result.Export ?? throw new InvalidOperationException(string.Join(", ", result.Problems));
        });

    public string ZipPath(Guid id) => Path.Combine(BundleDirectory, id.ToString("D") + ".zip");
    public string PartPath(Guid id) => ZipPath(id) + ".part";

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(BundleDirectory))
        {
            Directory.Delete(BundleDirectory, recursive: true);
        }
    }

    public static string ExportsPath(TenantSet t) => $"/Hospitals/{t.Hospital.Id}/Inspection/Exports";
    public static string DownloadPath(Guid hospitalId, Guid exportId) => $"/Hospitals/{hospitalId}/Inspection/Exports/{exportId}/Download";

    public static bool IsDenied(HttpResponseMessage r)
        => r.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden
           || (r.StatusCode == HttpStatusCode.Redirect && new Uri(new Uri("https://localhost"), r.Headers.Location!).AbsolutePath == "/Account/AccessDenied");
}
