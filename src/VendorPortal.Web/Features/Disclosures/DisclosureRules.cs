using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using VendorPortal.Features.Forms;

namespace VendorPortal.Features.Disclosures;

/// <summary>Which file types may be attached, how they are recognised, and how their names are cleaned. Pure.</summary>
public static class AttachmentRules
{
    public const long MaxBytes = 10 * 1024 * 1024;
    public const int MaxFileNameLength = 150;

    public const string Pdf = "application/pdf";
    public const string Png = "image/png";
    public const string Jpeg = "image/jpeg";

    private static readonly byte[] PdfMagic = "%PDF-"u8.ToArray();
    private static readonly byte[] PngMagic = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] JpegMagic = [0xFF, 0xD8, 0xFF];

    /// <summary>The content type told by the file's first bytes (never by its name or the browser's claim); null if not allowed.</summary>
    public static string? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith(PdfMagic))
        {
            return Pdf;
        }
        if (head.StartsWith(PngMagic))
        {
            return Png;
        }
        return head.StartsWith(JpegMagic) ? Jpeg : null;
    }

    public static string ExtensionFor(string contentType) => contentType switch
    {
        Pdf => ".pdf",
        Png => ".png",
        Jpeg => ".jpg",
        _ => "",
    };

    private static readonly string[] WindowsReserved =
        ["CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
         "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9"];

    /// <summary>
    /// A file name safe to store and to send back in Content-Disposition: no directories, no control or
    /// bidirectional-override characters, none of <c>\ / : * ? " &lt; &gt; |</c>, NFC, at most 150 characters,
    /// and an extension that matches the detected type (「証明書.html」 with PDF bytes becomes 「証明書.html.pdf」).
    /// </summary>
    public static string SanitizeFileName(string? name, string contentType)
    {
        var raw = (name ?? "").Normalize(NormalizationForm.FormC);
        // Browsers on Windows used to send the full path: keep only the last segment.
        var lastSeparator = raw.LastIndexOfAny(['/', '\\']);
        if (lastSeparator >= 0)
        {
            raw = raw[(lastSeparator + 1)..];
        }
        var sb = new StringBuilder(raw.Length);
        foreach (var rune in raw.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune))
            {
                sb.Append(' '); // tabs and line breaks too
                continue;
            }
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                continue;
            }
            if (rune.IsAscii && "\\/:*?\"<>|".Contains((char)rune.Value))
            {
                sb.Append('_');
                continue;
            }
            sb.Append(rune.ToString());
        }
        var cleaned = System.Text.RegularExpressions.Regex.Replace(sb.ToString(), " {2,}", " ").Trim().Trim('.', ' ');
        var extension = ExtensionFor(contentType);
        var stem = cleaned;
        var dot = cleaned.LastIndexOf('.');
        var currentExtension = dot > 0 ? cleaned[dot..].ToLowerInvariant() : "";
        var matches = currentExtension == extension || (contentType == Jpeg && currentExtension == ".jpeg");
        if (matches)
        {
            stem = cleaned[..dot];
            extension = currentExtension;
        }
        stem = stem.Trim().TrimEnd('.');
        if (stem.Length == 0)
        {
            stem = "attachment";
        }
        if (WindowsReserved.Contains(stem.Split('.')[0].ToUpperInvariant()))
        {
            stem = "_" + stem;
        }
        var maxStem = MaxFileNameLength - extension.Length;
        if (stem.Length > maxStem)
        {
            // Cut on a text-element boundary so no character is split.
            var info = new StringInfo(stem);
            var cut = maxStem;
            while (cut > 0 && info.SubstringByTextElements(0, Math.Min(cut, info.LengthInTextElements)).Length > maxStem)
            {
                cut--;
            }
            stem = info.SubstringByTextElements(0, Math.Min(cut, info.LengthInTextElements)).TrimEnd();
        }
        return stem + extension;
    }

    public static string Sha256Of(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));
}

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
