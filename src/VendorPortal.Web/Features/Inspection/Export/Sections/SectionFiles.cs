using System.Text;

namespace VendorPortal.Features.Inspection.Export.Sections;

/// <summary>
/// File and folder names inside a section built from user text (vendor and product names, uploaded file names):
/// made safe for <see cref="Bundle.BundlePaths"/> and for Windows and macOS when the bundle is extracted, and kept
/// unique ignoring case (Windows would overwrite one file with the other). Pure; unit-tested.
/// </summary>
public static class SectionFiles
{
    /// <summary>Upper bound of one name in UTF-8 bytes (80 Japanese characters; a whole bundle path may have 400).</summary>
    public const int MaxNameBytes = 240;

    private static readonly char[] Refused = ['\\', '/', '<', '>', ':', '"', '|', '?', '*'];

    private static readonly HashSet<string> WindowsDevices = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    /// <summary>
    /// One path segment from <paramref name="name"/>: NFC, characters Windows refuses and control characters replaced
    /// by "_", no leading/trailing spaces or trailing dots, not a Windows device name, at most
    /// <see cref="MaxNameBytes"/> UTF-8 bytes with the extension kept. <paramref name="fallback"/> when nothing is left.
    /// </summary>
    public static string Sanitize(string? name, string fallback = "file")
    {
        var text = name ?? "";
        try
        {
            text = text.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            // Broken Unicode (a lone surrogate, which NFC refuses): drop the surrogates.
            text = new string(text.Where(c => !char.IsSurrogate(c)).ToArray());
        }
        var cleaned = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            cleaned.Append(char.IsControl(c) || Array.IndexOf(Refused, c) >= 0 ? '_' : c);
        }
        var result = Trim(cleaned.ToString());
        if (result.Length == 0)
        {
            return fallback;
        }
        var dot = result.LastIndexOf('.');
        var stem = dot > 0 ? result[..dot] : result;
        var extension = dot > 0 ? result[dot..] : "";
        if (Encoding.UTF8.GetByteCount(extension) > 16)
        {
            stem = result;
            extension = "";
        }
        if (WindowsDevices.Contains(stem.Trim()))
        {
            stem = "_" + stem;
        }
        stem = Truncate(stem, MaxNameBytes - Encoding.UTF8.GetByteCount(extension));
        result = Trim(stem) + extension;
        return Trim(result) is { Length: > 0 } done && done != "." && done != ".." ? done : fallback;
    }

    private static string Trim(string s) => s.Trim().TrimEnd('.', ' ');

    /// <summary>At most <paramref name="maxBytes"/> UTF-8 bytes, cut between whole characters (never inside a surrogate pair).</summary>
    public static string Truncate(string s, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(s) <= maxBytes)
        {
            return s;
        }
        var bytes = 0;
        var i = 0;
        while (i < s.Length)
        {
            var width = char.IsHighSurrogate(s[i]) && i + 1 < s.Length ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(s.AsSpan(i, width));
            if (bytes + size > maxBytes)
            {
                break;
            }
            bytes += size;
            i += width;
        }
        return s[..i];
    }
}

/// <summary>
/// Names given out in one folder, unique ignoring case: the second 「報告書.pdf」 becomes 「報告書 (2).pdf」, the third
/// 「報告書 (3).pdf」. Deterministic for the same sequence of names. Pure; unit-tested.
/// </summary>
public sealed class FileNameSet
{
    private readonly HashSet<string> _taken = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A sanitised (<see cref="SectionFiles.Sanitize"/>) name not given out before in this set.</summary>
    public string Unique(string? name, string fallback = "file")
    {
        var safe = SectionFiles.Sanitize(name, fallback);
        if (_taken.Add(safe))
        {
            return safe;
        }
        var dot = safe.LastIndexOf('.');
        var stem = dot > 0 ? safe[..dot] : safe;
        var extension = dot > 0 ? safe[dot..] : "";
        for (var n = 2; ; n++)
        {
            var suffix = $" ({n})";
            var candidate = SectionFiles.Truncate(stem, SectionFiles.MaxNameBytes - Encoding.UTF8.GetByteCount(suffix + extension)) + suffix + extension;
            if (_taken.Add(candidate))
            {
                return candidate;
            }
        }
    }
}
