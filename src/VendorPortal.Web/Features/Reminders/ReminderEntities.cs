namespace VendorPortal.Features.Reminders;

/// <summary>What a reminder is about; one <see cref="IReminderSource"/> per kind.</summary>
public enum ReminderKind
{
    /// <summary>An end-of-support date entered a warning window or passed.</summary>
    Eos = 1,
    /// <summary>A patch is unsettled after the policy's deadline for its severity.</summary>
    PatchOverdue = 2,
    /// <summary>A vendor's committed planned date for a patch passed without the patch being applied.</summary>
    PatchCommitment = 3,
    /// <summary>An engaged vendor has not submitted its 事業者確認用 checklist for the 年度.</summary>
    VendorChecklist = 4,
    /// <summary>A subcontractor's certification (Pマーク, ISMS …) expires within 60 days or has expired.</summary>
    Certification = 5,
}

public enum ReminderState
{
    Open = 0,
    Acknowledged = 1,
    Snoozed = 2,
    Resolved = 3,
    Escalated = 4,
}

public enum ReminderEventKind
{
    Created = 0,
    Escalated = 1,
    Acknowledged = 2,
    Snoozed = 3,
    Unsnoozed = 4,
    Resolved = 5,
    /// <summary>Resolved by the daily run because the condition cleared (patch applied, date moved, component retired …).</summary>
    AutoResolved = 6,
    Emailed = 7,
}

/// <summary>
/// A tracked reminder: a record with a recipient, a due date, a state and a history, not just a mail. Created only by
/// <see cref="ReminderRun"/>, exactly once per <see cref="DedupeKey"/> (unique in the database).
/// </summary>
public sealed class Reminder
{
    public Guid Id { get; set; }
    /// <summary>The hospital the reminder is about (its staff see it, also when it belongs to a vendor).</summary>
    public Guid HospitalId { get; set; }
    /// <summary>The first recipient, who stays responsible: the hospital itself or the vendor that must act.</summary>
    public Guid OwnerOrganizationId { get; set; }
    /// <summary>Whom it is addressed to now (changes with escalation).</summary>
    public Guid RecipientOrganizationId { get; set; }
    /// <summary>The role addressed in the recipient organization; null: every member.</summary>
    public string? RecipientRole { get; set; }
    public Guid? RecipientUserId { get; set; }
    public ReminderKind Kind { get; set; }
    /// <summary>Table of the subject (component_support_dates, patch_statuses, engagements, subcontractor_certifications).</summary>
    public required string SubjectType { get; set; }
    public required string SubjectId { get; set; }
    /// <summary>eos:{supportDateId}:{threshold}, patch:{statusId}:overdue, patch:{statusId}:committed:{date}, checklist:{hospital}:{vendor}:{年度}, cert:{certificationId}:{expiresOn}.</summary>
    public required string DedupeKey { get; set; }
    /// <summary>Resource key of the text; <see cref="Args"/> a JSON array of its string arguments (like Notification).</summary>
    public required string TextKey { get; set; }
    public string Args { get; set; } = "[]";
    /// <summary>A local path to the subject, when it has a page.</summary>
    public string? Link { get; set; }
    public DateOnly DueOn { get; set; }
    public DateTimeOffset RaisedAt { get; set; }
    public ReminderState State { get; set; }
    public DateOnly? SnoozedUntil { get; set; }
    public string? SnoozeReason { get; set; }
    /// <summary>0: the first recipient (a vendor); 1: the hospital's SystemOperator; 2: SecurityManager; 3: Executive.</summary>
    public int EscalationLevel { get; set; }
    /// <summary>The day the current level's clock started (raised, escalated or back from a snooze).</summary>
    public DateOnly LevelSince { get; set; }
    /// <summary>When the escalation pass moves it up next; null when it cannot escalate (acknowledged, snoozed, resolved, top level).</summary>
    public DateOnly? NextEscalationOn { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>Optimistic concurrency: an action on a stale page (or racing the escalation pass) is refused.</summary>
    public int Revision { get; set; }
}

/// <summary>One step of a reminder's history: who, when, what, with a note.</summary>
public sealed class ReminderEvent
{
    public Guid Id { get; set; }
    public Guid ReminderId { get; set; }
    public ReminderEventKind Kind { get; set; }
    /// <summary>The level reached (Created, Escalated, Emailed); null for the other kinds. (reminder, kind, level) is unique.</summary>
    public int? Level { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    /// <summary>Null for the daily run.</summary>
    public Guid? UserId { get; set; }
    public string ActorName { get; set; } = "";
    public string? Note { get; set; }
    /// <summary>Created and Escalated events wait for the immediate-mail pass, which clears the flag before sending.</summary>
    public bool EmailPending { get; set; }
}

public enum ReminderEmailMode
{
    /// <summary>A mail per new reminder and per escalation.</summary>
    Immediate = 0,
    /// <summary>One mail a day with counts (the default: nobody gets 50 mails a day).</summary>
    DailyDigest = 1,
    None = 2,
}

/// <summary>A user's choice of reminder mail; users without a row get the daily digest.</summary>
public sealed class ReminderEmailPreference
{
    public Guid UserId { get; set; }
    public ReminderEmailMode Mode { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>The digest sent to one user on one day: inserted (ON CONFLICT DO NOTHING) before the mail goes out.</summary>
public sealed class ReminderDigest
{
    public Guid UserId { get; set; }
    public DateOnly Day { get; set; }
    public int ReminderCount { get; set; }
    public DateTimeOffset SentAt { get; set; }
}
