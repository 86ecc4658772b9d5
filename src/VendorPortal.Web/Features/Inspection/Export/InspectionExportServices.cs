using Microsoft.Extensions.Options;
using VendorPortal.Features.Inspection.Export.Sections;

namespace VendorPortal.Features.Inspection.Export;

/// <summary>Registration of the exporter and of every bundle section (one line per part of the bundle).</summary>
public static class InspectionExportServices
{
    public static IServiceCollection AddInspectionExport(this IServiceCollection services)
    {
        services.AddScoped<InspectionBundleExporter>();
        // The parts of the bundle, in any order here: IBundleSection.Order decides.
        services.AddScoped<IBundleSection, GapsSection>();
        services.AddScoped<IBundleSection, ChecklistsSection>();
        services.AddScoped<IBundleSection, DisclosuresSection>();
        services.AddScoped<IBundleSection, RemoteMaintenanceSection>();
        services.AddScoped<IBundleSection, ContactsSection>();
        services.AddScoped<IBundleSection, LedgerSection>();
        services.AddScoped<IBundleSection, ResponsibilitySection>();
        services.AddScoped<IBundleSection, SubcontractingSection>();
        services.AddScoped<IBundleSection, EosPatchesSection>();
        services.AddScoped<IBundleSection, AuditSection>();
        services.AddScoped<IBundleSection, BcpSection>();

        // The export job (the Quartz queue is added by Scheduling when it is enabled).
        services.AddOptions<InspectionExportOptions>().BindConfiguration("Inspection")
            .PostConfigure<IHostEnvironment>((o, env) =>
            {
                if (string.IsNullOrWhiteSpace(o.BundleDirectory))
                {
                    o.BundleDirectory = Path.Combine(env.ContentRootPath, "data", "inspection-bundles");
                }
                o.BundleDirectory = Path.GetFullPath(o.BundleDirectory, env.ContentRootPath);
            });
        services.AddSingleton<InspectionExportRunner>();
        services.AddSingleton<InspectionExportSweeper>();
        services.AddScoped<InspectionExportService>();
        return services;
    }
}
