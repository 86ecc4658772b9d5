using System.Data;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Npgsql;
using VendorPortal.Features.Forms;
using VendorPortal.Features.Forms.Workbooks;
using VendorPortal.Features.Inspection.Bundle;
using VendorPortal.Features.Inspection.Export;

namespace VendorPortal.Bench;

/// <summary>
/// Where the bundle exporter's time goes on the attachment bytes (bench/bundle.sh, after the export): the same
/// attachments of the hospital's shared, submitted disclosures, in the same order, three ways, each timed alone:
///   read    — streamed out of PostgreSQL (sequential access, GetStream) into Stream.Null: the database and Npgsql;
///   sha256  — the same, hashed with SHA-256 on the way: what the bundle writer adds for the manifest;
///   writer  — the same into <see cref="BundleWriter"/> on a file (stored entries, CRC-32 and SHA-256, file writes):
///             the attachment part of the export without the workbooks and index pages.
/// The export's time minus "writer" is what the sections spend on everything else (workbooks, queries). Then the
/// CPU-only steps of the .xlsx every checklist and disclosure gets, for the latest version of each submission the
/// hospital sees (its vendors' checklists, the disclosures shared with it), without the database:
///   parse     — <see cref="FormTemplate.Parse"/> of the template JSON (FormWorkbookService does it per workbook);
///   xlsx      — <see cref="FormWorkbookWriter.Write"/> (EPPlus, answers deserialized first);
///   normalize — <see cref="DeterministicXlsx.Normalize(byte[])"/> (what BundleContext.AddWorkbookAsync does).
/// </summary>
internal static class BundleProfile
{
    private const string AttachmentsSql = """
        SELECT a.id
        FROM form_attachments a
        JOIN form_submissions s ON s.id = a.submission_id
        JOIN form_submission_recipients r ON r.submission_id = s.id AND r.hospital_id = @hospital AND r.withdrawn_at IS NULL
        WHERE s.product_id IS NOT NULL AND s.latest_version > 0
          AND a.first_submitted_version IS NOT NULL AND a.first_submitted_version <= s.latest_version
        ORDER BY s.respondent_organization_id, s.id, a.uploaded_at, a.id
        """;

    public static async Task<int> RunAsync(BenchOptions o)
    {
        var hospital = Guid.Parse(o.Required("hospital"));
        var outFile = Path.GetFullPath(o.Required("out"));
        await using var conn = new NpgsqlConnection(o.Required("connection"));
        await conn.OpenAsync();
        var ids = new List<Guid>();
        await using (var list = new NpgsqlCommand(AttachmentsSql, conn))
        {
            list.Parameters.AddWithValue("hospital", hospital);
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetGuid(0));
            }
        }
        if (ids.Count == 0)
        {
            throw new BenchException("no attachments shared with that hospital");
        }

        await using var content = new NpgsqlCommand("SELECT content FROM form_attachments WHERE id = @id", conn);
        var id = new NpgsqlParameter<Guid>("id", Guid.Empty);
        content.Parameters.Add(id);
        async Task<long> EachAsync(Func<Stream, Task> use)
        {
            long bytes = 0;
            foreach (var attachment in ids)
            {
                id.TypedValue = attachment;
                await using var reader = await content.ExecuteReaderAsync(CommandBehavior.SequentialAccess | CommandBehavior.SingleRow);
                await reader.ReadAsync();
                await using var stream = reader.GetStream(0);
                var counting = new CountingStream(stream);
                await use(counting);
                bytes += counting.Count;
            }
            return bytes;
        }

        await Report("read", () => EachAsync(s => s.CopyToAsync(Stream.Null, 81920)));
        await Report("sha256", () => EachAsync(async s =>
        {
            using var sha = SHA256.Create();
            await using var hashing = new CryptoStream(Stream.Null, sha, CryptoStreamMode.Write);
            await s.CopyToAsync(hashing, 81920);
        }));
        await Report("writer", async () =>
        {
            await using var file = new FileStream(outFile, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true);
            await using var writer = await BundleWriter.CreateAsync(file);
            var n = 0;
            var total = await EachAsync(s => writer.AddFileAsync(string.Create(CultureInfo.InvariantCulture, $"a/{n++:D5}.pdf"), s));
            return total;
        });
        File.Delete(outFile);

        var rows = new List<(string Key, string Content, string Hash, string Answers)>();
        await using (var list = new NpgsqlCommand(WorkbooksSql, conn))
        {
            list.Parameters.AddWithValue("hospital", hospital);
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
            }
        }
        var parsed = new List<FormTemplate>(rows.Count);
        var books = new List<byte[]>(rows.Count);
        var today = new DateOnly(2026, 11, 21);
        await Report(string.Create(CultureInfo.InvariantCulture, $"parse ×{rows.Count}"), () =>
        {
            parsed.AddRange(rows.Select(r => FormTemplate.Parse(r.Content, r.Key)));
            return Task.FromResult(rows.Sum(r => (long)r.Content.Length));
        });
        await Report(string.Create(CultureInfo.InvariantCulture, $"xlsx ×{rows.Count}"), () =>
        {
            books.AddRange(rows.Select((r, i) => FormWorkbookWriter.Write(parsed[i], r.Hash, new WorkbookHeader(today), AnswerJson.Deserialize(r.Answers))));
            return Task.FromResult(books.Sum(b => (long)b.Length));
        });
        await Report(string.Create(CultureInfo.InvariantCulture, $"normalize ×{books.Count}"), () =>
            Task.FromResult(books.Sum(b => (long)DeterministicXlsx.Normalize(b).Length)));
        return 0;
    }

    private const string WorkbooksSql = """
        SELECT t.key, t.content, t.content_hash, v.answers
        FROM form_submissions s
        JOIN form_submission_versions v ON v.submission_id = s.id AND v.number = s.latest_version
        JOIN form_template_versions t ON t.key = s.template_key
        WHERE s.latest_version > 0
          AND (s.hospital_id = @hospital
               OR EXISTS (SELECT 1 FROM form_submission_recipients r WHERE r.submission_id = s.id AND r.hospital_id = @hospital AND r.withdrawn_at IS NULL))
        ORDER BY s.id
        """;

    private static async Task Report(string label, Func<Task<long>> run)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var bytes = await run();
        var seconds = clock.Elapsed.TotalSeconds;
        process.Refresh();
        var mb = bytes / 1048576.0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"profile {label}: {mb:F1} MB in {seconds:F2} s, {mb / seconds:F1} MB/s, CPU {(process.TotalProcessorTime - cpu).TotalSeconds:F2} s (this process)"));
    }

    /// <summary>Counts the bytes read through it.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long Count { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Count; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Add(inner.Read(buffer, offset, count));
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            => Add(await inner.ReadAsync(buffer, cancellationToken));
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Add(int n)
        {
            Count += n;
            return n;
        }
    }
}
