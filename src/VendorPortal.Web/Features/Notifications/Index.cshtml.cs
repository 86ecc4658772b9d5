using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Notifications;

namespace VendorPortal.Features.Notifications;

/// <summary>The signed-in user's notifications: open one (marks it read and follows its link), mark one or all read.</summary>
public sealed class IndexModel(NotificationInbox inbox, VendorPortal.Features.Reminders.ReminderBoard reminders, VendorPortal.Infrastructure.Tenancy.ITenantContext tenant,
    IStringLocalizer<SharedResource> l) : PageModel
{
    /// <summary>Open or escalated reminders addressed to the user (null for the platform): the bell's notifications point at them, this line too.</summary>
    public int? OpenReminders { get; private set; }

    public List<InboxItem> Items { get; private set; } = [];
    public bool UnreadOnly { get; private set; }

    public string Text(Notification n) => Notifier.Text(l, n);

    public async Task OnGetAsync(bool unread = false)
    {
        UnreadOnly = unread;
        Items = await inbox.ListAsync(User, unread);
        if (tenant.OrganizationKind is VendorPortal.Features.Organizations.OrganizationKind.Hospital or VendorPortal.Features.Organizations.OrganizationKind.Vendor)
        {
            OpenReminders = await reminders.OpenCountAsync(User);
        }
    }

    public async Task<IActionResult> OnPostOpenAsync(Guid id)
    {
        var n = await inbox.MarkReadAsync(User, id);
        if (n is null)
        {
            return NotFound();
        }
        return n.Link is { } link && Url.IsLocalUrl(link) ? LocalRedirect(link) : RedirectToPage();
    }

    public async Task<IActionResult> OnPostReadAsync(Guid id)
        => await inbox.MarkReadAsync(User, id) is null ? NotFound() : RedirectToPage();

    public async Task<IActionResult> OnPostReadAllAsync()
    {
        var count = await inbox.MarkAllReadAsync(User);
        TempData["Status"] = l["NotificationsMarkedRead", count].Value;
        return RedirectToPage();
    }
}
