using System.Text.RegularExpressions;
using VendorPortal.Features.Account;

namespace VendorPortal.Features.Patches;

/// <summary>What someone does to a component's patch status.</summary>
public enum PatchAction
{
    /// <summary>適用予定: a date (a vendor's date is its commitment).</summary>
    Plan = 1,
    /// <summary>適用済: the date it was applied (not in the future); who is taken from the signed-in user.</summary>
    Apply = 2,
    /// <summary>対象外: with a reason.</summary>
    NotApplicable = 3,
    /// <summary>見送り: reason and 代替措置; waits for the SecurityManager.</summary>
    Defer = 4,
    /// <summary>The SecurityManager accepts a deferral (not the person who asked for it).</summary>
    ApproveDeferral = 5,
    /// <summary>The SecurityManager refuses a deferral: the status is 未対応 again.</summary>
    RefuseDeferral = 6,
}

/// <summary>Who acts: their organization, whether it is a vendor (and then, whether it supplies the component), their roles.</summary>
public sealed record PatchActor(Guid OrganizationId, Guid? UserId, string Name, bool IsVendor, IReadOnlyCollection<string> Roles)
{
    /// <summary>Hospital roles that keep advisories and statuses (Executive and Auditor only read).</summary>
    public static readonly string[] HospitalEditors = [Account.Roles.TenantAdmin, Account.Roles.SystemOperator, Account.Roles.PlanningManager, Account.Roles.SecurityManager];

    public bool IsHospitalEditor => !IsVendor && Roles.Any(r => HospitalEditors.Contains(r));
    public bool IsVendorStaff => IsVendor && Roles.Any(r => r is Account.Roles.VendorAdmin or Account.Roles.VendorMember);
    public bool IsSecurityManager => !IsVendor && Roles.Contains(Account.Roles.SecurityManager);
    public bool CanEdit => IsHospitalEditor || IsVendorStaff;
}

/// <summary>The values a state change carries.</summary>
public sealed record PatchInput(DateOnly? Date = null, string? Reason = null, string? CompensatingMeasure = null);

/// <summary>
/// The pure rules of a per-component patch status: who may take which step from which state, what each step needs,
/// and what it writes. A vendor plans and applies on the components it supplies (its planned date is its
/// commitment); deciding that a patch is not applicable or is deferred is the hospital's risk decision, so a vendor
/// cannot. A deferral counts as settled only once a SecurityManager other than the requester approved it.
/// </summary>
public static class PatchStatusRules
{
    public const int MaxReasonLength = 2000;

    /// <summary>Why the actor may not take the step at all (a 403), or null.</summary>
    /// <param name="suppliedByActor">The component's supplier is the acting vendor.</param>
    public static string? Forbidden(PatchStatus s, PatchAction action, PatchActor actor, bool suppliedByActor)
    {
        if (actor.IsVendor)
        {
            if (!actor.IsVendorStaff || !suppliedByActor)
            {
                return "NotAllowed";
            }
            return action is PatchAction.Plan or PatchAction.Apply ? null : "VendorCannotDecide";
        }
        if (action is PatchAction.ApproveDeferral or PatchAction.RefuseDeferral)
        {
            return actor.IsSecurityManager ? null : "NotSecurityManager";
        }
        return actor.IsHospitalEditor ? null : "NotAllowed";
    }

    /// <summary>Why this step cannot be taken with this input now (a validation message key, PatchRefused_*), or null.</summary>
    public static string? Problem(PatchStatus s, PatchAction action, PatchInput input, PatchActor actor, DateOnly today)
    {
        switch (action)
        {
            case PatchAction.Plan:
                if (actor.IsVendor && s.State is not (PatchState.Open or PatchState.Planned))
                {
                    return "VendorStateDecided"; // the hospital decided (applied, not applicable, deferred): the vendor does not overrule it
                }
                return input.Date is not { } planned ? "DateRequired" : planned < today ? "PlannedInPast" : null;
            case PatchAction.Apply:
                if (actor.IsVendor && s.State is not (PatchState.Open or PatchState.Planned))
                {
                    return "VendorStateDecided";
                }
                return input.Date is not { } applied ? "DateRequired" : applied > today ? "AppliedInFuture" : null;
            case PatchAction.NotApplicable:
                return Clean(input.Reason) is null ? "ReasonRequired" : TooLong(input.Reason) ? "TooLong" : null;
            case PatchAction.Defer:
                if (Clean(input.Reason) is null)
                {
                    return "ReasonRequired";
                }
                if (Clean(input.CompensatingMeasure) is null)
                {
                    return "MeasureRequired";
                }
                return TooLong(input.Reason) || TooLong(input.CompensatingMeasure) ? "TooLong" : null;
            case PatchAction.ApproveDeferral or PatchAction.RefuseDeferral:
                if (s.State != PatchState.Deferred || s.DeferralApprovedAt is not null)
                {
                    return "NotAwaitingApproval";
                }
                return s.DeferredByUserId is { } by && by == actor.UserId ? "OwnDeferral" : null;
            default:
                return "Unknown";
        }
    }

    /// <summary>Writes the step onto the status (after <see cref="Forbidden"/> and <see cref="Problem"/> said yes).</summary>
    public static void Apply(PatchStatus s, PatchAction action, PatchInput input, PatchActor actor, DateTimeOffset now)
    {
        switch (action)
        {
            case PatchAction.Plan:
                Reset(s);
                s.State = PatchState.Planned;
                s.PlannedOn = input.Date;
                s.CommittedByVendorId = actor.IsVendor ? actor.OrganizationId : null;
                break;
            case PatchAction.Apply:
                var planned = (s.PlannedOn, s.CommittedByVendorId);
                Reset(s);
                (s.PlannedOn, s.CommittedByVendorId) = planned; // kept: when it was planned, and who had committed to it
                s.State = PatchState.Applied;
                s.AppliedOn = input.Date;
                s.AppliedByName = actor.Name;
                break;
            case PatchAction.NotApplicable:
                Reset(s);
                s.State = PatchState.NotApplicable;
                s.Reason = Clean(input.Reason);
                break;
            case PatchAction.Defer:
                Reset(s);
                s.State = PatchState.Deferred;
                s.Reason = Clean(input.Reason);
                s.CompensatingMeasure = Clean(input.CompensatingMeasure);
                s.DeferredByUserId = actor.UserId;
                break;
            case PatchAction.ApproveDeferral:
                (s.DeferralApprovedByUserId, s.DeferralApprovedByName, s.DeferralApprovedAt) = (actor.UserId, actor.Name, now);
                break;
            case PatchAction.RefuseDeferral:
                Reset(s);
                s.State = PatchState.Open;
                break;
        }
        s.UpdatedAt = now;
        s.UpdatedByName = actor.Name;
        s.Revision++;
    }

    private static void Reset(PatchStatus s)
    {
        s.PlannedOn = null;
        s.CommittedByVendorId = null;
        s.AppliedOn = null;
        s.AppliedByName = null;
        s.Reason = null;
        s.CompensatingMeasure = null;
        s.DeferredByUserId = null;
        s.DeferralApprovedByUserId = null;
        s.DeferralApprovedByName = null;
        s.DeferralApprovedAt = null;
    }

    public static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static bool TooLong(string? text) => text is not null && text.Trim().Length > MaxReasonLength;
}

/// <summary>Advisory input rules: identifier formats, title, release date.</summary>
public static partial class AdvisoryRules
{
    public const int MaxIdentifier = 100;
    public const int MaxTitle = 300;
    public const int MaxUrl = 1000;

    [GeneratedRegex(@"^CVE-\d{4}-\d{4,}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Cve();

    [GeneratedRegex(@"^JVNDB-\d{4}-\d{6}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Jvndb();

    /// <summary>
    /// The identifier as stored (CVE/JVNDB upper-cased), or null when invalid: something that starts like a CVE or
    /// JVNDB number must be one (CVE-YYYY-NNNN…, JVNDB-YYYY-NNNNNN); anything else is a vendor bulletin number, free
    /// text of at most 100 characters.
    /// </summary>
    public static string? NormalizeIdentifier(string? raw)
    {
        var text = PatchStatusRules.Clean(raw);
        if (text is null || text.Length > MaxIdentifier || text.Any(char.IsControl))
        {
            return null;
        }
        if (text.StartsWith("CVE-", StringComparison.OrdinalIgnoreCase) || text.StartsWith("CVE ", StringComparison.OrdinalIgnoreCase))
        {
            return Cve().IsMatch(text) ? text.ToUpperInvariant() : null;
        }
        if (text.StartsWith("JVNDB", StringComparison.OrdinalIgnoreCase))
        {
            return Jvndb().IsMatch(text) ? text.ToUpperInvariant() : null;
        }
        return text;
    }

    /// <summary>Problems as (field, resource key) pairs; empty when the advisory can be saved.</summary>
    public static List<(string Field, string Key)> Validate(string? identifier, string? title, DateOnly? releasedOn, string? url, DateOnly today)
    {
        var problems = new List<(string, string)>();
        if (NormalizeIdentifier(identifier) is null)
        {
            problems.Add(("identifier", "AdvisoryIdentifierInvalid"));
        }
        var t = PatchStatusRules.Clean(title);
        if (t is null || t.Length > MaxTitle)
        {
            problems.Add(("title", "AdvisoryTitleRequired"));
        }
        if (releasedOn is not { } r)
        {
            problems.Add(("releasedOn", "AdvisoryReleasedRequired"));
        }
        else if (r > today)
        {
            problems.Add(("releasedOn", "AdvisoryReleasedInFuture"));
        }
        if (PatchStatusRules.Clean(url) is { } u && (u.Length > MaxUrl
            || !Uri.TryCreate(u, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")))
        {
            problems.Add(("url", "AdvisoryUrlInvalid"));
        }
        return problems;
    }
}
