using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace VendorPortal.Features.Forms;

public enum SubmissionState
{
    /// <summary>Being filled; visible only to the respondent.</summary>
    Draft,
    /// <summary>Submitted and waiting for the hospital's review.</summary>
    Submitted,
    /// <summary>Returned by the hospital with comments; the respondent edits and resubmits.</summary>
    Returned,
    Accepted,
    /// <summary>A hospital's own checklist, submitted for the record (nobody reviews it).</summary>
    Recorded,
}

/// <summary>
/// One form being answered: a vendor's 事業者確認用 checklist for a hospital and 年度 (optionally per
/// system), a hospital's own 医療機関確認用 checklist, or a product's MDS/SDS disclosure (no hospital, no 年度;
/// shared with the hospitals listed in form_submission_recipients). The draft changes freely; each
/// submission freezes an immutable <see cref="FormSubmissionVersion"/>.
/// </summary>
public sealed class FormSubmission
{
    public Guid Id { get; set; }
    public required string TemplateKey { get; set; }
    public FormKind Kind { get; set; }
    /// <summary>The organization that answers (the vendor, or the hospital for its own checklist).</summary>
    public Guid RespondentOrganizationId { get; set; }
    /// <summary>The hospital the form is for.</summary>
    public Guid? HospitalId { get; set; }
    /// <summary>年度 (start year) for checklists.</summary>
    public int? FiscalYear { get; set; }
    public Guid? SystemId { get; set; }
    /// <summary>The product (vendor_products) an MDS/SDS disclosure is about; null for checklists.</summary>
    public Guid? ProductId { get; set; }
    /// <summary>
    /// For a disclosure: Draft until first submitted, then Submitted. Each hospital's review state is kept on
    /// its recipient row, never here.
    /// </summary>
    public SubmissionState State { get; set; }
    /// <summary>The draft answers (JSON of <see cref="FormAnswers"/>).</summary>
    public string DraftAnswers { get; set; } = "{\"rounds\":[]}";
    /// <summary>0 until first submitted.</summary>
    public int LatestVersion { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public Guid? UpdatedByUserId { get; set; }
}

/// <summary>A submitted snapshot: who, when, which template content, and the SHA-256 of the answers.</summary>
public sealed class FormSubmissionVersion
{
    public Guid Id { get; set; }
    public Guid SubmissionId { get; set; }
    public int Number { get; set; }
    public required string Answers { get; set; }
    /// <summary>Manifest of the attachments frozen with this version (JSON array; "[]" without attachments).</summary>
    public string Attachments { get; set; } = "[]";
    /// <summary>SHA-256 of the answers and, when there are attachments, of their manifest (SubmissionSnapshot.ContentHash).</summary>
    public required string ContentHash { get; set; }
    public required string TemplateHash { get; set; }
    public DateTimeOffset SubmittedAt { get; set; }
    public Guid SubmittedByUserId { get; set; }
    public required string SubmittedByName { get; set; }
}

public enum ReviewAction { Submitted, Accepted, Returned }

/// <summary>The history both sides see: submissions, acceptances, returns with comments (overall and per item).</summary>
public sealed class FormReviewEvent
{
    public Guid Id { get; set; }
    public Guid SubmissionId { get; set; }
    public int VersionNumber { get; set; }
    public ReviewAction Action { get; set; }
    public string? Comment { get; set; }
    /// <summary>JSON object itemId → comment.</summary>
    public string ItemComments { get; set; } = "{}";
    public Guid ActorUserId { get; set; }
    public required string ActorName { get; set; }
    public Guid ActorOrganizationId { get; set; }
    public DateTimeOffset At { get; set; }

    public IReadOnlyDictionary<string, string> ItemCommentMap
        => JsonSerializer.Deserialize<Dictionary<string, string>>(ItemComments) ?? [];
}

/// <summary>Canonical JSON for answers: sorted item ids and rounds, so the same answers always hash the same.</summary>
public static class AnswerJson
{
    public static string Serialize(FormAnswers answers)
    {
        var canonical = new FormAnswers([.. answers.Rounds.OrderBy(r => r.Number).Select(r =>
            new CheckRound(r.Number, r.CheckedOn, new SortedDictionary<string, ItemAnswer>(
                r.Answers.Where(a => !IsEmpty(a.Value)).ToDictionary(a => a.Key, a => Trim(a.Value)), StringComparer.Ordinal)))]);
        return JsonSerializer.Serialize(canonical, FormTemplate.Json);
    }

    public static FormAnswers Deserialize(string json)
    {
        var parsed = JsonSerializer.Deserialize<FormAnswers>(json, FormTemplate.Json);
        return parsed?.Rounds is null ? new FormAnswers([]) : parsed;
    }

    public static string Hash(string canonicalJson) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalJson)));

    private static bool IsEmpty(ItemAnswer a) => string.IsNullOrWhiteSpace(a.Value) && a.TargetDate is null && string.IsNullOrWhiteSpace(a.Remark);

    private static ItemAnswer Trim(ItemAnswer a) => new(
        string.IsNullOrWhiteSpace(a.Value) ? null : a.Value.Trim(), a.TargetDate, string.IsNullOrWhiteSpace(a.Remark) ? null : a.Remark.Trim());
}

/// <summary>Which answers and remarks changed between two versions.</summary>
public sealed record AnswerChange(int Round, string? ItemId, string Field, string? Before, string? After);

public static class FormDiff
{
    public static IReadOnlyList<AnswerChange> Compare(FormTemplate template, FormAnswers before, FormAnswers after)
    {
        var changes = new List<AnswerChange>();
        var rounds = before.Rounds.Select(r => r.Number).Union(after.Rounds.Select(r => r.Number)).Order();
        foreach (var n in rounds)
        {
            var b = before.Rounds.FirstOrDefault(r => r.Number == n);
            var a = after.Rounds.FirstOrDefault(r => r.Number == n);
            if (b?.CheckedOn != a?.CheckedOn)
            {
                changes.Add(new AnswerChange(n, null, "CheckedOn", b?.CheckedOn?.ToString("yyyy-MM-dd"), a?.CheckedOn?.ToString("yyyy-MM-dd")));
            }
            foreach (var item in template.Items)
            {
                ItemAnswer? x = null, y = null;
                b?.Answers.TryGetValue(item.Id, out x);
                a?.Answers.TryGetValue(item.Id, out y);
                Add(changes, n, item.Id, "Value", x?.Value, y?.Value);
                Add(changes, n, item.Id, "TargetDate", x?.TargetDate?.ToString("yyyy-MM-dd"), y?.TargetDate?.ToString("yyyy-MM-dd"));
                Add(changes, n, item.Id, "Remark", x?.Remark, y?.Remark);
            }
        }
        return changes;
    }

    private static void Add(List<AnswerChange> changes, int round, string item, string field, string? before, string? after)
    {
        if (!string.Equals(before ?? "", after ?? "", StringComparison.Ordinal))
        {
            changes.Add(new AnswerChange(round, item, field, before, after));
        }
    }
}

/// <summary>
/// The review workflow's transitions. Pure, so each refused transition is unit-tested. The draft is always
/// editable (editing after submission prepares the next version); only a submitted version can be reviewed.
/// </summary>
public static class SubmissionWorkflowRules
{
    public static bool CanReview(SubmissionState s) => s == SubmissionState.Submitted;

    /// <summary>A submission needs something new: the first one, or answers that differ from the latest version.</summary>
    public static bool CanSubmit(int latestVersion, string? latestHash, string draftHash) => latestVersion == 0 || latestHash != draftHash;

    /// <summary>Returning needs a reason: an overall comment or at least one item comment.</summary>
    public static bool ReturnHasReason(string? comment, IReadOnlyDictionary<string, string> itemComments)
        => !string.IsNullOrWhiteSpace(comment) || itemComments.Values.Any(c => !string.IsNullOrWhiteSpace(c));
}
