using System.Data.Common;
using System.Runtime.CompilerServices;
using Npgsql;
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
/// One kind of reminder: which ones should exist today (<see cref="CandidatesAsync"/>) and which open ones no longer
/// hold (<see cref="ClearedAsync"/>, resolved automatically). A new kind of reminder is one new class registered in
/// PortalServices; the run, escalation, mail and pages need no change.
/// </summary>
public interface IReminderSource
{
    ReminderKind Kind { get; }
    IAsyncEnumerable<ReminderCandidate> CandidatesAsync(ReminderRunContext ctx, CancellationToken ct);
    IAsyncEnumerable<Guid> ClearedAsync(ReminderRunContext ctx, CancellationToken ct);
}

/// <summary>Shared SQL fragments of the sources.</summary>
internal static class ReminderSql
{
    /// <summary>(hospital_id, vendor_id) has an engagement active on @today.</summary>
    public static string Engaged(string hospital, string vendor)
        => $"EXISTS (SELECT 1 FROM engagements e WHERE e.hospital_id = {hospital} AND e.vendor_id = {vendor} AND e.starts_on <= @today AND (e.ends_on IS NULL OR e.ends_on >= @today))";

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

/// <summary>
/// EOS: each end-of-support date of a live component (not retired, in a system not retired) that entered one of the
/// hospital's warning windows or passed. One reminder per window crossed (key eos:{dateId}:{window}, 0 = passed);
/// crossing the next window resolves the previous one (it is superseded) and raises the next.
/// Recipient: the supplying vendor when the component has one with an active engagement (it knows the product's
/// lifecycle and proposes the replacement; escalation brings in the hospital), otherwise the hospital's SystemOperator.
/// </summary>
public sealed class EosReminderSource : IReminderSource
{
    public ReminderKind Kind => ReminderKind.Eos;

    /// <summary>The window a date stands in today: the smallest window entered, 0 when passed, null when none.</summary>
    public static int? Window(DateOnly endsOn, DateOnly today, IReadOnlyCollection<int> windows)
    {
        var standing = PolicyRules.Eos(endsOn, today, windows);
        return standing.Passed ? 0 : standing.Threshold;
    }

    public static string Key(Guid supportDateId, int window) => $"eos:{supportDateId}:{window}";

    public static ReminderCandidate? Decide(Guid supportDateId, Guid hospitalId, DateOnly endsOn, string subject, string componentName,
        Guid? engagedSupplierId, DateOnly today, CompliancePolicy policy)
    {
        if (Window(endsOn, today, policy.EosWarningDays) is not { } window)
        {
            return null;
        }
        var left = endsOn.DayNumber - today.DayNumber;
        return new ReminderCandidate(Key(supportDateId, window), ReminderKind.Eos, hospitalId, engagedSupplierId ?? hospitalId, engagedSupplierId is null,
            "component_support_dates", supportDateId.ToString(), window == 0 ? "Reminder_EosPassed" : "Reminder_EosApproaching",
            [subject, componentName, ReminderSql.Iso(endsOn), left.ToString(System.Globalization.CultureInfo.InvariantCulture)], null, endsOn);
    }

    public async IAsyncEnumerable<ReminderCandidate> CandidatesAsync(ReminderRunContext ctx, [EnumeratorCancellation] CancellationToken ct)
    {
        var sql = $"""
            SELECT d.id, d.hospital_id, d.ends_on, d.subject, c.name,
                   CASE WHEN c.supplier_vendor_id IS NOT NULL AND {ReminderSql.Engaged("d.hospital_id", "c.supplier_vendor_id")} THEN c.supplier_vendor_id END,
                   ARRAY(SELECT x.dedupe_key FROM reminders x WHERE x.subject_id = d.id::text AND x.kind = 'Eos')
            FROM component_support_dates d
            JOIN system_components c ON c.id = d.component_id
            JOIN medical_systems s ON s.id = c.system_id
            WHERE d.ends_on <= @horizon
              AND (c.retired_on IS NULL OR c.retired_on > @today) AND (s.retired_on IS NULL OR s.retired_on > @today)
            """;
        await foreach (var r in ctx.StreamAsync(sql, p =>
        {
            p.AddWithValue("today", ctx.Today);
            p.AddWithValue("horizon", ctx.Today.AddDays(ctx.MaxEosHorizon));
        }, ct))
        {
            var hospital = r.GetGuid(1);
            var c = Decide(r.GetGuid(0), hospital, r.GetFieldValue<DateOnly>(2), r.GetString(3), r.GetString(4),
                r.IsDBNull(5) ? null : r.GetGuid(5), ctx.Today, ctx.PolicyOf(hospital));
            // Already raised for this window (open or not): nothing to insert.
            if (c is not null && !r.GetFieldValue<string[]>(6).Contains(c.DedupeKey))
            {
                yield return c;
            }
        }
    }

    /// <summary>Cleared: the date, component or system is gone or retired, or the date stands in another window now.</summary>
    public static bool Cleared(int keyWindow, bool live, DateOnly? endsOn, DateOnly today, CompliancePolicy policy)
        => !live || endsOn is not { } e || Window(e, today, policy.EosWarningDays) != keyWindow;

    public async IAsyncEnumerable<Guid> ClearedAsync(ReminderRunContext ctx, [EnumeratorCancellation] CancellationToken ct)
    {
        var sql = $"""
            SELECT r.id, r.hospital_id, r.dedupe_key, d.ends_on,
                   (d.id IS NOT NULL AND (c.retired_on IS NULL OR c.retired_on > @today) AND (s.retired_on IS NULL OR s.retired_on > @today))
            FROM reminders r
            LEFT JOIN component_support_dates d ON d.id = r.subject_id::uuid
            LEFT JOIN system_components c ON c.id = d.component_id
            LEFT JOIN medical_systems s ON s.id = c.system_id
            WHERE {ReminderSql.OpenOfKind}
            """;
        await foreach (var r in ctx.StreamAsync(sql, p => { p.AddWithValue("today", ctx.Today); p.AddWithValue("kind", Kind.ToString()); }, ct))
        {
            var key = r.GetString(2);
            var window = int.Parse(key[(key.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            if (Cleared(window, r.GetBoolean(4), r.IsDBNull(3) ? null : r.GetFieldValue<DateOnly>(3), ctx.Today, ctx.PolicyOf(r.GetGuid(1))))
            {
                yield return r.GetGuid(0);
            }
        }
    }
}

/// <summary>
/// Patch overdue: a patch status of a live component still unsettled (open, planned, or deferred without the
/// SecurityManager's approval) after the policy's deadline for the advisory's severity. To the hospital's
/// SystemOperator (the hospital decides and applies; a vendor's own commitment is <see cref="PatchCommitmentReminderSource"/>).
/// </summary>
public sealed class PatchOverdueReminderSource : IReminderSource
{
    public ReminderKind Kind => ReminderKind.PatchOverdue;

    public static string Key(Guid statusId) => $"patch:{statusId}:overdue";

    public static ReminderCandidate? Decide(Guid statusId, Guid hospitalId, PatchState state, bool deferralApproved, AdvisorySeverity severity,
        DateOnly releasedOn, string advisory, string componentName, DateOnly today, CompliancePolicy policy)
    {
        var due = PolicyRules.PatchDueOn(severity, releasedOn, policy);
        return PolicyRules.PatchOverdue(state, deferralApproved, due, today)
            ? new ReminderCandidate(Key(statusId), ReminderKind.PatchOverdue, hospitalId, hospitalId, true, "patch_statuses", statusId.ToString(),
                "Reminder_PatchOverdue", [advisory, componentName, ReminderSql.Iso(due)], null, due)
            : null;
    }

    public async IAsyncEnumerable<ReminderCandidate> CandidatesAsync(ReminderRunContext ctx, [EnumeratorCancellation] CancellationToken ct)
    {
        // Coarse filter: unsettled states only (partial index of 0011), released before the shortest deadline of any
        // hospital, and not raised before (ReminderSql.NotRaised, written out: the key is Key(statusId)).
        const string sql = """
            SELECT p.id, p.hospital_id, p.state, p.deferral_approved_at IS NOT NULL, a.severity, a.released_on, a.identifier, c.name
            FROM patch_statuses p
            JOIN security_advisories a ON a.id = p.advisory_id
            JOIN system_components c ON c.id = p.component_id
            WHERE p.state IN ('Open', 'Planned', 'Deferred') AND a.released_on < @released_before
              AND (c.retired_on IS NULL OR c.retired_on > @today)
              AND NOT EXISTS (SELECT 1 FROM reminders x WHERE x.dedupe_key = 'patch:' || p.id::text || ':overdue')
            """;
        await foreach (var r in ctx.StreamAsync(sql, p =>
        {
            p.AddWithValue("today", ctx.Today);
            p.AddWithValue("released_before", ctx.Today.AddDays(-ctx.MinPatchDays));
        }, ct))
        {
            var hospital = r.GetGuid(1);
            var c = Decide(r.GetGuid(0), hospital, Enum.Parse<PatchState>(r.GetString(2)), r.GetBoolean(3), Enum.Parse<AdvisorySeverity>(r.GetString(4)),
                r.GetFieldValue<DateOnly>(5), r.GetString(6), r.GetString(7), ctx.Today, ctx.PolicyOf(hospital));
            if (c is not null)
            {
                yield return c;
            }
        }
    }

    public async IAsyncEnumerable<Guid> ClearedAsync(ReminderRunContext ctx, [EnumeratorCancellation] CancellationToken ct)
    {
        var sql = $"""
            SELECT r.id, p.id, p.hospital_id, p.state, p.deferral_approved_at IS NOT NULL, a.severity, a.released_on,
                   (c.retired_on IS NULL OR c.retired_on > @today)
            FROM reminders r
            LEFT JOIN patch_statuses p ON p.id = r.subject_id::uuid
            LEFT JOIN security_advisories a ON a.id = p.advisory_id
            LEFT JOIN system_components c ON c.id = p.component_id
            WHERE {ReminderSql.OpenOfKind}
            """;
        await foreach (var r in ctx.StreamAsync(sql, p => { p.AddWithValue("today", ctx.Today); p.AddWithValue("kind", Kind.ToString()); }, ct))
        {
            var holds = !r.IsDBNull(1) && r.GetBoolean(7) && Decide(r.GetGuid(1), r.GetGuid(2), Enum.Parse<PatchState>(r.GetString(3)), r.GetBoolean(4),
                Enum.Parse<AdvisorySeverity>(r.GetString(5)), r.GetFieldValue<DateOnly>(6), "", "", ctx.Today, ctx.PolicyOf(r.GetGuid(2))) is not null;
            if (!holds)
            {
                yield return r.GetGuid(0);
            }
        }
    }
}

/// <summary>
/// A vendor's commitment: a planned patch whose date, committed by a vendor (PatchStatus.CommittedByVendorId), passed
/// without the patch being applied. To that vendor while engaged (else the hospital's SystemOperator). The key
/// carries the date: moving the date resolves this reminder, and the new date raises its own once it passes.
/// </summary>
public sealed class PatchCommitmentReminderSource : IReminderSource
{
    public ReminderKind Kind => ReminderKind.PatchCommitment;

    public static string Key(Guid statusId, DateOnly plannedOn) => $"patch:{statusId}:committed:{ReminderSql.Iso(plannedOn)}";

    public static ReminderCandidate? Decide(Guid statusId, Guid hospitalId, PatchState state, DateOnly? plannedOn, Guid? engagedVendorId,
        string advisory, string componentName, DateOnly today)
        => PolicyRules.PlannedDatePassed(state, plannedOn, today)
            ? new ReminderCandidate(Key(statusId, plannedOn!.Value), ReminderKind.PatchCommitment, hospitalId, engagedVendorId ?? hospitalId, engagedVendorId is null,
                "patch_statuses", statusId.ToString(), "Reminder_PatchCommitment", [advisory, componentName, ReminderSql.Iso(plannedOn.Value)], null, plannedOn.Value)
            : null;

    public async IAsyncEnumerable<ReminderCandidate> CandidatesAsync(ReminderRunContext ctx, [EnumeratorCancellation] CancellationToken ct)
    {
        var sql = $"""
            SELECT p.id, p.hospital_id, p.state, p.planned_on,
                   CASE WHEN {ReminderSql.Engaged("p.hospital_id", "p.committed_by_vendor_id")} THEN p.committed_by_vendor_id END,
                   a.identifier, c.name
            FROM patch_statuses p
            JOIN security_advisories a ON a.id = p.advisory_id
            JOIN system_components c ON c.id = p.component_id
            WHERE p.state = 'Planned' AND p.committed_by_vendor_id IS NOT NULL AND p.planned_on < @today
              AND (c.retired_on IS NULL OR c.retired_on > @today)
              AND {ReminderSql.NotRaised("'patch:' || p.id::text || ':committed:' || to_char(p.planned_on, 'YYYY-MM-DD')")}
            """;
        await foreach (var r in ctx.StreamAsync(sql, p => p.AddWithValue("today", ctx.Today), ct))
        {
            var c = Decide(r.GetGuid(0), r.GetGuid(1), Enum.Parse<PatchState>(r.GetString(2)), r.GetFieldValue<DateOnly>(3),
                r.IsDBNull(4) ? null : r.GetGuid(4), r.GetString(5), r.GetString(6), ctx.Today);
            if (c is not null)
            {
                yield return c;
            }
        }
    }

    public async IAsyncEnumerable<Guid> ClearedAsync(ReminderRunContext ctx, [EnumeratorCancellation] CancellationToken ct)
    {
        var sql = $"""
            SELECT r.id, r.dedupe_key, p.id, p.state, p.planned_on, (c.retired_on IS NULL OR c.retired_on > @today)
            FROM reminders r
            LEFT JOIN patch_statuses p ON p.id = r.subject_id::uuid
            LEFT JOIN system_components c ON c.id = p.component_id
            WHERE {ReminderSql.OpenOfKind}
            """;
        await foreach (var r in ctx.StreamAsync(sql, p => { p.AddWithValue("today", ctx.Today); p.AddWithValue("kind", Kind.ToString()); }, ct))
        {
            var holds = !r.IsDBNull(2) && r.GetBoolean(5) && !r.IsDBNull(4)
                && PolicyRules.PlannedDatePassed(Enum.Parse<PatchState>(r.GetString(3)), r.GetFieldValue<DateOnly>(4), ctx.Today)
                && Key(r.GetGuid(2), r.GetFieldValue<DateOnly>(4)) == r.GetString(1);
            if (!holds)
            {
                yield return r.GetGuid(0);
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
