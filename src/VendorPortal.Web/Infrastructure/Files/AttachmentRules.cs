using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace VendorPortal.Infrastructure.Files;

/// <summary>
/// Which file types may be attached, how they are recognised, and how their names are cleaned. Pure. Shared by
/// every feature that takes documents (MDS/SDS disclosures, 再委託 requests).
/// </summary>
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
