using System.IO.Compression;
using System.Text;
using OfficeOpenXml;

namespace VendorPortal.Features.Forms.Workbooks;

/// <summary>
/// Opens an uploaded .xlsx only after checking it is what it claims and cannot exhaust the server:
/// at most 10 MB as uploaded, a real OOXML zip (not .xls, not a password-protected file), a bounded
/// number of parts, every part actually decompressed under a running cap (so a zip that lies about its
/// sizes is caught too), and no DTD in any XML part (no entity expansion, no external entities).
/// EPPlus never evaluates formulas on load; the readers refuse formula cells outright.
/// </summary>
public static class XlsxSafety
{
    public const long MaxUploadBytes = 10 * 1024 * 1024;
    public const long MaxExpandedBytes = 100L * 1024 * 1024;
    public const long MaxPartBytes = 50L * 1024 * 1024;
    public const int MaxParts = 2000;

    private static readonly byte[] ZipMagic = [0x50, 0x4B, 0x03, 0x04];
    private static readonly byte[] CompoundFileMagic = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    /// <summary>Reads the upload into memory, refusing more than <see cref="MaxUploadBytes"/>; throws <see cref="WorkbookException"/>.</summary>
    public static async Task<byte[]> ReadUploadAsync(Stream upload, CancellationToken ct = default)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await upload.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxUploadBytes)
            {
                throw new WorkbookException(new WorkbookProblem(null, "TooLarge", MaxUploadBytes / (1024 * 1024)));
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    public static ExcelPackage Open(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            throw new WorkbookException(new WorkbookProblem(null, "Empty"));
        }
        if (bytes.Length > MaxUploadBytes)
        {
            throw new WorkbookException(new WorkbookProblem(null, "TooLarge", MaxUploadBytes / (1024 * 1024)));
        }
        if (bytes.AsSpan().StartsWith(CompoundFileMagic))
        {
            // An .xls (Excel 97-2003) or an encrypted .xlsx: both are OLE compound files.
            throw new WorkbookException(new WorkbookProblem(null, "LegacyOrEncrypted"));
        }
        if (!bytes.AsSpan().StartsWith(ZipMagic))
        {
            throw new WorkbookException(new WorkbookProblem(null, "NotXlsx"));
        }
        CheckParts(bytes);
        try
        {
            return new ExcelPackage(new MemoryStream(bytes, writable: false));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new WorkbookException(new WorkbookProblem(null, "Broken"));
        }
    }

    private static void CheckParts(byte[] bytes)
    {
        try
        {
            using var zip = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read);
            if (zip.Entries.Count > MaxParts)
            {
                throw new WorkbookException(new WorkbookProblem(null, "TooManyParts"));
            }
            if (zip.GetEntry("[Content_Types].xml") is null || zip.GetEntry("xl/workbook.xml") is null)
            {
                throw new WorkbookException(new WorkbookProblem(null, "NotXlsx"));
            }
            long total = 0;
            var chunk = new byte[81920];
            foreach (var entry in zip.Entries)
            {
                using var part = entry.Open();
                long partBytes = 0;
                var scanner = new DoctypeScanner();
                int n;
                while ((n = part.Read(chunk, 0, chunk.Length)) > 0)
                {
                    partBytes += n;
                    total += n;
                    if (partBytes > MaxPartBytes || total > MaxExpandedBytes)
                    {
                        throw new WorkbookException(new WorkbookProblem(null, "ExpandsTooMuch", MaxExpandedBytes / (1024 * 1024)));
                    }
                    if (entry.FullName.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) || entry.FullName.EndsWith(".rels", StringComparison.OrdinalIgnoreCase))
                    {
                        if (scanner.Found(chunk.AsSpan(0, n)))
                        {
                            throw new WorkbookException(new WorkbookProblem(null, "Broken"));
                        }
                    }
                }
            }
        }
        catch (InvalidDataException)
        {
            throw new WorkbookException(new WorkbookProblem(null, "Broken"));
        }
    }

    /// <summary>Finds "&lt;!DOCTYPE" in UTF-8 or UTF-16 text split over chunks. OOXML parts never carry a DTD.</summary>
    private sealed class DoctypeScanner
    {
        private static readonly byte[][] Needles =
        [
            Encoding.UTF8.GetBytes("<!DOCTYPE"),
            Encoding.Unicode.GetBytes("<!DOCTYPE"),
            Encoding.BigEndianUnicode.GetBytes("<!DOCTYPE"),
        ];
        private byte[] _tail = [];

        public bool Found(ReadOnlySpan<byte> chunk)
        {
            var joined = new byte[_tail.Length + chunk.Length];
            _tail.CopyTo(joined, 0);
            chunk.CopyTo(joined.AsSpan(_tail.Length));
            for (var i = 0; i < joined.Length; i++)
            {
                if (joined[i] is >= (byte)'a' and <= (byte)'z')
                {
                    joined[i] -= 32;
                }
            }
            foreach (var needle in Needles)
            {
                if (joined.AsSpan().IndexOf(needle) >= 0)
                {
                    return true;
                }
            }
            _tail = joined[Math.Max(0, joined.Length - 20)..];
            return false;
        }
    }
}
