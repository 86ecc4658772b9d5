using System.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using VendorPortal.Features.Disclosures;
using VendorPortal.Features.Forms;
using VendorPortal.Features.Forms.Workbooks;
using VendorPortal.Infrastructure.Data;

namespace VendorPortal.Features.Inspection.Export.Sections;

/// <summary>
/// Every MDS/SDS (医療情報セキュリティ開示書) currently shared with the hospital — recipient row not withdrawn, latest
/// submitted version — as the portal's .xlsx with the original attachments of that version, byte for byte, and a
/// list page with the hospital's review state and acceptance date. Attachment bytes are streamed from PostgreSQL
/// into the bundle one file at a time (raw SQL with sequential access: the bundle may hold gigabytes); that query
/// repeats the tenant scoping explicitly because raw SQL bypasses the EF query filters.
/// </summary>
public sealed class DisclosuresSection(AppDbContext db, FormWorkbookService workbooks) : IBundleSection
{
    public int Order => 40;
    public string Folder => "04_mds-sds";
    public string Title => "MDS/SDS（製造業者・サービス事業者による開示書）";
    public string Description =>
        "製造業者・サービス事業者から医療機関に共有されている現行の医療情報セキュリティ開示書（MDS/SDS）の最新提出版と、その版に添付された原本ファイル（署名済み PDF 等）です。一覧に医療機関の確認状況と受理日を記載しています。";

    /// <summary>
    /// The content of one attachment, only if it belongs to a submitted version of a disclosure that is shared with
    /// this hospital and not withdrawn (the same conditions as the EF filters for a hospital user).
    /// </summary>
    internal const string ContentSql = """
        SELECT a.content
        FROM form_attachments a
        JOIN form_submissions s ON s.id = a.submission_id
        JOIN form_submission_recipients r ON r.submission_id = s.id AND r.hospital_id = @hospital AND r.withdrawn_at IS NULL
        WHERE a.id = @attachment AND a.submission_id = @submission
          AND s.product_id IS NOT NULL AND s.latest_version > 0
          AND a.first_submitted_version IS NOT NULL AND a.first_submitted_version <= s.latest_version
        """;

    private sealed record Shared(FormSubmission Submission, FormKind Kind, string ProductName, string ProductVersion, Guid VendorId, string VendorName,
        SubmissionState ReviewState, int? ReviewedVersion, DateTimeOffset? ReviewedAt, DateTimeOffset SubmittedAt,
        IReadOnlyList<AttachmentManifestEntry> Attachments);

    public async Task WriteAsync(BundleContext context, CancellationToken cancellationToken)
    {
        var hospitalId = context.HospitalId;
        var rows = await (from r in db.FormSubmissionRecipients.AsNoTracking()
                          where r.HospitalId == hospitalId && r.WithdrawnAt == null
                          join s in db.FormSubmissions.AsNoTracking() on r.SubmissionId equals s.Id
                          where s.ProductId != null && s.LatestVersion > 0
                          join p in db.Products on s.ProductId equals p.Id
                          join o in db.Organizations on s.RespondentOrganizationId equals o.Id
                          join v in db.FormSubmissionVersions on new { SubmissionId = s.Id, Number = s.LatestVersion } equals new { v.SubmissionId, v.Number }
                          select new
                          {
                              Submission = s, p.Kind, p.Name, p.Version, VendorId = o.Id, VendorName = o.Name,
                              r.ReviewState, r.ReviewedVersion, r.ReviewedAt, v.SubmittedAt, v.Attachments,
                          }).ToListAsync(cancellationToken);
        var shared = rows
            .Select(x => new Shared(x.Submission, x.Kind, x.Name, x.Version, x.VendorId, x.VendorName, x.ReviewState, x.ReviewedVersion, x.ReviewedAt,
                x.SubmittedAt, [.. SubmissionSnapshot.DeserializeManifest(x.Attachments).OrderBy(a => a.FileName, StringComparer.Ordinal).ThenBy(a => a.Id)]))
            .OrderBy(x => x.VendorName, StringComparer.Ordinal).ThenBy(x => x.VendorId)
            .ThenBy(x => x.ProductName, StringComparer.Ordinal).ThenBy(x => x.ProductVersion, StringComparer.Ordinal).ThenBy(x => x.Submission.Id)
            .ToList();

        // The hospital's systems each vendor is engaged for in the period: a disclosure is about a product, and it
        // reaches a system through the vendor's engagement for that system.
        var systems = (await (from es in db.EngagementSystems.AsNoTracking()
                              join e in db.Engagements on es.EngagementId equals e.Id
                              join m in db.MedicalSystems on es.SystemId equals m.Id
                              where e.HospitalId == hospitalId && e.StartsOn <= context.PeriodTo && (e.EndsOn == null || e.EndsOn >= context.PeriodFrom)
                              select new { e.VendorId, m.Name }).ToListAsync(cancellationToken))
            .GroupBy(x => x.VendorId)
            .ToDictionary(g => g.Key, g => string.Join("、", g.Select(x => x.Name).Distinct().Order(StringComparer.Ordinal)));
        var engaged = (await db.Engagements.AsNoTracking()
                .Where(e => e.HospitalId == hospitalId && e.StartsOn <= context.PeriodTo && (e.EndsOn == null || e.EndsOn >= context.PeriodFrom))
                .Select(e => new { e.VendorId, VendorName = e.Vendor!.Name }).ToListAsync(cancellationToken))
            .DistinctBy(e => e.VendorId).OrderBy(e => e.VendorName, StringComparer.Ordinal).ThenBy(e => e.VendorId).ToList();
        var withoutDisclosure = engaged.Where(e => shared.All(s => s.VendorId != e.VendorId)).Select(e => e.VendorName).ToList();

        if (shared.Count == 0)
        {
            context.Note("該当なし（医療機関に共有されている MDS/SDS はありません）。");
            if (withoutDisclosure.Count > 0)
            {
                context.Note($"MDS/SDS の共有がない契約中の事業者（{withoutDisclosure.Count} 社）: {string.Join("、", withoutDisclosure)}");
            }
            return;
        }

        // One ASCII folder per disclosure (01_MDS, 02_SDS …), named in the list page.
        var folders = shared.Select((s, i) => $"{i + 1:00}_{s.Kind.ToString().ToUpperInvariant()}").ToList();
        var table = new SectionTable("MDS/SDS 一覧",
            [$"医療機関: {context.HospitalName}", $"作成日時: {SectionTable.DateTime(context.GeneratedAt)}（この時点で共有されている開示書の最新提出版）"],
            [
                new("フォルダ", 9), new("事業者", 24), new("種別", 6), new("製品・サービス名", 24), new("バージョン", 10), new("関連システム（契約）", 22),
                new("版", 6), new("提出日", 11), new("確認状況", 10), new("受理日", 11), new("添付", 6),
            ],
            [.. shared.Select((s, i) => (IReadOnlyList<object?>)[
                folders[i], s.VendorName, s.Kind.ToString().ToUpperInvariant(), s.ProductName, s.ProductVersion, systems.GetValueOrDefault(s.VendorId),
                $"第{s.Submission.LatestVersion}版", Day(s.SubmittedAt), ReviewLabel(s), AcceptedOn(s), s.Attachments.Count])],
            withoutDisclosure.Count == 0 ? [] : [$"MDS/SDS の共有がない契約中の事業者: {string.Join("、", withoutDisclosure)}"]);
        await context.AddTextAsync("MDS-SDS一覧.html", "MDS/SDS 一覧（印刷用）", table.ToHtml(), cancellationToken: cancellationToken);
        await context.AddWorkbookAsync("MDS-SDS一覧.xlsx", "MDS/SDS 一覧（Excel）", table.ToXlsx("MDS・SDS一覧"), cancellationToken: cancellationToken);

        var batch = await workbooks.PrepareAsync([.. shared.Select(s => new WorkbookRequest(s.Submission, s.Submission.LatestVersion))], context.Today, cancellationToken);
        var pipeline = new WorkbookPipeline(batch, [.. shared.Select(s => s.Submission.Id)]);
        var total = shared.Sum(s => s.Attachments.Count);
        var done = 0;
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(ContentSql, connection);
            command.Parameters.AddWithValue("hospital", hospitalId);
            var attachment = new NpgsqlParameter<Guid>("attachment", Guid.Empty);
            var submission = new NpgsqlParameter<Guid>("submission", Guid.Empty);
            command.Parameters.Add(attachment);
            command.Parameters.Add(submission);
            for (var i = 0; i < shared.Count; i++)
            {
                var s = shared[i];
                var names = new FileNameSet();
                var label = $"{s.Kind.ToString().ToUpperInvariant()} {s.ProductName} {s.ProductVersion}";
                var file = await pipeline.TakeAsync(i, cancellationToken)
                    ?? throw new InvalidOperationException("A shared disclosure has no submitted version.");
                var workbookName = FormWorkbookService.FileName(s.Kind.ToString().ToUpperInvariant(), s.ProductName, s.ProductVersion, $"第{s.Submission.LatestVersion}版");
                await context.AddFileAsync($"{folders[i]}/{names.Unique(workbookName)}",
                    $"{label} 開示書（第{s.Submission.LatestVersion}版、{ReviewLabel(s)}{(AcceptedOn(s) is { } on ? "、" + SectionTable.Date(on) + " 受理" : "")}）",
                    file.Bytes, s.VendorName, cancellationToken: cancellationToken);
                foreach (var entry in s.Attachments)
                {
                    attachment.TypedValue = entry.Id;
                    submission.TypedValue = s.Submission.Id;
                    await using (var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess | CommandBehavior.SingleRow, cancellationToken))
                    {
                        if (!await reader.ReadAsync(cancellationToken))
                        {
                            context.Note($"{label}: 添付ファイル「{entry.FileName}」を読み出せませんでした。", s.VendorName);
                        }
                        else
                        {
                            var written = await context.AddFileAsync($"{folders[i]}/{names.Unique(entry.FileName, "attachment")}",
                                $"{label} 添付ファイル「{entry.FileName}」（第{s.Submission.LatestVersion}版）",
                                async output =>
                                {
                                    await using var content = reader.GetStream(0);
                                    await BundleContext.CopyOverlappedAsync(content, output, cancellationToken);
                                },
                                s.VendorName, cancellationToken: cancellationToken);
                            if (!string.Equals(written.Sha256, entry.Sha256, StringComparison.OrdinalIgnoreCase) || written.Size != entry.Size)
                            {
                                context.Note($"{label}: 添付ファイル「{entry.FileName}」の内容が提出時の記録（SHA-256 {entry.Sha256}）と一致しません。", s.VendorName);
                            }
                        }
                    }
                    context.ReportProgress(++done, total);
                }
                if (s.Attachments.Count == 0)
                {
                    context.Note($"{label}: この版に添付ファイルはありません。", s.VendorName);
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        if (withoutDisclosure.Count > 0)
        {
            context.Note($"MDS/SDS の共有がない契約中の事業者（{withoutDisclosure.Count} 社）: {string.Join("、", withoutDisclosure)}");
        }
    }

    private static string ReviewLabel(Shared s) => s.ReviewState switch
    {
        SubmissionState.Accepted => "受理済み",
        SubmissionState.Returned => "差戻し中",
        _ => "確認待ち",
    };

    private static DateOnly? AcceptedOn(Shared s) => s.ReviewState == SubmissionState.Accepted && s.ReviewedAt is { } at ? Day(at) : null;

    private static DateOnly Day(DateTimeOffset instant) => DateOnly.FromDateTime(Infrastructure.Time.JapanTime.ToJst(instant).DateTime);
}
