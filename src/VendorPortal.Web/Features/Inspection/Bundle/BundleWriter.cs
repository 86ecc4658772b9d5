using System.IO.Compression;

namespace VendorPortal.Features.Inspection.Bundle;

/// <summary>
/// Writes an evidence bundle ZIP to any output stream (a response body, a file; seekable or not) one entry at a time,
/// hashing (SHA-256) and counting each file's bytes as they stream through — no file is ever held in memory.
/// Deterministic: entries appear in the order added, every entry carries the same timestamp
/// (<see cref="EntryTimestamp"/>, 1980-01-01 00:00:00, the ZIP/DOS epoch), fixed file attributes, and every entry
/// STORED (no compression): .NET's Deflate (zlib-ng) output is not promised to be the same across runtime versions or
/// CPU code paths, so compressing would make "the same data gives the same ZIP" depend on the machine. Most of the
/// volume (xlsx, pdf, images) is compressed already; see docs/inspection-bundle.md.
/// Finish with <see cref="CompleteAsync"/>, which appends manifest.json and SHA256SUMS; the generation time appears
/// only in manifest.json.
/// </summary>
public sealed class BundleWriter : IAsyncDisposable
{
    /// <summary>The modification time written for every entry (DOS time has no zone; this is the ZIP epoch).</summary>
    public static readonly DateTimeOffset EntryTimestamp = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Unix mode 0100644 (regular file, rw-r--r--) in the high 16 bits.</summary>
    private const int FileAttributes = unchecked((int)(0x81A4u << 16));

    private readonly ZipArchive _zip;
    private readonly List<BundleFile> _files = [];
    private readonly HashSet<string> _names = new(StringComparer.OrdinalIgnoreCase);
    private bool _completed;
    private bool _busy;
    private bool _faulted;

    private BundleWriter(ZipArchive zip) => _zip = zip;

    /// <summary>Starts a bundle on <paramref name="output"/>; the stream is left open when the writer is disposed.</summary>
    public static async Task<BundleWriter> CreateAsync(Stream output, CancellationToken cancellationToken = default)
    {
        var zip = await ZipArchive.CreateAsync(output, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, cancellationToken);
        return new BundleWriter(zip);
    }

    /// <summary>The files added so far, in order, with size and SHA-256 (manifest.json and SHA256SUMS excluded).</summary>
    public IReadOnlyList<BundleFile> Files => _files;

    /// <summary>The total size of <see cref="Files"/> (kept as they are added: progress reports read it after every file).</summary>
    public long ContentBytes { get; private set; }

    /// <summary>Adds a file whose content <paramref name="write"/> writes to the stream it is given.</summary>
    public async Task<BundleFile> AddFileAsync(string path, Func<Stream, Task> write, CancellationToken cancellationToken = default)
    {
        var name = Reserve(path, allowReserved: false);
        var file = await WriteEntryAsync(name, write, cancellationToken);
        _files.Add(file);
        ContentBytes += file.Size;
        return file;
    }

    /// <summary>Adds a file copied from <paramref name="content"/> (read to its end, not disposed).</summary>
    public Task<BundleFile> AddFileAsync(string path, Stream content, CancellationToken cancellationToken = default) =>
        AddFileAsync(path, s => content.CopyToAsync(s, 81920, cancellationToken), cancellationToken);

    /// <summary>Adds a small file from bytes already in memory (index pages, CSV summaries).</summary>
    public Task<BundleFile> AddFileAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        AddFileAsync(path, s => s.WriteAsync(content, cancellationToken).AsTask(), cancellationToken);

    /// <summary>
    /// Writes manifest.json and SHA256SUMS (which lists every file and manifest.json) and the ZIP central directory.
    /// Returns the manifest hash (for the audit log). The output stream stays open.
    /// </summary>
    public async Task<string> CompleteAsync(BundleScope scope, DateTimeOffset generatedAt, string generatorVersion,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        Reserve(BundlePaths.Manifest, allowReserved: true);
        Reserve(BundlePaths.Checksums, allowReserved: true);
        var (_, manifest, hash) = BundleManifest.Build(scope, generatedAt, generatorVersion, _files);
        var manifestFile = await WriteEntryAsync(BundlePaths.Manifest, s => s.WriteAsync(manifest, cancellationToken).AsTask(), cancellationToken);
        var sums = BundleManifest.Checksums(_files.Append(manifestFile));
        await WriteEntryAsync(BundlePaths.Checksums, s => s.WriteAsync(sums, cancellationToken).AsTask(), cancellationToken);
        _completed = true;
        await _zip.DisposeAsync();
        return hash;
    }

    private string Reserve(string path, bool allowReserved)
    {
        if (_completed)
        {
            throw new InvalidOperationException("The bundle is already complete.");
        }
        if (_faulted)
        {
            throw new InvalidOperationException("A file failed while being written; this bundle cannot be completed. Start a new one.");
        }
        if (_busy)
        {
            throw new InvalidOperationException("Another file is still being written; add files one at a time.");
        }
        var (name, error) = BundlePaths.Check(path);
        if (name is null)
        {
            throw new ArgumentException($"Bundle path '{path}': {error}.", nameof(path));
        }
        if (!allowReserved && (string.Equals(name, BundlePaths.Manifest, StringComparison.OrdinalIgnoreCase)
            || string.Equals(name, BundlePaths.Checksums, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ArgumentException($"Bundle path '{path}' is reserved.", nameof(path));
        }
        if (!_names.Add(name))
        {
            throw new ArgumentException($"Bundle path '{path}' is already in the bundle (names are compared ignoring case).", nameof(path));
        }
        return name;
    }

    private async Task<BundleFile> WriteEntryAsync(string name, Func<Stream, Task> write, CancellationToken cancellationToken)
    {
        _busy = true;
        try
        {
            var entry = _zip.CreateEntry(name, CompressionLevel.NoCompression);
            entry.LastWriteTime = EntryTimestamp;
            entry.ExternalAttributes = FileAttributes;
            var entryStream = await entry.OpenAsync(cancellationToken);
            await using (entryStream)
            {
                await using var hashing = new HashingWriteStream(entryStream);
                try
                {
                    await write(hashing);
                }
                catch
                {
                    // The partial entry is already in the archive: never let this writer produce a manifest.
                    _faulted = true;
                    throw;
                }
                return new BundleFile(name, hashing.BytesWritten, hashing.FinishHex());
            }
        }
        finally
        {
            _busy = false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_completed)
        {
            // An unfinished bundle is not a bundle: close the archive so the output is at least a readable ZIP,
            // but without manifest.json/SHA256SUMS it never verifies.
            _completed = true;
            await _zip.DisposeAsync();
        }
    }
}
