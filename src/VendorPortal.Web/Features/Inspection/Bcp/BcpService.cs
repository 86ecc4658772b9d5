using System.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using VendorPortal.Features.Account;
using VendorPortal.Features.Organizations;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Tenancy;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Inspection.Bcp;

/// <summary>A BCP document as listed (no bytes), with whether it is the current one.</summary>
public sealed record BcpDocumentView(Guid Id, string Title, DateOnly DocumentDate, string? VersionLabel, string? Note, string FileName, long Size,
    string Sha256, string UploadedByName, DateTimeOffset UploadedAt, bool IsCurrent);

/// <summary>Who uploads or deletes: the user and the name recorded with the document.</summary>
public sealed record BcpActor(Guid UserId, string Name);

/// <summary>
/// The BCP documents of a hospital: list (newest first), upload, download, delete. Everything reads through the
/// tenant filters (a hospital's own staff only; vendors and other hospitals find nothing, so they get 404) and every
/// change and download is audit-logged in the same SaveChanges as the change.
/// </summary>
public sealed class BcpService(AppDbContext db, AuditLog audit, ITenantContext tenant, TimeProvider time)
{
    private const string Table = "bcp_documents";

    /// <summary>May upload (and see the form): the hospital's administrator, 安全管理責任者 and 企画管理者.</summary>
    public static readonly string[] UploaderRoles = [Roles.TenantAdmin, Roles.SecurityManager, Roles.PlanningManager];

    /// <summary>May delete a document (history matters at an inspection: fewer people).</summary>
    public static readonly string[] DeleterRoles = [Roles.TenantAdmin, Roles.SecurityManager];

    /// <summary>Whether the caller acts for this hospital (staff of it); the query filters hide everything else anyway.</summary>
    private bool ActsFor(Guid hospitalId) => tenant.OrganizationKind == OrganizationKind.Hospital && tenant.OrganizationId == hospitalId;

    /// <summary>Newest upload first; the first is the current one.</summary>
    public async Task<IReadOnlyList<BcpDocumentView>> ListAsync(Guid hospitalId, CancellationToken ct = default)
    {
        var rows = await db.BcpDocuments.AsNoTracking().Where(d => d.HospitalId == hospitalId)
            .OrderByDescending(d => d.UploadedAt).ThenByDescending(d => d.DocumentDate).ThenByDescending(d => d.Id).ToListAsync(ct);
        var current = BcpRules.Current(rows, d => d.UploadedAt, d => d.DocumentDate, d => d.Id);
        return [.. rows.Select(d => View(d, d == current))];
    }

    public async Task<BcpDocumentView?> FindAsync(Guid hospitalId, Guid documentId, CancellationToken ct = default)
        => (await ListAsync(hospitalId, ct)).FirstOrDefault(d => d.Id == documentId);

    /// <summary>The current document's date, or null when none is on file (for the gap rule and the readiness page).</summary>
    public static async Task<GapBcp> GapDataAsync(AppDbContext db, Guid hospitalId, CancellationToken ct)
    {
        var rows = await db.BcpDocuments.AsNoTracking().Where(d => d.HospitalId == hospitalId)
            .Select(d => new { d.Id, d.UploadedAt, d.DocumentDate, d.Title }).ToListAsync(ct);
        var current = BcpRules.Current(rows, d => d.UploadedAt, d => d.DocumentDate, d => d.Id);
        return new GapBcp(current?.Id, current?.Title, current?.DocumentDate);
    }

    public async Task<(BcpDocumentView? Document, IReadOnlyList<BcpError> Errors)> UploadAsync(Guid hospitalId, BcpUploadInput input, BcpActor actor, CancellationToken ct = default)
    {
        if (!ActsFor(hospitalId))
        {
            throw new InvalidOperationException("Only the hospital's own staff upload its BCP.");
        }
        var (upload, errors) = BcpRules.Validate(input, JapanTime.TodayInJapan(time));
        if (upload is null)
        {
            return (null, errors);
        }
        var document = new BcpDocument
        {
            Id = Guid.NewGuid(), HospitalId = hospitalId, Title = upload.Title, DocumentDate = upload.DocumentDate, VersionLabel = upload.VersionLabel,
            Note = upload.Note, FileName = upload.FileName, ContentType = upload.ContentType, Size = upload.Content.Length, Sha256 = upload.Sha256,
            UploadedByUserId = actor.UserId, UploadedByName = actor.Name, UploadedAt = time.GetUtcNow(),
        };
        db.BcpDocuments.Add(document);
        db.BcpDocumentContents.Add(new BcpDocumentContent { DocumentId = document.Id, Bytes = upload.Content });
        audit.Record(AuditActions.BcpUploaded, Table, document.Id.ToString(), new
        {
            document.Title, documentDate = document.DocumentDate.ToString("yyyy-MM-dd"), document.VersionLabel, document.FileName, document.Size, document.Sha256,
        });
        await db.SaveChangesAsync(ct);
        return (View(document, true), []);
    }

    /// <summary>A document's bytes for the hospital's staff; the download is audit-logged (evidence leaves the portal).</summary>
    public async Task<(BcpDocumentView Document, byte[] Bytes)?> DownloadAsync(Guid hospitalId, Guid documentId, CancellationToken ct = default)
    {
        if (await FindAsync(hospitalId, documentId, ct) is not { } document)
        {
            return null;
        }
        var bytes = await db.BcpDocumentContents.Where(c => c.DocumentId == documentId).Select(c => c.Bytes).SingleAsync(ct);
        audit.Record(AuditActions.BcpDownloaded, Table, documentId.ToString(), new { document.Title, document.FileName, document.Sha256 });
        await db.SaveChangesAsync(ct);
        return (document, bytes);
    }

    /// <summary>Deletes a document and its bytes (the caller checked <see cref="DeleterRoles"/>); false when not found.</summary>
    public async Task<bool> DeleteAsync(Guid hospitalId, Guid documentId, CancellationToken ct = default)
    {
        var document = await db.BcpDocuments.SingleOrDefaultAsync(d => d.Id == documentId && d.HospitalId == hospitalId, ct);
        if (document is null || !ActsFor(hospitalId))
        {
            return false;
        }
        db.BcpDocuments.Remove(document); // the content row goes with it (ON DELETE CASCADE)
        audit.Record(AuditActions.BcpDeleted, Table, documentId.ToString(), new
        {
            document.Title, documentDate = document.DocumentDate.ToString("yyyy-MM-dd"), document.VersionLabel, document.FileName, document.Sha256, document.UploadedByName,
        });
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>
    /// Copies a visible document's bytes to <paramref name="destination"/> as they are read from the database
    /// (sequential access: never the whole file in memory). The document must have been found through the tenant
    /// filters first (<see cref="ListAsync"/>): this reads by id.
    /// </summary>
    public async Task CopyContentAsync(Guid documentId, Stream destination, CancellationToken ct = default)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var opened = connection.State != ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync(ct);
        }
        try
        {
            await using var command = new NpgsqlCommand("SELECT bytes FROM bcp_document_contents WHERE document_id = @id", connection);
            command.Parameters.AddWithValue("id", documentId);
            await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct);
            if (!await reader.ReadAsync(ct))
            {
                throw new InvalidOperationException($"BCP document {documentId} has no content.");
            }
            await using var content = reader.GetStream(0);
            await content.CopyToAsync(destination, 81920, ct);
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }
    }

    private static BcpDocumentView View(BcpDocument d, bool current)
        => new(d.Id, d.Title, d.DocumentDate, d.VersionLabel, d.Note, d.FileName, d.Size, d.Sha256, d.UploadedByName, d.UploadedAt, current);
}
