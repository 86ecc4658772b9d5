using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace VendorPortal.Features.Inspection.Bundle;

/// <summary>What a bundle covers: one hospital and either a fiscal year (年度, April–March) or a date range.</summary>
public sealed record BundleScope(Guid HospitalId, string HospitalName, int? FiscalYear, DateOnly? From, DateOnly? To);

/// <summary>One file of the bundle as recorded in manifest.json and SHA256SUMS.</summary>
public sealed record BundleFile(string Path, long Size, string Sha256);

/// <summary>
/// manifest.json. Written with <see cref="Write"/> in one canonical layout (see docs/inspection-bundle.md):
/// UTF-8 without BOM, 2-space indentation, LF line ends, a final LF, properties in the fixed order below,
/// non-ASCII characters written as-is (not \u-escaped). The FIRST property, on line 2, is
/// <c>"manifestSha256": "&lt;hex&gt;",</c>; the canonical manifest is the file with that line removed, i.e. exactly what
/// the same writer produces without the property. So <c>sed 2d manifest.json | sha256sum</c> gives the hash.
/// </summary>
public static class BundleManifest
{
    public const string Format = "vendorportal-inspection-bundle/1";
    public const string GeneratorName = "VendorPortal";

    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        IndentCharacter = ' ',
        IndentSize = 2,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The canonical manifest (no hash) and the full manifest.json bytes (hash on line 2).</summary>
    public static (byte[] Canonical, byte[] Full, string ManifestSha256) Build(
        BundleScope scope, DateTimeOffset generatedAt, string generatorVersion, IReadOnlyList<BundleFile> files)
    {
        var canonical = Write(scope, generatedAt, generatorVersion, files, null);
        var hash = Convert.ToHexStringLower(SHA256.HashData(canonical));
        var full = Write(scope, generatedAt, generatorVersion, files, hash);
        return (canonical, full, hash);
    }

    private static byte[] Write(BundleScope scope, DateTimeOffset generatedAt, string generatorVersion,
        IReadOnlyList<BundleFile> files, string? manifestSha256)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            if (manifestSha256 is not null)
            {
                w.WriteString("manifestSha256", manifestSha256);
            }
            w.WriteString("format", Format);
            w.WriteStartObject("generator");
            w.WriteString("name", GeneratorName);
            w.WriteString("version", generatorVersion);
            w.WriteEndObject();
            w.WriteStartObject("scope");
            w.WriteString("hospitalId", scope.HospitalId.ToString("D"));
            w.WriteString("hospitalName", scope.HospitalName);
            if (scope.FiscalYear is { } fy)
            {
                w.WriteNumber("fiscalYear", fy);
            }
            else
            {
                w.WriteNull("fiscalYear");
            }
            WriteDate(w, "from", scope.From);
            WriteDate(w, "to", scope.To);
            w.WriteEndObject();
            w.WriteString("generatedAt", FormatJst(generatedAt));
            w.WriteNumber("fileCount", files.Count);
            w.WriteStartArray("files");
            foreach (var f in files)
            {
                w.WriteStartObject();
                w.WriteString("path", f.Path);
                w.WriteNumber("size", f.Size);
                w.WriteString("sha256", f.Sha256);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static void WriteDate(Utf8JsonWriter w, string name, DateOnly? day)
    {
        if (day is { } d)
        {
            w.WriteString(name, d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
        else
        {
            w.WriteNull(name);
        }
    }

    /// <summary>ISO-8601 in JST with seconds, e.g. 2026-11-21T15:30:00+09:00.</summary>
    public static string FormatJst(DateTimeOffset instant) =>
        VendorPortal.Infrastructure.Time.JapanTime.ToJst(instant).ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture);

    /// <summary>SHA256SUMS in the exact GNU sha256sum text format: "&lt;hex&gt;  &lt;path&gt;\n" per file.</summary>
    public static byte[] Checksums(IEnumerable<BundleFile> files)
    {
        var text = new StringBuilder();
        foreach (var f in files)
        {
            text.Append(f.Sha256).Append("  ").Append(f.Path).Append('\n');
        }
        return new UTF8Encoding(false).GetBytes(text.ToString());
    }

    /// <summary>
    /// Splits manifest.json bytes into the recorded hash (line 2) and the canonical bytes (all other lines);
    /// null when line 2 is not exactly <c>  "manifestSha256": "&lt;64 lower-case hex&gt;",</c>.
    /// </summary>
    public static (string RecordedHash, byte[] Canonical)? SplitRecordedHash(byte[] manifest)
    {
        var first = Array.IndexOf(manifest, (byte)'\n');
        if (first < 0)
        {
            return null;
        }
        var second = Array.IndexOf(manifest, (byte)'\n', first + 1);
        if (second < 0)
        {
            return null;
        }
        var line = Encoding.UTF8.GetString(manifest, first + 1, second - first - 1);
        const string prefix = "  \"manifestSha256\": \"";
        if (!line.StartsWith(prefix, StringComparison.Ordinal) || line.Length != prefix.Length + 64 + 2 || !line.EndsWith("\",", StringComparison.Ordinal))
        {
            return null;
        }
        var hex = line.Substring(prefix.Length, 64);
        if (!hex.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f'))
        {
            return null;
        }
        var canonical = new byte[manifest.Length - (second - first)];
        Array.Copy(manifest, 0, canonical, 0, first + 1);
        Array.Copy(manifest, second + 1, canonical, first + 1, manifest.Length - second - 1);
        return (hex, canonical);
    }
}
