using VendorPortal.Features.Forms.Workbooks;

namespace VendorPortal.Features.Inspection.Export.Sections;

/// <summary>
/// Builds a section's form workbooks ahead of time on the thread pool — EPPlus and the deterministic re-zip are pure
/// CPU once <see cref="FormWorkbookService.PrepareAsync"/> has read the data — while the section writes the previous
/// workbook and streams attachments. At most <c>ahead</c> workbooks are in flight (memory stays a few MB). Workbooks
/// must be taken in the order given; the bytes are the same as building them one by one.
/// </summary>
internal sealed class WorkbookPipeline(WorkbookBatch batch, IReadOnlyList<Guid> order, int ahead = 0)
{
    private readonly Task<WorkbookFile?>?[] _tasks = new Task<WorkbookFile?>?[order.Count];
    private readonly int _ahead = ahead > 0 ? ahead : Math.Max(2, Environment.ProcessorCount);
    private int _next;

    /// <summary>The workbook of <c>order[index]</c> (taken in order), already made deterministic; null if it has no such version.</summary>
    public async Task<WorkbookFile?> TakeAsync(int index, CancellationToken cancellationToken)
    {
        if (index != _next)
        {
            throw new InvalidOperationException("Workbooks are taken in order.");
        }
        _next++;
        for (var i = index; i < Math.Min(order.Count, index + _ahead + 1); i++)
        {
            var id = order[i];
            // Own threads, not thread-pool items: CPU-bound builds queued on the pool would delay the continuations of
            // the section's own async I/O (attachment streaming) until the pool grows, serialising what should overlap.
            _tasks[i] ??= Task.Factory.StartNew(() => batch.Build(id) is { } file ? file with { Bytes = DeterministicXlsx.Normalize(file.Bytes) } : null,
                cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        var result = await _tasks[index]!;
        _tasks[index] = null;
        return result;
    }
}
