using System.Security.Claims;
using Microsoft.Extensions.Localization;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Notifications;

namespace VendorPortal.Features.Notifications;

public sealed record NotificationDto(Guid Id, string Text, string? Link, string? SubjectType, string? SubjectId, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt);

/// <summary>The caller's own notifications (お知らせ) and marking them read.</summary>
public static class NotificationsApi
{
    public static void Map(RouteGroupBuilder v1)
    {
        var g = v1.MapGroup("/notifications").WithTags("Notifications");

        g.MapGet("/", async (bool? unreadOnly, ClaimsPrincipal user, NotificationInbox inbox, IStringLocalizer<SharedResource> l) =>
            (await inbox.ListAsync(user, unreadOnly ?? false)).Select(i => new NotificationDto(i.Notification.Id, Notifier.Text(l, i.Notification), i.Notification.Link,
                i.Notification.SubjectType, i.Notification.SubjectId, i.Notification.CreatedAt, i.ReadAt)).ToList())
            .WithName("ListNotifications").WithSummary("The caller's newest notifications (up to 100), unread first").Produces<List<NotificationDto>>();

        g.MapPost("/{notificationId:guid}/read", async (Guid notificationId, ClaimsPrincipal user, NotificationInbox inbox) =>
            await inbox.MarkReadAsync(user, notificationId) is null ? Results.NotFound() : Results.NoContent())
            .WithName("MarkNotificationRead");

        g.MapPost("/read-all", async (ClaimsPrincipal user, NotificationInbox inbox) => Results.Ok(new { marked = await inbox.MarkAllReadAsync(user) }))
            .WithName("MarkAllNotificationsRead");
    }
}
