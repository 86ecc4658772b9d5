using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using VendorPortal.Features.Account;
using VendorPortal.Features.Organizations;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Tenancy;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Reminders;

public enum ReminderScope
{
    /// <summary>Addressed to the user now (their organization and one of their roles, or everyone there), or owned by their vendor.</summary>
    Mine,
    /// <summary>Everything the organization may see: for a hospital every reminder about it, vendors' ones included.</summary>
    All,
}

public enum ReminderActionStatus { Done, NotFound, Forbidden, Conflict, Invalid }

public sealed record ReminderActionResult(ReminderActionStatus Status, IReadOnlyList<string> Errors)
{
    public static ReminderActionResult Of(ReminderActionStatus s, params string[] errors) => new(s, errors);
}

public sealed record ReminderDetail(Reminder Reminder, IReadOnlyList<ReminderEvent> Events, bool CanAct);

/// <summary>
/// Reminders as the signed-in user sees and handles them. The query filters decide what the organization may see
/// (another organization's reminder is simply not found); <see cref="CanAct"/> decides who may acknowledge, snooze
/// or resolve. Every action is audit-logged and guarded by the reminder's revision (a stale page, or the escalation
/// pass moving it meanwhile, answers Conflict).
/// </summary>
public sealed class ReminderBoard(AppDbContext db, ITenantContext tenant, AuditLog audit, TimeProvider time)
{
    public const int PageSize = 200;
    public const int MaxNoteLength = 1000;

    public IQueryable<Reminder> Query(ClaimsPrincipal user, ReminderScope scope)
    {
        if (scope == ReminderScope.All && tenant.OrganizationKind == OrganizationKind.Hospital)
        {
            return db.Reminders;
        }
        var org = tenant.OrganizationId;
        var me = tenant.UserId;
        var roles = user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList();
        return db.Reminders.Where(r =>
            (r.RecipientOrganizationId == org && (r.RecipientRole == null || roles.Contains(r.RecipientRole)) && (r.RecipientUserId == null || r.RecipientUserId == me))
            || (r.OwnerOrganizationId == org && r.OwnerOrganizationId != r.HospitalId));
    }

    /// <summary>Newest first within: escalated, open, snoozed, acknowledged, resolved.</summary>
    public async Task<List<Reminder>> ListAsync(ClaimsPrincipal user, ReminderScope scope, ReminderState? state, ReminderKind? kind, CancellationToken ct = default)
    {
        var q = Query(user, scope).AsNoTracking();
        q = state is { } s ? q.Where(r => r.State == s) : q.Where(r => r.State != ReminderState.Resolved);
        if (kind is { } k)
        {
            q = q.Where(r => r.Kind == k);
        }
        return await q.OrderBy(r => r.State == ReminderState.Escalated ? 0 : r.State == ReminderState.Open ? 1 : r.State == ReminderState.Snoozed ? 2 : r.State == ReminderState.Acknowledged ? 3 : 4)
            .ThenBy(r => r.DueOn).ThenBy(r => r.Id)
            .Take(PageSize).ToListAsync(ct);
    }

    /// <summary>Open or escalated reminders addressed to the user (the /Notifications page's pointer to /Reminders).</summary>
    public Task<int> OpenCountAsync(ClaimsPrincipal user, CancellationToken ct = default)
        => Query(user, ReminderScope.Mine).CountAsync(r => r.State == ReminderState.Open || r.State == ReminderState.Escalated, ct);

    public async Task<ReminderDetail?> DetailAsync(ClaimsPrincipal user, Guid id, CancellationToken ct = default)
    {
        var reminder = await db.Reminders.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct);
        if (reminder is null)
        {
            return null;
        }
        var events = await db.ReminderEvents.AsNoTracking().Where(e => e.ReminderId == id).OrderBy(e => e.OccurredAt).ThenBy(e => e.Kind).ToListAsync(ct);
        return new ReminderDetail(reminder, events, CanAct(user, reminder));
    }

    /// <summary>
    /// Who may act: staff of the hospital concerned except the read-only roles (Auditor; the Executive only on a reminder
    /// escalated to the Executive), and the members of the vendor that owns the reminder.
    /// </summary>
    public bool CanAct(ClaimsPrincipal user, Reminder r)
    {
        var org = tenant.OrganizationId;
        if (org is null || r.State == ReminderState.Resolved)
        {
            return false;
        }
        if (tenant.OrganizationKind == OrganizationKind.Hospital && r.HospitalId == org)
        {
            if (user.IsInRole(Roles.TenantAdmin) || user.IsInRole(Roles.SystemOperator) || user.IsInRole(Roles.SecurityManager) || user.IsInRole(Roles.PlanningManager))
            {
                return true;
            }
            return user.IsInRole(Roles.Executive) && r.RecipientOrganizationId == org && r.RecipientRole == Roles.Executive;
        }
        return tenant.OrganizationKind == OrganizationKind.Vendor && r.OwnerOrganizationId == org
            && (user.IsInRole(Roles.VendorAdmin) || user.IsInRole(Roles.VendorMember));
    }

    public Task<ReminderActionResult> AcknowledgeAsync(ClaimsPrincipal user, Guid id, int revision, string? note, CancellationToken ct = default)
        => ActAsync(user, id, revision, note, ct, (r, today) =>
        {
            if (r.State is not (ReminderState.Open or ReminderState.Escalated or ReminderState.Snoozed))
            {
                return "ReminderWrongState";
            }
            r.State = ReminderState.Acknowledged;
            r.SnoozedUntil = null;
            r.SnoozeReason = null;
            r.NextEscalationOn = null;
            return null;
        }, ReminderEventKind.Acknowledged, AuditActions.ReminderAcknowledged);

    public Task<ReminderActionResult> SnoozeAsync(ClaimsPrincipal user, Guid id, int revision, DateOnly? until, string? reason, CancellationToken ct = default)
        => ActAsync(user, id, revision, reason, ct, (r, today) =>
        {
            if (r.State is not (ReminderState.Open or ReminderState.Escalated))
            {
                return "ReminderWrongState";
            }
            r.State = ReminderState.Snoozed;
            r.SnoozedUntil = until;
            r.SnoozeReason = reason!.Trim();
            // The escalation pass looks at it again on its wake-up day.
            r.NextEscalationOn = until;
            return null;
        }, ReminderEventKind.Snoozed, AuditActions.ReminderSnoozed, validate: today => EscalationPolicy.ValidateSnooze(until, reason, today), extra: new { until });

    public Task<ReminderActionResult> ResolveAsync(ClaimsPrincipal user, Guid id, int revision, string? note, CancellationToken ct = default)
        => ActAsync(user, id, revision, note, ct, (r, today) =>
        {
            r.State = ReminderState.Resolved;
            r.ResolvedAt = time.GetUtcNow();
            r.SnoozedUntil = null;
            r.NextEscalationOn = null;
            return null;
        }, ReminderEventKind.Resolved, AuditActions.ReminderResolved,
            validate: _ => string.IsNullOrWhiteSpace(note) ? ["ReminderResolveNoteRequired"] : []);

    private async Task<ReminderActionResult> ActAsync(ClaimsPrincipal user, Guid id, int revision, string? note, CancellationToken ct,
        Func<Reminder, DateOnly, string?> change, ReminderEventKind kind, string action, Func<DateOnly, List<string>>? validate = null, object? extra = null)
    {
        var reminder = await db.Reminders.SingleOrDefaultAsync(r => r.Id == id, ct);
        if (reminder is null)
        {
            return ReminderActionResult.Of(ReminderActionStatus.NotFound);
        }
        if (!CanAct(user, reminder))
        {
            return reminder.State == ReminderState.Resolved
                ? ReminderActionResult.Of(ReminderActionStatus.Conflict, "ReminderWrongState")
                : ReminderActionResult.Of(ReminderActionStatus.Forbidden);
        }
        var today = JapanTime.TodayInJapan(time);
        var errors = validate?.Invoke(today) ?? [];
        if (note is { Length: > MaxNoteLength })
        {
            errors.Add("ReminderNoteTooLong");
        }
        if (errors.Count > 0)
        {
            return new ReminderActionResult(ReminderActionStatus.Invalid, errors.Distinct().ToList());
        }
        if (reminder.Revision != revision)
        {
            return ReminderActionResult.Of(ReminderActionStatus.Conflict, "ReminderConflict");
        }
        var from = reminder.State;
        if (change(reminder, today) is { } problem)
        {
            return ReminderActionResult.Of(ReminderActionStatus.Conflict, problem);
        }
        var now = time.GetUtcNow();
        reminder.Revision++;
        reminder.UpdatedAt = now;
        var actorName = user.FindFirstValue(PortalClaims.DisplayName) ?? user.Identity?.Name ?? "";
        db.ReminderEvents.Add(new ReminderEvent
        {
            Id = Guid.CreateVersion7(), ReminderId = reminder.Id, Kind = kind, OccurredAt = now, UserId = tenant.UserId,
            ActorName = actorName, Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim(),
        });
        audit.Record(action, "reminders", reminder.Id.ToString(), new { from = from.ToString(), to = reminder.State.ToString(), reminder.Kind, reminder.DedupeKey, note, extra });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return ReminderActionResult.Of(ReminderActionStatus.Conflict, "ReminderConflict");
        }
        return ReminderActionResult.Of(ReminderActionStatus.Done);
    }

    public async Task<ReminderEmailMode> EmailModeAsync(CancellationToken ct = default)
        => await db.ReminderEmailPreferences.Where(p => p.UserId == tenant.UserId).Select(p => (ReminderEmailMode?)p.Mode).SingleOrDefaultAsync(ct)
            ?? ReminderEmailMode.DailyDigest;

    public async Task SetEmailModeAsync(ReminderEmailMode mode, CancellationToken ct = default)
    {
        var me = tenant.UserId ?? throw new InvalidOperationException("No signed-in user.");
        var row = await db.ReminderEmailPreferences.SingleOrDefaultAsync(p => p.UserId == me, ct);
        var from = row?.Mode;
        if (row is null)
        {
            db.ReminderEmailPreferences.Add(row = new ReminderEmailPreference { UserId = me });
        }
        row.Mode = mode;
        row.UpdatedAt = time.GetUtcNow();
        audit.Record(AuditActions.ReminderEmailPreferenceChanged, "reminder_email_preferences", me.ToString(), new { from = from?.ToString(), to = mode.ToString() });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The reminder's text in the current UI culture.</summary>
    public static string Text(IStringLocalizer l, Reminder r) => l[r.TextKey, [.. JsonSerializer.Deserialize<string[]>(r.Args) ?? []]].Value;
}
