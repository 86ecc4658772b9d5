using System.Text;

namespace VendorPortal.Features.Inspection.Bundle;

/// <summary>
/// Rules for a path inside an evidence bundle: relative, forward slashes, no "." / ".." / empty segments, no
/// characters that Windows cannot extract or that sha256sum would escape (backslash, control characters, newline),
/// NFC-normalised (so a name typed on a Mac and on Windows is one name), at most 400 UTF-8 bytes.
/// </summary>
public static class BundlePaths
{
    public const string Manifest = "manifest.json";
    public const string Checksums = "SHA256SUMS";
    public const int MaxUtf8Bytes = 400;
    private static readonly char[] WindowsInvalid = ['<', '>', ':', '"', '|', '?', '*', '\\'];

    /// <summary>The normalised path, or an explanation why it cannot be used (null path then).</summary>
    public static (string? Path, string? Error) Check(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return (null, "empty path");
        }
        if (path.StartsWith('/'))
        {
            return (null, "absolute path");
        }
        foreach (var c in path)
        {
            if (char.IsControl(c))
            {
                return (null, "control character in path");
            }
            if (Array.IndexOf(WindowsInvalid, c) >= 0)
            {
                return (null, $"character '{c}' not allowed in path");
            }
        }
        string normalized;
        try
        {
            normalized = path.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            return (null, "invalid Unicode in path");
        }
        foreach (var segment in normalized.Split('/'))
        {
            if (segment.Length == 0 || segment == "." || segment == "..")
            {
                return (null, "empty, '.' or '..' path segment");
            }
            if (segment.EndsWith(' ') || segment.EndsWith('.'))
            {
                return (null, "path segment ends with a space or a dot");
            }
        }
        if (Encoding.UTF8.GetByteCount(normalized) > MaxUtf8Bytes)
        {
            return (null, "path too long");
        }
        return (normalized, null);
    }
}
