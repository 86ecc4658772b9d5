using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VendorPortal.Infrastructure.Data;

namespace VendorPortal.Infrastructure.Auditing;

public sealed class AuditOptions
{
    /// <summary>Years audit events are kept. The guideline asks for about one year at least; default 5.</summary>
    public int RetentionYears { get; set; } = 5;
}

/// <summary>
/// The only code path that deletes audit events. The database refuses deletes unless this session
/// sets vendorportal.audit_retention (see migration 0001); the oldest remaining event anchors the chain.
/// </summary>
public sealed class AuditRetention(AppDbContext db, AuditLog audit, IOptions<AuditOptions> options, TimeProvider time)
{
    public async Task<int> RunAsync(CancellationToken ct = default)
    {
        var years = Math.Max(1, options.Value.RetentionYears);
        var cutoff = time.GetUtcNow().AddYears(-years);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlRawAsync("SET LOCAL vendorportal.audit_retention = 'on'", ct);
        var last = await db.AuditEvents.IgnoreQueryFilters().Where(e => e.OccurredAt < cutoff)
            .OrderByDescending(e => e.Sequence).Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(ct);
        if (last is null)
        {
            await tx.RollbackAsync(ct);
            return 0;
        }
        var removed = await db.AuditEvents.IgnoreQueryFilters().Where(e => e.Sequence <= last.Sequence).ExecuteDeleteAsync(ct);
        audit.Record(AuditActions.AuditRetention, "audit_events", null,
            new { removedThroughSequence = last.Sequence, lastRemovedHash = last.Hash, removed, retentionYears = years });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return removed;
    }
}
