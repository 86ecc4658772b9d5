using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace VendorPortal.Features.Inspection.Bundle;

public enum BundleProblemKind
{
    /// <summary>The file's content (SHA-256 or size) is not what manifest.json records.</summary>
    Changed,
    /// <summary>manifest.json lists the file but the ZIP does not contain it.</summary>
    Missing,
    /// <summary>The ZIP contains a file manifest.json does not list.</summary>
    Extra,
    /// <summary>manifest.json is missing, unreadable, or its own hash (manifestSha256) does not match its content.</summary>
    ManifestTampered,
    /// <summary>SHA256SUMS is missing, malformed, or disagrees with manifest.json.</summary>
    ChecksumsMismatch,
    /// <summary>An entry name that could escape the extraction folder or is otherwise unusable ("..", absolute, "\").</summary>
    UnsafePath,
    /// <summary>The same name twice in the ZIP.</summary>
    Duplicate,
    /// <summary>An entry whose compressed data cannot be read (CRC error, bad deflate data).</summary>
    Corrupt,
    /// <summary>A safety limit was reached (entry count, bytes read); verification stopped there.</summary>
    LimitExceeded,
}

public sealed record BundleProblem(BundleProblemKind Kind, string? Path, string? Expected, string? Actual, string Detail);

/// <summary>The outcome of verifying a bundle. <see cref="Readable"/> false: not a ZIP at all (nothing checked).</summary>
public sealed record BundleVerification(bool Readable, IReadOnlyList<BundleProblem> Problems, int FilesChecked,
    string? ManifestSha256, string? HospitalName, string? GeneratedAt)
{
    public bool Ok => Readable && Problems.Count == 0;
}

/// <summary>Limits that keep verification of a hostile upload bounded. Sizes are counted while reading, never taken from the ZIP's headers.</summary>
public sealed record BundleVerifierLimits(int MaxEntries = 100_000, long MaxTotalBytes = 64L << 30, int MaxMetadataBytes = 32 << 20, long MaxArchiveBytes = 64L << 30)
{
    public static readonly BundleVerifierLimits Default = new();
}

/// <summary>
/// Checks a bundle: every entry's SHA-256 and size (computed while streaming) against manifest.json, the manifest's
/// own hash, and SHA256SUMS against the manifest. Reports every problem with the path and expected/actual hashes.
/// </summary>
public static class BundleVerifier
{
    public static async Task<BundleVerification> VerifyAsync(Stream zip, BundleVerifierLimits? limits = null, CancellationToken cancellationToken = default)
    {
        limits ??= BundleVerifierLimits.Default;
        if (zip.CanSeek)
        {
            return await VerifySeekableAsync(zip, limits, cancellationToken);
        }
        // ZipArchive needs to seek to the central directory: spool a non-seekable input to a temporary file (capped).
        var temp = Path.Combine(Path.GetTempPath(), "vp-bundle-" + Guid.NewGuid().ToString("N") + ".zip");
        await using var file = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await zip.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > limits.MaxArchiveBytes)
            {
                return new BundleVerification(true, [new(BundleProblemKind.LimitExceeded, null, null, null,
                    $"The archive is larger than {limits.MaxArchiveBytes} bytes.")], 0, null, null, null);
            }
            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
        file.Position = 0;
        return await VerifySeekableAsync(file, limits, cancellationToken);
    }

    private sealed record Actual(string Path, long Size, string Sha256);

    private static async Task<BundleVerification> VerifySeekableAsync(Stream zip, BundleVerifierLimits limits, CancellationToken cancellationToken)
    {
        ZipArchive archive;
        try
        {
            archive = await ZipArchive.CreateAsync(zip, ZipArchiveMode.Read, leaveOpen: true, entryNameEncoding: null, cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException)
        {
            return new BundleVerification(false, [new(BundleProblemKind.Corrupt, null, null, null, "Not a readable ZIP archive: " + e.Message)], 0, null, null, null);
        }
        await using var _ = archive;
        var problems = new List<BundleProblem>();
        var actual = new Dictionary<string, Actual>(StringComparer.Ordinal);
        var namesIgnoringCase = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        byte[]? manifestBytes = null;
        byte[]? sumsBytes = null;
        long budget = limits.MaxTotalBytes;

        if (archive.Entries.Count > limits.MaxEntries)
        {
            return new BundleVerification(true, [new(BundleProblemKind.LimitExceeded, null, null, null,
                $"The archive has {archive.Entries.Count} entries; at most {limits.MaxEntries} are checked.")], 0, null, null, null);
        }
        foreach (var entry in archive.Entries)
        {
            var name = entry.FullName;
            if (name.EndsWith('/') && entry.Length == 0 && entry.CompressedLength <= 2)
            {
                continue; // a directory entry carries no content (an archive re-zipped by a tool may have them)
            }
            var (checkedName, error) = BundlePaths.Check(name);
            if (checkedName is null || checkedName != name)
            {
                problems.Add(new(BundleProblemKind.UnsafePath, name, null, null, "Unsafe or invalid entry name: " + (error ?? "not in normalised form") + "."));
                continue;
            }
            if (!namesIgnoringCase.Add(name))
            {
                problems.Add(new(BundleProblemKind.Duplicate, name, null, null, "The name occurs more than once in the archive (compared ignoring case, as Windows extracts)."));
                continue;
            }
            var keep = name is BundlePaths.Manifest or BundlePaths.Checksums;
            MemoryStream? kept = keep ? new MemoryStream() : null;
            try
            {
                await using var content = await entry.OpenAsync(cancellationToken);
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[81920];
                long size = 0;
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    size += read;
                    budget -= read;
                    if (budget < 0)
                    {
                        problems.Add(new(BundleProblemKind.LimitExceeded, name, null, null,
                            $"More than {limits.MaxTotalBytes} uncompressed bytes; verification stopped."));
                        return Result(problems, actual.Count, null, null);
                    }
                    if (kept is not null)
                    {
                        if (size > limits.MaxMetadataBytes)
                        {
                            problems.Add(new(BundleProblemKind.LimitExceeded, name, null, null, $"{name} is larger than {limits.MaxMetadataBytes} bytes."));
                            return Result(problems, actual.Count, null, null);
                        }
                        kept.Write(buffer, 0, read);
                    }
                    hash.AppendData(buffer, 0, read);
                }
                actual[name] = new Actual(name, size, Convert.ToHexStringLower(hash.GetHashAndReset()));
            }
            catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException)
            {
                problems.Add(new(BundleProblemKind.Corrupt, name, null, null, "The entry cannot be read: " + e.Message));
                actual[name] = new Actual(name, -1, "");
                continue;
            }
            if (name == BundlePaths.Manifest)
            {
                manifestBytes = kept!.ToArray();
            }
            else if (name == BundlePaths.Checksums)
            {
                sumsBytes = kept!.ToArray();
            }
        }

        // manifest.json: its own hash, then the files it lists.
        string? manifestHash = null, hospital = null, generatedAt = null;
        Dictionary<string, BundleFile>? listed = null;
        if (manifestBytes is null)
        {
            problems.Add(new(BundleProblemKind.ManifestTampered, BundlePaths.Manifest, null, null, "manifest.json is missing."));
        }
        else
        {
            var split = BundleManifest.SplitRecordedHash(manifestBytes);
            if (split is null)
            {
                problems.Add(new(BundleProblemKind.ManifestTampered, BundlePaths.Manifest, null, null,
                    "Line 2 of manifest.json is not the \"manifestSha256\" line."));
            }
            else
            {
                manifestHash = split.Value.RecordedHash;
                var computed = Convert.ToHexStringLower(SHA256.HashData(split.Value.Canonical));
                if (computed != manifestHash)
                {
                    problems.Add(new(BundleProblemKind.ManifestTampered, BundlePaths.Manifest, manifestHash, computed,
                        "manifest.json was changed after it was written: its content does not match manifestSha256."));
                }
            }
            (listed, hospital, generatedAt) = ParseManifest(manifestBytes, problems);
        }

        if (listed is not null)
        {
            foreach (var file in listed.Values)
            {
                if (!actual.TryGetValue(file.Path, out var found))
                {
                    if (!problems.Any(p => p.Path == file.Path))
                    {
                        problems.Add(new(BundleProblemKind.Missing, file.Path, file.Sha256, null, "Listed in manifest.json but not in the archive."));
                    }
                }
                else if (found.Size >= 0 && (found.Sha256 != file.Sha256 || found.Size != file.Size))
                {
                    problems.Add(new(BundleProblemKind.Changed, file.Path, file.Sha256, found.Sha256,
                        $"Content differs from manifest.json (size {file.Size} recorded, {found.Size} found)."));
                }
            }
            foreach (var found in actual.Values)
            {
                if (found.Path is not (BundlePaths.Manifest or BundlePaths.Checksums) && !listed.ContainsKey(found.Path))
                {
                    problems.Add(new(BundleProblemKind.Extra, found.Path, null, found.Sha256, "In the archive but not listed in manifest.json."));
                }
            }
        }

        CheckSums(sumsBytes, listed, actual, problems);
        return Result(problems, actual.Count, manifestHash, hospital, generatedAt);
    }

    private static BundleVerification Result(List<BundleProblem> problems, int files, string? manifestHash, string? hospital, string? generatedAt = null) =>
        new(true, problems, files, manifestHash, hospital, generatedAt);

    private static (Dictionary<string, BundleFile>?, string?, string?) ParseManifest(byte[] manifest, List<BundleProblem> problems)
    {
        try
        {
            using var doc = JsonDocument.Parse(manifest, new JsonDocumentOptions { MaxDepth = 16 });
            var root = doc.RootElement;
            if (!root.TryGetProperty("format", out var format) || format.GetString() != BundleManifest.Format)
            {
                problems.Add(new(BundleProblemKind.ManifestTampered, BundlePaths.Manifest, BundleManifest.Format, null, "manifest.json has an unknown format."));
                return (null, null, null);
            }
            var files = new Dictionary<string, BundleFile>(StringComparer.Ordinal);
            foreach (var f in root.GetProperty("files").EnumerateArray())
            {
                var file = new BundleFile(f.GetProperty("path").GetString()!, f.GetProperty("size").GetInt64(), f.GetProperty("sha256").GetString()!);
                if (!files.TryAdd(file.Path, file))
                {
                    problems.Add(new(BundleProblemKind.ManifestTampered, file.Path, null, null, "manifest.json lists the path twice."));
                }
            }
            var hospital = root.TryGetProperty("scope", out var scope) && scope.TryGetProperty("hospitalName", out var h) ? h.GetString() : null;
            var at = root.TryGetProperty("generatedAt", out var g) ? g.GetString() : null;
            return (files, hospital, at);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            problems.Add(new(BundleProblemKind.ManifestTampered, BundlePaths.Manifest, null, null, "manifest.json cannot be read: " + e.Message));
            return (null, null, null);
        }
    }

    /// <summary>SHA256SUMS must list exactly the manifest's files plus manifest.json, each with the manifest's hash (manifest.json: its actual hash).</summary>
    private static void CheckSums(byte[]? sumsBytes, Dictionary<string, BundleFile>? listed, Dictionary<string, Actual> actual, List<BundleProblem> problems)
    {
        if (sumsBytes is null)
        {
            problems.Add(new(BundleProblemKind.ChecksumsMismatch, BundlePaths.Checksums, null, null, "SHA256SUMS is missing."));
            return;
        }
        var sums = new Dictionary<string, string>(StringComparer.Ordinal);
        var text = Encoding.UTF8.GetString(sumsBytes);
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            problems.Add(new(BundleProblemKind.ChecksumsMismatch, BundlePaths.Checksums, null, null, "SHA256SUMS does not end with a line feed."));
        }
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }
            if (line.Length < 67 || line[64] != ' ' || line[65] != ' ' || !line[..64].All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f'))
            {
                problems.Add(new(BundleProblemKind.ChecksumsMismatch, BundlePaths.Checksums, null, null, "Malformed line in SHA256SUMS: " + Truncate(line)));
                continue;
            }
            sums[line[66..]] = line[..64];
        }
        if (listed is null)
        {
            return;
        }
        foreach (var file in listed.Values)
        {
            if (!sums.TryGetValue(file.Path, out var sum))
            {
                problems.Add(new(BundleProblemKind.ChecksumsMismatch, file.Path, file.Sha256, null, "Not listed in SHA256SUMS."));
            }
            else if (sum != file.Sha256)
            {
                problems.Add(new(BundleProblemKind.ChecksumsMismatch, file.Path, file.Sha256, sum, "SHA256SUMS and manifest.json disagree."));
            }
        }
        if (actual.TryGetValue(BundlePaths.Manifest, out var manifest))
        {
            if (!sums.TryGetValue(BundlePaths.Manifest, out var sum))
            {
                problems.Add(new(BundleProblemKind.ChecksumsMismatch, BundlePaths.Manifest, manifest.Sha256, null, "manifest.json is not listed in SHA256SUMS."));
            }
            else if (sum != manifest.Sha256)
            {
                problems.Add(new(BundleProblemKind.ChecksumsMismatch, BundlePaths.Manifest, sum, manifest.Sha256, "manifest.json differs from its SHA256SUMS line."));
            }
        }
        foreach (var path in sums.Keys)
        {
            if (path != BundlePaths.Manifest && !listed.ContainsKey(path))
            {
                problems.Add(new(BundleProblemKind.ChecksumsMismatch, path, null, sums[path], "Listed in SHA256SUMS but not in manifest.json."));
            }
        }
    }

    private static string Truncate(string s) => s.Length <= 120 ? s : s[..120] + "…";
}
