using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using VendorPortal.Infrastructure.Data;

namespace VendorPortal.Features.Forms;

/// <summary>
/// Parsed copies of what the database keeps immutable: a submitted version's answers (migration 0004's trigger
/// refuses every UPDATE of form_submission_versions) and a published template's content (0003's trigger refuses
/// changes to content and key). A parsed copy can therefore never go stale, and a page that reads many of them
/// (the gap list reads the latest answers of every checklist of a hospital's 年度, on every request) parses each
/// one once per process instead of once per request.
///
/// Entries are found only by ids and keys the caller has already read through the tenant query filters, and
/// missing ones are loaded through the same filters, so the cache never shows a tenant anything new. The objects
/// returned are shared between requests: read them, never change them. Bounded by the size of the JSON held
/// (<see cref="JsonCharacterLimit"/>; parsed answers take about six times their JSON length in memory).
/// </summary>
public sealed class ParsedFormCache : IDisposable
{
    /// <summary>Characters of JSON kept parsed: 16 M ≈ 6,000 versions of a 100-item checklist, about 100 MB in memory.</summary>
    public const long JsonCharacterLimit = 16_000_000;

    private static readonly TimeSpan Idle = TimeSpan.FromHours(1);
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = JsonCharacterLimit });

    /// <summary>The parsed answers of each submitted version in <paramref name="versionIds"/> that the caller can see.</summary>
    public async Task<IReadOnlyDictionary<Guid, FormAnswers>> AnswersAsync(AppDbContext db, IReadOnlyCollection<Guid> versionIds, CancellationToken ct = default)
    {
        var result = new Dictionary<Guid, FormAnswers>(versionIds.Count);
        var missing = new List<Guid>();
        foreach (var id in versionIds.Distinct())
        {
            if (_cache.TryGetValue(id, out FormAnswers? cached) && cached is not null)
            {
                result[id] = cached;
            }
            else
            {
                missing.Add(id);
            }
        }
        if (missing.Count > 0)
        {
            var rows = await db.FormSubmissionVersions.AsNoTracking().Where(v => missing.Contains(v.Id))
                .Select(v => new { v.Id, v.Answers }).ToListAsync(ct);
            foreach (var row in rows)
            {
                var parsed = AnswerJson.Deserialize(row.Answers);
                _cache.Set(row.Id, parsed, new MemoryCacheEntryOptions { Size = Math.Max(1, row.Answers.Length), SlidingExpiration = Idle });
                result[row.Id] = parsed;
            }
        }
        return result;
    }

    /// <summary>The parsed template published under <paramref name="key"/>.</summary>
    public async Task<FormTemplate> TemplateAsync(AppDbContext db, string key, CancellationToken ct = default)
    {
        var cacheKey = (nameof(FormTemplate), key);
        if (_cache.TryGetValue(cacheKey, out FormTemplate? cached) && cached is not null)
        {
            return cached;
        }
        var version = await db.FormTemplateVersions.AsNoTracking().SingleAsync(t => t.Key == key, ct);
        var parsed = version.Parse();
        _cache.Set(cacheKey, parsed, new MemoryCacheEntryOptions { Size = Math.Max(1, version.Content.Length), SlidingExpiration = Idle });
        return parsed;
    }

    public void Dispose() => _cache.Dispose();
}
