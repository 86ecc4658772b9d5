using System.Globalization;
using System.Text;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Npgsql;
using VendorPortal.Features.Account;
using VendorPortal.Infrastructure.Email;
using VendorPortal.Infrastructure.Localization;

namespace VendorPortal.Features.Reminders;

/// <summary>
/// Reminder mail. Immediate: each Created/Escalated event carries email_pending; a pass claims a batch (clearing the
/// flag in the same statement, FOR UPDATE SKIP LOCKED) and only then mails the users who chose "immediate" — a claimed
/// event is never mailed twice, by any instance. Digest: once a day one mail per user with counts per kind; the
/// (user, day) row is inserted with ON CONFLICT DO NOTHING before sending, so a second instance or a re-run sends none.
/// Like Notifier, mails say only what kind of thing waits and link to the portal: no hospital, vendor or system names.
/// </summary>
public sealed class ReminderMailer(
    IEmailSender email,
    IStringLocalizer<SharedResource> l,
    IOptions<AccountOptions> account,
    IOptions<ReminderOptions> options,
    IConfiguration config,
    TimeProvider time,
    ILogger<ReminderMailer> logger)
{
    private static readonly CultureInfo Japanese = new("ja-JP");
    private static readonly CultureInfo English = new("en");

    private string ConnectionString => config.GetConnectionString("Default")
        ?? throw new InvalidOperationException("ConnectionStrings:Default is not set.");

    private sealed record Recipient(Guid UserId, string Email, Guid OrganizationId, string[] Roles);

    private static async Task<List<Recipient>> RecipientsAsync(NpgsqlConnection c, string modeCondition, CancellationToken ct)
    {
        var sql = $"""
            SELECT u.id, u.email, u.organization_id, coalesce(array_agg(ro.name) FILTER (WHERE ro.name IS NOT NULL), '{"{}"}')
            FROM users u
            LEFT JOIN reminder_email_preferences p ON p.user_id = u.id
            LEFT JOIN user_roles ur ON ur.user_id = u.id
            LEFT JOIN roles ro ON ro.id = ur.role_id
            WHERE u.is_active AND u.email IS NOT NULL AND {modeCondition}
            GROUP BY u.id, u.email, u.organization_id
            """;
        await using var cmd = new NpgsqlCommand(sql, c);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<Recipient>();
        while (await r.ReadAsync(ct))
        {
            list.Add(new Recipient(r.GetGuid(0), r.GetString(1), r.GetGuid(2), r.GetFieldValue<string[]>(3)));
        }
        return list;
    }

    private const string ClaimSql = """
        WITH claim AS (
            SELECT id FROM reminder_events WHERE email_pending ORDER BY occurred_at LIMIT @n FOR UPDATE SKIP LOCKED
        ), upd AS (
            UPDATE reminder_events e SET email_pending = false FROM claim WHERE e.id = claim.id RETURNING e.reminder_id, e.level
        )
        SELECT upd.reminder_id, coalesce(upd.level, 0), r.hospital_id, r.owner_organization_id, r.kind FROM upd JOIN reminders r ON r.id = upd.reminder_id
        """;

    /// <summary>Mails the pending Created/Escalated events to the users who chose immediate mail; returns the mails sent.</summary>
    public async Task<int> SendPendingAsync(CancellationToken ct = default)
    {
        await using var c = new NpgsqlConnection(ConnectionString);
        await c.OpenAsync(ct);
        var immediate = await RecipientsAsync(c, $"p.mode = '{ReminderEmailMode.Immediate}'", ct);
        if (immediate.Count == 0)
        {
            // Nobody wants immediate mail: nothing to send, the flags are simply cleared.
            await using var clear = new NpgsqlCommand("UPDATE reminder_events SET email_pending = false WHERE email_pending", c) { CommandTimeout = 0 };
            await clear.ExecuteNonQueryAsync(ct);
            return 0;
        }
        var byOrg = immediate.ToLookup(u => u.OrganizationId);
        var sent = 0;
        while (sent < options.Value.MaxImmediateMailsPerRun)
        {
            var claimed = new List<(Guid Reminder, int Level, Guid Hospital, Guid Owner, string Kind)>();
            await using (var cmd = new NpgsqlCommand(ClaimSql, c))
            {
                cmd.Parameters.AddWithValue("n", 500);
                await using var r = await cmd.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct))
                {
                    claimed.Add((r.GetGuid(0), r.GetInt32(1), r.GetGuid(2), r.GetGuid(3), r.GetString(4)));
                }
            }
            if (claimed.Count == 0)
            {
                break;
            }
            var mailed = new List<(Guid Reminder, int Level, int Count)>();
            foreach (var e in claimed)
            {
                var org = e.Level == EscalationPolicy.FirstRecipient ? e.Owner : e.Hospital;
                var role = EscalationPolicy.HospitalRoleFor(e.Level);
                var to = byOrg[org].Where(u => role is null || u.Roles.Contains(role)).ToList();
                if (to.Count == 0)
                {
                    continue;
                }
                var (subject, body) = ComposeImmediate(Enum.Parse<ReminderKind>(e.Kind), e.Level > 0 && e.Owner != e.Hospital || e.Level > 1, e.Reminder);
                var count = 0;
                foreach (var u in to)
                {
                    try
                    {
                        await email.SendAsync(new EmailMessage(u.Email, subject, body), ct);
                        count++;
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        logger.LogWarning(ex, "Reminder {Id}: e-mail to a recipient failed", e.Reminder);
                    }
                }
                sent += count;
                mailed.Add((e.Reminder, e.Level, count));
            }
            if (mailed.Count > 0)
            {
                await using var ev = new NpgsqlCommand("""
                    INSERT INTO reminder_events (id, reminder_id, kind, level, occurred_at, user_id, actor_name, note, email_pending)
                    SELECT gen_random_uuid(), t.id, 'Emailed', t.level, @now, NULL, '', t.note, false FROM unnest(@id, @level, @note) AS t(id, level, note)
                    ON CONFLICT DO NOTHING
                    """, c);
                ev.Parameters.AddWithValue("id", mailed.Select(m => m.Reminder).ToArray());
                ev.Parameters.AddWithValue("level", mailed.Select(m => m.Level).ToArray());
                ev.Parameters.AddWithValue("note", mailed.Select(m => m.Count.ToString(CultureInfo.InvariantCulture)).ToArray());
                ev.Parameters.AddWithValue("now", time.GetUtcNow());
                await ev.ExecuteNonQueryAsync(ct);
            }
        }
        return sent;
    }

    private string Render(CultureInfo culture, string key, params object[] args)
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = culture;
        try
        {
            return l[key, args].Value;
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    private string Link(string path) => account.Value.PublicBaseUrl.TrimEnd('/') + path;

    private (string Subject, string Body) ComposeImmediate(ReminderKind kind, bool escalated, Guid reminderId)
    {
        var key = escalated ? "MailReminderEscalated" : "MailReminderRaised";
        var link = Link($"/Reminders/{reminderId}");
        var body = new StringBuilder()
            .AppendLine(Render(Japanese, key, Render(Japanese, "ReminderKind_" + kind), link)).AppendLine()
            .AppendLine("----").AppendLine()
            .AppendLine(Render(English, key, Render(English, "ReminderKind_" + kind), link))
            .AppendLine().AppendLine(Render(Japanese, "MailReminderSettings", Link("/Reminders/Settings")));
        return (Render(Japanese, "MailReminderSubject"), body.ToString());
    }

    /// <summary>Counts of one kind for one addressee: open (incl. escalated), raised in the last day, escalated in the last day.</summary>
    public sealed record KindCounts(int Open, int New, int Escalated);

    private const string CountsSql = """
        SELECT recipient_organization_id, recipient_role, kind, count(*)::int,
               (count(*) FILTER (WHERE raised_at >= @since))::int, (count(*) FILTER (WHERE state = 'Escalated' AND level_since >= @since_day))::int
        FROM reminders WHERE state IN ('Open', 'Escalated')
        GROUP BY recipient_organization_id, recipient_role, kind
        UNION ALL
        SELECT owner_organization_id, NULL, kind, count(*)::int,
               (count(*) FILTER (WHERE raised_at >= @since))::int, (count(*) FILTER (WHERE state = 'Escalated' AND level_since >= @since_day))::int
        FROM reminders WHERE state IN ('Open', 'Escalated') AND owner_organization_id <> hospital_id AND recipient_organization_id <> owner_organization_id
        GROUP BY owner_organization_id, kind
        """;

    /// <summary>
    /// The daily digest: one mail per user (daily-digest preference, the default) who has open or escalated reminders,
    /// at most once per user and day. Counts are aggregated per (organization, role, kind) in one query.
    /// </summary>
    public async Task<int> SendDigestsAsync(DateOnly today, CancellationToken ct = default)
    {
        await using var c = new NpgsqlConnection(ConnectionString);
        await c.OpenAsync(ct);
        var now = time.GetUtcNow();
        var counts = new Dictionary<(Guid Org, string? Role), Dictionary<ReminderKind, KindCounts>>();
        await using (var cmd = new NpgsqlCommand(CountsSql, c) { CommandTimeout = 0 })
        {
            cmd.Parameters.AddWithValue("since", now.AddDays(-1));
            cmd.Parameters.AddWithValue("since_day", today.AddDays(-1));
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var key = (r.GetGuid(0), r.IsDBNull(1) ? null : r.GetString(1));
                if (!counts.TryGetValue(key, out var byKind))
                {
                    counts[key] = byKind = [];
                }
                var kind = Enum.Parse<ReminderKind>(r.GetString(2));
                var add = new KindCounts(r.GetInt32(3), r.GetInt32(4), r.GetInt32(5));
                byKind[kind] = byKind.TryGetValue(kind, out var had) ? new KindCounts(had.Open + add.Open, had.New + add.New, had.Escalated + add.Escalated) : add;
            }
        }
        if (counts.Count == 0)
        {
            return 0;
        }
        var users = await RecipientsAsync(c, $"(p.user_id IS NULL OR p.mode = '{ReminderEmailMode.DailyDigest}')", ct);
        var sent = 0;
        foreach (var u in users)
        {
            var mine = DigestCounts(counts, u.OrganizationId, u.Roles);
            if (mine.Count == 0)
            {
                continue;
            }
            await using var claim = new NpgsqlCommand("""
                INSERT INTO reminder_digests (user_id, day, reminder_count, sent_at) VALUES (@user, @day, @count, @now)
                ON CONFLICT DO NOTHING
                """, c);
            claim.Parameters.AddWithValue("user", u.UserId);
            claim.Parameters.AddWithValue("day", today);
            claim.Parameters.AddWithValue("count", mine.Values.Sum(k => k.Open));
            claim.Parameters.AddWithValue("now", now);
            if (await claim.ExecuteNonQueryAsync(ct) == 0)
            {
                continue; // already sent today (another instance, or a re-run)
            }
            var (subject, body) = ComposeDigest(mine);
            try
            {
                await email.SendAsync(new EmailMessage(u.Email, subject, body), ct);
                sent++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Reminder digest to user {UserId} failed", u.UserId);
            }
        }
        logger.LogInformation("Reminder digest {Day}: {Sent} mail(s)", today, sent);
        return sent;
    }

    /// <summary>What one user's digest counts: the organization-wide rows and those of the user's roles. Pure (unit-tested).</summary>
    public static Dictionary<ReminderKind, KindCounts> DigestCounts(IReadOnlyDictionary<(Guid Org, string? Role), Dictionary<ReminderKind, KindCounts>> counts, Guid org, IEnumerable<string> roles)
    {
        var result = new Dictionary<ReminderKind, KindCounts>();
        foreach (var role in roles.Cast<string?>().Prepend(null).Distinct())
        {
            if (!counts.TryGetValue((org, role), out var byKind))
            {
                continue;
            }
            foreach (var (kind, k) in byKind)
            {
                result[kind] = result.TryGetValue(kind, out var had) ? new KindCounts(had.Open + k.Open, had.New + k.New, had.Escalated + k.Escalated) : k;
            }
        }
        foreach (var kind in result.Where(kv => kv.Value.Open == 0).Select(kv => kv.Key).ToList())
        {
            result.Remove(kind);
        }
        return result;
    }

    private (string Subject, string Body) ComposeDigest(Dictionary<ReminderKind, KindCounts> counts)
    {
        string Part(CultureInfo culture)
        {
            var sb = new StringBuilder().AppendLine(Render(culture, "MailReminderDigestIntro")).AppendLine();
            foreach (var (kind, k) in counts.OrderBy(kv => kv.Key))
            {
                sb.AppendLine(Render(culture, "MailReminderDigestLine", Render(culture, "ReminderKind_" + kind), k.Open, k.New, k.Escalated));
            }
            return sb.AppendLine().AppendLine(Link("/Reminders")).ToString();
        }
        var body = new StringBuilder().Append(Part(Japanese)).AppendLine("----").AppendLine().Append(Part(English))
            .AppendLine().AppendLine(Render(Japanese, "MailReminderSettings", Link("/Reminders/Settings")));
        return (Render(Japanese, "MailReminderDigestSubject"), body.ToString());
    }
}
