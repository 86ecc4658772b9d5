using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using Npgsql;
using VendorPortal.Features.Ledger;
using VendorPortal.Features.Patches;
using VendorPortal.Features.Policy;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Reminders;

/// <summary>
/// A reminder a source wants to exist today. <paramref name="ToHospital"/>: addressed to the hospital's SystemOperator
/// (level 1); otherwise to every member of <paramref name="OwnerOrganizationId"/> (a vendor, level 0).
/// </summary>
public sealed record ReminderCandidate(
    string DedupeKey, ReminderKind Kind, Guid HospitalId, Guid OwnerOrganizationId, bool ToHospital,
    string SubjectType, string SubjectId, string TextKey, string[] Args, string? Link, DateOnly DueOn);

/// <summary>What every source may read during one run: the day, the policies (all loaded once) and the settings.</summary>
public sealed class ReminderRunContext(DateOnly today, IReadOnlyDictionary<Guid, CompliancePolicy> policies, ReminderOptions options, string connectionString)
{
    public DateOnly Today { get; } = today;
    public ReminderOptions Options { get; } = options;
    public IReadOnlyDictionary<Guid, CompliancePolicy> Policies { get; } = policies;
    public CompliancePolicy PolicyOf(Guid hospitalId)
        => Policies.TryGetValue(hospitalId, out var p) ? p : CompliancePolicy.Defaults(hospitalId);

    /// <summary>The largest EOS window of any hospital (defaults included): the coarse SQL filter of the EOS source.</summary>
    public int MaxEosHorizon => Policies.Values.Select(p => PolicyRules.Horizon(p.EosWarningDays)).Append(PolicyRules.Horizon(CompliancePolicy.DefaultEosWarningDays)).Max();

    /// <summary>The shortest patch deadline of any hospital: nothing released later can be overdue anywhere.</summary>
    public int MinPatchDays => Policies.Values.Select(p => Math.Min(p.CriticalPatchDays, Math.Min(p.HighPatchDays, p.OtherPatchDays)))
        .Append(CompliancePolicy.Defaults(Guid.Empty).CriticalPatchDays).Min();

    /// <summary>
    /// Streams the rows of a query on a connection of its own (the run writes on another), row by row: memory does
    /// not grow with the number of rows.
    /// </summary>
    public async IAsyncEnumerable<DbDataReader> StreamAsync(string sql, Action<NpgsqlParameterCollection> parameters, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        parameters(command.Parameters);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            yield return reader;
        }
    }
}

/// <summary>
/// A kind of reminder whose reminders are raised one per subject row and cleared row by row: the daily run inserts
/// <see cref="CandidatesAsync"/> (what is new) and resolves <see cref="ClearedAsync"/> (open ones that no longer hold).
/// </summary>
public interface IReminderSource
{
    ReminderKind Kind { get; }
    IAsyncEnumerable<ReminderCandidate> CandidatesAsync(ReminderRunContext ctx, CancellationToken ct);
    IAsyncEnumerable<Guid> ClearedAsync(ReminderRunContext ctx, CancellationToken ct);
}

/// <summary>
/// A kind of reminder that stands for a group of ledger rows (an advisory's overdue components, the components whose
/// OS ends on one day …), so a hospital with 6,000 components reads tens of reminders, not thousands.
/// <see cref="GroupsAsync"/> streams EVERY group that should exist today (raised before or not), ordered by
/// hospital id (PostgreSQL's uuid order). The run merges that stream with the open reminders of the kind, also
/// ordered by hospital: it inserts the groups (ON CONFLICT on the key: what exists is skipped) and resolves the open
/// reminders whose key is not among the hospital's groups any more. Memory: one hospital's groups at a time.
/// The counting is done in SQL (GROUP BY over the raw inputs of the rule); the decision stays in C# with
/// <see cref="PolicyRules"/>, applied once per group.
/// </summary>
public interface IGroupedReminderSource
{
    ReminderKind Kind { get; }
    IAsyncEnumerable<ReminderCandidate> GroupsAsync(ReminderRunContext ctx, CancellationToken ct);
}

/// <summary>Shared SQL fragments of the sources.</summary>
internal static class ReminderSql
{
    /// <summary>(hospital_id, vendor_id) has an engagement active on @today.</summary>
    public static string Engaged(string hospital, string vendor)
        => $"EXISTS (SELECT 1 FROM engagements e WHERE e.hospital_id = {hospital} AND e.vendor_id = {vendor} AND e.starts_on <= @today AND (e.ends_on IS NULL OR e.ends_on >= @today))";

    /// <summary>The (hospital_id, vendor_id) pairs with an engagement active on @today, once each: joined, not probed per row.</summary>
    public const string ActiveEngagements
        = "SELECT DISTINCT hospital_id, vendor_id FROM engagements WHERE starts_on <= @today AND (ends_on IS NULL OR ends_on >= @today)";

    /// <summary>Open (not resolved) reminders of one kind, read by the sources' clearing queries.</summary>
    public const string OpenOfKind = "r.kind = @kind AND r.state <> 'Resolved'";

    public static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// No reminder with this key exists yet: the candidates queries skip what was raised before (a steady-state run
    /// then streams only what is new). The key expression must build the same text as the source's Key method; if the
    /// two ever differ, nothing is duplicated (the unique index still decides), the run only gets slower — and
    /// ReminderRunTests' "a second run has no new candidates" fails.
    /// </summary>
    public static string NotRaised(string keyExpression) => $"NOT EXISTS (SELECT 1 FROM reminders x WHERE x.dedupe_key = {keyExpression})";
}


/// <summary>One group row as the grouped sources read it, before the rule decides (pure input of the Decide methods).</summary>
public sealed record EosGroup(Guid HospitalId, Guid? EngagedSupplierId, SupportKind SupportKind, string Subject, DateOnly EndsOn, int Components, Guid? OnlyComponentId);

/// <summary>
/// EOS: the end-of-support dates of live components (not retired, in a system not retired) that entered one of the
/// hospital's warning windows or passed, grouped the way a hospital reads them: one reminder per (hospital,
/// recipient, support kind, subject text, end date, window) — "Windows 10 ends 2025-10-14: 312 components". Key
/// eos:{hospital}:{recipient}:{kind}:{hash of the subject}:{ends_on}:{window} (0 = passed): crossing the next window
/// raises a new reminder and resolves the previous one (it is superseded); the group's last live date going away
/// (retired, moved, deleted) resolves it. Recipient: the supplying vendor with an active engagement (it knows the
/// product's lifecycle; escalation brings in the hospital), otherwise the hospital's SystemOperator.
/// Link: the component when the group has one, else the hospital's ledger.
/// </summary>
public sealed class EosReminderSource : IGroupedReminderSource
{
    public ReminderKind Kind => ReminderKind.Eos;

    /// <summary>The window a date stands in today: the smallest window entered, 0 when passed, null when none.</summary>
    public static int? Window(DateOnly endsOn, DateOnly today, IReadOnlyCollection<int> windows)
    {
        var standing = PolicyRules.Eos(endsOn, today, windows);
        return standing.Passed ? 0 : standing.Threshold;
    }

    /// <summary>12 hex digits of the SHA-256 of the subject text: keeps the key short whatever the subject's length.</summary>
    public static string SubjectHash(string subject)
        => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(subject)))[..12];

    public static string Key(Guid hospitalId, Guid recipientId, SupportKind kind, string subject, DateOnly endsOn, int window)
        => $"eos:{hospitalId}:{recipientId}:{kind}:{SubjectHash(subject)}:{ReminderSql.Iso(endsOn)}:{window}";

    public static ReminderCandidate? Decide(EosGroup g, DateOnly today, CompliancePolicy policy)
    {
        if (g.Components <= 0 || Window(g.EndsOn, today, policy.EosWarningDays) is not { } window)
        {
            return null;
        }
        var recipient = g.EngagedSupplierId ?? g.HospitalId;
        var left = g.EndsOn.DayNumber - today.DayNumber;
        var (subjectType, subjectId, link) = g.Components == 1 && g.OnlyComponentId is { } only
            ? ("system_components", only.ToString(), $"/Hospitals/{g.HospitalId}/Ledger/Components/{only}")
            : ("hospitals", g.HospitalId.ToString(), $"/Hospitals/{g.HospitalId}/Ledger");
        return new ReminderCandidate(Key(g.HospitalId, recipient, g.SupportKind, g.Subject, g.EndsOn, window), ReminderKind.Eos, g.HospitalId, recipient,
            g.EngagedSupplierId is null, subjectType, subjectId, window == 0 ? "Reminder_EosGroupPassed" : "Reminder_EosGroupApproaching",
            [g.Subject, g.Components.ToString(CultureInfo.InvariantCulture), ReminderSql.Iso(g.EndsOn), left.ToString(CultureInfo.InvariantCulture)], link, g.EndsOn);
    }

    public async IAsyncEnumerable<ReminderCandidate> GroupsAsync(ReminderRunContext ctx, [EnumeratorCancellation] CancellationToken ct)
    {
        // Only dates within the largest window of any hospital are read (index on ends_on); the active engagements are
        // a hash join, not a subquery per row. min(component) is the component of a one-component group.
        var sql = $"""
            SELECT d.hospital_id, e.vendor_id, d.kind, d.subject, d.ends_on, count(*)::int, min(c.id::text)
            FROM component_support_dates d
            JOIN system_components c ON c.id = d.component_id
            JOIN medical_systems s ON s.id = c.system_id
            LEFT JOIN ({ReminderSql.ActiveEngagements}) e ON e.hospital_id = d.hospital_id AND e.vendor_id = c.supplier_vendor_id
            WHERE d.ends_on <= @horizon
              AND (c.retired_on IS NULL OR c.retired_on > @today) AND (s.retired_on IS NULL OR s.retired_on > @today)
            GROUP BY d.hospital_id, e.vendor_id, d.kind, d.subject, d.ends_on
            ORDER BY d.hospital_id
            """;
        await foreach (var r in ctx.StreamAsync(sql, p =>
        {
            p.AddWithValue("today", ctx.Today);
            p.AddWithValue("horizon", ctx.Today.AddDays(ctx.MaxEosHorizon));
        }, ct))
        {
            var hospital = r.GetGuid(0);
            var g = new EosGroup(hospital, r.IsDBNull(1) ? null : r.GetGuid(1), Enum.Parse<SupportKind>(r.GetString(2)), r.GetString(3),
                r.GetFieldValue<DateOnly>(4), r.GetInt32(5), Guid.Parse(r.GetString(6)));
            if (Decide(g, ctx.Today, ctx.PolicyOf(hospital)) is { } c)
            {
                yield return c;
            }
        }
    }
}

/// <summary>The patch statuses of one advisory in one (state, deferral approved) combination: a row of the grouped query.</summary>
public sealed record PatchStatusCount(PatchState State, bool DeferralApproved, int Count);

/// <summary>
/// Patch overdue: statuses of live components still unsettled (open, planned, or deferred without the
/// SecurityManager's approval) after the policy's deadline for the advisory's severity — ONE reminder per advisory
/// (key patch:{advisory}:overdue), saying how many components are overdue and since when; link: the advisory's page.
/// To the hospital's SystemOperator (the hospital decides and applies; a vendor's own commitment is
/// <see cref="PatchCommitmentReminderSource"/>). Resolved when no overdue status of the advisory remains.
/// </summary>
public sealed class PatchOverdueReminderSource : IGroupedReminderSource
{
    public ReminderKind Kind => ReminderKind.PatchOverdue;

    public static string Key(Guid advisoryId) => $"patch:{advisoryId}:overdue";

    /// <summary>The advisory's reminder, from the counts of its statuses per (state, deferral approved); null when none is overdue.</summary>
    public static ReminderCandidate? Decide(Guid advisoryId, Guid hospitalId, AdvisorySeverity severity, DateOnly releasedOn, string advisory,
        IEnumerable<PatchStatusCount> statuses, DateOnly today, CompliancePolicy policy)
    {
        var due = PolicyRules.PatchDueOn(severity, releasedOn, policy);
        var overdue = statuses.Where(s => PolicyRules.PatchOverdue(s.State, s.DeferralApproved, due, today)).Sum(s => s.Count);
        return overdue > 0
            ? new ReminderCandidate(Key(advisoryId), ReminderKind.PatchOverdue, hospitalId, hospitalId, true, "security_advisories", advisoryId.ToString(),
                "Reminder_PatchOverdueGroup", [advisory, overdue.ToString(CultureInfo.InvariantCulture), ReminderSql.Iso(due)],
                $"/Hospitals/{hospitalId}/Patches/{advisoryId}", due)
            : null;
    }

    public async IAsyncEnumerable<ReminderCandidate> GroupsAsync(ReminderRunContext ctx, [EnumeratorCancellation] CancellationToken ct)
    {
        // Unsettled states only (partial index of 0011), released before the shortest deadline of any hospital;
        // one row per (advisory, state, deferral approved), ordered by hospital then advisory.
        const string sql = """
            SELECT p.hospital_id, p.advisory_id, a.identifier, a.severity, a.released_on, p.state, p.deferral_approved_at IS NOT NULL, count(*)::int
            FROM patch_statuses p
            JOIN security_advisories a ON a.id = p.advisory_id
            JOIN system_components c ON c.id = p.component_id
            WHERE p.state IN ('Open', 'Planned', 'Deferred') AND a.released_on < @released_before
              AND (c.retired_on IS NULL OR c.retired_on > @today)
            GROUP BY p.hospital_id, p.advisory_id, a.identifier, a.severity, a.released_on, p.state, p.deferral_approved_at IS NOT NULL
            ORDER BY p.hospital_id, p.advisory_id
            """;
        Guid? advisory = null;
        Guid hospital = default;
        AdvisorySeverity severity = default;
        DateOnly released = default;
        var identifier = "";
        var counts = new List<PatchStatusCount>();
        await foreach (var r in ctx.StreamAsync(sql, p =>
        {
            p.AddWithValue("today", ctx.Today);
            p.AddWithValue("released_before", ctx.Today.AddDays(-ctx.MinPatchDays));
        }, ct))
        {
            var id = r.GetGuid(1);
            if (advisory != id)
            {
                if (advisory is { } done && Decide(done, hospital, severity, released, identifier, counts, ctx.Today, ctx.PolicyOf(hospital)) is { } c)
                {
                    yield return c;
                }
                (advisory, hospital, identifier, severity, released) = (id, r.GetGuid(0), r.GetString(2), Enum.Parse<AdvisorySeverity>(r.GetString(3)), r.GetFieldValue<DateOnly>(4));
                counts.Clear();
            }
            counts.Add(new PatchStatusCount(Enum.Parse<PatchState>(r.GetString(5)), r.GetBoolean(6), r.GetInt32(7)));
        }
        if (advisory is { } last && Decide(last, hospital, severity, released, identifier, counts, ctx.Today, ctx.PolicyOf(hospital)) is { } lastCandidate)
        {
            yield return lastCandidate;
        }
    }
}

/// <summary>
/// A vendor's commitment: planned patch statuses whose date, committed by a vendor (PatchStatus.CommittedByVendorId),
/// passed without the patch being applied — one reminder per (advisory, vendor, planned date), key
/// patch:{advisory}:committed:{vendor}:{date}, with the number of components. To that vendor while engaged (else the
/// hospital's SystemOperator). Moving the date resolves it (the new date raises its own once it passes).
/// </summary>
public sealed class PatchCommitmentReminderSource : IGroupedReminderSource
{
    public ReminderKind Kind => ReminderKind.PatchCommitment;

    public static string Key(Guid advisoryId, Guid vendorId, DateOnly plannedOn) => $"patch:{advisoryId}:committed:{vendorId}:{ReminderSql.Iso(plannedOn)}";

    /// <summary><paramref name="components"/> statuses of the advisory in <paramref name="state"/> with this committed date.</summary>
    public static ReminderCandidate? Decide(Guid advisoryId, Guid hospitalId, Guid vendorId, bool engaged, PatchState state, DateOnly? plannedOn, int components,
        string advisory, DateOnly today)
        => components > 0 && PolicyRules.PlannedDatePassed(state, plannedOn, today)
            ? new ReminderCandidate(Key(advisoryId, vendorId, plannedOn!.Value), ReminderKind.PatchCommitment, hospitalId, engaged ? vendorId : hospitalId, !engaged,
                "security_advisories", advisoryId.ToString(), "Reminder_PatchCommitmentGroup",
                [advisory, components.ToString(CultureInfo.InvariantCulture), ReminderSql.Iso(plannedOn.Value)], $"/Hospitals/{hospitalId}/Patches/{advisoryId}", plannedOn.Value)
            : null;

    public async IAsyncEnumerable<ReminderCandidate> GroupsAsync(ReminderRunContext ctx, [EnumeratorCancellation] CancellationToken ct)
    {
        var sql = $"""
            SELECT p.hospital_id, p.advisory_id, a.identifier, p.committed_by_vendor_id, e.vendor_id IS NOT NULL, p.planned_on, count(*)::int
            FROM patch_statuses p
            JOIN security_advisories a ON a.id = p.advisory_id
            JOIN system_components c ON c.id = p.component_id
            LEFT JOIN ({ReminderSql.ActiveEngagements}) e ON e.hospital_id = p.hospital_id AND e.vendor_id = p.committed_by_vendor_id
            WHERE p.state = 'Planned' AND p.committed_by_vendor_id IS NOT NULL AND p.planned_on < @today
              AND (c.retired_on IS NULL OR c.retired_on > @today)
            GROUP BY p.hospital_id, p.advisory_id, a.identifier, p.committed_by_vendor_id, e.vendor_id IS NOT NULL, p.planned_on
            ORDER BY p.hospital_id
            """;
        await foreach (var r in ctx.StreamAsync(sql, p => p.AddWithValue("today", ctx.Today), ct))
        {
            var c = Decide(r.GetGuid(1), r.GetGuid(0), r.GetGuid(3), r.GetBoolean(4), PatchState.Planned, r.GetFieldValue<DateOnly>(5), r.GetInt32(6),
                r.GetString(2), ctx.Today);
            if (c is not null)
            {
                yield return c;
            }
        }
    }
}

/// <summary>
/// 事業者確認用 checklist: a vendor engaged today has not submitted its checklist for the current 年度 by the
/// configured number of days after the 年度 (or its engagement) started (Reminders:ChecklistDueDays, default 90).
/// To the vendor. Cleared when submitted, when no engagement is active, or when the 年度 is over (next year's replaces it).
/// </summary>
public sealed class VendorChecklistReminderSource : IReminderSource
{
    public ReminderKind Kind => ReminderKind.VendorChecklist;

    public static string Key(Guid hospitalId, Guid vendorId, FiscalYear year) => $"checklist:{hospitalId}:{vendorId}:{year.StartYear}";

    /// <summary>The day the checklist is due: <paramref name="dueDays"/> after the 年度 or the engagement started, whichever is later.</summary>
    public static DateOnly DueOn(FiscalYear year, DateOnly engagementStartsOn, int dueDays)
        => (engagementStartsOn > year.FirstDay ? engagementStartsOn : year.FirstDay).AddDays(dueDays);

    public static ReminderCandidate? Decide(Guid hospitalId, Guid vendorId, Guid engagementId, DateOnly engagementStartsOn, bool submitted, DateOnly today, int dueDays)
    {
        var year = FiscalYear.Of(today);
        var due = DueOn(year, engagementStartsOn, dueDays);
        return !submitted && today > due
            ? new ReminderCandidate(Key(hospitalId, vendorId, year), ReminderKind.VendorChecklist, hospitalId, vendorId, false, "engagements", engagementId.ToString(),
                "Reminder_VendorChecklist", [year.StartYear.ToString(System.Globalization.CultureInfo.InvariantCulture), ReminderSql.Iso(due)], "/Forms", due)
            : null;
    }

    private const string SubmittedSql = """
        EXISTS (SELECT 1 FROM form_submissions f WHERE f.kind = 'VendorChecklist' AND f.respondent_organization_id = {1}
                AND f.hospital_id = {0} AND f.fiscal_year = {2} AND f.latest_version > 0)
        """;

    public async IAsyncEnumerable<ReminderCandidate> CandidatesAsync(ReminderRunContext ctx, [EnumeratorCancellation] CancellationToken ct)
    {
        // The earliest possible due day is the 年度's first day plus the due days: before it nothing can be due.
        if (ctx.Today <= FiscalYear.Of(ctx.Today).FirstDay.AddDays(ctx.Options.ChecklistDueDays))
        {
            yield break;
        }
        var sql = $"""
            SELECT DISTINCT ON (e.hospital_id, e.vendor_id) e.hospital_id, e.vendor_id, e.id, e.starts_on
            FROM engagements e
            WHERE e.starts_on <= @today AND (e.ends_on IS NULL OR e.ends_on >= @today)
              AND NOT {string.Format(System.Globalization.CultureInfo.InvariantCulture, SubmittedSql, "e.hospital_id", "e.vendor_id", "@fy")}
              AND {ReminderSql.NotRaised("'checklist:' || e.hospital_id::text || ':' || e.vendor_id::text || ':' || @fy::text")}
            ORDER BY e.hospital_id, e.vendor_id, e.starts_on
            """;
        await foreach (var r in ctx.StreamAsync(sql, p => { p.AddWithValue("today", ctx.Today); p.AddWithValue("fy", FiscalYear.Of(ctx.Today).StartYear); }, ct))
        {
            var c = Decide(r.GetGuid(0), r.GetGuid(1), r.GetGuid(2), r.GetFieldValue<DateOnly>(3), false, ctx.Today, ctx.Options.ChecklistDueDays);
            if (c is not null)
            {
                yield return c;
            }
        }
    }

    public static bool Cleared(int reminderYear, bool engaged, bool submitted, DateOnly today)
        => submitted || !engaged || reminderYear != FiscalYear.Of(today).StartYear;

    public async IAsyncEnumerable<Guid> ClearedAsync(ReminderRunContext ctx, [EnumeratorCancellation] CancellationToken ct)
    {
        var sql = $"""
            SELECT r.id, split_part(r.dedupe_key, ':', 4)::int, {ReminderSql.Engaged("r.hospital_id", "r.owner_organization_id")},
                   {string.Format(System.Globalization.CultureInfo.InvariantCulture, SubmittedSql, "r.hospital_id", "r.owner_organization_id", "split_part(r.dedupe_key, ':', 4)::int")}
            FROM reminders r
            WHERE {ReminderSql.OpenOfKind}
            """;
        await foreach (var r in ctx.StreamAsync(sql, p => { p.AddWithValue("today", ctx.Today); p.AddWithValue("kind", Kind.ToString()); }, ct))
        {
            if (Cleared(r.GetInt32(1), r.GetBoolean(2), r.GetBoolean(3), ctx.Today))
            {
                yield return r.GetGuid(0);
            }
        }
    }
}

/// <summary>
/// A certification (Pマーク, ISMS, ISO 27017, ISMAP) of a subcontractor in an approved 再委託 request expires within
/// <see cref="WindowDays"/> days or has expired. To the vendor that filed the request (it renews or replaces the
/// evidence). The key carries the expiry date: entering a new date resolves it.
/// </summary>
public sealed class CertificationReminderSource : IReminderSource
{
    public const int WindowDays = 60;
    public ReminderKind Kind => ReminderKind.Certification;

    public static string Key(Guid certificationId, DateOnly expiresOn) => $"cert:{certificationId}:{ReminderSql.Iso(expiresOn)}";

    public static bool Expiring(DateOnly expiresOn, DateOnly today) => expiresOn.DayNumber - today.DayNumber <= WindowDays;

    public static ReminderCandidate? Decide(Guid certificationId, Guid requestId, Guid hospitalId, Guid vendorId, string kind, string number,
        string subcontractor, DateOnly expiresOn, DateOnly today)
        => Expiring(expiresOn, today)
            ? new ReminderCandidate(Key(certificationId, expiresOn), ReminderKind.Certification, hospitalId, vendorId, false, "subcontractor_certifications",
                certificationId.ToString(), expiresOn < today ? "Reminder_CertificationExpired" : "Reminder_CertificationExpiring",
                [subcontractor, kind, number, ReminderSql.Iso(expiresOn)], $"/Subcontracts/{requestId}", expiresOn)
            : null;

    public async IAsyncEnumerable<ReminderCandidate> CandidatesAsync(ReminderRunContext ctx, [EnumeratorCancellation] CancellationToken ct)
    {
        var sql = $"""
            SELECT c.id, q.id, q.hospital_id, q.vendor_id, c.kind, c.number, s.name, c.expires_on
            FROM subcontractor_certifications c
            JOIN subcontract_requests q ON q.id = c.request_id
            JOIN subcontractors s ON s.id = c.subcontractor_id
            WHERE c.expires_on <= @until AND q.state IN ('Approved', 'ApprovedWithConditions')
              AND {ReminderSql.NotRaised("'cert:' || c.id::text || ':' || to_char(c.expires_on, 'YYYY-MM-DD')")}
            """;
        await foreach (var r in ctx.StreamAsync(sql, p => p.AddWithValue("until", ctx.Today.AddDays(WindowDays)), ct))
        {
            var c = Decide(r.GetGuid(0), r.GetGuid(1), r.GetGuid(2), r.GetGuid(3), r.GetString(4), r.GetString(5), r.GetString(6), r.GetFieldValue<DateOnly>(7), ctx.Today);
            if (c is not null)
            {
                yield return c;
            }
        }
    }

    public async IAsyncEnumerable<Guid> ClearedAsync(ReminderRunContext ctx, [EnumeratorCancellation] CancellationToken ct)
    {
        var sql = $"""
            SELECT r.id, r.dedupe_key, c.id, c.expires_on, q.state IN ('Approved', 'ApprovedWithConditions')
            FROM reminders r
            LEFT JOIN subcontractor_certifications c ON c.id = r.subject_id::uuid
            LEFT JOIN subcontract_requests q ON q.id = c.request_id
            WHERE {ReminderSql.OpenOfKind}
            """;
        await foreach (var r in ctx.StreamAsync(sql, p => p.AddWithValue("kind", Kind.ToString()), ct))
        {
            var holds = !r.IsDBNull(2) && r.GetBoolean(4) && Expiring(r.GetFieldValue<DateOnly>(3), ctx.Today)
                && Key(r.GetGuid(2), r.GetFieldValue<DateOnly>(3)) == r.GetString(1);
            if (!holds)
            {
                yield return r.GetGuid(0);
            }
        }
    }
}
