using VendorPortal.Features.Forms;
using VendorPortal.Features.Gaps;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.RemoteMaintenance;

/// <summary>The risks a remote-maintenance disclosure can show. Each names a UI string "RmFlag_{kind}" and a gap kind "Rm{kind}".</summary>
public enum RemoteMaintenanceFlagKind
{
    NoTwoFactor,
    NoSourceRestriction,
    SharedAccounts,
    NoLogDelivery,
    AlwaysOn,
    NonStandardMethod,
    FirmwareUnknown,
}

/// <summary>One risk found in the answers, with the item that shows it.</summary>
public sealed record RemoteMaintenanceFlag(RemoteMaintenanceFlagKind Kind, GapSeverity Severity, string ItemId)
{
    public string GapKind => "Rm" + Kind;
}

/// <summary>
/// Risk flags of a remote-maintenance disclosure, computed from submitted answers. Pure: no database, no
/// clock (the 年度 is given), so every flag and the 令和9年度 edge are unit-tested. The item ids are those of
/// remote-maintenance-proposal-v1; a later template version keeps them (or adds its own mapping here).
/// </summary>
public static class RemoteMaintenanceFlags
{
    public const string Uses = "rm-uses", Method = "rm-method", Connection = "rm-connection", Firmware = "rm-vpn-firmware",
        Source = "rm-source", TwoFactor = "rm-2fa", Accounts = "rm-accounts", LogDelivered = "rm-log-delivered";

    public const string OtherMethod = "その他", AlwaysOnChoice = "常時接続", SharedAccountsChoice = "共用アカウント";

    /// <summary>The guideline asks for two-factor authentication from 令和9年度 (2027-04-01) on.</summary>
    public const int TwoFactorRequiredFrom = 2027;

    private static readonly string[] UnknownFirmware = ["不明", "わからない", "unknown", "?", "？", "-", "－", "ー"];

    /// <param name="answers">The latest submitted version's answers (one undated round).</param>
    /// <param name="year">The 年度 the flags are shown for: it decides the severity of a missing second factor.</param>
    public static IReadOnlyList<RemoteMaintenanceFlag> Compute(FormAnswers answers, FiscalYear year)
    {
        var round = answers.Rounds.OrderBy(r => r.Number).FirstOrDefault();
        if (round is null)
        {
            return [];
        }
        string? Value(string id) => round.Answers.TryGetValue(id, out var a) ? a.Value?.Trim() : null;
        bool Is(string id, YesNo expected) => FormRules.ParseYesNo(Value(id)) == expected;

        // Without remote maintenance there is nothing to flag.
        if (!Is(Uses, YesNo.Yes))
        {
            return [];
        }
        var flags = new List<RemoteMaintenanceFlag>();
        if (Is(TwoFactor, YesNo.No))
        {
            flags.Add(new(RemoteMaintenanceFlagKind.NoTwoFactor, year.StartYear >= TwoFactorRequiredFrom ? GapSeverity.High : GapSeverity.Medium, TwoFactor));
        }
        if (Is(Source, YesNo.No))
        {
            flags.Add(new(RemoteMaintenanceFlagKind.NoSourceRestriction, GapSeverity.High, Source));
        }
        if (Value(Accounts) == SharedAccountsChoice)
        {
            flags.Add(new(RemoteMaintenanceFlagKind.SharedAccounts, GapSeverity.High, Accounts));
        }
        if (Is(LogDelivered, YesNo.No))
        {
            flags.Add(new(RemoteMaintenanceFlagKind.NoLogDelivery, GapSeverity.Medium, LogDelivered));
        }
        if (Value(Connection) == AlwaysOnChoice)
        {
            flags.Add(new(RemoteMaintenanceFlagKind.AlwaysOn, GapSeverity.Medium, Connection));
        }
        if (Value(Method) == OtherMethod)
        {
            flags.Add(new(RemoteMaintenanceFlagKind.NonStandardMethod, GapSeverity.Medium, Method));
        }
        var firmware = Value(Firmware);
        if (string.IsNullOrWhiteSpace(firmware) || UnknownFirmware.Contains(firmware, StringComparer.OrdinalIgnoreCase))
        {
            flags.Add(new(RemoteMaintenanceFlagKind.FirmwareUnknown, GapSeverity.Medium, Firmware));
        }
        return flags;
    }
}
