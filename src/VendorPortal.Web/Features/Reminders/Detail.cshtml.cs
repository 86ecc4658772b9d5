using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Notifications;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Reminders;

/// <summary>
/// One reminder: subject, due date, level, state and history, and the actions of whoever may act (acknowledge, snooze
/// with a date and a reason, resolve with a note). Another organization's reminder is not found, whatever the id.
/// </summary>
[Authorize(Policy = Policies.HospitalOrVendor)]
public sealed class DetailModel(ReminderBoard board, NotificationInbox inbox, TimeProvider time, IStringLocalizer<SharedResource> l) : PageModel
{
    public ReminderDetail Detail { get; private set; } = null!;
    public Reminder Reminder => Detail.Reminder;
    public DateOnly Today => JapanTime.TodayInJapan(time);
    public string Text => ReminderBoard.Text(l, Reminder);
    public string? FailedStep { get; private set; }

    [BindProperty] public int Revision { get; set; }
    [BindProperty] public string? Note { get; set; }
    [BindProperty] public string? Until { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid reminderId)
    {
        if (await board.DetailAsync(User, reminderId) is not { } detail)
        {
            return NotFound();
        }
        Detail = detail;
        // Opening the reminder reads what the bell said about it.
        await inbox.MarkSubjectReadAsync(User, ReminderRun.SubjectType, reminderId.ToString());
        return Page();
    }

    public Task<IActionResult> OnPostAcknowledgeAsync(Guid reminderId)
        => ActAsync(reminderId, "Acknowledge", () => board.AcknowledgeAsync(User, reminderId, Revision, Note), "ReminderAcknowledgedStatus");

    public Task<IActionResult> OnPostSnoozeAsync(Guid reminderId)
        => ActAsync(reminderId, "Snooze", () => board.SnoozeAsync(User, reminderId, Revision, ParseDate(Until), Note), "ReminderSnoozedStatus");

    public Task<IActionResult> OnPostResolveAsync(Guid reminderId)
        => ActAsync(reminderId, "Resolve", () => board.ResolveAsync(User, reminderId, Revision, Note), "ReminderResolvedStatus");

    /// <summary>yyyy-MM-dd (the date input) or 和暦 as typed (令和8年1月31日, R8.1.31).</summary>
    public static DateOnly? ParseDate(string? text)
        => DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d
            : Wareki.TryParse(text, out var w) ? w : null;

    private async Task<IActionResult> ActAsync(Guid reminderId, string step, Func<Task<ReminderActionResult>> act, string done)
    {
        var result = await act();
        switch (result.Status)
        {
            case ReminderActionStatus.NotFound:
                return NotFound();
            case ReminderActionStatus.Forbidden:
                return Forbid();
            case ReminderActionStatus.Done:
                TempData["Status"] = l[done].Value;
                return RedirectToPage(new { reminderId });
        }
        foreach (var e in result.Errors)
        {
            ModelState.AddModelError(step, l[e, EscalationPolicy.MaxSnoozeDays].Value);
        }
        FailedStep = step;
        Detail = (await board.DetailAsync(User, reminderId))!;
        return Page();
    }
}
