using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.Localization;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Localization;

namespace VendorPortal.Features.Reminders;

public sealed record ReminderDto(Guid Id, Guid HospitalId, Guid OwnerOrganizationId, string Kind, string Text, string TextKey, string[] Args, string SubjectType,
    string SubjectId, string? Link, DateOnly DueOn, DateTimeOffset RaisedAt, string State, DateOnly? SnoozedUntil, string? SnoozeReason,
    int EscalationLevel, string? RecipientRole, DateOnly? NextEscalationOn, DateTimeOffset? ResolvedAt, int Revision);

public sealed record ReminderEventDto(string Kind, int? Level, DateTimeOffset OccurredAt, string? Actor, string? Note);

public sealed record ReminderDetailDto(ReminderDto Reminder, bool CanAct, IReadOnlyList<ReminderEventDto> Events);

/// <param name="Revision">The revision the caller saw (409 when the reminder changed since).</param>
public sealed record ReminderActionRequest(int Revision, string? Note, DateOnly? Until);

/// <summary>Reminders: list the caller's (or, for hospital staff, all of the hospital's), read one, acknowledge, snooze, resolve.</summary>
public static class RemindersApi
{
    public static void Map(RouteGroupBuilder v1)
    {
        var g = v1.MapGroup("/reminders").RequireAuthorization(Policies.HospitalOrVendor).WithTags("Reminders");

        g.MapGet("/", async (ReminderScope? scope, ReminderState? state, ReminderKind? kind, ClaimsPrincipal user, ReminderBoard board, IStringLocalizer<SharedResource> l) =>
            (await board.ListAsync(user, scope ?? ReminderScope.Mine, state, kind)).Select(r => Dto(r, l)).ToList())
            .WithName("ListReminders")
            .WithSummary("The caller's reminders (scope=Mine, default) or, for hospital staff, every reminder of the hospital (scope=All); unresolved unless state is given; up to 200")
            .Produces<List<ReminderDto>>();

        g.MapGet("/{reminderId:guid}", async (Guid reminderId, ClaimsPrincipal user, ReminderBoard board, IStringLocalizer<SharedResource> l) =>
            await board.DetailAsync(user, reminderId) is { } d
                ? Results.Ok(new ReminderDetailDto(Dto(d.Reminder, l), d.CanAct,
                    [.. d.Events.Select(e => new ReminderEventDto(e.Kind.ToString(), e.Level, e.OccurredAt, e.UserId is null ? null : e.ActorName, e.Note))]))
                : Results.NotFound())
            .WithName("GetReminder").Produces<ReminderDetailDto>();

        g.MapPost("/{reminderId:guid}/acknowledge", async (Guid reminderId, ReminderActionRequest body, ClaimsPrincipal user, ReminderBoard board, IStringLocalizer<SharedResource> l) =>
            Answer(await board.AcknowledgeAsync(user, reminderId, body.Revision, body.Note), l))
            .WithName("AcknowledgeReminder").WithSummary("Acknowledge: the reminder stops escalating (it stays until resolved or its condition clears)");

        g.MapPost("/{reminderId:guid}/snooze", async (Guid reminderId, ReminderActionRequest body, ClaimsPrincipal user, ReminderBoard board, IStringLocalizer<SharedResource> l) =>
            Answer(await board.SnoozeAsync(user, reminderId, body.Revision, body.Until, body.Note), l))
            .WithName("SnoozeReminder").WithSummary("Snooze until a date (at most 90 days) with a reason (note); it returns to Open on that date");

        g.MapPost("/{reminderId:guid}/resolve", async (Guid reminderId, ReminderActionRequest body, ClaimsPrincipal user, ReminderBoard board, IStringLocalizer<SharedResource> l) =>
            Answer(await board.ResolveAsync(user, reminderId, body.Revision, body.Note), l))
            .WithName("ResolveReminder").WithSummary("Resolve with a note");
    }

    private static ReminderDto Dto(Reminder r, IStringLocalizer l) => new(r.Id, r.HospitalId, r.OwnerOrganizationId, r.Kind.ToString(), ReminderBoard.Text(l, r),
        r.TextKey, JsonSerializer.Deserialize<string[]>(r.Args) ?? [], r.SubjectType, r.SubjectId, r.Link, r.DueOn, r.RaisedAt, r.State.ToString(), r.SnoozedUntil,
        r.SnoozeReason, r.EscalationLevel, r.RecipientRole, r.NextEscalationOn, r.ResolvedAt, r.Revision);

    private static IResult Answer(ReminderActionResult result, IStringLocalizer l) => result.Status switch
    {
        ReminderActionStatus.Done => Results.NoContent(),
        ReminderActionStatus.NotFound => Results.NotFound(),
        ReminderActionStatus.Forbidden => Results.Forbid(),
        ReminderActionStatus.Conflict => Results.Problem(title: l[result.Errors.FirstOrDefault() ?? "ReminderConflict"].Value, statusCode: StatusCodes.Status409Conflict),
        _ => Results.ValidationProblem(result.Errors.GroupBy(Field).ToDictionary(g => g.Key, g => g.Select(e => l[e, EscalationPolicy.MaxSnoozeDays].Value).ToArray())),
    };

    private static string Field(string error) => error switch
    {
        "ReminderSnoozeUntilInvalid" => "until",
        _ => "note",
    };
}
