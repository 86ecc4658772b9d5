using Microsoft.EntityFrameworkCore;
using VendorPortal.Infrastructure.Data;

namespace VendorPortal.Infrastructure.Auditing;

public sealed record AuditVerificationResult(long Checked, AuditChainBreak? FirstBreak)
{
    public bool IsIntact => FirstBreak is null;
}

/// <summary>Streams the whole chain in sequence order (in pages) and reports the first broken link.</summary>
public sealed class AuditVerification(AppDbContext db)
{
    public async Task<AuditVerificationResult> VerifyAsync(CancellationToken ct = default)
    {
        var verifier = new AuditChainVerifier();
        long after = long.MinValue;
        const int page = 5000;
        while (true)
        {
            var batch = await db.AuditEvents.IgnoreQueryFilters().AsNoTracking()
                .Where(e => e.Sequence > after).OrderBy(e => e.Sequence).Take(page).ToListAsync(ct);
            foreach (var e in batch)
            {
                if (!verifier.Add(e))
                {
                    return new AuditVerificationResult(verifier.Checked, verifier.FirstBreak);
                }
            }
            if (batch.Count < page)
            {
                return new AuditVerificationResult(verifier.Checked, null);
            }
            after = batch[^1].Sequence;
        }
    }
}
