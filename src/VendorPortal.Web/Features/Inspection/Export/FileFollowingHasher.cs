using System.Security.Cryptography;

namespace VendorPortal.Features.Inspection.Export;

/// <summary>
/// SHA-256 and size of a file that is still being written, computed on its own thread reading just behind the writer
/// (from the page cache), so the ZIP's own hash is ready almost as soon as the ZIP is — instead of reading gigabytes
/// again afterwards. The writer must open the file with <see cref="FileShare.Read"/>, and call
/// <see cref="CompleteAsync"/> only after its last byte is flushed to the operating system.
/// </summary>
public sealed class FileFollowingHasher : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task<(long Size, string Sha256)> _task;
    private volatile bool _writerDone;

    public FileFollowingHasher(string path)
    {
        // Opened here, on the caller's thread: a missing file fails now, not later.
        var read = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        _task = Task.Factory.StartNew(() => Follow(read), _stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private (long, string) Follow(FileStream read)
    {
        using var file = read;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        long total = 0;
        while (true)
        {
            _stop.Token.ThrowIfCancellationRequested();
            // Read the flag before reading: if the writer had finished and the read still finds nothing, all is read.
            var writerDone = _writerDone;
            var count = file.Read(buffer, 0, buffer.Length);
            if (count > 0)
            {
                hash.AppendData(buffer, 0, count);
                total += count;
            }
            else if (writerDone)
            {
                return (total, Convert.ToHexStringLower(hash.GetHashAndReset()));
            }
            else
            {
                Thread.Sleep(5);
            }
        }
    }

    /// <summary>The writer has flushed its last byte: the hash of the whole file.</summary>
    public Task<(long Size, string Sha256)> CompleteAsync()
    {
        _writerDone = true;
        return _task;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_task.IsCompleted)
        {
            await _stop.CancelAsync();
        }
        try
        {
            await _task;
        }
        catch (OperationCanceledException)
        {
            // Stopped because the export did not finish.
        }
        _stop.Dispose();
    }
}
