namespace VendorPortal.Features.Inspection.Export;

/// <summary>Settings of the export job (section <c>Inspection</c>; docs/operations.md).</summary>
public sealed class InspectionExportOptions
{
    /// <summary>Where finished ZIPs (<c>&lt;id&gt;.zip</c>) and runs in progress (<c>&lt;id&gt;.zip.part</c>) live. Default: <c>&lt;content root&gt;/data/inspection-bundles</c>.</summary>
    public string BundleDirectory { get; set; } = "";

    /// <summary>How long a finished ZIP is kept for download (hours); then it is deleted and the row becomes Expired.</summary>
    public int RetentionHours { get; set; } = 168;

    /// <summary>A Running row whose heartbeat is older than this was interrupted (crash, restart) and is redone.</summary>
    public int HeartbeatStaleSeconds { get; set; } = 120;

    /// <summary>Runs started at most; an export interrupted this often is given up (Failed).</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The largest ZIP the verify page and API accept (bytes). Default 8 GB.</summary>
    public long MaxVerifyBytes { get; set; } = 8L << 30;

    public TimeSpan Retention => TimeSpan.FromHours(Math.Max(1, RetentionHours));
    public TimeSpan HeartbeatStale => TimeSpan.FromSeconds(Math.Max(10, HeartbeatStaleSeconds));

    public string ZipPath(Guid exportId) => Path.Combine(BundleDirectory, StorageName(exportId));
    public string PartPath(Guid exportId) => ZipPath(exportId) + ".part";

    /// <summary>The file name in the bundle directory: only the row's id, never user input.</summary>
    public static string StorageName(Guid exportId) => exportId.ToString("D") + ".zip";
}

/// <summary>Codes stored in <see cref="InspectionExport.Error"/>: resource keys the page and the API translate (never a stack trace).</summary>
public static class InspectionExportErrors
{
    /// <summary>The requester lost the role or was deactivated before the run.</summary>
    public const string AccessLost = "InspectionExportErrorAccessLost";
    /// <summary>Interrupted (crash, restart) <see cref="InspectionExportOptions.MaxAttempts"/> times.</summary>
    public const string Interrupted = "InspectionExportErrorInterrupted";
    /// <summary>The bundle directory could not be written (disk full, permissions).</summary>
    public const string Storage = "InspectionExportErrorStorage";
    /// <summary>Anything else; the log has the details.</summary>
    public const string Internal = "InspectionExportErrorInternal";
}
