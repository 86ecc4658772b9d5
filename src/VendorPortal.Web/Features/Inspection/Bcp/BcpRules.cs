using System.Globalization;
using VendorPortal.Infrastructure.Files;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Inspection.Bcp;

/// <summary>An upload as entered (page or API), before validation.</summary>
public sealed record BcpUploadInput(string? Title, string? DocumentDate, string? VersionLabel, string? Note, string? FileName, byte[]? Content);

/// <summary>One validation error: the field and the resource key of its message (with its arguments).</summary>
public sealed record BcpError(string Field, string Key, params object[] Args);

/// <summary>A valid upload: trimmed texts, the parsed date and what the file is.</summary>
public sealed record BcpUpload(string Title, DateOnly DocumentDate, string? VersionLabel, string? Note, string FileName, string ContentType, byte[] Content, string Sha256);

/// <summary>
/// Pure rules of the BCP on file: what an upload must be (a PDF by its first bytes, at most 10 MB; a title; the
/// document's 策定日/改訂日, required, not in the future, yyyy-MM-dd or 和暦), which document is current (the newest
/// upload: a newer one supersedes, the older stay as history), and when the current one is too old (12 months).
/// </summary>
public static class BcpRules
{
    public const int MaxTitle = 200;
    public const int MaxVersionLabel = 50;
    public const int MaxNote = 500;

    /// <summary>A BCP is reviewed at least yearly (手引き: 定期的に見直し): the current document's date older than this is a gap.</summary>
    public const int ReviewMonths = 12;

    /// <summary>yyyy-MM-dd (the date input), yyyy/MM/dd, or 和暦 as typed (令和7年4月1日, R7.4.1).</summary>
    public static DateOnly? ParseDate(string? text)
    {
        var t = text?.Trim();
        if (string.IsNullOrEmpty(t))
        {
            return null;
        }
        if (DateOnly.TryParseExact(t, ["yyyy-MM-dd", "yyyy/MM/dd", "yyyy/M/d"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            return d;
        }
        return Wareki.TryParse(t, out var w) ? w : null;
    }

    public static (BcpUpload? Upload, List<BcpError> Errors) Validate(BcpUploadInput input, DateOnly today)
    {
        var errors = new List<BcpError>();
        var title = Clean(input.Title);
        if (title is null)
        {
            errors.Add(new("title", "BcpTitleRequired"));
        }
        else if (title.Length > MaxTitle)
        {
            errors.Add(new("title", "BcpTitleTooLong", MaxTitle));
        }
        DateOnly? date = null;
        if (string.IsNullOrWhiteSpace(input.DocumentDate))
        {
            errors.Add(new("documentDate", "BcpDateRequired"));
        }
        else if (ParseDate(input.DocumentDate) is not { } parsed)
        {
            errors.Add(new("documentDate", "BcpDateInvalid"));
        }
        else if (parsed > today)
        {
            errors.Add(new("documentDate", "BcpDateInFuture"));
        }
        else
        {
            date = parsed;
        }
        var version = Clean(input.VersionLabel);
        if (version?.Length > MaxVersionLabel)
        {
            errors.Add(new("versionLabel", "BcpVersionTooLong", MaxVersionLabel));
        }
        var note = Clean(input.Note);
        if (note?.Length > MaxNote)
        {
            errors.Add(new("note", "BcpNoteTooLong", MaxNote));
        }
        var bytes = input.Content;
        string? type = null;
        if (bytes is null || bytes.Length == 0)
        {
            errors.Add(new("file", "BcpFileMissing"));
        }
        else if (bytes.Length > AttachmentRules.MaxBytes)
        {
            errors.Add(new("file", "BcpFileTooLarge", AttachmentRules.MaxBytes / 1024 / 1024));
        }
        else if ((type = AttachmentRules.Sniff(bytes)) != AttachmentRules.Pdf)
        {
            errors.Add(new("file", "BcpFileNotPdf"));
        }
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        return (new BcpUpload(title!, date!.Value, version, note, AttachmentRules.SanitizeFileName(input.FileName, type!), type!, bytes!,
            AttachmentRules.Sha256Of(bytes!)), errors);
    }

    /// <summary>The current document: the newest upload (then the later date, then the id, so the choice is stable).</summary>
    public static T? Current<T>(IEnumerable<T> documents, Func<T, DateTimeOffset> uploadedAt, Func<T, DateOnly> documentDate, Func<T, Guid> id) where T : class
        => documents.OrderByDescending(uploadedAt).ThenByDescending(documentDate).ThenByDescending(id).FirstOrDefault();

    /// <summary>Whether a document dated <paramref name="documentDate"/> is due for review on <paramref name="today"/>.</summary>
    public static bool IsStale(DateOnly documentDate, DateOnly today) => documentDate.AddMonths(ReviewMonths) <= today;

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
