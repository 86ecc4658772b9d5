using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using NpgsqlTypes;
using VendorPortal.Features.Account;
using VendorPortal.Features.Disclosures;
using VendorPortal.Features.Forms;
using VendorPortal.Features.Organizations;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Files;
using VendorPortal.Infrastructure.Web;

namespace VendorPortal.Bench;

/// <summary>
/// The data set of issue 6's bundle benchmark (bench/bundle.sh), into a migrated, empty database:
/// one hospital「ベンチ検査対応病院」with an Auditor (who exports) and a SecurityManager (who reviews), and
/// <c>--vendors</c> vendors engaged with it, each with one system, one MDS (every third vendor also an SDS) shared
/// with the hospital, submitted and accepted, carrying PDF-like attachments that add up to <c>--mb</c> MB, and a
/// submitted and accepted 事業者確認用 checklist for the 年度.
///
/// The attachment files are written to <c>--files</c> first (the same files that bench/bundle.sh gives to
/// <c>zip -0</c>): "%PDF-1.7" and a newline, then pseudo-random bytes (deterministic, seed per file) that neither
/// TOAST nor anything else can compress; sizes 1–10 MB (AttachmentRules.MaxBytes), the last file takes the rest.
/// The files go into form_attachments with binary COPY, one file in memory at a time, as in_draft rows of the
/// draft — exactly the row <see cref="DisclosureService.UploadAsync"/> makes (name cleaned, type sniffed, SHA-256),
/// without loading 2 GB through EF. Everything else goes through the product's services acting as the users:
/// products and recipients (<see cref="DisclosureService"/>), answers, submission (which freezes the attachment
/// manifest and sets first_submitted_version) and acceptance (<see cref="SubmissionWorkflow"/>), so the rows and
/// audit events are those the portal makes. Users have no password (the benchmark uses the export command).
/// </summary>
internal static class BundleSeeder
{
    public const string HospitalName = "ベンチ検査対応病院";
    public const string AuditorEmail = "auditor@bench-bundle.example";
    public const string ReviewerEmail = "security@bench-bundle.example";
    private const int MiB = 1024 * 1024;
    private static readonly DateOnly ChecklistDate = new(2026, 6, 1);

    public static Guid IdFor(string key) => new(MD5.HashData(Encoding.UTF8.GetBytes("vendorportal-bench-bundle:" + key)));

    public static async Task<int> RunAsync(BenchOptions o)
    {
        var clock = Stopwatch.StartNew();
        var connection = o.Required("connection");
        var filesDir = Path.GetFullPath(o.Required("files"));
        var vendorCount = o.Int("vendors", 150);
        var totalMb = o.Int("mb", 2048);
        var fiscalYear = o.Int("fiscal-year", 2026);
        if (vendorCount < 1 || totalMb < 1)
        {
            throw new BenchException("--vendors and --mb must be at least 1");
        }

        // 1. The files (the same ones zip -0 gets).
        var files = WriteFiles(filesDir, vendorCount, (long)totalMb * MiB);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"files: {files.Count} PDF-like files, {files.Sum(f => f.Size) / (double)MiB:F0} MB in {filesDir} ({clock.Elapsed.TotalSeconds:F1} s)"));

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
        await Startup.MigrateAsync(app); // bench/bundle.sh ran `migrate` already; this is a no-op then.

        // 2. Organizations, systems, engagements and users, as an administrator would make them.
        var hospitalId = IdFor("hospital");
        var now = DateTimeOffset.UtcNow;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            if (await db.Organizations.IgnoreQueryFilters().AnyAsync())
            {
                throw new BenchException("the database already has organizations; bench/bundle.sh seeds a freshly created database");
            }
            db.Organizations.Add(new Organization
            {
                Id = hospitalId, Name = HospitalName, NameEn = "Bench Inspection Hospital", Kind = OrganizationKind.Hospital,
                HospitalKind = HospitalKind.Hospital, CreatedAt = now,
            });
            for (var v = 1; v <= vendorCount; v++)
            {
                var vendorId = IdFor($"vendor:{v}");
                var systemId = IdFor($"system:{v}");
                var engagementId = IdFor($"engagement:{v}");
                db.Organizations.Add(new Organization
                {
                    Id = vendorId, Name = $"ベンチ医療システム{v:D3}株式会社", NameEn = $"Bench Medical Systems {v:D3}", Kind = OrganizationKind.Vendor,
                    VendorKinds = HasSds(v) ? VendorKind.Manufacturer | VendorKind.ServiceProvider : VendorKind.Manufacturer, CreatedAt = now,
                });
                db.MedicalSystems.Add(new MedicalSystem { Id = systemId, HospitalId = hospitalId, Name = $"部門システム{v:D3}", Category = "部門システム", CreatedAt = now });
                db.Engagements.Add(new Engagement
                {
                    Id = engagementId, HospitalId = hospitalId, VendorId = vendorId, Title = $"部門システム{v:D3} 保守契約",
                    StartsOn = new DateOnly(2024, 4, 1), CreatedAt = now,
                    Systems = [new EngagementSystem { EngagementId = engagementId, SystemId = systemId }],
                });
            }
            await db.SaveChangesAsync();

            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            await CreateUserAsync(users, IdFor("user:auditor"), hospitalId, Roles.Auditor, AuditorEmail, "ベンチ 監査担当");
            await CreateUserAsync(users, IdFor("user:reviewer"), hospitalId, Roles.SecurityManager, ReviewerEmail, "ベンチ 安全管理責任者");
            for (var v = 1; v <= vendorCount; v++)
            {
                await CreateUserAsync(users, IdFor($"user:vendor:{v}"), IdFor($"vendor:{v}"), Roles.VendorAdmin, VendorEmail(v), $"ベンチ事業者{v:D3} 管理者");
            }
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"organizations and users: 1 hospital, {vendorCount} vendors ({clock.Elapsed.TotalSeconds:F1} s)"));

        // 3. Per vendor: disclosures with their files, and the 事業者確認用 checklist; submitted by the vendor, accepted by the hospital.
        string mdsKey, sdsKey, checklistKey;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            async Task<string> Current(FormKind kind) => await db.FormTemplateVersions.AsNoTracking().Where(t => t.Kind == kind && t.RetiredAt == null)
                .OrderByDescending(t => t.EffectiveFrom).ThenBy(t => t.Key).Select(t => t.Key).FirstOrDefaultAsync()
                ?? throw new BenchException($"no published {kind} template (seed-data/forms)");
            mdsKey = await Current(FormKind.Mds);
            sdsKey = await Current(FormKind.Sds);
            checklistKey = await Current(FormKind.VendorChecklist);
        }
        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync();
        var byDisclosure = files.ToLookup(f => (f.Vendor, f.Kind));
        var disclosures = 0;
        var checklists = 0;
        for (var v = 1; v <= vendorCount; v++)
        {
            var vendorUser = IdFor($"user:vendor:{v}");
            foreach (var kind in HasSds(v) ? new[] { FormKind.Mds, FormKind.Sds } : [FormKind.Mds])
            {
                var submissionId = await ScaleSeeder.ActAsAsync(app.Services, vendorUser, async sp =>
                {
                    var service = sp.GetRequiredService<DisclosureService>();
                    var workflow = sp.GetRequiredService<SubmissionWorkflow>();
                    var name = kind == FormKind.Mds ? $"部門システム{v:D3}" : $"部門システム{v:D3} クラウド保守サービス";
                    var created = await service.CreateProductAsync(kind, name, "1.0", kind == FormKind.Mds ? mdsKey : sdsKey, null);
                    var s = created.Succeeded ? created.Value!.Submission : throw new BenchException($"vendor {v}: product: {created.ErrorCode}");
                    var shared = await service.SetRecipientsAsync(s, [hospitalId]);
                    if (!shared.Succeeded)
                    {
                        throw new BenchException($"vendor {v}: recipients: {shared.ErrorCode}");
                    }
                    await SaveAnswersAsync(workflow, s, null, v);
                    await CopyAttachmentsAsync(conn, s.Id, vendorUser, VendorEmail(v), byDisclosure[(v, kind)]);
                    await SubmitAsync(workflow, s, v);
                    return s.Id;
                });
                await AcceptAsync(app.Services, submissionId, v);
                disclosures++;
            }
            var checklistId = await ScaleSeeder.ActAsAsync(app.Services, vendorUser, async sp =>
            {
                var workflow = sp.GetRequiredService<SubmissionWorkflow>();
                var created = await workflow.CreateVendorChecklistAsync(hospitalId, checklistKey, fiscalYear, IdFor($"system:{v}"));
                var s = created.Succeeded ? created.Submission! : throw new BenchException($"vendor {v}: checklist: {created.ErrorCode}");
                await SaveAnswersAsync(workflow, s, ChecklistDate, v);
                await SubmitAsync(workflow, s, v);
                return s.Id;
            });
            await AcceptAsync(app.Services, checklistId, v);
            checklists++;
            if (v % 25 == 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {v} vendors ({clock.Elapsed.TotalSeconds:F1} s)"));
            }
        }

        await using (var analyze = new NpgsqlCommand("VACUUM ANALYZE", conn))
        {
            analyze.CommandTimeout = 600;
            await analyze.ExecuteNonQueryAsync();
        }

        var env = new StringBuilder()
            .AppendLine("# Written by VendorPortal.Bench bundle-seed (bench/bundle.sh). Throwaway bench database.")
            .AppendLine(CultureInfo.InvariantCulture, $"BENCH_BUNDLE_HOSPITAL_ID='{hospitalId}'")
            .AppendLine(CultureInfo.InvariantCulture, $"BENCH_BUNDLE_AUDITOR_EMAIL='{AuditorEmail}'")
            .AppendLine(CultureInfo.InvariantCulture, $"BENCH_BUNDLE_FILES='{files.Count}'")
            .AppendLine(CultureInfo.InvariantCulture, $"BENCH_BUNDLE_BYTES='{files.Sum(f => f.Size)}'")
            .AppendLine(CultureInfo.InvariantCulture, $"BENCH_BUNDLE_DISCLOSURES='{disclosures}'")
            .AppendLine(CultureInfo.InvariantCulture, $"BENCH_BUNDLE_CHECKLISTS='{checklists}'")
            .AppendLine(CultureInfo.InvariantCulture, $"BENCH_BUNDLE_SEED_SECONDS='{clock.Elapsed.TotalSeconds:F1}'")
            .ToString();
        var outFile = o.Required("out");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outFile))!);
        await File.WriteAllTextAsync(outFile, env);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"seeded in {clock.Elapsed.TotalSeconds:F1} s: {vendorCount} vendors, {disclosures} accepted MDS/SDS with {files.Count} attachments " +
            $"({files.Sum(f => f.Size) / (double)MiB:F0} MB), {checklists} accepted 事業者確認用 checklists"));
        return 0;
    }

    /// <summary>Vendors 3, 6, 9, … also disclose a service (SDS).</summary>
    private static bool HasSds(int vendor) => vendor % 3 == 0;

    private static string VendorEmail(int vendor) => string.Create(CultureInfo.InvariantCulture, $"admin@vendor{vendor:D3}.bench-bundle.example");

    internal sealed record SeedFile(int Vendor, FormKind Kind, string Path, string FileName, long Size);

    /// <summary>
    /// Writes the attachment files under <paramref name="dir"/>/vNNN/, dealt out in turn to the disclosures
    /// (every vendor's MDS, every third vendor's SDS) so each has one to three. Kept when a previous run wrote the
    /// same set (the marker file names vendors and size), so a rerun does not rewrite 2 GB.
    /// </summary>
    private static List<SeedFile> WriteFiles(string dir, int vendors, long totalBytes)
    {
        var slots = Enumerable.Range(1, vendors).SelectMany(v => HasSds(v) ? new[] { (v, FormKind.Mds), (v, FormKind.Sds) } : [(v, FormKind.Mds)]).ToList();
        var sizes = new List<long>();
        var random = new Random(6);
        for (long left = totalBytes; left > 0;)
        {
            var size = Math.Min(left, random.NextInt64(MiB, AttachmentRules.MaxBytes + 1));
            sizes.Add(size);
            left -= size;
        }
        var files = sizes.Select((size, i) =>
        {
            var (vendor, kind) = slots[i % slots.Count];
            var n = (i / slots.Count) + 1;
            var name = string.Create(CultureInfo.InvariantCulture, $"{kind.ToString().ToUpperInvariant()}_部門システム{vendor:D3}_1.0_添付{n:D2}.pdf");
            return new SeedFile(vendor, kind, System.IO.Path.Combine(dir, string.Create(CultureInfo.InvariantCulture, $"v{vendor:D3}"), name), name, size);
        }).ToList();
        if (files.GroupBy(f => (f.Vendor, f.Kind)).Any(g => g.Count() > DisclosureService.MaxAttachmentsInDraft))
        {
            throw new BenchException($"more than {DisclosureService.MaxAttachmentsInDraft} files per disclosure: raise --vendors or lower --mb");
        }

        var marker = System.IO.Path.Combine(dir, ".bench-bundle-files");
        var signature = string.Create(CultureInfo.InvariantCulture, $"vendors={vendors} bytes={totalBytes} files={files.Count}");
        if (File.Exists(marker) && File.ReadAllText(marker) == signature && files.All(f => File.Exists(f.Path) && new FileInfo(f.Path).Length == f.Size))
        {
            return files;
        }
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
        var head = "%PDF-1.7\n"u8.ToArray();
        var buffer = new byte[MiB];
        for (var i = 0; i < files.Count; i++)
        {
            var f = files[i];
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(f.Path)!);
            var bytes = new Random(1000 + i);
            using var stream = new FileStream(f.Path, FileMode.CreateNew, FileAccess.Write, FileShare.None, MiB);
            stream.Write(head);
            for (var left = f.Size - head.Length; left > 0; left -= buffer.Length)
            {
                bytes.NextBytes(buffer);
                stream.Write(buffer, 0, (int)Math.Min(left, buffer.Length));
            }
        }
        File.WriteAllText(marker, signature);
        return files;
    }

    /// <summary>
    /// The files as draft attachments of one submission, one file in memory at a time: the row
    /// <see cref="DisclosureService.UploadAsync"/> makes (type by the first bytes, name cleaned, SHA-256 in hex).
    /// </summary>
    private static async Task CopyAttachmentsAsync(NpgsqlConnection conn, Guid submissionId, Guid userId, string userName, IEnumerable<SeedFile> files)
    {
        await using var importer = await conn.BeginBinaryImportAsync(
            "COPY form_attachments (id, submission_id, file_name, content_type, size, sha256, content, uploaded_at, uploaded_by_user_id, uploaded_by_name, in_draft) FROM STDIN (FORMAT BINARY)");
        foreach (var f in files)
        {
            var content = await File.ReadAllBytesAsync(f.Path);
            var type = AttachmentRules.Sniff(content) ?? throw new BenchException($"{f.Path}: not a PDF by its first bytes");
            if (content.LongLength > AttachmentRules.MaxBytes)
            {
                throw new BenchException($"{f.Path}: larger than {AttachmentRules.MaxBytes} bytes");
            }
            await importer.StartRowAsync();
            await importer.WriteAsync(IdFor("attachment:" + f.Path), NpgsqlDbType.Uuid);
            await importer.WriteAsync(submissionId, NpgsqlDbType.Uuid);
            await importer.WriteAsync(AttachmentRules.SanitizeFileName(f.FileName, type), NpgsqlDbType.Varchar);
            await importer.WriteAsync(type, NpgsqlDbType.Varchar);
            await importer.WriteAsync(content.LongLength, NpgsqlDbType.Bigint);
            await importer.WriteAsync(AttachmentRules.Sha256Of(content), NpgsqlDbType.Varchar);
            await importer.WriteAsync(content, NpgsqlDbType.Bytea);
            await importer.WriteAsync(DateTimeOffset.UtcNow, NpgsqlDbType.TimestampTz);
            await importer.WriteAsync(userId, NpgsqlDbType.Uuid);
            await importer.WriteAsync(userName, NpgsqlDbType.Varchar);
            await importer.WriteAsync(true, NpgsqlDbType.Boolean);
        }
        await importer.CompleteAsync();
    }

    /// <summary>
    /// Every applicable item answered (はい, the first choice, a date, a short text) as the demo data does; a
    /// checklist gets its first round dated <paramref name="checkedOn"/>.
    /// </summary>
    private static async Task SaveAnswersAsync(SubmissionWorkflow workflow, FormSubmission s, DateOnly? checkedOn, int vendor)
    {
        var template = await workflow.TemplateOfAsync(s);
        var given = template.Items.ToDictionary(i => i.Id, i => i.AnswerType switch
        {
            AnswerType.YesNo or AnswerType.YesNoNa => new ItemAnswer("Yes"),
            AnswerType.Choice => new ItemAnswer(i.Choices![0]),
            AnswerType.Date => new ItemAnswer("2026-04-01"),
            _ => new ItemAnswer("特記事項なし（ベンチマーク用データ）"),
        });
        foreach (var item in template.Items.Where(i => i.Rules?.Any(r => r.Kind == RuleKind.ApplicableWhen) == true))
        {
            var applies = item.Rules!.Where(r => r.Kind == RuleKind.ApplicableWhen).All(r => given.TryGetValue(r.Item!, out var other)
                && (r.Value is not null ? other.Value == r.Value : FormRules.ParseYesNo(other.Value) == r.Answer));
            if (!applies)
            {
                given.Remove(item.Id);
            }
        }
        var saved = await workflow.SaveDraftAsync(s, new FormAnswers([new CheckRound(1, checkedOn, given)]));
        if (!saved.Succeeded)
        {
            throw new BenchException($"vendor {vendor}: saving {s.Kind}: {saved.ErrorCode}");
        }
    }

    private static async Task SubmitAsync(SubmissionWorkflow workflow, FormSubmission s, int vendor)
    {
        var submitted = await workflow.SubmitAsync(s, VendorEmail(vendor));
        if (!submitted.Succeeded)
        {
            throw new BenchException($"vendor {vendor}: submitting {s.Kind}: {submitted.ErrorCode} " +
                string.Join(", ", submitted.Problems?.Select(p => $"{p.ItemId} {p.Code}") ?? []));
        }
    }

    /// <summary>The hospital's SecurityManager accepts the submitted version (the review page's code path).</summary>
    private static Task<bool> AcceptAsync(IServiceProvider root, Guid submissionId, int vendor)
        => ScaleSeeder.ActAsAsync(root, IdFor("user:reviewer"), async sp =>
        {
            var workflow = sp.GetRequiredService<SubmissionWorkflow>();
            var s = await workflow.FindAsync(submissionId) ?? throw new BenchException($"vendor {vendor}: the hospital does not see submission {submissionId}");
            var accepted = await workflow.ReviewAsync(s, accept: true, null, new Dictionary<string, string>(), ReviewerEmail);
            return accepted.Succeeded ? true : throw new BenchException($"vendor {vendor}: accepting {s.Kind}: {accepted.ErrorCode}");
        });

    private static async Task CreateUserAsync(UserManager<AppUser> users, Guid id, Guid organizationId, string role, string email, string name)
    {
        var user = new AppUser
        {
            Id = id, UserName = email, Email = email, EmailConfirmed = true, DisplayName = name,
            OrganizationId = organizationId, CreatedAt = DateTimeOffset.UtcNow, LockoutEnabled = true,
        };
        var created = await users.CreateAsync(user);
        var inRole = created.Succeeded ? await users.AddToRoleAsync(user, role) : created;
        if (!inRole.Succeeded)
        {
            throw new BenchException($"{email}: {string.Join("; ", inRole.Errors.Select(e => e.Description))}");
        }
    }
}
