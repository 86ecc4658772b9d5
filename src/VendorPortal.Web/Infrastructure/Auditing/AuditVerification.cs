using Microsoft.EntityFrameworkCore;
using VendorPortal.Infrastructure.Data;

namespace VendorPortal.Infrastructure.Auditing;

/// <summary>
/// <paramref name="LastSequence"/>/<paramref name="LastHash"/>: the last event that verified (null when none did), so a
/// report can say exactly how far the chain was checked.
/// </summary>
public sealed record AuditVerificationResult(long Checked, AuditChainBreak? FirstBreak, long? LastSequence = null, string? LastHash = null)
{
    public bool IsIntact => FirstBreak is null;
}

/// <summary>Streams the whole chain in sequence order (in pages) and reports the first broken link.</summary>
public sealed class AuditVerification(AppDbContext db)
{
    /// <summary>
    /// Verifies the chain from its first kept event. With <paramref name="before"/>, only up to the last event (by
    /// sequence) that occurred before that instant — later events are not read, so the result for a past instant stays
    /// the same while the log grows (the inspection bundle verifies up to its generation time).
    /// </summary>
    public async Task<AuditVerificationResult> VerifyAsync(CancellationToken ct = default, DateTimeOffset? before = null)
    {
        var all = db.AuditEvents.IgnoreQueryFilters().AsNoTracking();
        var last = long.MaxValue;
        if (before is { } b)
        {
            var bound = b.ToUniversalTime();
            var max = await all.Where(e => e.OccurredAt < bound).MaxAsync(e => (long?)e.Sequence, ct);
            if (max is null)
            {
                return new AuditVerificationResult(0, null);
            }
            last = max.Value;
        }
        var verifier = new AuditChainVerifier();
        long after = long.MinValue;
        long? lastSequence = null;
        string? lastHash = null;
        const int page = 5000;
        while (true)
        {
            var batch = await all.Where(e => e.Sequence > after && e.Sequence <= last).OrderBy(e => e.Sequence).Take(page).ToListAsync(ct);
            foreach (var e in batch)
            {
                if (!verifier.Add(e))
                {
                    return new AuditVerificationResult(verifier.Checked, verifier.FirstBreak, lastSequence, lastHash);
                }
                (lastSequence, lastHash) = (e.Sequence, e.Hash);
            }
            if (batch.Count < page)
            {
                return new AuditVerificationResult(verifier.Checked, null, lastSequence, lastHash);
            }
            after = batch[^1].Sequence;
        }
    }
}
