namespace VendorPortal.Features.Subcontracting;

/// <summary>
/// What an uploaded file really is, from its first bytes (never from its name or the browser's content type):
/// PDF, PNG or JPEG are accepted, anything else is refused. The name is kept for display only, cut to its last
/// path segment and stripped of control characters.
/// </summary>
public static class AttachmentFiles
{
    public const long MaxBytes = 10 * 1024 * 1024;
    public const int MaxFileNameLength = 200;

    private static readonly (byte[] Magic, string ContentType, string Extension)[] Known =
    [
        ("%PDF-"u8.ToArray(), "application/pdf", ".pdf"),
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "image/png", ".png"),
        ([0xFF, 0xD8, 0xFF], "image/jpeg", ".jpg"),
    ];

    /// <summary>The content type the bytes start with, or null when they are none of the accepted kinds.</summary>
    public static string? DetectContentType(ReadOnlySpan<byte> bytes)
    {
        foreach (var (magic, type, _) in Known)
        {
            if (bytes.StartsWith(magic))
            {
                return type;
            }
        }
        return null;
    }

    /// <summary>Refusal code (resource key Subcontract_{code}) for a file, or null when it is accepted.</summary>
    public static string? Check(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0)
        {
            return "AttachmentEmpty";
        }
        if (bytes.Length > MaxBytes)
        {
            return "AttachmentTooLarge";
        }
        return DetectContentType(bytes) is null ? "AttachmentType" : null;
    }

    /// <summary>A display name: last segment of whatever path the browser sent, no control characters, bounded length.</summary>
    public static string SafeFileName(string? name, string contentType)
    {
        var last = (name ?? "").Replace('\\', '/').Split('/').LastOrDefault() ?? "";
        var cleaned = new string([.. last.Where(c => !char.IsControl(c) && c is not ('"' or '<' or '>' or '|' or ':' or '*' or '?'))]).Trim();
        if (cleaned.Length == 0 || cleaned.Trim('.').Length == 0)
        {
            cleaned = "attachment" + Known.First(k => k.ContentType == contentType).Extension;
        }
        return cleaned.Length > MaxFileNameLength ? cleaned[^MaxFileNameLength..] : cleaned;
    }
}
