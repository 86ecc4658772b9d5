using System.Text;
using VendorPortal.Features.Inspection.Bundle;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Inspection.Export;

/// <summary>What one export is about: the hospital, the scope and the pinned generation time.</summary>
public sealed record BundleRequest(
    Guid HospitalId,
    int? FiscalYear,
    DateOnly? From,
    DateOnly? To,
    DateTimeOffset GeneratedAt,
    string GeneratedBy)
{
    public static BundleRequest ForYear(Guid hospitalId, int fiscalYear, DateTimeOffset generatedAt, string generatedBy) =>
        new(hospitalId, fiscalYear, null, null, generatedAt, generatedBy);

    public static BundleRequest ForRange(Guid hospitalId, DateOnly from, DateOnly to, DateTimeOffset generatedAt, string generatedBy) =>
        new(hospitalId, null, from, to, generatedAt, generatedBy);
}

/// <summary>Progress of a running export, reported after each file and section.</summary>
public sealed record BundleProgress(int Percent, string Stage, int FilesWritten, long BytesWritten);

/// <summary>
/// Everything a <see cref="IBundleSection"/> needs: the scope, the pinned time, and the one way to put files into the
/// ZIP (each file is also listed in index.html under the section's heading). Created by
/// <see cref="InspectionBundleExporter"/>; one per export.
/// </summary>
public sealed class BundleContext
{
    private readonly BundleWriter _writer;
    private readonly BundleIndex _index;
    private readonly Action<double> _onSectionProgress;
    private readonly Action _onFile;
    private BundleIndexSection? _section;
    private string? _folder;

    internal BundleContext(BundleWriter writer, BundleIndex index, BundleRequest request, string hospitalName, string tempDirectory,
        Action<double> onSectionProgress, Action onFile)
    {
        _writer = writer;
        _index = index;
        _onSectionProgress = onSectionProgress;
        _onFile = onFile;
        HospitalId = request.HospitalId;
        HospitalName = hospitalName;
        GeneratedAt = request.GeneratedAt;
        GeneratedBy = request.GeneratedBy;
        TempDirectory = tempDirectory;
        Today = DateOnly.FromDateTime(JapanTime.ToJst(request.GeneratedAt).DateTime);
        if (request.FiscalYear is { } year)
        {
            FiscalYear = new FiscalYear(year);
            PeriodFrom = FiscalYear.Value.FirstDay;
            PeriodTo = FiscalYear.Value.LastDay;
        }
        else
        {
            PeriodFrom = request.From ?? throw new ArgumentException("A date range needs From.", nameof(request));
            PeriodTo = request.To ?? throw new ArgumentException("A date range needs To.", nameof(request));
        }
        Scope = new BundleScope(HospitalId, HospitalName, request.FiscalYear, request.FiscalYear is null ? PeriodFrom : null,
            request.FiscalYear is null ? PeriodTo : null);
    }

    public Guid HospitalId { get; }
    public string HospitalName { get; }
    public BundleScope Scope { get; }

    /// <summary>Set when the scope is a 年度; null for a date range.</summary>
    public FiscalYear? FiscalYear { get; }

    /// <summary>
    /// The 年度 whose checklists and gaps belong in the bundle: the scope's year, or for a date range the year of its
    /// last day.
    /// </summary>
    public FiscalYear ReferenceYear => FiscalYear ?? Infrastructure.Time.FiscalYear.Of(PeriodTo);

    /// <summary>First day of the period (JST, inclusive).</summary>
    public DateOnly PeriodFrom { get; }

    /// <summary>Last day of the period (JST, inclusive).</summary>
    public DateOnly PeriodTo { get; }

    /// <summary>The period's start as an instant (00:00 JST of <see cref="PeriodFrom"/>).</summary>
    public DateTimeOffset PeriodStart => new(PeriodFrom.ToDateTime(TimeOnly.MinValue), JapanTime.Offset);

    /// <summary>
    /// The period's end as an exclusive instant: 00:00 JST after <see cref="PeriodTo"/>, or <see cref="GeneratedAt"/>
    /// if that is earlier (the bundle shows what was recorded before it was generated, nothing later).
    /// </summary>
    public DateTimeOffset PeriodEnd
    {
        get
        {
            var end = new DateTimeOffset(PeriodTo.AddDays(1).ToDateTime(TimeOnly.MinValue), JapanTime.Offset);
            return end < GeneratedAt ? end : GeneratedAt;
        }
    }

    /// <summary>The time written into manifest.json and index.html, and the only "now" a section may use.</summary>
    public DateTimeOffset GeneratedAt { get; }

    /// <summary>The JST calendar day of <see cref="GeneratedAt"/> ("as of" date for states: open gaps, days left, …).</summary>
    public DateOnly Today { get; }

    /// <summary>Who asked for the bundle (display name), shown in index.html.</summary>
    public string GeneratedBy { get; }

    /// <summary>A private directory for temporary files of this export (deleted afterwards).</summary>
    public string TempDirectory { get; }

    /// <summary>The files written so far (all sections).</summary>
    public IReadOnlyList<BundleFile> Files => _writer.Files;

    internal void BeginSection(IBundleSection section)
    {
        _folder = section.Folder.TrimEnd('/');
        _section = _index.AddSection(section.Title, section.Description, _folder);
    }

    /// <summary>The path of a file inside the current section's folder: <c>Path("vendors", "x.xlsx")</c> → "03_mds-sds/vendors/x.xlsx".</summary>
    public string PathIn(params string[] segments) => string.Join('/', new[] { _folder! }.Concat(segments));

    /// <summary>
    /// Writes a file produced by <paramref name="write"/> straight into the ZIP (nothing buffered) and lists it in
    /// index.html. <paramref name="relativePath"/> is inside the section's folder. <paramref name="group"/> puts the
    /// entry under a sub-heading (e.g. the vendor's name).
    /// </summary>
    public async Task<BundleFile> AddFileAsync(string relativePath, string title, Func<Stream, Task> write,
        string? group = null, string? note = null, CancellationToken cancellationToken = default)
    {
        var file = await _writer.AddFileAsync(PathIn(relativePath), write, cancellationToken);
        Section.Add(new BundleIndexEntry(title, file.Path, file.Size, group, note));
        _onFile();
        return file;
    }

    public Task<BundleFile> AddFileAsync(string relativePath, string title, Stream content,
        string? group = null, string? note = null, CancellationToken cancellationToken = default) =>
        AddFileAsync(relativePath, title, s => CopyOverlappedAsync(content, s, cancellationToken), group, note, cancellationToken);

    /// <summary>
    /// Copies <paramref name="source"/> to <paramref name="destination"/> reading the next megabyte while the last one is
    /// written. Writing into the bundle is CPU work (SHA-256, CRC-32) done inside <c>WriteAsync</c>, and so is reading an
    /// attachment from PostgreSQL; overlapping them uses the second core for large attachments. One write at a time,
    /// in order; the bytes are those of a plain copy.
    /// </summary>
    public static async Task CopyOverlappedAsync(Stream source, Stream destination, CancellationToken cancellationToken = default)
    {
        const int Size = 1 << 20;
        byte[][] buffers = [System.Buffers.ArrayPool<byte>.Shared.Rent(Size), System.Buffers.ArrayPool<byte>.Shared.Rent(Size)];
        var pending = Task.CompletedTask;
        try
        {
            var current = 0;
            var read = await source.ReadAtLeastAsync(buffers[current].AsMemory(0, Size), Size, throwOnEndOfStream: false, cancellationToken);
            while (read > 0)
            {
                await pending;
                var (buffer, count) = (buffers[current], read);
                pending = Task.Run(() => destination.WriteAsync(buffer.AsMemory(0, count), cancellationToken).AsTask(), cancellationToken);
                current ^= 1;
                read = await source.ReadAtLeastAsync(buffers[current].AsMemory(0, Size), Size, throwOnEndOfStream: false, cancellationToken);
            }
            await pending;
        }
        finally
        {
            // Never hand a buffer back while a write may still read it.
            try
            {
                await pending;
            }
            catch (Exception) when (!pending.IsCompletedSuccessfully)
            {
                // Already thrown to the caller (or the read failed first and that is the error reported).
            }
            System.Buffers.ArrayPool<byte>.Shared.Return(buffers[0]);
            System.Buffers.ArrayPool<byte>.Shared.Return(buffers[1]);
        }
    }

    public Task<BundleFile> AddFileAsync(string relativePath, string title, ReadOnlyMemory<byte> content,
        string? group = null, string? note = null, CancellationToken cancellationToken = default) =>
        AddFileAsync(relativePath, title, s => s.WriteAsync(content, cancellationToken).AsTask(), group, note, cancellationToken);

    /// <summary>An .xlsx made by EPPlus (<c>package.GetAsByteArray()</c>), made deterministic first (<see cref="DeterministicXlsx"/>).</summary>
    public Task<BundleFile> AddWorkbookAsync(string relativePath, string title, byte[] xlsx,
        string? group = null, string? note = null, CancellationToken cancellationToken = default) =>
        AddFileAsync(relativePath, title, DeterministicXlsx.Normalize(xlsx), group, note, cancellationToken);

    /// <summary>A UTF-8 (no BOM) text file: HTML, CSV, JSON. CSV for Excel should start with a BOM: pass it in <paramref name="text"/>.</summary>
    public Task<BundleFile> AddTextAsync(string relativePath, string title, string text,
        string? group = null, string? note = null, CancellationToken cancellationToken = default) =>
        AddFileAsync(relativePath, title, new UTF8Encoding(false).GetBytes(text), group, note, cancellationToken);

    /// <summary>A line of text under the section's heading in index.html (e.g. 「該当なし」, a verification result).</summary>
    public void Note(string text, string? group = null) => Section.AddNote(text, group);

    /// <summary>How far the current section is (0–1), for the progress bar of a long section (attachments).</summary>
    public void ReportProgress(int done, int total)
    {
        if (total > 0)
        {
            _onSectionProgress(Math.Clamp((double)done / total, 0, 1));
        }
    }

    private BundleIndexSection Section => _section ?? throw new InvalidOperationException("No section has begun.");
}
