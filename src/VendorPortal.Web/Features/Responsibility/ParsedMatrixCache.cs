using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using VendorPortal.Infrastructure.Data;

namespace VendorPortal.Features.Responsibility;

/// <summary>
/// Parsed content of matrix versions, by version id. Versions are immutable (migration 0010's trigger refuses
/// every UPDATE), so a parsed copy never goes stale; the gap view reads the current version of every matrix of a
/// hospital on every request and parses each once per process. Ids come from queries through the tenant filters and
/// missing ones are loaded through the same filters. Shared objects: read them, never change them.
/// </summary>
public sealed class ParsedMatrixCache : IDisposable
{
    public const long JsonCharacterLimit = 8_000_000;
    private static readonly TimeSpan Idle = TimeSpan.FromHours(1);
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = JsonCharacterLimit });

    public async Task<IReadOnlyDictionary<Guid, MatrixContent>> ContentsAsync(AppDbContext db, IReadOnlyCollection<Guid> versionIds, CancellationToken ct = default)
    {
        var result = new Dictionary<Guid, MatrixContent>(versionIds.Count);
        var missing = new List<Guid>();
        foreach (var id in versionIds.Distinct())
        {
            if (_cache.TryGetValue(id, out MatrixContent? cached) && cached is not null)
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
            var rows = await db.ResponsibilityMatrixVersions.AsNoTracking().Where(v => missing.Contains(v.Id)).Select(v => new { v.Id, v.Content }).ToListAsync(ct);
            foreach (var row in rows)
            {
                var parsed = MatrixJson.ParseStored(row.Content);
                _cache.Set(row.Id, parsed, new MemoryCacheEntryOptions { Size = Math.Max(1, row.Content.Length), SlidingExpiration = Idle });
                result[row.Id] = parsed;
            }
        }
        return result;
    }

    public void Dispose() => _cache.Dispose();
}
