using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using NpgsqlTypes;
using VendorPortal.Features.Account;
using VendorPortal.Features.ApiKeys;
using VendorPortal.Features.Forms;
using VendorPortal.Features.Organizations;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Time;
using VendorPortal.Infrastructure.Web;

namespace VendorPortal.Bench;

/// <summary>
/// The scale data set of the performance requirement, into an empty database:
/// 300 hospitals; one big vendor with 40 products serving all 300; a target hospital with 150 vendors;
/// 2,000 submitted 事業者確認用 checklists of 100 answered items (the target hospital has 300 of them: 150 vendors
/// × 2 年度), with several versions, returns, acceptances and いいえ answers with and without 目標日.
///
/// Reference rows (the template, users, API keys, the upload draft) go through the product's own services;
/// the bulk rows go in with binary COPY. Only the product's own services write audit events, so the chain
/// stays intact (the bulk rows have none: the pages measured never read the audit log).
/// </summary>
internal static class ScaleSeeder
{
    public const int HospitalCount = 300;
    public const int TargetVendorCount = 150;      // the big vendor + 149 others
    public const int OtherVendorCount = 250;       // pool of smaller vendors (V001..V250)
    public const int ProductCount = 40;
    public const int SubmissionCount = 2_000;
    public const int TargetProducts = 12;          // big-vendor products in use at the target hospital
    public const int TargetPerSystemChecklists = 8; // the big vendor answers per system for 8 of them this 年度
    public const int TargetLateVendors = 8;        // vendors with only a draft for this 年度 at the target

    public static Guid IdFor(string key) => new(MD5.HashData(Encoding.UTF8.GetBytes("vendorportal-bench:" + key)));

    public static async Task<int> RunAsync(BenchOptions o)
    {
        var clock = Stopwatch.StartNew();
        var connection = o.Required("connection");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [], ContentRootPath = Path.GetFullPath(o.Required("content-root")), EnvironmentName = Environments.Production,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Default"] = connection,
            ["Scheduling:Enabled"] = "false",
            ["Seed:DemoData"] = "false",
            ["Email:Mode"] = "Outbox",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.AddPortal();
        await using var app = builder.Build();

        // The portal's own migrate step: migrations, role rows, seed-data/forms templates.
        await Startup.MigrateAsync(app);
        var data = new ScaleData(JapanTime.TodayInJapan(TimeProvider.System));

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            if (await db.Organizations.IgnoreQueryFilters().AnyAsync())
            {
                throw new BenchException("the database already has organizations; bench/run.sh seeds a freshly created database");
            }
            var (template, content) = BenchTemplate.Build();
            var version = scope.ServiceProvider.GetRequiredService<FormTemplateCatalog>().Add(template, content, FormTemplateCatalog.Hash(content), "bench", null);
            await db.SaveChangesAsync();
            data.Template = template;
            data.TemplateHash = version.ContentHash;
        }

        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync();
        data.BuildOrganizations();
        await CopyOrganizationsAsync(conn, data);

        // Users through Identity (password hash, security stamp, authenticator key), as an admin would create them.
        var password = "Bench-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        string reviewerKey, vendorKey;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            reviewerKey = await CreateUserAsync(users, data.ReviewerId, data.TargetHospitalId, Roles.SystemOperator, ScaleData.ReviewerEmail, "ベンチ システム運用担当", password);
            vendorKey = await CreateUserAsync(users, data.VendorUserId, data.BigVendorId, Roles.VendorAdmin, ScaleData.VendorEmail, "ベンチ 事業者管理者", password);
        }

        data.BuildSubmissions();
        await CopySubmissionsAsync(conn, data);
        var subcontractors = await SubcontractSeed.CopyAsync(conn, data);
        Console.WriteLine($"Subcontractor register of the measured hospital: {subcontractors} approved subcontractor relationships");
        Console.WriteLine(await LedgerSeed.SeedMeasuredHospitalAsync(conn, data.TargetHospitalId, data.Today));

        // The upload target: a draft the vendor starts and fills through the workflow, and both API keys, as the users.
        Guid draftId;
        string hospitalApiKey, vendorApiKey;
        {
            var created = await ActAsAsync(app.Services, data.VendorUserId, async sp =>
            {
                var workflow = sp.GetRequiredService<SubmissionWorkflow>();
                var result = await workflow.CreateVendorChecklistAsync(data.TargetHospitalId, BenchTemplate.Key, data.CurrentYear.StartYear, data.UploadSystemId);
                if (!result.Succeeded)
                {
                    throw new BenchException($"creating the upload draft failed: {result.ErrorCode}");
                }
                var saved = await workflow.SaveDraftAsync(result.Submission!, data.DraftAnswers());
                if (!saved.Succeeded)
                {
                    throw new BenchException($"saving the upload draft failed: {saved.ErrorCode}");
                }
                return result.Submission!.Id;
            });
            draftId = created;
            vendorApiKey = await MintApiKeyAsync(app.Services, data.VendorUserId, "bench upload");
            hospitalApiKey = await MintApiKeyAsync(app.Services, data.ReviewerId, "bench api");
        }

        await using (var analyze = new NpgsqlCommand("VACUUM ANALYZE", conn))
        {
            analyze.CommandTimeout = 300;
            await analyze.ExecuteNonQueryAsync();
        }

        var env = new StringBuilder()
            .AppendLine("# Written by VendorPortal.Bench seed: credentials of the throwaway bench database. Never commit.")
            .AppendLine(CultureInfo.InvariantCulture, $"BENCH_HOSPITAL_ID='{data.TargetHospitalId}'")
            .AppendLine(CultureInfo.InvariantCulture, $"BENCH_REVIEWER_EMAIL='{ScaleData.ReviewerEmail}'")
            .AppendLine(CultureInfo.InvariantCulture, $"BENCH_VENDOR_EMAIL='{ScaleData.VendorEmail}'")
            .AppendLine(CultureInfo.InvariantCulture, $"BENCH_PASSWORD='{password}'")
            .AppendLine(CultureInfo.InvariantCulture, $"BENCH_REVIEWER_TOTP_KEY='{reviewerKey}'")
            .AppendLine(CultureInfo.InvariantCulture, $"BENCH_VENDOR_TOTP_KEY='{vendorKey}'")
            .AppendLine(CultureInfo.InvariantCulture, $"BENCH_HOSPITAL_API_KEY='{hospitalApiKey}'")
            .AppendLine(CultureInfo.InvariantCulture, $"BENCH_VENDOR_API_KEY='{vendorApiKey}'")
            .AppendLine(CultureInfo.InvariantCulture, $"BENCH_DRAFT_ID='{draftId}'")
            .AppendLine(CultureInfo.InvariantCulture, $"BENCH_SEED_SECONDS='{clock.Elapsed.TotalSeconds:F1}'")
            .ToString();
        var outFile = o.Required("out");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outFile))!);
        await File.WriteAllTextAsync(outFile, env);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(outFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"seeded in {clock.Elapsed.TotalSeconds:F1} s: {data.Organizations.Count(x => x.Kind == OrganizationKind.Hospital)} hospitals, " +
            $"{data.Organizations.Count(x => x.Kind == OrganizationKind.Vendor)} vendors, {data.Engagements.Count} engagements, {data.Systems.Count} systems, " +
            $"{data.Submissions.Count(s => s.LatestVersion > 0)} submitted checklists ({data.Submissions.Count(s => s.LatestVersion > 0 && s.HospitalId == data.TargetHospitalId)} for the target hospital), " +
            $"{data.Versions.Count} versions, {data.Events.Count} review events"));
        return 0;
    }

    private static async Task<string> CreateUserAsync(UserManager<AppUser> users, Guid id, Guid organizationId, string role, string email, string name, string password)
    {
        var user = new AppUser
        {
            Id = id, UserName = email, Email = email, EmailConfirmed = true, DisplayName = name,
            OrganizationId = organizationId, CreatedAt = DateTimeOffset.UtcNow, LockoutEnabled = true,
        };
        Check(await users.CreateAsync(user, password), email);
        Check(await users.AddToRoleAsync(user, role), email);
        Check(await users.ResetAuthenticatorKeyAsync(user), email);
        Check(await users.SetTwoFactorEnabledAsync(user, true), email);
        return await users.GetAuthenticatorKeyAsync(user) ?? throw new BenchException($"{email}: no authenticator key");
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new BenchException($"{what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
    }

    /// <summary>Runs <paramref name="work"/> as the user would in a request: the tenant filters, audit actor and services see that principal.</summary>
    internal static async Task<T> ActAsAsync<T>(IServiceProvider root, Guid userId, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = root.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var user = await sp.GetRequiredService<UserManager<AppUser>>().FindByIdAsync(userId.ToString()) ?? throw new BenchException($"user {userId} not found");
        var principal = await sp.GetRequiredService<SignInManager<AppUser>>().CreateUserPrincipalAsync(user);
        var accessor = sp.GetRequiredService<IHttpContextAccessor>();
        accessor.HttpContext = new DefaultHttpContext { RequestServices = sp, User = principal };
        try
        {
            return await work(sp);
        }
        finally
        {
            accessor.HttpContext = null;
        }
    }

    /// <summary>A personal API key made by <see cref="ApiKeyService"/> (the /api/v1/api-keys code path), acting as its owner.</summary>
    private static Task<string> MintApiKeyAsync(IServiceProvider root, Guid userId, string name)
        => ActAsAsync(root, userId, async sp =>
        {
            var created = await sp.GetRequiredService<ApiKeyService>().CreateAsync(name, 30);
            return created.Secret ?? throw new BenchException($"API key: {created.Error}");
        });

    internal static async Task CopyAsync<T>(NpgsqlConnection conn, string table, string columns, IEnumerable<T> rows, Action<NpgsqlBinaryImporter, T> write)
    {
        await using var importer = await conn.BeginBinaryImportAsync($"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)");
        foreach (var row in rows)
        {
            await importer.StartRowAsync();
            write(importer, row);
        }
        await importer.CompleteAsync();
    }

    private static void Nullable<TValue>(NpgsqlBinaryImporter w, TValue? value, NpgsqlDbType type) where TValue : struct
    {
        if (value is { } v)
        {
            w.Write(v, type);
        }
        else
        {
            w.WriteNull();
        }
    }

    private static void NullableText(NpgsqlBinaryImporter w, string? value, NpgsqlDbType type)
    {
        if (value is null)
        {
            w.WriteNull();
        }
        else
        {
            w.Write(value, type);
        }
    }

    private static async Task CopyOrganizationsAsync(NpgsqlConnection conn, ScaleData d)
    {
        await CopyAsync(conn, "organizations", "id, name, name_en, kind, hospital_kind, vendor_kinds, corporate_number, created_at", d.Organizations, (w, x) =>
        {
            w.Write(x.Id, NpgsqlDbType.Uuid);
            w.Write(x.Name, NpgsqlDbType.Varchar);
            NullableText(w, x.NameEn, NpgsqlDbType.Varchar);
            w.Write(x.Kind.ToString(), NpgsqlDbType.Varchar);
            NullableText(w, x.HospitalKind?.ToString(), NpgsqlDbType.Varchar);
            w.Write((int)x.VendorKinds, NpgsqlDbType.Integer);
            NullableText(w, x.CorporateNumber, NpgsqlDbType.Varchar);
            w.Write(x.CreatedAt, NpgsqlDbType.TimestampTz);
        });
        await CopyAsync(conn, "medical_systems", "id, hospital_id, name, category, created_at", d.Systems, (w, x) =>
        {
            w.Write(x.Id, NpgsqlDbType.Uuid);
            w.Write(x.HospitalId, NpgsqlDbType.Uuid);
            w.Write(x.Name, NpgsqlDbType.Varchar);
            w.Write(x.Category, NpgsqlDbType.Varchar);
            w.Write(x.CreatedAt, NpgsqlDbType.TimestampTz);
        });
        await CopyAsync(conn, "engagements", "id, hospital_id, vendor_id, title, starts_on, ends_on, created_at", d.Engagements, (w, x) =>
        {
            w.Write(x.Id, NpgsqlDbType.Uuid);
            w.Write(x.HospitalId, NpgsqlDbType.Uuid);
            w.Write(x.VendorId, NpgsqlDbType.Uuid);
            w.Write(x.Title, NpgsqlDbType.Varchar);
            w.Write(x.StartsOn, NpgsqlDbType.Date);
            Nullable(w, x.EndsOn, NpgsqlDbType.Date);
            w.Write(x.CreatedAt, NpgsqlDbType.TimestampTz);
        });
        await CopyAsync(conn, "engagement_systems", "engagement_id, system_id", d.Engagements.SelectMany(e => e.Systems), (w, x) =>
        {
            w.Write(x.EngagementId, NpgsqlDbType.Uuid);
            w.Write(x.SystemId, NpgsqlDbType.Uuid);
        });
    }

    private static async Task CopySubmissionsAsync(NpgsqlConnection conn, ScaleData d)
    {
        await CopyAsync(conn, "form_submissions",
            "id, template_key, kind, respondent_organization_id, hospital_id, fiscal_year, system_id, state, draft_answers, latest_version, created_at, updated_at, updated_by_user_id",
            d.Submissions, (w, x) =>
            {
                w.Write(x.Id, NpgsqlDbType.Uuid);
                w.Write(x.TemplateKey, NpgsqlDbType.Varchar);
                w.Write(x.Kind.ToString(), NpgsqlDbType.Varchar);
                w.Write(x.RespondentOrganizationId, NpgsqlDbType.Uuid);
                Nullable(w, x.HospitalId, NpgsqlDbType.Uuid);
                Nullable(w, x.FiscalYear, NpgsqlDbType.Integer);
                Nullable(w, x.SystemId, NpgsqlDbType.Uuid);
                w.Write(x.State.ToString(), NpgsqlDbType.Varchar);
                w.Write(x.DraftAnswers, NpgsqlDbType.Text);
                w.Write(x.LatestVersion, NpgsqlDbType.Integer);
                w.Write(x.CreatedAt, NpgsqlDbType.TimestampTz);
                w.Write(x.UpdatedAt, NpgsqlDbType.TimestampTz);
                Nullable(w, x.UpdatedByUserId, NpgsqlDbType.Uuid);
            });
        await CopyAsync(conn, "form_submission_versions",
            "id, submission_id, number, answers, content_hash, template_hash, submitted_at, submitted_by_user_id, submitted_by_name, attachments",
            d.Versions, (w, x) =>
            {
                w.Write(x.Id, NpgsqlDbType.Uuid);
                w.Write(x.SubmissionId, NpgsqlDbType.Uuid);
                w.Write(x.Number, NpgsqlDbType.Integer);
                w.Write(x.Answers, NpgsqlDbType.Text);
                w.Write(x.ContentHash, NpgsqlDbType.Varchar);
                w.Write(x.TemplateHash, NpgsqlDbType.Varchar);
                w.Write(x.SubmittedAt, NpgsqlDbType.TimestampTz);
                w.Write(x.SubmittedByUserId, NpgsqlDbType.Uuid);
                w.Write(x.SubmittedByName, NpgsqlDbType.Varchar);
                w.Write(x.Attachments, NpgsqlDbType.Text);
            });
        await CopyAsync(conn, "form_review_events",
            "id, submission_id, version_number, action, comment, item_comments, actor_user_id, actor_name, actor_organization_id, at",
            d.Events, (w, x) =>
            {
                w.Write(x.Id, NpgsqlDbType.Uuid);
                w.Write(x.SubmissionId, NpgsqlDbType.Uuid);
                w.Write(x.VersionNumber, NpgsqlDbType.Integer);
                w.Write(x.Action.ToString(), NpgsqlDbType.Varchar);
                NullableText(w, x.Comment, NpgsqlDbType.Text);
                w.Write(x.ItemComments, NpgsqlDbType.Text);
                w.Write(x.ActorUserId, NpgsqlDbType.Uuid);
                w.Write(x.ActorName, NpgsqlDbType.Varchar);
                w.Write(x.ActorOrganizationId, NpgsqlDbType.Uuid);
                w.Write(x.At, NpgsqlDbType.TimestampTz);
            });
    }
}
