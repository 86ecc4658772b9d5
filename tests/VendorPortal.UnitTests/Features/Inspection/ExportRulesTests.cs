using System.IO.Compression;
using OfficeOpenXml;
using VendorPortal.Features.Inspection.Bundle;
using VendorPortal.Features.Inspection.Export;

namespace VendorPortal.UnitTests.Features.Inspection;

public sealed class ExportRulesTests
{
    private static readonly DateOnly Today = new(2026, 11, 21);

    [Fact]
    public void A_fiscal_year_up_to_the_current_one_is_valid() =>
        Assert.Empty(BundleScopeRules.Validate(2026, null, null, Today));

    [Theory]
    [InlineData(2027, "Inspection_Scope_YearOutOfRange")]
    [InlineData(1999, "Inspection_Scope_YearOutOfRange")]
    public void A_year_outside_2000_to_now_is_refused(int year, string key) =>
        Assert.Equal([key], BundleScopeRules.Validate(year, null, null, Today));

    [Fact]
    public void Year_and_range_together_are_refused() =>
        Assert.Equal(["Inspection_Scope_Both"], BundleScopeRules.Validate(2026, new DateOnly(2026, 4, 1), null, Today));

    [Fact]
    public void A_range_needs_both_ends() =>
        Assert.Equal(["Inspection_Scope_Missing"], BundleScopeRules.Validate(null, new DateOnly(2026, 4, 1), null, Today));

    [Fact]
    public void A_reversed_range_is_refused() =>
        Assert.Equal(["Inspection_Scope_Reversed"], BundleScopeRules.Validate(null, new DateOnly(2026, 5, 1), new DateOnly(2026, 4, 1), Today));

    [Fact]
    public void A_range_longer_than_three_years_is_refused()
    {
        Assert.Empty(BundleScopeRules.Validate(null, new DateOnly(2023, 11, 21), new DateOnly(2026, 11, 21), Today));
        Assert.Equal(["Inspection_Scope_TooLong"], BundleScopeRules.Validate(null, new DateOnly(2022, 4, 1), new DateOnly(2026, 11, 21), Today));
    }

    [Fact]
    public void A_range_starting_tomorrow_is_refused() =>
        Assert.Equal(["Inspection_Scope_StartOutOfRange"], BundleScopeRules.Validate(null, Today.AddDays(1), Today.AddDays(2), Today));

    private static byte[] Workbook()
    {
        using var package = new ExcelPackage();
        var sheet = package.Workbook.Worksheets.Add("台帳");
        sheet.Cells[1, 1].Value = "中央総合病院";
        sheet.Cells[2, 1].Value = 42;
        package.Workbook.Properties.Title = "t";
        return package.GetAsByteArray();
    }

    [Fact]
    public void Normalised_workbooks_are_byte_identical_and_still_readable()
    {
        var a = DeterministicXlsx.Normalize(Workbook());
        // EPPlus stamps zip entries with the current time (2-second DOS resolution): a later workbook differs raw.
        Thread.Sleep(2100);
        var raw = Workbook();
        var b = DeterministicXlsx.Normalize(raw);
        Assert.Equal(a, b);
        using var archive = new ZipArchive(new MemoryStream(b));
        Assert.All(archive.Entries, e => Assert.Equal(BundleWriter.EntryTimestamp.DateTime, e.LastWriteTime.DateTime));
        using var package = new ExcelPackage(new MemoryStream(b));
        Assert.Equal("中央総合病院", package.Workbook.Worksheets[0].Cells[1, 1].Value);
    }

    [Theory]
    [InlineData("01_checklists/a b.xlsx", "01_checklists/a%20b.xlsx")]
    [InlineData("03_mds/電子カルテ#1.pdf", "03_mds/%E9%9B%BB%E5%AD%90%E3%82%AB%E3%83%AB%E3%83%86%231.pdf")]
    [InlineData("x/100%.csv", "x/100%25.csv")]
    public void Index_links_are_relative_and_percent_encoded_per_segment(string path, string href) =>
        Assert.Equal(href, BundleIndex.Href(path));

    [Fact]
    public void The_scope_is_described_with_wareki()
    {
        var scope = new BundleScope(Guid.Empty, "病院", 2026, null, null);
        Assert.Equal("2026年度（令和8年度）: 2026年4月1日（令和8年4月1日）〜2027年3月31日（令和9年3月31日）",
            BundleIndex.DescribeScope(scope, new DateOnly(2026, 4, 1), new DateOnly(2027, 3, 31)));
    }
}

public sealed class OverlappedCopyTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1 << 20)]
    [InlineData(5 * (1 << 20) + 12345)]
    public async Task The_copy_is_the_same_bytes_in_the_same_order(int size)
    {
        var data = new byte[size];
        new Random(size).NextBytes(data);
        // A source that returns short reads, like a network stream.
        await using var source = new TrickleStream(data);
        using var destination = new MemoryStream();
        await BundleContext.CopyOverlappedAsync(source, destination);
        Assert.Equal(data, destination.ToArray());
    }

    [Fact]
    public async Task A_failing_write_is_reported_to_the_caller()
    {
        await using var source = new MemoryStream(new byte[3 << 20]);
        await Assert.ThrowsAsync<IOException>(() => BundleContext.CopyOverlappedAsync(source, new FailingStream()));
    }

    private sealed class TrickleStream(byte[] data) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 70_001)], cancellationToken);
    }

    private sealed class FailingStream : MemoryStream
    {
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            throw new IOException("disk full");
    }
}

public sealed class FileFollowingHasherTests
{
    [Fact]
    public async Task The_hash_of_a_file_written_while_it_is_read_is_the_hash_of_the_whole_file()
    {
        var path = Path.Combine(Path.GetTempPath(), "vp-follow-" + Guid.NewGuid().ToString("N"));
        try
        {
            var data = new byte[7 * (1 << 20) + 333];
            new Random(7).NextBytes(data);
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 16))
            await using (var hasher = new FileFollowingHasher(path))
            {
                for (var offset = 0; offset < data.Length; offset += 100_000)
                {
                    file.Write(data, offset, Math.Min(100_000, data.Length - offset));
                    if (offset % 1_000_000 == 0)
                    {
                        await Task.Delay(2);
                    }
                }
                await file.FlushAsync();
                var (size, sha) = await hasher.CompleteAsync();
                Assert.Equal(data.Length, size);
                Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(data)), sha);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Disposing_without_completing_stops_the_reader()
    {
        var path = Path.Combine(Path.GetTempPath(), "vp-follow-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
            var hasher = new FileFollowingHasher(path);
            file.Write(new byte[10]);
            await hasher.DisposeAsync();
        }
        finally
        {
            File.Delete(path);
        }
    }
}
