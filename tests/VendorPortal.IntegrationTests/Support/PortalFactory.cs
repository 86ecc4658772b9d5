using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using VendorPortal.Features.Account;
using VendorPortal.Features.Organizations;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.IntegrationTests.Support;

/// <summary>The real portal against this class's own database (cloned from the migrated template).</summary>
public class PortalFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";
    public string OutboxPath { get; } = Path.Combine(Path.GetTempPath(), "vp-outbox-" + Guid.NewGuid().ToString("N"));
    /// <summary>Where this factory's inspection bundles are written (never under the source tree).</summary>
    public string BundleDirectory { get; } = Path.Combine(Path.GetTempPath(), "vp-bundles-" + Guid.NewGuid().ToString("N"));
    protected virtual string EnvironmentName => "Testing";
    protected virtual IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>();
    /// <summary>Name prefix of this factory's own database (cloned from the template), to tell kinds of test apart in psql.</summary>
    protected virtual string DatabasePrefix => "vp_t";

    public virtual async Task InitializeAsync() => ConnectionString = await TestDatabase.CreateAsync(DatabasePrefix);

    public new virtual Task DisposeAsync() => base.DisposeAsync().AsTask();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        builder.UseSetting("ConnectionStrings:Default", ConnectionString);
        builder.UseSetting("Email:Mode", "Outbox");
        builder.UseSetting("Email:OutboxPath", OutboxPath);
        builder.UseSetting("Account:SecurityStampValidationMinutes", "0");
        builder.UseSetting("Account:PublicBaseUrl", "https://localhost");
        builder.UseSetting("Seed:DemoData", "false");
        builder.UseSetting("Inspection:BundleDirectory", BundleDirectory);
        foreach (var (k, v) in ExtraSettings)
        {
            builder.UseSetting(k, v);
        }
    }

    /// <summary>A browser-like client: cookies kept, redirects not followed (tests assert them), HTTPS base so Secure cookies flow.</summary>
    public virtual PortalClient CreatePortalClient()
        => new(CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri("https://localhost") }));

    /// <summary>Runs <paramref name="work"/> with a system-scoped (unfiltered) database context.</summary>
    public async Task<T> WithDbAsync<T>(Func<AppDbContext, IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<AppDbContext>(), scope.ServiceProvider);
    }

    public Task WithDbAsync(Func<AppDbContext, IServiceProvider, Task> work)
        => WithDbAsync<bool>(async (db, sp) => { await work(db, sp); return true; });

    public TestTenants Tenants => new(this);
}
