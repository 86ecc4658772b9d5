using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VendorPortal.Features.Account;
using VendorPortal.Features.ApiKeys;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Email;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Scheduling;
using VendorPortal.Infrastructure.Security;
using VendorPortal.Infrastructure.Seeding;
using VendorPortal.Infrastructure.Tenancy;

using VendorPortal.Features.Reminders;

namespace VendorPortal.Infrastructure.Web;

/// <summary>Service registration for the whole portal, in one readable place.</summary>
public static class PortalServices
{
    public const string PortalScheme = "Portal";

    public static WebApplicationBuilder AddPortal(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;

        services.AddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();
        services.Configure<AccountOptions>(config.GetSection("Account"));
        services.Configure<AuditOptions>(config.GetSection("Audit"));
        services.Configure<EmailOptions>(config.GetSection("Email"));

        // Tenancy and auditing
        services.AddScoped<ActingUser>();
        services.AddScoped<ITenantContext, HttpTenantContext>();
        services.AddScoped<IAuditActor, HttpAuditActor>();
        services.AddScoped<AuditLog>();
        services.AddScoped<AuditVerification>();
        services.AddScoped<AuditRetention>();
        // Read lazily: test hosts and tools override configuration after this method has run.
        services.AddDbContext<AppDbContext>((sp, o) => o.UseNpgsql(sp.GetRequiredService<IConfiguration>().GetConnectionString("Default")
            ?? throw new InvalidOperationException("ConnectionStrings:Default is not set (see appsettings.Example.json).")));

        // Identity: password rule of the MHLW checklist, lockout 5 tries / 15 minutes, MFA mandatory.
        services.AddSingleton<CommonPasswordList>();
        services.AddIdentity<AppUser, AppRole>(o =>
            {
                o.Password.RequiredLength = PasswordRules.MinimumLength;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 1;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                o.User.RequireUniqueEmail = true;
                o.SignIn.RequireConfirmedAccount = false;
            })
            .AddEntityFrameworkStores<AppDbContext>()
            .AddUserStore<PortalUserStore>()
            .AddSignInManager<PortalSignInManager>()
            .AddClaimsPrincipalFactory<PortalClaimsPrincipalFactory>()
            .AddPasswordValidator<PortalPasswordValidator<AppUser>>()
            .AddDefaultTokenProviders();
        services.AddScoped(sp => (PortalSignInManager)sp.GetRequiredService<SignInManager<AppUser>>());

        services.AddOptions<SecurityStampValidatorOptions>().Configure<IOptions<AccountOptions>>((o, account) =>
        {
            o.ValidationInterval = TimeSpan.FromMinutes(account.Value.SecurityStampValidationMinutes);
            // Keep "amr=mfa" when the principal is rebuilt, or every refresh would demand a new code.
            o.OnRefreshingPrincipal = ctx =>
            {
                var amr = ctx.CurrentPrincipal?.FindAll(PortalClaims.Amr).Select(c => c.Value).ToList() ?? [];
                if (ctx.NewPrincipal?.Identity is System.Security.Claims.ClaimsIdentity identity)
                {
                    foreach (var value in amr.Where(v => !identity.HasClaim(PortalClaims.Amr, v)))
                    {
                        identity.AddClaim(new System.Security.Claims.Claim(PortalClaims.Amr, value));
                    }
                }
                return Task.CompletedTask;
            };
        });
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "vp.session";
            o.Cookie.HttpOnly = true;
            o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.SlidingExpiration = true;
            o.LoginPath = "/Account/Login";
            o.LogoutPath = "/Account/Logout";
            o.AccessDeniedPath = "/Account/AccessDenied";
            o.Events.OnRedirectToLogin = ctx => ApiAware(ctx, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = ctx => ApiAware(ctx, StatusCodes.Status403Forbidden);
        });
        services.AddOptions<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IOptions<AccountOptions>>((o, account) => o.ExpireTimeSpan = TimeSpan.FromMinutes(account.Value.IdleTimeoutMinutes));
        services.ConfigureExternalCookie(o => o.Cookie.SecurePolicy = CookieSecurePolicy.Always);
        services.PostConfigureAll<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(o =>
        {
            o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
        });

        // One default scheme: API keys when the request carries one, otherwise the session cookie.
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = PortalScheme;
                o.DefaultAuthenticateScheme = PortalScheme;
                o.DefaultChallengeScheme = PortalScheme;
                o.DefaultForbidScheme = PortalScheme;
            })
            .AddPolicyScheme(PortalScheme, "Session or API key", o => o.ForwardDefaultSelector = ctx =>
                ApiKeyAuthenticationHandler.HasApiKey(ctx.Request) ? ApiKeyAuthenticationHandler.SchemeName : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);

        services.AddAuthorization(Policies.Register);
        services.AddScoped<IAuthorizationHandler, PortalAuthorizationHandler>();
        services.AddScoped<IHospitalVisibility, HospitalVisibility>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, PortalAuthorizationResultHandler>();

        var development = builder.Environment.IsDevelopment();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "vp.af";
            // Antiforgery refuses to issue a Secure-only token on plain HTTP. ./run.sh serves
            // http://127.0.0.1 in Development, so there (only) the cookie follows the request's scheme.
            o.Cookie.SecurePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.HeaderName = "RequestVerificationToken";
        });

        // Data Protection keys in the database: two instances share cookies.
        services.AddSingleton<DatabaseXmlRepository>();
        services.AddDataProtection().SetApplicationName("VendorPortal");
        services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((o, sp) => o.XmlRepository = sp.GetRequiredService<DatabaseXmlRepository>());

        // Localization: Japanese first, English available.
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        services.Configure<RequestLocalizationOptions>(o =>
        {
            var cultures = new[] { new CultureInfo("ja-JP"), new CultureInfo("en") };
            o.DefaultRequestCulture = new RequestCulture("ja-JP");
            o.SupportedCultures = cultures;
            o.SupportedUICultures = cultures;
            o.RequestCultureProviders = [new CookieRequestCultureProvider { CookieName = CultureCookie.Name }];
        });
        services.AddRazorPages(o =>
            {
                o.RootDirectory = "/Features";
                o.Conventions.ConfigureFilter(new Microsoft.AspNetCore.Mvc.AutoValidateAntiforgeryTokenAttribute());
                o.Conventions.ConfigureFilter(new RequireHandlerForUnsafeMethods());
            })
            .AddViewLocalization()
            .AddDataAnnotationsLocalization(o => o.DataAnnotationLocalizerProvider = (_, f) => f.Create(typeof(SharedResource)));

        // Japanese text is written as-is, not as &#x...; escapes (HTML-special characters are still encoded).
        services.AddWebEncoders(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddProblemDetails();
        services.AddOpenApi("v1", o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "VendorPortal API";
            doc.Info.Description = "Vendor security evidence for Japanese hospitals. Authenticate with a session (plus antiforgery header on unsafe methods) or a personal API key: Authorization: Bearer vpk_…";
            return Task.CompletedTask;
        }));
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");

        // Features
        services.AddScoped<Invitations>();
        services.AddScoped<VendorPortal.Features.Forms.FormTemplateCatalog>();
        services.AddScoped<VendorPortal.Features.Forms.SubmissionWorkflow>();
        services.AddScoped<VendorPortal.Features.Forms.Workbooks.FormWorkbookService>();
        services.AddSingleton<VendorPortal.Features.Forms.ParsedFormCache>();
        services.AddScoped<VendorPortal.Features.Gaps.GapQuery>();
        services.AddScoped<VendorPortal.Features.Gaps.GapExportService>();
        services.AddScoped<VendorPortal.Features.Disclosures.DisclosureService>();
        services.AddScoped<VendorPortal.Features.RemoteMaintenance.RemoteMaintenanceService>();
        services.AddScoped<VendorPortal.Infrastructure.Notifications.Notifier>();
        services.AddScoped<VendorPortal.Infrastructure.Notifications.NotificationInbox>();
        services.AddScoped<VendorPortal.Features.Subcontracting.SubcontractWorkflow>();
        services.AddScoped<VendorPortal.Features.Subcontracting.SubcontractReader>();
        services.AddScoped<VendorPortal.Features.Subcontracting.SubcontractRegister>();
        services.AddSingleton(sp => VendorPortal.Features.Responsibility.MatrixTemplate.Load(sp.GetRequiredService<IWebHostEnvironment>().ContentRootPath));
        services.AddSingleton<VendorPortal.Features.Responsibility.ParsedMatrixCache>();
        services.AddScoped<VendorPortal.Features.Responsibility.ResponsibilityService>();
        services.AddScoped<VendorPortal.Features.Ledger.LedgerService>();
        services.AddScoped<VendorPortal.Features.Ledger.LedgerImport>();
        services.AddScoped<VendorPortal.Features.Policy.CompliancePolicyStore>();
        services.AddSingleton(sp => VendorPortal.Features.Contacts.AuthorityList.Load(sp.GetRequiredService<IWebHostEnvironment>().ContentRootPath));
        services.AddScoped<VendorPortal.Features.Contacts.ContactService>();
        services.AddScoped<VendorPortal.Features.Patches.PatchService>();
        VendorPortal.Features.Inspection.Export.InspectionExportServices.AddInspectionExport(services);
        services.AddScoped<VendorPortal.Features.Inspection.Bcp.BcpService>();
        services.AddScoped<VendorPortal.Features.Inspection.Readiness.ReadinessService>();
        services.AddScoped<ApiKeyService>();
        services.AddScoped<VendorPortal.Features.Audit.AuditSearch>();
        services.AddScoped<VendorPortal.Features.Admin.UserDirectory>();
        services.AddScoped<UnusedAccountDeactivation>();
        services.AddScoped<DemoDataSeeder>();
        services.AddScoped<RoleSeeder>();
        services.AddSingleton<MigrationRunner>();
        services.AddSingleton<OutboxEmailSender>();
        services.AddSingleton<IEmailSender>(sp => sp.GetRequiredService<IOptions<EmailOptions>>().Value.IsOutbox
            ? sp.GetRequiredService<OutboxEmailSender>()
            : ActivatorUtilities.CreateInstance<SmtpEmailSender>(sp));

        services.AddReminders(config);
        services.AddPortalScheduling(config);
        return builder;
    }

    private static Task ApiAware(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> ctx, int status)
    {
        if (ApiPaths.IsApi(ctx.Request))
        {
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }
}

public static class CultureCookie
{
    public const string Name = "vp.culture";
}
