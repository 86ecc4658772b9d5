using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using VendorPortal.Features.Account;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Email;
using VendorPortal.Infrastructure.Localization;

namespace VendorPortal.Infrastructure.Notifications;

/// <summary>
/// Tells people that something waits for them: an in-app notification saved in the same unit of work as the
/// change that caused it (<see cref="Add"/>, then the caller's SaveChangesAsync), and, once that change is
/// committed, an e-mail to each current recipient (<see cref="SendEmailsAsync"/>). A failed e-mail is logged and
/// never undoes the change: the in-app notification and the work queue still show it.
/// E-mail is written in Japanese and then English, because the portal keeps no language per user. It says only what
/// kind of thing waits and links to it (resource key Mail_{TextKey}, without arguments): names of hospitals, vendors
/// or subcontractors never travel by e-mail; the in-app text shows them after a sign-in with the second factor.
/// </summary>
public sealed class Notifier(
    AppDbContext db,
    IEmailSender email,
    IStringLocalizer<SharedResource> l,
    IOptions<AccountOptions> account,
    TimeProvider time,
    ILogger<Notifier> logger)
{
    private static readonly CultureInfo Japanese = new("ja-JP");
    private static readonly CultureInfo English = new("en");
    private readonly List<Notification> _unsent = [];

    /// <summary>Adds a notification to the unit of work. <paramref name="link"/> must be a local path.</summary>
    public Notification Add(NotificationTarget target, string textKey, IEnumerable<string> args, string? link = null, string? subjectType = null, string? subjectId = null)
    {
        if (link is not null && (!link.StartsWith('/') || link.StartsWith("//", StringComparison.Ordinal)))
        {
            throw new ArgumentException("A notification links to a local path.", nameof(link));
        }
        var notification = new Notification
        {
            Id = Guid.NewGuid(),
            OrganizationId = target.OrganizationId,
            RecipientUserId = target.UserId,
            RecipientRole = target.Role,
            TextKey = textKey,
            Args = JsonSerializer.Serialize(args.ToArray()),
            Link = link,
            SubjectType = subjectType,
            SubjectId = subjectId,
            CreatedAt = time.GetUtcNow(),
        };
        db.Notifications.Add(notification);
        _unsent.Add(notification);
        return notification;
    }

    /// <summary>E-mails the recipients of every notification added since the last call (after the change was saved).</summary>
    /// <param name="exceptUserId">The person who caused them (they know already).</param>
    public async Task SendEmailsAsync(Guid? exceptUserId, CancellationToken ct = default)
    {
        // Only what was committed: a notification whose save failed (a conflict, a rollback) is never mailed.
        var batch = _unsent.Where(n => db.Entry(n).State == EntityState.Unchanged).ToList();
        _unsent.Clear();
        foreach (var n in batch)
        {
            List<string> recipients;
            try
            {
                recipients = await RecipientsAsync(n, exceptUserId, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Notification {Id}: recipients could not be read, no e-mail sent", n.Id);
                continue;
            }
            var (subject, body) = Compose(n);
            foreach (var to in recipients)
            {
                try
                {
                    await email.SendAsync(new EmailMessage(to, subject, body), ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Notification {Id}: e-mail to a recipient failed", n.Id);
                }
            }
        }
    }

    /// <summary>The text of a notification in the current UI culture.</summary>
    public static string Text(IStringLocalizer l, Notification n) => l[n.TextKey, [.. ArgsOf(n)]].Value;

    public static string[] ArgsOf(Notification n) => JsonSerializer.Deserialize<string[]>(n.Args) ?? [];

    /// <summary>Active members with an e-mail address whom the notification addresses. Explicitly across tenants: the sender is often another organization.</summary>
    private async Task<List<string>> RecipientsAsync(Notification n, Guid? exceptUserId, CancellationToken ct)
    {
        var users = db.Users.IgnoreQueryFilters().Where(u => u.OrganizationId == n.OrganizationId && u.IsActive && u.Email != null && u.Id != exceptUserId);
        if (n.RecipientUserId is { } userId)
        {
            users = users.Where(u => u.Id == userId);
        }
        else if (n.RecipientRole is { } role)
        {
            users = users.Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == role)));
        }
        return await users.OrderBy(u => u.Email).Select(u => u.Email!).ToListAsync(ct);
    }

    private (string Subject, string Body) Compose(Notification n)
    {
        var link = n.Link is null ? "" : account.Value.PublicBaseUrl.TrimEnd('/') + n.Link;
        string Render(CultureInfo culture, string key, params object[] a)
        {
            var previous = CultureInfo.CurrentUICulture;
            CultureInfo.CurrentUICulture = culture;
            try
            {
                return l[key, a].Value;
            }
            finally
            {
                CultureInfo.CurrentUICulture = previous;
            }
        }
        string Text(CultureInfo culture)
        {
            var text = Render(culture, "Mail_" + n.TextKey);
            return text == "Mail_" + n.TextKey ? Render(culture, "MailNotificationGeneric") : text;
        }
        var ja = Text(Japanese);
        var en = Text(English);
        var body = new StringBuilder()
            .AppendLine(Render(Japanese, "MailNotificationBody", ja, link)).AppendLine()
            .AppendLine("----").AppendLine()
            .AppendLine(Render(English, "MailNotificationBody", en, link));
        return (Render(Japanese, "MailNotificationSubject", ja), body.ToString());
    }
}
