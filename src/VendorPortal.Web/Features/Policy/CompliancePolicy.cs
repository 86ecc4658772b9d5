namespace VendorPortal.Features.Policy;

/// <summary>
/// A hospital's settings for EOS warnings, patch deadlines and reminder escalation. A hospital without a row uses
/// <see cref="Defaults"/>; the first save creates its row.
/// </summary>
public sealed class CompliancePolicy
{
    public static readonly int[] DefaultEosWarningDays = [365, 180, 90, 30];

    public Guid HospitalId { get; set; }
    /// <summary>Days before an end-of-support date at which a warning is raised, largest first.</summary>
    public int[] EosWarningDays { get; set; } = [.. DefaultEosWarningDays];
    /// <summary>A critical patch not applied this many days after release is overdue.</summary>
    public int CriticalPatchDays { get; set; } = 14;
    public int HighPatchDays { get; set; } = 30;
    /// <summary>Medium and low.</summary>
    public int OtherPatchDays { get; set; } = 90;
    /// <summary>An unacknowledged reminder goes to the hospital's SystemOperator this many days after it was raised …</summary>
    public int EscalateToSystemOperatorDays { get; set; } = 3;
    /// <summary>… to the SecurityManager this many days after that …</summary>
    public int EscalateToSecurityManagerDays { get; set; } = 7;
    /// <summary>… and to the Executive this many days after that.</summary>
    public int EscalateToExecutiveDays { get; set; } = 14;
    public DateTimeOffset UpdatedAt { get; set; }
    public string UpdatedByName { get; set; } = "";

    public static CompliancePolicy Defaults(Guid hospitalId) => new() { HospitalId = hospitalId };
}
