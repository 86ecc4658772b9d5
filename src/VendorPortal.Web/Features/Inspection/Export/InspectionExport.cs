namespace VendorPortal.Features.Inspection.Export;

/// <summary>Where an export job stands. Only <see cref="Completed"/> offers a download.</summary>
public enum InspectionExportState
{
    /// <summary>Requested; waiting for a worker (also after a crash or restart interrupted a run: it is redone).</summary>
    Queued = 0,
    /// <summary>A worker is writing the ZIP; it renews <see cref="InspectionExport.HeartbeatAt"/> while it does.</summary>
    Running = 1,
    /// <summary>The ZIP is finished, its manifest hash recorded, and it can be downloaded until <see cref="InspectionExport.ExpiresAt"/>.</summary>
    Completed = 2,
    /// <summary>Gave up (an error, or too many interrupted attempts). <see cref="InspectionExport.Error"/> says why; nothing is offered.</summary>
    Failed = 3,
    /// <summary>Was completed; the ZIP has been deleted after the retention time. The record (with its manifest hash) stays.</summary>
    Expired = 4,
}

/// <summary>
/// One request for an inspection evidence bundle (立入検査用 提出資料一式) of a hospital and a scope (a 年度, or a date
/// range of JST calendar days), and the background job that writes it. A hospital sees only its own rows.
/// </summary>
public sealed class InspectionExport
{
    public Guid Id { get; set; }
    public Guid HospitalId { get; set; }
    /// <summary>年度 (April of this year to March of the next); null when the scope is a date range.</summary>
    public int? FiscalYear { get; set; }
    /// <summary>First day of a date-range scope (JST, inclusive); null for a 年度.</summary>
    public DateOnly? FromDate { get; set; }
    /// <summary>Last day of a date-range scope (JST, inclusive); null for a 年度.</summary>
    public DateOnly? ToDate { get; set; }

    public InspectionExportState State { get; set; }

    public Guid RequestedByUserId { get; set; }
    public required string RequestedByName { get; set; }
    public DateTimeOffset RequestedAt { get; set; }

    /// <summary>Runs started so far (a crash or restart during a run leads to another).</summary>
    public int Attempts { get; set; }
    /// <summary>The worker (host name and process) running it now; null when not running.</summary>
    public string? WorkerId { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    /// <summary>Renewed by the running worker; a Running row whose heartbeat is stale was interrupted.</summary>
    public DateTimeOffset? HeartbeatAt { get; set; }

    /// <summary>0–100 for the progress bar.</summary>
    public int ProgressPercent { get; set; }
    /// <summary>The part being written (the section's Japanese title), for the page.</summary>
    public string? ProgressStage { get; set; }
    public int FilesWritten { get; set; }
    public long BytesWritten { get; set; }

    /// <summary>The time written into manifest.json and index.html.</summary>
    public DateTimeOffset? GeneratedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    /// <summary>The manifest's own hash (manifestSha256): identifies the whole bundle; also in the audit log.</summary>
    public string? ManifestSha256 { get; set; }
    public int? FileCount { get; set; }
    /// <summary>Size of the ZIP in bytes.</summary>
    public long? ZipSize { get; set; }
    /// <summary>SHA-256 of the ZIP file itself (what a download can be compared with).</summary>
    public string? ZipSha256 { get; set; }
    /// <summary>The ZIP's file name inside the bundle directory (never a path from user input).</summary>
    public string? StorageName { get; set; }
    /// <summary>The download's file name, e.g. 「立入検査資料_中央総合病院_2026年度_20261121.zip」.</summary>
    public string? DownloadName { get; set; }
    /// <summary>After this the ZIP is deleted and the row becomes <see cref="InspectionExportState.Expired"/>.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }
    /// <summary>Why the job failed, for the page (no stack trace, no secrets).</summary>
    public string? Error { get; set; }

    /// <summary>Concurrency token, raised by every update: two workers can never both claim a row.</summary>
    public int Revision { get; set; }
}
