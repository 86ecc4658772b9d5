using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Security;

namespace VendorPortal.Infrastructure.Web;

public static class PortalPipeline
{
    public static WebApplication UsePortal(this WebApplication app)
    {
        if (app.Configuration.GetValue("Network:BehindProxy", false))
        {
            // Behind a TLS-terminating proxy: take the client's address and scheme from X-Forwarded-*,
            // so the audit log records the user's IP and HSTS/Secure cookies see HTTPS.
            var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto };
            foreach (var proxy in app.Configuration.GetSection("Network:KnownProxies").Get<string[]>() ?? [])
            {
                forwarded.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
            }
            app.UseForwardedHeaders(forwarded);
        }
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandlingPath = "/Error", AllowStatusCode404Response = true });
        }
        if (app.Configuration.GetValue("Security:UseHsts", false))
        {
            app.UseHsts();
        }
        app.UseSecurityHeaders();
        app.UseWhen(c => ApiPaths.IsApi(c.Request), api => api.UseStatusCodePages());
        app.UseWhen(c => !ApiPaths.IsApi(c.Request), pages => pages.UseStatusCodePagesWithReExecute("/Status/{0}"));
        app.UseStaticFiles();
        app.UseRequestLocalization();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
            ResponseWriter = async (ctx, report) =>
            {
                ctx.Response.ContentType = "application/json";
                await JsonSerializer.SerializeAsync(ctx.Response.Body, new
                {
                    status = report.Status.ToString(),
                    database = report.Entries.TryGetValue("database", out var db) ? db.Description : "unknown",
                });
            },
        }).AllowAnonymous();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapRazorPages();
        return app;
    }
}
