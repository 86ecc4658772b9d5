using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using VendorPortal.Features.Policy;

namespace VendorPortal.Features.Reminders;

/// <summary>Settings (section "Reminders").</summary>
public sealed class ReminderOptions
{
    /// <summary>Rows per INSERT/UPDATE statement of the run.</summary>
    public int BatchSize { get; set; } = 2000;
    /// <summary>Days after the 年度 (or a later engagement) starts by which the vendor's checklist is due.</summary>
    public int ChecklistDueDays { get; set; } = 90;
    /// <summary>Immediate mails sent per run at most (the rest wait for the next run; the digest and the bell show them anyway).</summary>
    public int MaxImmediateMailsPerRun { get; set; } = 5000;
}

public sealed record ReminderRunResult(DateOnly Today, int Candidates, int Created, int AutoResolved, int Escalated, int Woken, int Mailed, TimeSpan Elapsed)
{
    public override string ToString()
        => $"remind {Today:yyyy-MM-dd}: {Candidates} new candidate(s), {Created} created, {AutoResolved} resolved automatically, {Escalated} escalated, {Woken} back from snooze, {Mailed} mail(s), {Elapsed.TotalSeconds:0.0} s";
}

/// <summary>
/// The daily reminder run. Every <see cref="IGroupedReminderSource"/> (EOS, patch overdue, patch commitment) streams
/// today's groups ordered by hospital, merged with the open reminders of its kind (same order): groups are inserted,
/// open reminders whose group is gone are resolved (<see cref="MergeAsync"/>). Every <see cref="IReminderSource"/>
/// (checklist, certification) streams its new candidates and its cleared reminders. Inserts go in batches with ON
/// CONFLICT (dedupe_key) DO NOTHING; the "created" event and the in-app notification are written by the same
/// statement for the rows actually inserted. Then the escalation pass runs, and immediate mails go out.
/// Exactly once holds in the database: two instances, or a restart in the middle, insert nothing twice.
/// Memory stays flat: rows are streamed; one batch and one hospital's group keys are held at a time.
/// </summary>
public sealed class ReminderRun(
    IEnumerable<IGroupedReminderSource> groupedSources,
    IEnumerable<IReminderSource> sources,
    ReminderMailer mailer,
    IOptions<ReminderOptions> options,
    IConfiguration config,
    TimeProvider time,
    ILogger<ReminderRun> logger)
{
    public const string SubjectType = "reminders";

    private string ConnectionString => config.GetConnectionString("Default")
        ?? throw new InvalidOperationException("ConnectionStrings:Default is not set.");

    /// <summary>
    /// Every hospital's policy row (small: one per hospital), loaded once per run with plain SQL (the run needs no EF
    /// model); hospitals without a row use <see cref="CompliancePolicy.Defaults"/> (<see cref="ReminderRunContext.PolicyOf"/>).
    /// </summary>
    public static async Task<Dictionary<Guid, CompliancePolicy>> LoadPoliciesAsync(string connectionString, CancellationToken ct)
    {
        await using var c = new NpgsqlConnection(connectionString);
        await c.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            SELECT hospital_id, eos_warning_days, critical_patch_days, high_patch_days, other_patch_days,
                   escalate_to_system_operator_days, escalate_to_security_manager_days, escalate_to_executive_days
            FROM compliance_policies
            """, c);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var policies = new Dictionary<Guid, CompliancePolicy>();
        while (await r.ReadAsync(ct))
        {
            policies[r.GetGuid(0)] = new CompliancePolicy
            {
                HospitalId = r.GetGuid(0), EosWarningDays = r.GetFieldValue<int[]>(1), CriticalPatchDays = r.GetInt32(2), HighPatchDays = r.GetInt32(3),
                OtherPatchDays = r.GetInt32(4), EscalateToSystemOperatorDays = r.GetInt32(5), EscalateToSecurityManagerDays = r.GetInt32(6),
                EscalateToExecutiveDays = r.GetInt32(7),
            };
        }
        return policies;
    }

    /// <summary>The reminder run of a day: creation, automatic resolution, escalation, immediate mails.</summary>
    public async Task<ReminderRunResult> RunAsync(DateOnly today, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var ctx = new ReminderRunContext(today, await LoadPoliciesAsync(ConnectionString, ct), options.Value, ConnectionString);
        int candidates = 0, created = 0, resolved = 0;
        await using var write = new NpgsqlConnection(ConnectionString);
        await write.OpenAsync(ct);
        foreach (var source in groupedSources)
        {
            var sourceClock = Stopwatch.StartNew();
            var (seen, inserted, cleared) = await MergeAsync(write, source, ctx, ct);
            candidates += seen;
            created += inserted;
            resolved += cleared;
            logger.LogInformation("Reminder source {Kind}: {Candidates} new group(s), {Created} created, {Resolved} resolved automatically in {Elapsed} ms",
                source.Kind, seen, inserted, cleared, sourceClock.ElapsedMilliseconds);
        }
        foreach (var source in sources)
        {
            var sourceClock = Stopwatch.StartNew();
            var (seen, inserted) = await CreateAsync(write, source.CandidatesAsync(ctx, ct), ctx, ct);
            var cleared = await ResolveAsync(write, source.ClearedAsync(ctx, ct), ct);
            candidates += seen;
            created += inserted;
            resolved += cleared;
            logger.LogInformation("Reminder source {Kind}: {Candidates} new candidate(s), {Created} created, {Resolved} resolved automatically in {Elapsed} ms",
                source.Kind, seen, inserted, cleared, sourceClock.ElapsedMilliseconds);
        }
        var phase = Stopwatch.StartNew();
        var (escalated, woken) = await EscalateAsync(write, ctx, ct);
        logger.LogInformation("Reminder escalation pass: {Escalated} escalated, {Woken} back from snooze in {Elapsed} ms", escalated, woken, phase.ElapsedMilliseconds);
        phase.Restart();
        var mailed = await mailer.SendPendingAsync(ct);
        logger.LogInformation("Reminder immediate mail: {Mailed} mail(s) in {Elapsed} ms", mailed, phase.ElapsedMilliseconds);
        var result = new ReminderRunResult(today, candidates, created, resolved, escalated, woken, mailed, clock.Elapsed);
        logger.LogInformation("{Result}", result.ToString());
        return result;
    }

    /// <summary>The escalation pass alone (also part of <see cref="RunAsync"/>).</summary>
    public async Task<(int Escalated, int Woken)> EscalateAsync(DateOnly today, CancellationToken ct = default)
    {
        var ctx = new ReminderRunContext(today, await LoadPoliciesAsync(ConnectionString, ct), options.Value, ConnectionString);
        await using var write = new NpgsqlConnection(ConnectionString);
        await write.OpenAsync(ct);
        return await EscalateAsync(write, ctx, ct);
    }

    // fresh: the candidates whose key does not exist yet (one unique-index probe per group; counted as "new");
    // ON CONFLICT still decides when another instance inserts the same key at the same moment.
    private const string InsertSql = """
        WITH input AS (
            SELECT * FROM unnest(@id, @key, @kind, @hospital, @owner, @role, @subject_type, @subject_id, @text_key, @args, @link, @due, @level, @next)
                AS t(id, dedupe_key, kind, hospital_id, owner_id, role, subject_type, subject_id, text_key, args, link, due_on, level, next_on)
        ), fresh AS (
            SELECT * FROM input WHERE NOT EXISTS (SELECT 1 FROM reminders x WHERE x.dedupe_key = input.dedupe_key)
        ), ins AS (
            INSERT INTO reminders (id, hospital_id, owner_organization_id, recipient_organization_id, recipient_role, recipient_user_id, kind,
                subject_type, subject_id, dedupe_key, text_key, args, link, due_on, raised_at, state, snoozed_until, snooze_reason,
                escalation_level, level_since, next_escalation_on, resolved_at, updated_at, revision)
            SELECT id, hospital_id, owner_id, owner_id, role, NULL, kind, subject_type, subject_id, dedupe_key, text_key, args, link, due_on, @now,
                'Open', NULL, NULL, level, @today, next_on, NULL, @now, 0
            FROM fresh
            ON CONFLICT DO NOTHING
            RETURNING id, recipient_organization_id, recipient_role, text_key, args, escalation_level
        ), ev AS (
            INSERT INTO reminder_events (id, reminder_id, kind, level, occurred_at, user_id, actor_name, note, email_pending)
            SELECT gen_random_uuid(), id, 'Created', escalation_level, @now, NULL, '', NULL, true FROM ins
        ), note AS (
            INSERT INTO notifications (id, organization_id, recipient_user_id, recipient_role, text_key, args, link, subject_type, subject_id, created_at)
            SELECT gen_random_uuid(), recipient_organization_id, NULL, recipient_role, text_key, args, '/Reminders/' || id, 'reminders', id::text, @now FROM ins
        )
        SELECT (SELECT count(*) FROM fresh)::int, (SELECT count(*) FROM ins)::int
        """;

    private async Task<(int Seen, int Inserted)> CreateAsync(NpgsqlConnection write, IAsyncEnumerable<ReminderCandidate> candidates, ReminderRunContext ctx, CancellationToken ct)
    {
        var batch = new List<ReminderCandidate>(options.Value.BatchSize);
        int seen = 0, inserted = 0;
        await foreach (var c in candidates.WithCancellation(ct))
        {
            batch.Add(c);
            if (batch.Count >= options.Value.BatchSize)
            {
                var (f, i) = await InsertAsync(write, batch, ctx, ct);
                (seen, inserted) = (seen + f, inserted + i);
                batch.Clear();
            }
        }
        if (batch.Count > 0)
        {
            var (f, i) = await InsertAsync(write, batch, ctx, ct);
            (seen, inserted) = (seen + f, inserted + i);
        }
        return (seen, inserted);
    }

    private sealed record OpenReminder(Guid Id, string Hospital, string Key);

    private static async IAsyncEnumerable<OpenReminder> OpenOfKindAsync(ReminderRunContext ctx, ReminderKind kind, [EnumeratorCancellation] CancellationToken ct)
    {
        // Few rows (the open reminders of one kind; partial index ix_reminders_kind_open), in the groups' hospital order.
        const string sql = "SELECT id, hospital_id, dedupe_key FROM reminders r WHERE r.kind = @kind AND r.state <> 'Resolved' ORDER BY hospital_id";
        await foreach (var r in ctx.StreamAsync(sql, p => p.AddWithValue("kind", kind.ToString()), ct))
        {
            yield return new OpenReminder(r.GetGuid(0), r.GetGuid(1).ToString(), r.GetString(2));
        }
    }

    /// <summary>
    /// Merges a grouped source's stream (today's groups, ordered by hospital) with the open reminders of its kind
    /// (ordered by hospital too; a Guid's "D" text compares ordinally like PostgreSQL's uuid order): inserts the groups
    /// in batches and resolves the open reminders whose key is not among their hospital's groups today.
    /// Holds one hospital's keys and one batch of each at a time.
    /// </summary>
    private async Task<(int Seen, int Inserted, int Resolved)> MergeAsync(NpgsqlConnection write, IGroupedReminderSource source, ReminderRunContext ctx, CancellationToken ct)
    {
        var insert = new List<ReminderCandidate>(options.Value.BatchSize);
        var resolve = new List<Guid>(options.Value.BatchSize);
        int seen = 0, inserted = 0, resolved = 0;
        async Task FlushInserts()
        {
            if (insert.Count > 0)
            {
                var (f, i) = await InsertAsync(write, insert, ctx, ct);
                (seen, inserted) = (seen + f, inserted + i);
                insert.Clear();
            }
        }
        async Task FlushResolves()
        {
            if (resolve.Count > 0)
            {
                resolved += await ResolveBatchAsync(write, resolve, ct);
                resolve.Clear();
            }
        }
        await using var groups = source.GroupsAsync(ctx, ct).GetAsyncEnumerator(ct);
        await using var open = OpenOfKindAsync(ctx, source.Kind, ct).GetAsyncEnumerator(ct);
        var hasGroup = await groups.MoveNextAsync();
        var hasOpen = await open.MoveNextAsync();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        while (hasGroup || hasOpen)
        {
            var groupHospital = hasGroup ? groups.Current.HospitalId.ToString() : null;
            var hospital = !hasOpen ? groupHospital!
                : !hasGroup || string.CompareOrdinal(open.Current.Hospital, groupHospital) < 0 ? open.Current.Hospital : groupHospital!;
            keys.Clear();
            while (hasGroup && groups.Current.HospitalId.ToString() == hospital)
            {
                keys.Add(groups.Current.DedupeKey);
                insert.Add(groups.Current);
                if (insert.Count >= options.Value.BatchSize)
                {
                    await FlushInserts();
                }
                hasGroup = await groups.MoveNextAsync();
            }
            while (hasOpen && open.Current.Hospital == hospital)
            {
                if (!keys.Contains(open.Current.Key))
                {
                    resolve.Add(open.Current.Id);
                    if (resolve.Count >= options.Value.BatchSize)
                    {
                        await FlushResolves();
                    }
                }
                hasOpen = await open.MoveNextAsync();
            }
        }
        await FlushInserts();
        await FlushResolves();
        return (seen, inserted, resolved);
    }

    private async Task<(int Fresh, int Inserted)> InsertAsync(NpgsqlConnection write, List<ReminderCandidate> batch, ReminderRunContext ctx, CancellationToken ct)
    {
        batch.Sort((a, b) => string.CompareOrdinal(a.DedupeKey, b.DedupeKey)); // fewer lock-order conflicts between instances
        var levels = batch.Select(c => EscalationPolicy.InitialLevel(c.ToHospital)).ToArray();
        await using var cmd = new NpgsqlCommand(InsertSql, write) { CommandTimeout = 0 };
        cmd.Parameters.AddWithValue("id", batch.Select(_ => Guid.CreateVersion7()).ToArray());
        cmd.Parameters.AddWithValue("key", batch.Select(c => c.DedupeKey).ToArray());
        cmd.Parameters.AddWithValue("kind", batch.Select(c => c.Kind.ToString()).ToArray());
        cmd.Parameters.AddWithValue("hospital", batch.Select(c => c.HospitalId).ToArray());
        cmd.Parameters.AddWithValue("owner", batch.Select(c => c.OwnerOrganizationId).ToArray());
        cmd.Parameters.Add(new NpgsqlParameter<string?[]>("role", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = levels.Select(EscalationPolicy.HospitalRoleFor).ToArray() });
        cmd.Parameters.AddWithValue("subject_type", batch.Select(c => c.SubjectType).ToArray());
        cmd.Parameters.AddWithValue("subject_id", batch.Select(c => c.SubjectId).ToArray());
        cmd.Parameters.AddWithValue("text_key", batch.Select(c => c.TextKey).ToArray());
        cmd.Parameters.AddWithValue("args", batch.Select(c => JsonSerializer.Serialize(c.Args)).ToArray());
        cmd.Parameters.Add(new NpgsqlParameter<string?[]>("link", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = batch.Select(c => c.Link).ToArray() });
        cmd.Parameters.AddWithValue("due", batch.Select(c => c.DueOn).ToArray());
        cmd.Parameters.AddWithValue("level", levels);
        cmd.Parameters.Add(new NpgsqlParameter<DateOnly?[]>("next", NpgsqlDbType.Array | NpgsqlDbType.Date)
        {
            TypedValue = batch.Select((c, i) => EscalationPolicy.NextEscalationOn(ReminderState.Open, levels[i], ctx.Today, ctx.PolicyOf(c.HospitalId))).ToArray(),
        });
        cmd.Parameters.AddWithValue("now", time.GetUtcNow());
        cmd.Parameters.AddWithValue("today", ctx.Today);
        return await WithRetryAsync(async () =>
        {
            await using var r = await cmd.ExecuteReaderAsync(ct);
            await r.ReadAsync(ct);
            return (r.GetInt32(0), r.GetInt32(1));
        }, ct);
    }

    /// <summary>
    /// Two instances may lock the same rows in different orders (their streams are not sorted): PostgreSQL then aborts
    /// one statement as a deadlock. Every statement of the run is idempotent, so it is simply run again.
    /// </summary>
    private Task<int> ScalarWithRetryAsync(NpgsqlCommand cmd, CancellationToken ct)
        => WithRetryAsync(async () => (int)(await cmd.ExecuteScalarAsync(ct))!, ct);

    private async Task<T> WithRetryAsync<T>(Func<Task<T>> statement, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await statement();
            }
            catch (PostgresException ex) when (attempt < 5 && ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure)
            {
                logger.LogInformation("Reminder run: {SqlState} with another instance, statement repeated (attempt {Attempt})", ex.SqlState, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt * Random.Shared.Next(1, 5)), ct);
            }
        }
    }

    private const string ResolveSql = """
        WITH upd AS (
            UPDATE reminders SET state = 'Resolved', resolved_at = @now, next_escalation_on = NULL, snoozed_until = NULL,
                updated_at = @now, revision = revision + 1,
                -- The condition cleared: the key is released (the row keeps kind and subject), so the same condition
                -- coming back later (a new component on the advisory, a status reopened) raises a new reminder. A
                -- reminder a user resolved keeps its key: their decision stands while the condition holds.
                dedupe_key = 'released:' || id::text
            WHERE id = ANY(@ids) AND state <> 'Resolved'
            RETURNING id
        ), ev AS (
            INSERT INTO reminder_events (id, reminder_id, kind, level, occurred_at, user_id, actor_name, note, email_pending)
            SELECT gen_random_uuid(), id, 'AutoResolved', NULL, @now, NULL, '', NULL, false FROM upd
        )
        SELECT count(*)::int FROM upd
        """;

    private async Task<int> ResolveAsync(NpgsqlConnection write, IAsyncEnumerable<Guid> cleared, CancellationToken ct)
    {
        var batch = new List<Guid>(options.Value.BatchSize);
        var resolved = 0;
        async Task Flush()
        {
            resolved += await ResolveBatchAsync(write, batch, ct);
            batch.Clear();
        }
        await foreach (var id in cleared.WithCancellation(ct))
        {
            batch.Add(id);
            if (batch.Count >= options.Value.BatchSize)
            {
                await Flush();
            }
        }
        if (batch.Count > 0)
        {
            await Flush();
        }
        return resolved;
    }

    private async Task<int> ResolveBatchAsync(NpgsqlConnection write, List<Guid> batch, CancellationToken ct)
    {
        batch.Sort(); // the same lock order in both instances
        await using var cmd = new NpgsqlCommand(ResolveSql, write) { CommandTimeout = 0 };
        cmd.Parameters.AddWithValue("ids", batch.ToArray());
        cmd.Parameters.AddWithValue("now", time.GetUtcNow());
        return await ScalarWithRetryAsync(cmd, ct);
    }

    // Locks the rows it escalates (FOR UPDATE) and re-checks level and state, so a second instance waiting on the lock
    // finds the row already moved on and does nothing; the unique (reminder, kind, level) index backs it up.
    private const string EscalateSql = """
        WITH input AS (
            SELECT * FROM unnest(@id, @level, @role, @next) AS t(id, level, role, next_on)
        ), cand AS (
            SELECT r.id, r.hospital_id, r.text_key, r.args, input.level, input.role, input.next_on
            FROM reminders r JOIN input ON input.id = r.id
            WHERE r.state IN ('Open', 'Escalated') AND r.escalation_level = input.level - 1 AND r.next_escalation_on <= @today
            FOR UPDATE OF r
        ), ev AS (
            INSERT INTO reminder_events (id, reminder_id, kind, level, occurred_at, user_id, actor_name, note, email_pending)
            SELECT gen_random_uuid(), id, 'Escalated', level, @now, NULL, '', NULL, true FROM cand
            ON CONFLICT DO NOTHING
            RETURNING reminder_id
        ), upd AS (
            UPDATE reminders r SET state = 'Escalated', escalation_level = cand.level, recipient_organization_id = cand.hospital_id,
                recipient_role = cand.role, recipient_user_id = NULL, level_since = @today, next_escalation_on = cand.next_on,
                updated_at = @now, revision = r.revision + 1
            FROM cand JOIN ev ON ev.reminder_id = cand.id
            WHERE r.id = cand.id
            RETURNING r.id, r.hospital_id, r.recipient_role, r.args
        ), note AS (
            INSERT INTO notifications (id, organization_id, recipient_user_id, recipient_role, text_key, args, link, subject_type, subject_id, created_at)
            SELECT gen_random_uuid(), hospital_id, NULL, recipient_role, 'Notify_ReminderEscalated', args, '/Reminders/' || id, 'reminders', id::text, @now FROM upd
        )
        SELECT count(*)::int FROM upd
        """;

    private const string WakeSql = """
        WITH input AS (
            SELECT * FROM unnest(@id, @next) AS t(id, next_on)
        ), upd AS (
            UPDATE reminders r SET state = 'Open', snoozed_until = NULL, snooze_reason = NULL, level_since = @today,
                next_escalation_on = input.next_on, updated_at = @now, revision = r.revision + 1
            FROM input
            WHERE r.id = input.id AND r.state = 'Snoozed' AND r.snoozed_until <= @today
            RETURNING r.id
        ), ev AS (
            INSERT INTO reminder_events (id, reminder_id, kind, level, occurred_at, user_id, actor_name, note, email_pending)
            SELECT gen_random_uuid(), id, 'Unsnoozed', NULL, @now, NULL, '', NULL, false FROM upd
        )
        SELECT count(*)::int FROM upd
        """;

    private sealed record Due(Guid Id, Guid HospitalId, ReminderState State, int Level, DateOnly LevelSince, DateOnly? SnoozedUntil);

    /// <summary>
    /// Reminders whose next_escalation_on (the escalation day, or a snooze's wake-up day) has come, decided by
    /// <see cref="EscalationPolicy"/>: escalated one level, or back from a snooze with the clock restarted.
    /// </summary>
    private async Task<(int Escalated, int Woken)> EscalateAsync(NpgsqlConnection write, ReminderRunContext ctx, CancellationToken ct)
    {
        const string sql = """
            SELECT id, hospital_id, state, escalation_level, level_since, snoozed_until
            FROM reminders WHERE next_escalation_on <= @today AND state IN ('Open', 'Escalated', 'Snoozed')
            """;
        var escalate = new List<(Due Row, int Level)>();
        var wake = new List<Due>();
        int escalated = 0, woken = 0;
        await foreach (var r in ctx.StreamAsync(sql, p => p.AddWithValue("today", ctx.Today), ct))
        {
            var row = new Due(r.GetGuid(0), r.GetGuid(1), Enum.Parse<ReminderState>(r.GetString(2)), r.GetInt32(3), r.GetFieldValue<DateOnly>(4),
                r.IsDBNull(5) ? null : r.GetFieldValue<DateOnly>(5));
            var decision = EscalationPolicy.Decide(row.State, row.Level, row.LevelSince, row.SnoozedUntil, ctx.Today, ctx.PolicyOf(row.HospitalId));
            switch (decision.Action)
            {
                case EscalationAction.Escalate:
                    escalate.Add((row, decision.Level));
                    break;
                case EscalationAction.Wake:
                    wake.Add(row);
                    break;
            }
            if (escalate.Count >= options.Value.BatchSize)
            {
                escalated += await EscalateBatchAsync(write, escalate, ctx, ct);
            }
            if (wake.Count >= options.Value.BatchSize)
            {
                woken += await WakeBatchAsync(write, wake, ctx, ct);
            }
        }
        escalated += await EscalateBatchAsync(write, escalate, ctx, ct);
        woken += await WakeBatchAsync(write, wake, ctx, ct);
        return (escalated, woken);
    }

    private async Task<int> EscalateBatchAsync(NpgsqlConnection write, List<(Due Row, int Level)> batch, ReminderRunContext ctx, CancellationToken ct)
    {
        if (batch.Count == 0)
        {
            return 0;
        }
        await using var cmd = new NpgsqlCommand(EscalateSql, write) { CommandTimeout = 0 };
        cmd.Parameters.AddWithValue("id", batch.Select(b => b.Row.Id).ToArray());
        cmd.Parameters.AddWithValue("level", batch.Select(b => b.Level).ToArray());
        cmd.Parameters.AddWithValue("role", batch.Select(b => EscalationPolicy.HospitalRoleFor(b.Level)!).ToArray());
        cmd.Parameters.Add(new NpgsqlParameter<DateOnly?[]>("next", NpgsqlDbType.Array | NpgsqlDbType.Date)
        {
            TypedValue = batch.Select(b => EscalationPolicy.NextEscalationOn(ReminderState.Escalated, b.Level, ctx.Today, ctx.PolicyOf(b.Row.HospitalId))).ToArray(),
        });
        cmd.Parameters.AddWithValue("today", ctx.Today);
        cmd.Parameters.AddWithValue("now", time.GetUtcNow());
        var n = await ScalarWithRetryAsync(cmd, ct);
        batch.Clear();
        return n;
    }

    private async Task<int> WakeBatchAsync(NpgsqlConnection write, List<Due> batch, ReminderRunContext ctx, CancellationToken ct)
    {
        if (batch.Count == 0)
        {
            return 0;
        }
        await using var cmd = new NpgsqlCommand(WakeSql, write) { CommandTimeout = 0 };
        cmd.Parameters.AddWithValue("id", batch.Select(b => b.Id).ToArray());
        cmd.Parameters.Add(new NpgsqlParameter<DateOnly?[]>("next", NpgsqlDbType.Array | NpgsqlDbType.Date)
        {
            TypedValue = batch.Select(b => EscalationPolicy.NextEscalationOn(ReminderState.Open, b.Level, ctx.Today, ctx.PolicyOf(b.HospitalId))).ToArray(),
        });
        cmd.Parameters.AddWithValue("today", ctx.Today);
        cmd.Parameters.AddWithValue("now", time.GetUtcNow());
        var n = await ScalarWithRetryAsync(cmd, ct);
        batch.Clear();
        return n;
    }
}
