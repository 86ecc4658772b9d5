namespace VendorPortal.Infrastructure.Notifications;

/// <summary>
/// An in-app notification (お知らせ) for one organization: to one user, to everyone holding a role there, or (both
/// null) to every member. The text is a resource key and its arguments, so each reader sees it in their own language.
/// Read state is per user (<see cref="NotificationRead"/>), because a role's notification has several readers.
/// </summary>
public sealed class Notification
{
    public Guid Id { get; set; }
    public Guid OrganizationId { get; set; }
    public Guid? RecipientUserId { get; set; }
    public string? RecipientRole { get; set; }
    /// <summary>Resource key of the text (e.g. Notify_SubcontractSubmitted).</summary>
    public required string TextKey { get; set; }
    /// <summary>JSON array of the text's string arguments.</summary>
    public string Args { get; set; } = "[]";
    /// <summary>A local path to what the notification is about (e.g. /Subcontracts/{id}).</summary>
    public string? Link { get; set; }
    /// <summary>What it is about, by table and id, so a feature can find its own notifications.</summary>
    public string? SubjectType { get; set; }
    public string? SubjectId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>One user has read one notification.</summary>
public sealed class NotificationRead
{
    public Guid NotificationId { get; set; }
    public Guid UserId { get; set; }
    public DateTimeOffset ReadAt { get; set; }
}

/// <summary>Who a notification is for: an organization, and optionally one user or one role in it.</summary>
public sealed record NotificationTarget(Guid OrganizationId, Guid? UserId = null, string? Role = null);
