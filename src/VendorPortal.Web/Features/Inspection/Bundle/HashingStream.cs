using System.Security.Cryptography;

namespace VendorPortal.Features.Inspection.Bundle;

/// <summary>
/// Write-only pass-through: every byte written goes to the inner stream and into a SHA-256 and a byte count, so a
/// file is hashed while it streams into the ZIP, never held in memory. Does not own (dispose) the inner stream.
/// </summary>
public sealed class HashingWriteStream(Stream inner) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private byte[]? _final;

    public long BytesWritten { get; private set; }

    /// <summary>Lower-case hex SHA-256 of everything written; after this no more writes are accepted.</summary>
    public string FinishHex()
    {
        _final ??= _hash.GetHashAndReset();
        return Convert.ToHexStringLower(_final);
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => _final is null;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesWritten; set => throw new NotSupportedException(); }
    public override void Flush() => inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Track(buffer);
        inner.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Track(buffer.Span);
        return inner.WriteAsync(buffer, cancellationToken);
    }

    private void Track(ReadOnlySpan<byte> buffer)
    {
        if (_final is not null)
        {
            throw new InvalidOperationException("The file has already been finished.");
        }
        _hash.AppendData(buffer);
        BytesWritten += buffer.Length;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }
        base.Dispose(disposing);
    }
}
