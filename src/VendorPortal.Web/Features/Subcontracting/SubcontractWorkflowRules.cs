using VendorPortal.Features.Account;

namespace VendorPortal.Features.Subcontracting;

/// <summary>What someone asks to do with a request.</summary>
public enum SubcontractAction
{
    /// <summary>The vendor submits (or, after a request for information, answers and resubmits).</summary>
    Submit,
    /// <summary>The reviewer asks the vendor for more information: the request goes back to the vendor.</summary>
    RequestInformation,
    /// <summary>The reviewer has checked the request: on to the security manager.</summary>
    CompleteReview,
    GiveOpinion,
    Approve,
    ApproveWithConditions,
    Reject,
    Withdraw,
}

/// <summary>Who acts: their user, organization and roles.</summary>
public sealed record SubcontractActor(Guid UserId, Guid OrganizationId, IReadOnlyCollection<string> Roles);

/// <summary>The facts of a request the rules look at. Built from the entity; the rules never touch the database.</summary>
public sealed record SubcontractFacts(
    SubcontractState State,
    Guid VendorId,
    Guid HospitalId,
    Guid? SubmittedByUserId,
    Guid? ReviewedByUserId,
    Guid? OpinionByUserId,
    bool NeedsForeignAcknowledgement,
    DateOnly PeriodFrom,
    DateOnly Today)
{
    public static SubcontractFacts Of(SubcontractRequest r, bool needsForeignAcknowledgement, DateOnly periodFrom, DateOnly today)
        => new(r.State, r.VendorId, r.HospitalId, r.SubmittedByUserId, r.ReviewedByUserId, r.OpinionByUserId, needsForeignAcknowledgement, periodFrom, today);
}

/// <summary>What the actor wrote with the step.</summary>
public sealed record SubcontractStepInput(
    string? Comment = null,
    string? Conditions = null,
    SecurityOpinion? Opinion = null,
    bool ForeignAcknowledged = false,
    DateOnly? ValidUntil = null);

/// <summary>The answer of the rules: allowed (and the next state) or refused with a reason code (resource key SubcontractRefused_{code}).</summary>
public sealed record SubcontractVerdict(bool Allowed, SubcontractState? Next, string? Refusal)
{
    public static SubcontractVerdict Allow(SubcontractState next) => new(true, next, null);
    public static SubcontractVerdict Refuse(string code) => new(false, null, code);
}

/// <summary>
/// The 再委託 approval workflow as a pure state machine:
/// <code>
/// Draft ──Submit──► Submitted ──CompleteReview──► Reviewed ──GiveOpinion──► OpinionGiven ──Approve / ApproveWithConditions / Reject──► (final)
///                      │  ▲
///   RequestInformation │  │ Submit (with the vendor's answer)
///                      ▼  │
///               InformationRequested
/// Withdraw (vendor): from any state before a decision.
/// </code>
/// Each step belongs to one party and role: the requesting vendor (VendorAdmin, VendorMember) submits and withdraws;
/// the addressed hospital's SystemOperator or PlanningManager reviews; its SecurityManager gives the opinion; its
/// Executive decides. Steps cannot be skipped, nobody acts on a step of their own request, and no one person does
/// two of the hospital's steps. Checks run in a fixed order (party, role, state, separation of duties, input) so
/// the refusal names the first thing wrong.
/// </summary>
public static class SubcontractWorkflowRules
{
    public const int MaxTextLength = 4000;

    public static readonly IReadOnlyList<SubcontractAction> AllActions = Enum.GetValues<SubcontractAction>();

    private static readonly string[] VendorRoles = [Roles.VendorAdmin, Roles.VendorMember];
    private static readonly string[] ReviewerRoles = [Roles.SystemOperator, Roles.PlanningManager];
    private static readonly string[] OpinionRoles = [Roles.SecurityManager];
    private static readonly string[] DeciderRoles = [Roles.Executive];

    public static bool IsFinal(SubcontractState s)
        => s is SubcontractState.Approved or SubcontractState.ApprovedWithConditions or SubcontractState.Rejected or SubcontractState.Withdrawn;

    /// <summary>The vendor may change the content (chain, certifications, attachments) only while it holds the request.</summary>
    public static bool IsEditable(SubcontractState s) => s is SubcontractState.Draft or SubcontractState.InformationRequested;

    /// <summary>Whether this actor may edit the request's content now: the requesting vendor's staff, while the vendor holds it.</summary>
    public static bool CanEditContent(SubcontractRequest r, SubcontractActor a)
        => a.OrganizationId == r.VendorId && IsVendorStaff(a) && IsEditable(r.State);

    /// <summary>Vendor staff file, edit, submit and withdraw requests.</summary>
    public static bool IsVendorStaff(SubcontractActor a) => HasAny(a, VendorRoles);

    /// <summary>The hospital roles whose step the request waits for (empty when it waits for the vendor or is closed).</summary>
    public static IReadOnlyList<string> RolesToActNext(SubcontractState s) => s switch
    {
        SubcontractState.Submitted => ReviewerRoles,
        SubcontractState.Reviewed => OpinionRoles,
        SubcontractState.OpinionGiven => DeciderRoles,
        _ => [],
    };

    /// <summary>Every action this actor could take now, ignoring what they would have to write (for showing buttons).</summary>
    public static IReadOnlyList<SubcontractAction> AvailableActions(SubcontractFacts f, SubcontractActor a)
        => [.. AllActions.Where(action => StructuralRefusal(f, action, a) is null)];

    public static SubcontractVerdict Evaluate(SubcontractFacts f, SubcontractAction action, SubcontractActor a, SubcontractStepInput input)
    {
        if (StructuralRefusal(f, action, a) is { } refusal)
        {
            return SubcontractVerdict.Refuse(refusal);
        }
        if (InputRefusal(f, action, input) is { } bad)
        {
            return SubcontractVerdict.Refuse(bad);
        }
        return SubcontractVerdict.Allow(Next(f.State, action));
    }

    private static string? StructuralRefusal(SubcontractFacts f, SubcontractAction action, SubcontractActor a)
    {
        var (party, roles) = StepOwner(action);
        if (a.OrganizationId != (party == Party.Vendor ? f.VendorId : f.HospitalId))
        {
            return "WrongParty";
        }
        if (!HasAny(a, roles))
        {
            return "RoleNotAllowed";
        }
        if (!FromStates(action).Contains(f.State))
        {
            if (IsFinal(f.State))
            {
                return "Closed";
            }
            // A hospital step asked for before the earlier ones are done: steps cannot be skipped.
            return party == Party.Hospital && Order(f.State) < Order(FromStates(action)[0]) ? "EarlierStepsMissing" : "WrongState";
        }
        return party == Party.Hospital ? SeparationOfDuties(f, action, a) : null;
    }

    /// <summary>The submitter never acts on their own request; one person never does two of the hospital's steps.</summary>
    private static string? SeparationOfDuties(SubcontractFacts f, SubcontractAction action, SubcontractActor a)
    {
        if (a.UserId == f.SubmittedByUserId)
        {
            return "OwnRequest";
        }
        var earlier = action switch
        {
            SubcontractAction.GiveOpinion => [f.ReviewedByUserId],
            SubcontractAction.Approve or SubcontractAction.ApproveWithConditions or SubcontractAction.Reject => new[] { f.ReviewedByUserId, f.OpinionByUserId },
            _ => [],
        };
        return earlier.Contains(a.UserId) ? "SameActorTwice" : null;
    }

    private static string? InputRefusal(SubcontractFacts f, SubcontractAction action, SubcontractStepInput input)
    {
        if ((input.Comment?.Length ?? 0) > MaxTextLength || (input.Conditions?.Length ?? 0) > MaxTextLength)
        {
            return "TextTooLong";
        }
        var hasComment = !string.IsNullOrWhiteSpace(input.Comment);
        switch (action)
        {
            case SubcontractAction.Submit when f.State == SubcontractState.InformationRequested && !hasComment:
                return "AnswerRequired";
            case SubcontractAction.RequestInformation when !hasComment:
                return "QuestionRequired";
            case SubcontractAction.GiveOpinion when input.Opinion is null:
                return "OpinionRequired";
            case SubcontractAction.GiveOpinion when !hasComment:
                return "OpinionTextRequired";
            case SubcontractAction.Approve or SubcontractAction.ApproveWithConditions or SubcontractAction.Reject when !hasComment:
                return "ReasonRequired";
            case SubcontractAction.ApproveWithConditions when string.IsNullOrWhiteSpace(input.Conditions):
                return "ConditionsRequired";
            case SubcontractAction.Approve or SubcontractAction.ApproveWithConditions when f.NeedsForeignAcknowledgement && !input.ForeignAcknowledged:
                return "ForeignAcknowledgementRequired";
            case SubcontractAction.Approve or SubcontractAction.ApproveWithConditions when input.ValidUntil is { } until && (until < f.Today || until < f.PeriodFrom):
                return "ValidUntilInvalid";
        }
        return null;
    }

    /// <summary>
    /// An approval is time-bound: it ends on the earliest of the subcontract period's end, the date the executive
    /// gave and the end of the engagement.
    /// </summary>
    public static DateOnly ApprovalEndsOn(DateOnly periodTo, DateOnly? validUntil, DateOnly? engagementEndsOn)
    {
        var end = periodTo;
        if (validUntil is { } v && v < end)
        {
            end = v;
        }
        if (engagementEndsOn is { } e && e < end)
        {
            end = e;
        }
        return end;
    }

    /// <summary>Any company of the chain outside Japan, or storing data outside Japan, needs the executive's explicit acknowledgement.</summary>
    public static bool NeedsForeignAcknowledgement(IEnumerable<Subcontractor> chain) => chain.Any(s => s.IsForeign);

    private enum Party { Vendor, Hospital }

    private static (Party Party, string[] Roles) StepOwner(SubcontractAction action) => action switch
    {
        SubcontractAction.Submit or SubcontractAction.Withdraw => (Party.Vendor, VendorRoles),
        SubcontractAction.RequestInformation or SubcontractAction.CompleteReview => (Party.Hospital, ReviewerRoles),
        SubcontractAction.GiveOpinion => (Party.Hospital, OpinionRoles),
        _ => (Party.Hospital, DeciderRoles),
    };

    private static SubcontractState[] FromStates(SubcontractAction action) => action switch
    {
        SubcontractAction.Submit => [SubcontractState.Draft, SubcontractState.InformationRequested],
        SubcontractAction.RequestInformation or SubcontractAction.CompleteReview => [SubcontractState.Submitted],
        SubcontractAction.GiveOpinion => [SubcontractState.Reviewed],
        SubcontractAction.Approve or SubcontractAction.ApproveWithConditions or SubcontractAction.Reject => [SubcontractState.OpinionGiven],
        SubcontractAction.Withdraw => [SubcontractState.Draft, SubcontractState.Submitted, SubcontractState.InformationRequested, SubcontractState.Reviewed, SubcontractState.OpinionGiven],
        _ => [],
    };

    private static SubcontractState Next(SubcontractState from, SubcontractAction action) => action switch
    {
        SubcontractAction.Submit => SubcontractState.Submitted,
        SubcontractAction.RequestInformation => SubcontractState.InformationRequested,
        SubcontractAction.CompleteReview => SubcontractState.Reviewed,
        SubcontractAction.GiveOpinion => SubcontractState.OpinionGiven,
        SubcontractAction.Approve => SubcontractState.Approved,
        SubcontractAction.ApproveWithConditions => SubcontractState.ApprovedWithConditions,
        SubcontractAction.Reject => SubcontractState.Rejected,
        SubcontractAction.Withdraw => SubcontractState.Withdrawn,
        _ => from,
    };

    /// <summary>Progress along the hospital's steps (the information loop counts as before the review).</summary>
    private static int Order(SubcontractState s) => s switch
    {
        SubcontractState.Draft or SubcontractState.InformationRequested => 0,
        SubcontractState.Submitted => 1,
        SubcontractState.Reviewed => 2,
        SubcontractState.OpinionGiven => 3,
        _ => 4,
    };

    private static bool HasAny(SubcontractActor a, IEnumerable<string> roles) => roles.Any(a.Roles.Contains);
}
