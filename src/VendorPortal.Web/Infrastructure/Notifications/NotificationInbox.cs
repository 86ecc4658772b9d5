using System.Data.Common;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Infrastructure.Notifications;

public sealed record InboxItem(Notification Notification, DateTimeOffset? ReadAt);

/// <summary>
/// The signed-in user's notifications: those of their organization addressed to them, to one of their roles, or
/// to everyone. The query filters already keep other organizations' and other users' notifications out; the
/// role match is done here, from the principal's role claims.
/// </summary>
public sealed class NotificationInbox(AppDbContext db, ITenantContext tenant, TimeProvider time, ILogger<NotificationInbox> logger)
{
    public const int PageSize = 100;

    public IQueryable<Notification> For(ClaimsPrincipal user)
    {
        var org = tenant.OrganizationId;
        var me = tenant.UserId;
        var roles = user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList();
        return db.Notifications.Where(n => n.OrganizationId == org
            && (n.RecipientUserId == me || (n.RecipientUserId == null && (n.RecipientRole == null || roles.Contains(n.RecipientRole)))));
    }

    private IQueryable<Notification> Unread(ClaimsPrincipal user)
    {
        var me = tenant.UserId;
        return For(user).Where(n => !db.NotificationReads.Any(r => r.NotificationId == n.Id && r.UserId == me));
    }

    public Task<int> UnreadCountAsync(ClaimsPrincipal user, CancellationToken ct = default) => Unread(user).CountAsync(ct);

    /// <summary>For the layout's bell: null (and nothing shown) when the count cannot be read, so an error page still renders.</summary>
    public async Task<int?> TryUnreadCountAsync(ClaimsPrincipal user)
    {
        if (tenant.OrganizationId is null || tenant.UserId is null)
        {
            return null;
        }
        try
        {
            return await UnreadCountAsync(user);
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException)
        {
            logger.LogWarning(ex, "Unread notification count not available");
            return null;
        }
    }

    /// <summary>The newest notifications, unread first.</summary>
    public async Task<List<InboxItem>> ListAsync(ClaimsPrincipal user, bool unreadOnly = false, CancellationToken ct = default)
    {
        var me = tenant.UserId;
        var source = unreadOnly ? Unread(user) : For(user);
        var rows = await source
            .Select(n => new { n, ReadAt = db.NotificationReads.Where(r => r.NotificationId == n.Id && r.UserId == me).Select(r => (DateTimeOffset?)r.ReadAt).FirstOrDefault() })
            .OrderBy(x => x.ReadAt != null).ThenByDescending(x => x.n.CreatedAt)
            .Take(PageSize)
            .ToListAsync(ct);
        return [.. rows.Select(x => new InboxItem(x.n, x.ReadAt))];
    }

    /// <summary>Marks one of the user's notifications read; null when it is not theirs (not found).</summary>
    public async Task<Notification?> MarkReadAsync(ClaimsPrincipal user, Guid id, CancellationToken ct = default)
    {
        var notification = await For(user).SingleOrDefaultAsync(n => n.Id == id, ct);
        if (notification is null)
        {
            return null;
        }
        var me = tenant.UserId!.Value;
        if (!await db.NotificationReads.AnyAsync(r => r.NotificationId == id && r.UserId == me, ct))
        {
            db.NotificationReads.Add(new NotificationRead { NotificationId = id, UserId = me, ReadAt = time.GetUtcNow() });
            await SaveIgnoringDuplicateAsync(ct);
        }
        return notification;
    }

    public Task<int> MarkAllReadAsync(ClaimsPrincipal user, CancellationToken ct = default) => MarkReadAsync(Unread(user), ct);

    /// <summary>Opening the thing a notification is about reads it: the user's unread notifications about that subject are marked read.</summary>
    public Task<int> MarkSubjectReadAsync(ClaimsPrincipal user, string subjectType, string subjectId, CancellationToken ct = default)
        => MarkReadAsync(Unread(user).Where(n => n.SubjectType == subjectType && n.SubjectId == subjectId), ct);

    private async Task<int> MarkReadAsync(IQueryable<Notification> unread, CancellationToken ct)
    {
        var me = tenant.UserId!.Value;
        var ids = await unread.Select(n => n.Id).ToListAsync(ct);
        if (ids.Count == 0)
        {
            return 0;
        }
        var now = time.GetUtcNow();
        db.NotificationReads.AddRange(ids.Select(id => new NotificationRead { NotificationId = id, UserId = me, ReadAt = now }));
        await SaveIgnoringDuplicateAsync(ct);
        return ids.Count;
    }

    /// <summary>The same notification read twice at once (two tabs): the second insert changes nothing.</summary>
    private async Task SaveIgnoringDuplicateAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            db.ChangeTracker.Clear();
        }
    }
}
