using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace VendorPortal.Infrastructure.Auditing;

/// <summary>
/// The tamper-evident chain over audit events. Pure: no database, so it is unit-tested alone and
/// shared by the writer, the verify-audit command and the audit page.
/// </summary>
public static class AuditChain
{
    /// <summary>The PrevHash of the very first event.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>PostgreSQL keeps microseconds; hash what the database will give back.</summary>
    public static DateTimeOffset Normalize(DateTimeOffset t)
    {
        var utc = t.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % 10), TimeSpan.Zero);
    }

    public static string CanonicalContent(AuditEvent e)
    {
        // A fixed field order and invariant formats: the same event always serialises the same way.
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            w.WriteNumberValue(e.Sequence);
            w.WriteStringValue(Normalize(e.OccurredAt).ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture));
            w.WriteStringValue(e.UserId?.ToString("D") ?? "");
            w.WriteStringValue(e.UserName ?? "");
            w.WriteStringValue(e.OrganizationId?.ToString("D") ?? "");
            w.WriteStringValue(e.Action);
            w.WriteStringValue(e.TargetType ?? "");
            w.WriteStringValue(e.TargetId ?? "");
            w.WriteStringValue(e.IpAddress ?? "");
            w.WriteStringValue(e.UserAgent ?? "");
            w.WriteStringValue(e.Summary);
            w.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static string ComputeHash(string prevHash, AuditEvent e)
    {
        var bytes = Encoding.UTF8.GetBytes(prevHash + "\n" + CanonicalContent(e));
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    /// <summary>Sets Sequence, PrevHash and Hash of a new event that follows <paramref name="previous"/>.</summary>
    public static void Link(AuditEvent e, long previousSequence, string previousHash)
    {
        e.OccurredAt = Normalize(e.OccurredAt);
        e.Sequence = previousSequence + 1;
        e.PrevHash = previousHash;
        e.Hash = ComputeHash(previousHash, e);
    }
}

/// <summary>Walks events in sequence order and reports the first broken link.</summary>
public sealed class AuditChainVerifier
{
    private string? _expectedPrev;
    private long? _expectedSeq;

    public long Checked { get; private set; }
    public AuditChainBreak? FirstBreak { get; private set; }
    public bool IsIntact => FirstBreak is null;

    /// <summary>Feeds the next event; returns false once a break has been found.</summary>
    public bool Add(AuditEvent e)
    {
        if (FirstBreak is not null)
        {
            return false;
        }
        Checked++;
        // The oldest event kept after retention anchors the chain: its PrevHash is taken as given.
        if (_expectedSeq is not null && e.Sequence != _expectedSeq)
        {
            FirstBreak = new AuditChainBreak(e.Sequence, "sequence_gap", $"expected sequence {_expectedSeq}, found {e.Sequence}");
            return false;
        }
        if (_expectedPrev is not null && e.PrevHash != _expectedPrev)
        {
            FirstBreak = new AuditChainBreak(e.Sequence, "prev_hash_mismatch", "the previous-hash link does not match the event before it");
            return false;
        }
        var actual = AuditChain.ComputeHash(e.PrevHash, e);
        if (actual != e.Hash)
        {
            FirstBreak = new AuditChainBreak(e.Sequence, "content_changed", "the event's content does not match its stored hash");
            return false;
        }
        _expectedPrev = e.Hash;
        _expectedSeq = e.Sequence + 1;
        return true;
    }
}

public sealed record AuditChainBreak(long Sequence, string Kind, string Detail);
