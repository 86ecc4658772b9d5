using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.Infrastructure.Data;

namespace VendorPortal.Features.Forms;

/// <summary>
/// Publishes template versions: the JSON files of seed-data/forms at startup (each once), and later
/// imported workbooks. A published key never changes: a seed file edited after publication is refused,
/// because answers already point at the published content.
/// </summary>
public sealed class FormTemplateCatalog(AppDbContext db, AuditLog audit, TimeProvider time, ILogger<FormTemplateCatalog> logger)
{
    public static string Hash(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    public async Task<int> PublishSeedFilesAsync(string folder, CancellationToken ct = default)
    {
        var published = 0;
        // Two instances starting together publish each file once: the second waits, then finds it published.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(7262002)", ct);
        var existing = await db.FormTemplateVersions.AsNoTracking().ToDictionaryAsync(t => t.Key, t => t.ContentHash, ct);
        foreach (var file in Directory.GetFiles(folder, "*.json").Where(f => !f.EndsWith(".schema.json", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var content = await File.ReadAllTextAsync(file, ct);
            var template = FormTemplate.Parse(content, Path.GetFileName(file));
            var hash = Hash(content);
            if (existing.TryGetValue(template.Key, out var publishedHash))
            {
                if (publishedHash != hash)
                {
                    throw new FormTemplateException(Path.GetFileName(file),
                        [$"template '{template.Key}' was already published with different content; publish the change under a new key"]);
                }
                continue;
            }
            Add(template, content, hash, "seed", null);
            published++;
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        if (published > 0)
        {
            logger.LogInformation("Published {Count} form template version(s) from {Folder}", published, folder);
        }
        return published;
    }

    public FormTemplateVersion Add(FormTemplate template, string content, string hash, string origin, Guid? userId)
    {
        var version = new FormTemplateVersion
        {
            Id = Guid.NewGuid(), Key = template.Key, Kind = template.Kind, Title = template.Title, VersionLabel = template.VersionLabel,
            GuidelineEdition = template.GuidelineEdition, EffectiveFrom = template.EffectiveFrom, EffectiveTo = template.EffectiveTo,
            Status = template.Status, ItemCount = template.Items.Count(), Content = content, ContentHash = hash, Origin = origin,
            PublishedAt = time.GetUtcNow(), PublishedByUserId = userId,
        };
        db.FormTemplateVersions.Add(version);
        audit.Record(AuditActions.FormTemplatePublished, "form_template_versions", template.Key,
            new { template.Key, template.Kind, template.VersionLabel, template.Status, origin, hash });
        return version;
    }

    /// <summary>Retired versions stay readable (answers point at them) but are offered for no new form.</summary>
    public async Task<bool> RetireAsync(string key, CancellationToken ct = default)
    {
        var version = await db.FormTemplateVersions.SingleOrDefaultAsync(t => t.Key == key, ct);
        if (version is null)
        {
            return false;
        }
        if (version.RetiredAt is null)
        {
            version.RetiredAt = time.GetUtcNow();
            audit.Record(AuditActions.FormTemplateRetired, "form_template_versions", key);
            await db.SaveChangesAsync(ct);
        }
        return true;
    }

    public static string? FindSeedFolder(string contentRoot) => Infrastructure.Seeding.SeedData.Find(contentRoot, "seed-data/forms");
}
