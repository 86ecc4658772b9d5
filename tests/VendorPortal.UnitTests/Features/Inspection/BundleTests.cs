using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using VendorPortal.Features.Inspection.Bundle;
using Xunit.Abstractions;

namespace VendorPortal.UnitTests.Features.Inspection;

public sealed class BundleTests
{
    internal static readonly BundleScope Scope = new(Guid.Parse("11111111-2222-3333-4444-555555555555"), "中央総合病院", 2026, null, null);
    internal static readonly DateTimeOffset GeneratedAt = new(2026, 11, 21, 6, 30, 0, TimeSpan.Zero);

    private static readonly (string Path, string Content)[] SampleFiles =
    [
        ("index.html", "<!doctype html><title>立入検査 提出資料</title>"),
        ("checklists/医療機関確認用_2026.xlsx", "PK-not-really-an-xlsx-but-bytes"),
        ("audit/audit-log.csv", "sequence,at,action\n1,2026-04-01T09:00:00+09:00,login\n"),
        ("連絡体制図/連絡体制図.html", "<p>安全管理責任者</p>"),
    ];

    private static async Task<byte[]> BuildAsync(DateTimeOffset? at = null, (string Path, string Content)[]? files = null)
    {
        using var output = new MemoryStream();
        await using (var writer = await BundleWriter.CreateAsync(output))
        {
            foreach (var (path, content) in files ?? SampleFiles)
            {
                await writer.AddFileAsync(path, Encoding.UTF8.GetBytes(content));
            }
            await writer.CompleteAsync(Scope, at ?? GeneratedAt, "1.2.3-test");
        }
        return output.ToArray();
    }

    /// <summary>Rewrites a ZIP entry by entry (same order), letting the test change, drop or add entries.</summary>
    private static byte[] Rewrite(byte[] zip, Func<string, byte[], byte[]?> transform, (string Path, byte[] Content)? add = null)
    {
        using var input = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        using var output = new MemoryStream();
        using (var rewritten = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in input.Entries)
            {
                using var buffer = new MemoryStream();
                using (var s = entry.Open())
                {
                    s.CopyTo(buffer);
                }
                var content = transform(entry.FullName, buffer.ToArray());
                if (content is null)
                {
                    continue;
                }
                using var target = rewritten.CreateEntry(entry.FullName).Open();
                target.Write(content);
            }
            if (add is { } extra)
            {
                using var target = rewritten.CreateEntry(extra.Path).Open();
                target.Write(extra.Content);
            }
        }
        return output.ToArray();
    }

    private static byte[] Read(byte[] zip, string path)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        using var s = archive.GetEntry(path)!.Open();
        using var buffer = new MemoryStream();
        s.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    [Fact]
    public async Task The_same_files_and_pinned_time_give_a_byte_identical_zip()
    {
        var first = await BuildAsync();
        var second = await BuildAsync();
        Assert.Equal(Sha(first), Sha(second));
        Assert.Equal(first, second);

        // The time is in manifest.json only: another time changes manifest.json (and SHA256SUMS' line for it), nothing else.
        var later = await BuildAsync(GeneratedAt.AddHours(1));
        Assert.NotEqual(first, later);
        foreach (var (path, _) in SampleFiles)
        {
            Assert.Equal(Read(first, path), Read(later, path));
        }
        Assert.NotEqual(Read(first, BundlePaths.Manifest), Read(later, BundlePaths.Manifest));
    }

    [Fact]
    public async Task Entries_are_in_the_order_added_with_the_fixed_timestamp_and_fixed_attributes()
    {
        var zip = await BuildAsync();
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        Assert.Equal(SampleFiles.Select(f => f.Path).Append(BundlePaths.Manifest).Append(BundlePaths.Checksums),
            archive.Entries.Select(e => e.FullName));
        Assert.All(archive.Entries, e =>
        {
            Assert.Equal(new DateTime(1980, 1, 1, 0, 0, 0), e.LastWriteTime.DateTime);
            Assert.Equal(unchecked((int)(0x81A4u << 16)), e.ExternalAttributes);
            Assert.Equal(e.Length, e.CompressedLength); // stored, never deflated (see BundleWriter)
        });
    }

    [Fact]
    public async Task The_manifest_lists_every_file_with_size_and_hash_and_its_own_canonical_hash()
    {
        var zip = await BuildAsync();
        var manifest = Read(zip, BundlePaths.Manifest);
        var text = Encoding.UTF8.GetString(manifest);
        Assert.False(manifest.AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }), "no BOM");
        Assert.DoesNotContain("\r", text);
        Assert.EndsWith("}\n", text);
        Assert.Contains("\"generatedAt\": \"2026-11-21T15:30:00+09:00\"", text);
        Assert.Contains("\"hospitalName\": \"中央総合病院\"", text);
        Assert.Contains("\"fiscalYear\": 2026", text);
        Assert.Contains("\"version\": \"1.2.3-test\"", text);
        foreach (var (path, content) in SampleFiles)
        {
            var bytes = Encoding.UTF8.GetBytes(content);
            Assert.Contains($"\"path\": \"{path}\",\n      \"size\": {bytes.Length},\n      \"sha256\": \"{Sha(bytes)}\"", text);
        }

        // Canonical form = manifest.json without line 2 (what "sed 2d manifest.json | sha256sum" hashes).
        var lines = text.Split('\n').ToList();
        var hashLine = Regex.Match(lines[1], "^  \"manifestSha256\": \"([0-9a-f]{64})\",$");
        Assert.True(hashLine.Success, lines[1]);
        lines.RemoveAt(1);
        Assert.Equal(hashLine.Groups[1].Value, Sha(Encoding.UTF8.GetBytes(string.Join('\n', lines))));
        Assert.DoesNotContain("manifestSha256", string.Join('\n', lines));
    }

    [Fact]
    public async Task SHA256SUMS_is_in_sha256sum_format_and_covers_every_file_and_the_manifest()
    {
        var zip = await BuildAsync();
        var sums = Encoding.UTF8.GetString(Read(zip, BundlePaths.Checksums));
        Assert.EndsWith("\n", sums);
        var lines = sums.TrimEnd('\n').Split('\n');
        var expected = SampleFiles.Select(f => (f.Path, Hash: Sha(Encoding.UTF8.GetBytes(f.Content))))
            .Append((Path: BundlePaths.Manifest, Hash: Sha(Read(zip, BundlePaths.Manifest))))
            .Select(f => $"{f.Hash}  {f.Path}");
        Assert.Equal(expected, lines);
        Assert.All(lines, l => Assert.Matches("^[0-9a-f]{64}  [^\\\\\n]+$", l));
    }

    [Fact]
    public async Task An_intact_bundle_verifies_including_from_a_non_seekable_stream()
    {
        var zip = await BuildAsync();
        var result = await BundleVerifier.VerifyAsync(new MemoryStream(zip));
        Assert.True(result.Ok, string.Join("; ", result.Problems));
        Assert.Equal(SampleFiles.Length + 2, result.FilesChecked);
        Assert.Equal("中央総合病院", result.HospitalName);

        var spooled = await BundleVerifier.VerifyAsync(new NonSeekable(zip));
        Assert.True(spooled.Ok, string.Join("; ", spooled.Problems));
        Assert.Equal(result.ManifestSha256, spooled.ManifestSha256);
    }

    [Fact]
    public async Task One_changed_byte_in_one_file_is_reported_as_exactly_that_file()
    {
        var zip = await BuildAsync();
        const string target = "audit/audit-log.csv";
        var original = Read(zip, target);
        var tampered = Rewrite(zip, (path, content) =>
        {
            if (path == target)
            {
                content[^3] ^= 0x01; // one bit of one byte
            }
            return content;
        });

        var result = await BundleVerifier.VerifyAsync(new MemoryStream(tampered));
        Assert.False(result.Ok);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(BundleProblemKind.Changed, problem.Kind);
        Assert.Equal(target, problem.Path);
        Assert.Equal(Sha(original), problem.Expected);
        Assert.Equal(Sha(Read(tampered, target)), problem.Actual);
    }

    [Fact]
    public async Task A_removed_entry_and_an_added_entry_are_reported()
    {
        var zip = await BuildAsync();
        var tampered = Rewrite(zip, (path, content) => path == "index.html" ? null : content,
            add: ("extra/追加.txt", Encoding.UTF8.GetBytes("not from the portal")));

        var result = await BundleVerifier.VerifyAsync(new MemoryStream(tampered));
        Assert.False(result.Ok);
        Assert.Equal(2, result.Problems.Count);
        var missing = Assert.Single(result.Problems, p => p.Kind == BundleProblemKind.Missing);
        Assert.Equal("index.html", missing.Path);
        var extra = Assert.Single(result.Problems, p => p.Kind == BundleProblemKind.Extra);
        Assert.Equal("extra/追加.txt", extra.Path);
        Assert.Equal(Sha(Encoding.UTF8.GetBytes("not from the portal")), extra.Actual);
    }

    [Fact]
    public async Task A_tampered_manifest_is_reported()
    {
        var zip = await BuildAsync();
        // Someone hides a change: edits a file AND its hash in manifest.json, leaving manifestSha256 as it was.
        const string target = "index.html";
        var changed = Encoding.UTF8.GetBytes("<!doctype html><title>差し替え</title>");
        var oldHash = Sha(Read(zip, target));
        var tampered = Rewrite(zip, (path, content) => path switch
        {
            target => changed,
            BundlePaths.Manifest => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(content).Replace(oldHash, Sha(changed))
                .Replace($"\"size\": {Encoding.UTF8.GetByteCount(SampleFiles[0].Content)},", $"\"size\": {changed.Length},")),
            _ => content,
        });

        var result = await BundleVerifier.VerifyAsync(new MemoryStream(tampered));
        Assert.False(result.Ok);
        Assert.Contains(result.Problems, p => p.Kind == BundleProblemKind.ManifestTampered && p.Path == BundlePaths.Manifest);
        Assert.Contains(result.Problems, p => p.Kind == BundleProblemKind.ChecksumsMismatch && p.Path == target);
        Assert.DoesNotContain(result.Problems, p => p.Kind == BundleProblemKind.Changed);

        // A manifest without its hash line is reported too.
        var stripped = Rewrite(zip, (path, content) => path == BundlePaths.Manifest
            ? Encoding.UTF8.GetBytes(string.Join('\n', Encoding.UTF8.GetString(content).Split('\n').Where((_, i) => i != 1)))
            : content);
        var second = await BundleVerifier.VerifyAsync(new MemoryStream(stripped));
        Assert.Contains(second.Problems, p => p.Kind == BundleProblemKind.ManifestTampered);
    }

    [Fact]
    public async Task Hostile_archives_are_refused_without_trusting_declared_sizes()
    {
        var zip = await BuildAsync();
        var withEscape = Rewrite(zip, (_, c) => c, add: ("../outside.txt", [1, 2, 3]));
        var escape = await BundleVerifier.VerifyAsync(new MemoryStream(withEscape));
        Assert.Contains(escape.Problems, p => p.Kind == BundleProblemKind.UnsafePath && p.Path == "../outside.txt");

        var tooMany = await BundleVerifier.VerifyAsync(new MemoryStream(zip), new BundleVerifierLimits(MaxEntries: 3));
        Assert.Equal(BundleProblemKind.LimitExceeded, Assert.Single(tooMany.Problems).Kind);

        var tooBig = await BundleVerifier.VerifyAsync(new MemoryStream(zip), new BundleVerifierLimits(MaxTotalBytes: 100));
        Assert.Contains(tooBig.Problems, p => p.Kind == BundleProblemKind.LimitExceeded);
        Assert.False(tooBig.Ok);

        var notZip = await BundleVerifier.VerifyAsync(new MemoryStream(Encoding.UTF8.GetBytes("this is not a zip")));
        Assert.False(notZip.Readable);
        Assert.False(notZip.Ok);
    }

    [Theory]
    [InlineData("../x.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("a/../b.txt")]
    [InlineData("a\\b.txt")]
    [InlineData("a//b.txt")]
    [InlineData("./a.txt")]
    [InlineData("a/")]
    [InlineData("C:x.txt")]
    [InlineData("line\nbreak.txt")]
    [InlineData("")]
    [InlineData("manifest.json")]
    [InlineData("sha256sums")]
    public async Task Unsafe_or_reserved_paths_are_refused(string path)
    {
        await using var writer = await BundleWriter.CreateAsync(Stream.Null);
        await Assert.ThrowsAsync<ArgumentException>(() => writer.AddFileAsync(path, new byte[] { 1 }));
    }

    [Fact]
    public async Task Duplicate_paths_are_refused_ignoring_case()
    {
        await using var writer = await BundleWriter.CreateAsync(Stream.Null);
        await writer.AddFileAsync("docs/BCP.pdf", new byte[] { 1 });
        await Assert.ThrowsAsync<ArgumentException>(() => writer.AddFileAsync("docs/bcp.pdf", new byte[] { 2 }));
    }

    [Fact]
    public async Task A_file_that_fails_while_written_leaves_a_bundle_that_cannot_be_completed()
    {
        using var output = new MemoryStream();
        await using var writer = await BundleWriter.CreateAsync(output);
        await writer.AddFileAsync("index.html", new byte[] { 1 });
        await Assert.ThrowsAsync<IOException>(() => writer.AddFileAsync("audit/audit-log.csv", async s =>
        {
            await s.WriteAsync(new byte[] { 1, 2, 3 });
            throw new IOException("database connection lost");
        }));
        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.CompleteAsync(Scope, GeneratedAt, "test"));
        await writer.DisposeAsync();
        // What was written is a ZIP without manifest.json: it never verifies.
        var result = await BundleVerifier.VerifyAsync(new MemoryStream(output.ToArray()));
        Assert.Contains(result.Problems, p => p.Kind == BundleProblemKind.ManifestTampered && p.Path == BundlePaths.Manifest);
        Assert.False(result.Ok);
    }

    [Fact]
    public async Task Names_differing_only_in_case_are_reported_as_duplicates()
    {
        var zip = await BuildAsync();
        var tampered = Rewrite(zip, (_, c) => c, add: ("INDEX.HTML", [1]));
        var result = await BundleVerifier.VerifyAsync(new MemoryStream(tampered));
        Assert.Contains(result.Problems, p => p.Kind == BundleProblemKind.Duplicate && p.Path == "INDEX.HTML");
    }

    [Fact]
    public async Task A_Japanese_file_name_round_trips_with_the_UTF8_flag_set()
    {
        const string name = "連絡体制図/事業者確認用チェックリスト_令和8年度.xlsx";
        var zip = await BuildAsync(files: [(name, "内容")]);
        // First local file header: signature PK\x03\x04, general-purpose flags at offset 6, bit 11 = names are UTF-8.
        Assert.Equal(0x04034b50u, BitConverter.ToUInt32(zip, 0));
        Assert.NotEqual(0, BitConverter.ToUInt16(zip, 6) & 0x0800);
        var nameLength = BitConverter.ToUInt16(zip, 26);
        Assert.Equal(name, Encoding.UTF8.GetString(zip, 30, nameLength));

        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        Assert.Equal(name, archive.Entries[0].FullName);
        Assert.True((await BundleVerifier.VerifyAsync(new MemoryStream(zip))).Ok);
    }

    [FactRequiringTools]
    public async Task Standard_tools_unzip_and_sha256sum_accept_the_bundle()
    {
        var zip = await BuildAsync();
        var dir = Directory.CreateTempSubdirectory("vp-bundle-test-");
        try
        {
            var zipPath = Path.Combine(dir.FullName, "bundle.zip");
            await File.WriteAllBytesAsync(zipPath, zip);
            var outDir = Path.Combine(dir.FullName, "b");
            Assert.Equal(0, Run("/usr/bin/unzip", dir.FullName, "-q", zipPath, "-d", outDir).Code);
            Assert.True(File.Exists(Path.Combine(outDir, "連絡体制図", "連絡体制図.html")), "Japanese names extracted as UTF-8");
            var check = Run("/usr/bin/sha256sum", outDir, "-c", "--strict", "SHA256SUMS");
            Assert.True(check.Code == 0, check.Output);
            Assert.Equal(SampleFiles.Length + 1, check.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.EndsWith(": OK")));

            // The documented manifest check: sed 2d manifest.json | sha256sum equals line 2's hash.
            var manifest = await File.ReadAllTextAsync(Path.Combine(outDir, "manifest.json"));
            var recorded = Regex.Match(manifest, "\"manifestSha256\": \"([0-9a-f]{64})\"").Groups[1].Value;
            var sed = Run("/bin/sh", outDir, "-c", "sed 2d manifest.json | sha256sum");
            Assert.Equal(recorded + "  -", sed.Output.Trim());

            // And the verify-bundle command agrees (exit 0), and reports a changed file (exit 1).
            var console = new StringWriter();
            Assert.Equal(0, await VendorPortal.Infrastructure.Web.Commands.VerifyBundleAsync(zipPath, console));
            Assert.Contains("OK", console.ToString());
            await File.WriteAllBytesAsync(zipPath, Rewrite(zip, (p, c) => p == "index.html" ? [.. c, (byte)'!'] : c));
            console = new StringWriter();
            Assert.Equal(1, await VendorPortal.Infrastructure.Web.Commands.VerifyBundleAsync(zipPath, console));
            Assert.Contains("[Changed] index.html", console.ToString());
            await File.WriteAllTextAsync(zipPath, "garbage");
            Assert.Equal(2, await VendorPortal.Infrastructure.Web.Commands.VerifyBundleAsync(zipPath, new StringWriter()));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static (int Code, string Output) Run(string file, string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        info.Environment["LC_ALL"] = "C.UTF-8";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr);
    }

    /// <summary>A test that needs the Debian tools an inspector would use; skipped, with the reason shown, where they are absent.</summary>
    private sealed class FactRequiringToolsAttribute : FactAttribute
    {
        public FactRequiringToolsAttribute()
        {
            var missing = new[] { "/usr/bin/unzip", "/usr/bin/sha256sum", "/bin/sh" }.Where(p => !File.Exists(p)).ToList();
            if (missing.Count > 0)
            {
                Skip = "Needs " + string.Join(", ", missing) + " (install unzip/coreutils to run this check).";
            }
        }
    }

    /// <summary>A read-only stream of <c>length</c> deterministic bytes, generated on the fly (nothing held).</summary>
    internal sealed class GeneratedStream(long length) : Stream
    {
        private long _position;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, length - _position);
            for (var i = 0; i < n; i++)
            {
                var p = _position + i;
                buffer[i] = (byte)((p * 2654435761L) >> 13);
            }
            _position += n;
            return n;
        }
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class NonSeekable(byte[] data) : Stream
    {
        private readonly MemoryStream _inner = new(data);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>
/// GC.GetTotalAllocatedBytes counts the whole process, so this runs alone (no other test allocating in parallel).
/// </summary>
[CollectionDefinition(nameof(BundleMemoryTests), DisableParallelization = true)]
public sealed class BundleMemoryCollection;

[Collection(nameof(BundleMemoryTests))]
public sealed class BundleMemoryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Writing_200_MB_keeps_allocations_flat()
    {
        const long size = 200L * 1024 * 1024;
        var before = GC.GetTotalAllocatedBytes(precise: true);
        BundleFile file;
        await using (var writer = await BundleWriter.CreateAsync(Stream.Null))
        {
            file = await writer.AddFileAsync("attachments/large.pdf", new BundleTests.GeneratedStream(size));
            await writer.CompleteAsync(BundleTests.Scope, BundleTests.GeneratedAt, "test");
        }
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(size, file.Size);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        var source = new BundleTests.GeneratedStream(size);
        int read;
        while ((read = source.Read(buffer)) > 0)
        {
            sha.AppendData(buffer, 0, read);
        }
        Assert.Equal(Convert.ToHexStringLower(sha.GetHashAndReset()), file.Sha256);
        output.WriteLine($"allocated {allocated:N0} bytes while writing {size:N0}");
        Assert.True(allocated < 32L * 1024 * 1024, $"allocated {allocated:N0} bytes while writing {size:N0}");
    }
}
