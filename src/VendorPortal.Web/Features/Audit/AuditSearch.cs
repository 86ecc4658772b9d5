using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Audit;

/// <summary>Search criteria; dates are JST calendar days, inclusive.</summary>
public sealed class AuditQuery
{
    public DateOnly? From { get; set; }
    public DateOnly? To { get; set; }
    public string? User { get; set; }
    public string? Action { get; set; }
    public string? Target { get; set; }
}

/// <summary>The organization's own audit events (the query filter scopes them), newest first.</summary>
public sealed class AuditSearch(AppDbContext db)
{
    public const int PageSize = 200;

    public IQueryable<AuditEvent> Query(AuditQuery q)
    {
        var events = db.AuditEvents.AsNoTracking();
        if (q.From is { } from)
        {
            var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), JapanTime.Offset).ToUniversalTime();
            events = events.Where(e => e.OccurredAt >= start);
        }
        if (q.To is { } to)
        {
            var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), JapanTime.Offset).ToUniversalTime();
            events = events.Where(e => e.OccurredAt < end);
        }
        if (!string.IsNullOrWhiteSpace(q.User))
        {
            var user = q.User.Trim().ToLowerInvariant();
            events = events.Where(e => e.UserName != null && e.UserName.ToLower().Contains(user));
        }
        if (!string.IsNullOrWhiteSpace(q.Action))
        {
            var action = q.Action.Trim();
            events = events.Where(e => e.Action.StartsWith(action));
        }
        if (!string.IsNullOrWhiteSpace(q.Target))
        {
            var target = q.Target.Trim();
            events = events.Where(e => e.TargetType == target || e.TargetId == target);
        }
        return events.OrderByDescending(e => e.Sequence);
    }

    public static readonly string[] CsvHeader =
        ["sequence", "occurred_at_jst", "user", "user_id", "organization_id", "action", "target_type", "target_id", "ip", "user_agent", "summary", "prev_hash", "hash"];

    /// <summary>
    /// The organization's events with <c>start &lt;= OccurredAt &lt; end</c>, oldest first (by sequence): the
    /// inspection bundle's extract for its period.
    /// </summary>
    public IQueryable<AuditEvent> Period(DateTimeOffset start, DateTimeOffset end)
    {
        var from = start.ToUniversalTime();
        var to = end.ToUniversalTime();
        return db.AuditEvents.AsNoTracking().Where(e => e.OccurredAt >= from && e.OccurredAt < to).OrderBy(e => e.Sequence);
    }

    /// <summary>One CSV line (without line end) of an event, in the order of <see cref="CsvHeader"/>.</summary>
    public static string CsvRow(AuditEvent e) => string.Join(",", new[]
    {
        e.Sequence.ToString(CultureInfo.InvariantCulture),
        JapanTime.ToJst(e.OccurredAt).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        e.UserName, e.UserId?.ToString(), e.OrganizationId?.ToString(), e.Action, e.TargetType, e.TargetId,
        e.IpAddress, e.UserAgent, e.Summary, e.PrevHash, e.Hash,
    }.Select(Csv.Field));

    /// <summary>Writes CSV (UTF-8 with BOM so Excel opens Japanese correctly), streaming rows.</summary>
    public Task WriteCsvAsync(AuditQuery q, Stream output, CancellationToken ct) => WriteCsvAsync(Query(q), output, ct);

    /// <summary>Writes the given events as CSV (UTF-8 with BOM, LF line ends), streaming rows; returns the row count.</summary>
    public static async Task<long> WriteCsvAsync(IQueryable<AuditEvent> events, Stream output, CancellationToken ct)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(true), 64 * 1024, leaveOpen: true) { NewLine = "\n" };
        await writer.WriteLineAsync(string.Join(",", CsvHeader));
        long count = 0;
        await foreach (var e in events.AsAsyncEnumerable().WithCancellation(ct))
        {
            await writer.WriteLineAsync(CsvRow(e));
            count++;
        }
        return count;
    }
}

public static class Csv
{
    /// <summary>RFC 4180 quoting, and a leading apostrophe on cells that a spreadsheet would run as a formula.</summary>
    public static string Field(string? value)
    {
        value ??= "";
        if (value.Length > 0 && "=+-@\t\r".Contains(value[0]))
        {
            value = "'" + value;
        }
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
