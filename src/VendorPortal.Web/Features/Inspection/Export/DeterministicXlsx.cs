using System.IO.Compression;
using VendorPortal.Features.Inspection.Bundle;

namespace VendorPortal.Features.Inspection.Export;

/// <summary>
/// EPPlus 4.5 stamps every part of an .xlsx (itself a ZIP) with the current time, so the same workbook written a
/// second later differs in bytes. For the bundle this rewrites the package: the same parts in the same order with the
/// ZIP epoch as timestamp and stored (uncompressed) entries, like the bundle itself — the result depends only on the
/// content. Excel, LibreOffice and EPPlus read stored OOXML packages. Pure; unit-tested.
/// </summary>
public static class DeterministicXlsx
{
    /// <summary>Upper bound of the parts' total uncompressed size (a workbook of ours is a few MB).</summary>
    public const long MaxExpandedBytes = 512L * 1024 * 1024;

    public static void Normalize(Stream xlsx, Stream output)
    {
        using var source = new ZipArchive(xlsx, ZipArchiveMode.Read, leaveOpen: true);
        using var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        long total = 0;
        foreach (var entry in source.Entries)
        {
            total += entry.Length;
            if (total > MaxExpandedBytes)
            {
                throw new InvalidDataException("The workbook expands beyond the allowed size.");
            }
            var copy = target.CreateEntry(entry.FullName, CompressionLevel.NoCompression);
            copy.LastWriteTime = BundleWriter.EntryTimestamp;
            using var from = entry.Open();
            using var to = copy.Open();
            from.CopyTo(to);
        }
    }

    public static byte[] Normalize(byte[] xlsx)
    {
        using var input = new MemoryStream(xlsx, writable: false);
        using var output = new MemoryStream(xlsx.Length * 2);
        Normalize(input, output);
        return output.ToArray();
    }
}
