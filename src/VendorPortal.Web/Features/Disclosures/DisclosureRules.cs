using System.Text.Json;
using VendorPortal.Features.Forms;

namespace VendorPortal.Features.Disclosures;

/// <summary>One file of a submitted version, as its manifest records it.</summary>
public sealed record AttachmentManifestEntry(Guid Id, string FileName, string ContentType, long Size, string Sha256);

/// <summary>
/// What a submitted version freezes: the canonical answers and the manifest of its attachments. The
/// version's content hash covers both, so changing a file changes the hash.
/// </summary>
public static class SubmissionSnapshot
{
    private static readonly JsonSerializerOptions Json = new(FormTemplate.Json) { WriteIndented = false };

    public static IReadOnlyList<AttachmentManifestEntry> Canonical(IEnumerable<AttachmentManifestEntry> entries)
        => [.. entries.OrderBy(e => e.FileName, StringComparer.Ordinal).ThenBy(e => e.Sha256, StringComparer.Ordinal).ThenBy(e => e.Id)];

    public static string SerializeManifest(IEnumerable<AttachmentManifestEntry> entries) => JsonSerializer.Serialize(Canonical(entries), Json);

    public static IReadOnlyList<AttachmentManifestEntry> DeserializeManifest(string? json)
        => string.IsNullOrWhiteSpace(json) ? [] : JsonSerializer.Deserialize<List<AttachmentManifestEntry>>(json, Json) ?? [];

    /// <summary>
    /// SHA-256 of the canonical answers, followed (only when there are attachments) by one line per file in
    /// <c>sha256sum</c> format ("{sha256}  {file name}"), sorted. Without attachments this is the plain
    /// answers hash, so checklists hash exactly as before.
    /// </summary>
    public static string ContentHash(string canonicalAnswers, IEnumerable<AttachmentManifestEntry> manifest)
    {
        var files = Canonical(manifest);
        if (files.Count == 0)
        {
            return AnswerJson.Hash(canonicalAnswers);
        }
        var lines = files.Select(f => $"{f.Sha256}  {f.FileName}").Order(StringComparer.Ordinal);
        return AnswerJson.Hash(canonicalAnswers + "\n--attachments--\n" + string.Join("\n", lines));
    }

    /// <summary>Files added to or taken out of a version (same name and content = the same file), for the diff page.</summary>
    public static IReadOnlyList<AnswerChange> AttachmentChanges(IEnumerable<AttachmentManifestEntry> before, IEnumerable<AttachmentManifestEntry> after)
    {
        static string Key(AttachmentManifestEntry e) => e.Sha256 + "/" + e.FileName;
        static string Label(AttachmentManifestEntry e) => $"{e.FileName} (SHA-256 {e.Sha256[..Math.Min(16, e.Sha256.Length)]}…)";
        var b = before.ToDictionary(Key);
        var a = after.ToDictionary(Key);
        return [.. b.Where(x => !a.ContainsKey(x.Key)).Select(x => new AnswerChange(0, null, "Attachment", Label(x.Value), null))
            .Concat(a.Where(x => !b.ContainsKey(x.Key)).Select(x => new AnswerChange(0, null, "Attachment", null, Label(x.Value))))
            .OrderBy(c => c.Before ?? c.After, StringComparer.Ordinal)];
    }
}

/// <summary>What one change of the recipient list does, decided without the database.</summary>
public sealed record RecipientPlan(IReadOnlyList<Guid> Add, IReadOnlyList<Guid> Reshare, IReadOnlyList<Guid> Withdraw, IReadOnlyList<Guid> NotEngaged)
{
    public bool IsValid => NotEngaged.Count == 0;
    public bool ChangesNothing => Add.Count == 0 && Reshare.Count == 0 && Withdraw.Count == 0;
}

/// <summary>The recipients' review states and the rules for changing the recipient list. Pure.</summary>
public static class RecipientRules
{
    /// <summary>A hospital added before the first submission waits (Draft); after it, the latest version awaits its review.</summary>
    public static SubmissionState StateWhenShared(int latestVersion) => latestVersion > 0 ? SubmissionState.Submitted : SubmissionState.Draft;

    /// <summary>Every new submitted version goes back to every current recipient for review.</summary>
    public static SubmissionState StateAfterSubmission => SubmissionState.Submitted;

    public static bool CanReview(FormSubmissionRecipient r) => r.WithdrawnAt is null && r.ReviewState == SubmissionState.Submitted;

    public static SubmissionState StateAfterReview(bool accept) => accept ? SubmissionState.Accepted : SubmissionState.Returned;

    /// <param name="current">Existing rows (withdrawn ones included).</param>
    /// <param name="requested">The hospitals the vendor wants as recipients from now on.</param>
    /// <param name="engaged">Hospitals the vendor serves today: only these can be added.</param>
    public static RecipientPlan Plan(IEnumerable<FormSubmissionRecipient> current, IEnumerable<Guid> requested, IReadOnlySet<Guid> engaged)
    {
        var rows = current.ToDictionary(r => r.HospitalId);
        var wanted = requested.Distinct().ToList();
        var active = rows.Values.Where(r => r.WithdrawnAt is null).Select(r => r.HospitalId).ToHashSet();
        // A hospital that stays a recipient needs no engagement check (an ended contract does not withdraw by itself).
        var newOnes = wanted.Where(h => !active.Contains(h)).ToList();
        var notEngaged = newOnes.Where(h => !engaged.Contains(h)).ToList();
        return new RecipientPlan(
            [.. newOnes.Where(h => engaged.Contains(h) && !rows.ContainsKey(h))],
            [.. newOnes.Where(h => engaged.Contains(h) && rows.ContainsKey(h))],
            [.. active.Where(h => !wanted.Contains(h)).Order()],
            notEngaged);
    }
}

/// <summary>Copying a previous product version's answers onto the template of the new one. Pure.</summary>
public static class DisclosureCopy
{
    /// <summary>
    /// Keeps the answers whose item id exists in <paramref name="target"/> (one round, no date, as every
    /// disclosure) and counts the answered items that were dropped.
    /// </summary>
    public static (FormAnswers Answers, int Dropped) MapAnswers(FormAnswers source, FormTemplate target)
    {
        var known = target.Items.Select(i => i.Id).ToHashSet(StringComparer.Ordinal);
        var first = source.Rounds.OrderBy(r => r.Number).FirstOrDefault();
        var answers = first?.Answers ?? new Dictionary<string, ItemAnswer>();
        var kept = answers.Where(a => known.Contains(a.Key)).ToDictionary(a => a.Key, a => a.Value);
        var dropped = answers.Count(a => !known.Contains(a.Key));
        return (new FormAnswers([new CheckRound(1, null, kept)]), dropped);
    }
}
