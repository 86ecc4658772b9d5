using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using VendorPortal.Features.Organizations;

namespace VendorPortal.Features.Ledger;

/// <summary>A problem with one field: Code names the UI string "Ledger_{Code}", Args fill it.</summary>
public sealed record LedgerProblem(string Field, string Code, params object[] Args);

/// <summary>The editable fields of a system (MedicalSystem): what the page, the API and the rules share.</summary>
public sealed class SystemValues
{
    public string? Name { get; set; }
    public string? Category { get; set; }
    public string? Description { get; set; }
    public string? OwnerDepartment { get; set; }
    public string? Administrator { get; set; }
    public NetworkSegment? NetworkSegment { get; set; }
    public SecurityClass? Confidentiality { get; set; }
    public SecurityClass? Integrity { get; set; }
    public SecurityClass? Availability { get; set; }
    public DateOnly? RetiredOn { get; set; }

    public static SystemValues Of(MedicalSystem s) => new()
    {
        Name = s.Name, Category = s.Category, Description = s.Description, OwnerDepartment = s.OwnerDepartment, Administrator = s.Administrator,
        NetworkSegment = s.NetworkSegment, Confidentiality = s.Confidentiality, Integrity = s.Integrity, Availability = s.Availability, RetiredOn = s.RetiredOn,
    };

    public void ApplyTo(MedicalSystem s)
    {
        s.Name = LedgerRules.Clean(Name)!;
        s.Category = LedgerRules.Clean(Category)!;
        s.Description = LedgerRules.Clean(Description);
        s.OwnerDepartment = LedgerRules.Clean(OwnerDepartment);
        s.Administrator = LedgerRules.Clean(Administrator);
        s.NetworkSegment = NetworkSegment;
        s.Confidentiality = Confidentiality;
        s.Integrity = Integrity;
        s.Availability = Availability;
        s.RetiredOn = RetiredOn;
    }
}

/// <summary>
/// The editable fields of a component (SystemComponent): bound by the pages, built from API bodies and Excel rows,
/// stored as a vendor's proposal (JSON), checked by <see cref="LedgerRules.ValidateComponent"/>.
/// </summary>
public sealed class ComponentValues
{
    public Guid SystemId { get; set; }
    public string? ManagementNumber { get; set; }
    public ComponentKind? Kind { get; set; }
    public string? Name { get; set; }
    public string? Maker { get; set; }
    public string? Model { get; set; }
    public string? SerialNumber { get; set; }
    public string? Software { get; set; }
    public string? SoftwareVersion { get; set; }
    public string? Os { get; set; }
    public string? OsVersion { get; set; }
    public string? Firmware { get; set; }
    public string? IpAddress { get; set; }
    public string? HostName { get; set; }
    public string? Location { get; set; }
    public string? Users { get; set; }
    public DateOnly? RegisteredOn { get; set; }
    public string? OwnerDepartment { get; set; }
    public Guid? SupplierVendorId { get; set; }
    public bool UsesRemoteMaintenance { get; set; }
    public NetworkSegment? NetworkSegment { get; set; }
    public SecurityClass? Confidentiality { get; set; }
    public SecurityClass? Integrity { get; set; }
    public SecurityClass? Availability { get; set; }
    public bool? AntiMalware { get; set; }
    public string? Notes { get; set; }
    public DateOnly? RetiredOn { get; set; }

    public static ComponentValues Of(SystemComponent c) => new()
    {
        SystemId = c.SystemId, ManagementNumber = c.ManagementNumber, Kind = c.Kind, Name = c.Name, Maker = c.Maker, Model = c.Model,
        SerialNumber = c.SerialNumber, Software = c.Software, SoftwareVersion = c.SoftwareVersion, Os = c.Os, OsVersion = c.OsVersion,
        Firmware = c.Firmware, IpAddress = c.IpAddress, HostName = c.HostName, Location = c.Location, Users = c.Users, RegisteredOn = c.RegisteredOn,
        OwnerDepartment = c.OwnerDepartment, SupplierVendorId = c.SupplierVendorId, UsesRemoteMaintenance = c.UsesRemoteMaintenance,
        NetworkSegment = c.NetworkSegment, Confidentiality = c.Confidentiality, Integrity = c.Integrity, Availability = c.Availability,
        AntiMalware = c.AntiMalware, Notes = c.Notes, RetiredOn = c.RetiredOn,
    };

    /// <summary>Writes validated values onto the entity (text trimmed, empty text as null, IP addresses normalised).</summary>
    public void ApplyTo(SystemComponent c)
    {
        c.SystemId = SystemId;
        c.ManagementNumber = LedgerRules.Clean(ManagementNumber)!;
        c.Kind = Kind ?? ComponentKind.Other;
        c.Name = LedgerRules.Clean(Name)!;
        c.Maker = LedgerRules.Clean(Maker);
        c.Model = LedgerRules.Clean(Model);
        c.SerialNumber = LedgerRules.Clean(SerialNumber);
        c.Software = LedgerRules.Clean(Software);
        c.SoftwareVersion = LedgerRules.Clean(SoftwareVersion);
        c.Os = LedgerRules.Clean(Os);
        c.OsVersion = LedgerRules.Clean(OsVersion);
        c.Firmware = LedgerRules.Clean(Firmware);
        c.IpAddress = LedgerRules.NormalizeIpList(IpAddress);
        c.HostName = LedgerRules.Clean(HostName);
        c.Location = LedgerRules.Clean(Location);
        c.Users = LedgerRules.Clean(Users);
        c.RegisteredOn = RegisteredOn;
        c.OwnerDepartment = LedgerRules.Clean(OwnerDepartment);
        c.SupplierVendorId = SupplierVendorId;
        c.UsesRemoteMaintenance = UsesRemoteMaintenance;
        c.NetworkSegment = NetworkSegment;
        c.Confidentiality = Confidentiality;
        c.Integrity = Integrity;
        c.Availability = Availability;
        c.AntiMalware = AntiMalware;
        c.Notes = LedgerRules.Clean(Notes);
        c.RetiredOn = RetiredOn;
    }

    public ComponentValues Copy() => (ComponentValues)MemberwiseClone();
}

/// <summary>
/// The pure rules of the 医療情報システム台帳: required fields and lengths (as the columns allow), IP address lists,
/// 格付け (完全性・可用性 only A or B), dates not in the future, parsing of the Japanese labels used on the pages and
/// in the Excel ledger, and the field-by-field difference a proposal shows.
/// </summary>
public static partial class LedgerRules
{
    public const int MaxManagementNumber = 50;
    public const int MaxName = 200;
    public const int MaxCategory = 100;
    public const int MaxVersion = 100;
    public const int MaxIpAddress = 100;
    public const int MaxHostName = 253;
    public const int MaxLongText = 4000;
    public const int MaxSubject = 200;
    public const int MaxSource = 500;
    public const int MaxReason = 2000;

    /// <summary>Suggested system categories (free text is allowed).</summary>
    public static readonly string[] Categories = ["電子カルテ", "レセコン", "PACS", "部門システム", "ネットワーク", "医療機器", "クラウドサービス", "その他"];

    /// <summary>The component fields in the order the pages, the Excel sheet and a proposal's comparison show them.</summary>
    public static readonly string[] ComponentFields =
    [
        nameof(ComponentValues.ManagementNumber), nameof(ComponentValues.SystemId), nameof(ComponentValues.Kind), nameof(ComponentValues.Name),
        nameof(ComponentValues.Maker), nameof(ComponentValues.Model), nameof(ComponentValues.SerialNumber), nameof(ComponentValues.Software),
        nameof(ComponentValues.SoftwareVersion), nameof(ComponentValues.Os), nameof(ComponentValues.OsVersion), nameof(ComponentValues.Firmware),
        nameof(ComponentValues.IpAddress), nameof(ComponentValues.HostName), nameof(ComponentValues.Location), nameof(ComponentValues.Users),
        nameof(ComponentValues.RegisteredOn), nameof(ComponentValues.OwnerDepartment), nameof(ComponentValues.SupplierVendorId),
        nameof(ComponentValues.UsesRemoteMaintenance), nameof(ComponentValues.NetworkSegment), nameof(ComponentValues.Confidentiality),
        nameof(ComponentValues.Integrity), nameof(ComponentValues.Availability), nameof(ComponentValues.AntiMalware), nameof(ComponentValues.Notes),
        nameof(ComponentValues.RetiredOn),
    ];

    public static List<LedgerProblem> ValidateSystem(SystemValues v, DateOnly today)
    {
        var p = new List<LedgerProblem>();
        Required(p, nameof(SystemValues.Name), v.Name, MaxName);
        Required(p, nameof(SystemValues.Category), v.Category, MaxCategory);
        Optional(p, nameof(SystemValues.Description), v.Description, MaxLongText);
        Optional(p, nameof(SystemValues.OwnerDepartment), v.OwnerDepartment, MaxName);
        Optional(p, nameof(SystemValues.Administrator), v.Administrator, MaxName);
        Classes(p, v.Integrity, v.Availability);
        if (v.RetiredOn is { } r && r > today)
        {
            p.Add(new LedgerProblem(nameof(SystemValues.RetiredOn), "DateInFuture"));
        }
        return p;
    }

    public static List<LedgerProblem> ValidateComponent(ComponentValues v, DateOnly today)
    {
        var p = new List<LedgerProblem>();
        Required(p, nameof(ComponentValues.ManagementNumber), v.ManagementNumber, MaxManagementNumber);
        if (v.SystemId == Guid.Empty)
        {
            p.Add(new LedgerProblem(nameof(ComponentValues.SystemId), "Required"));
        }
        if (v.Kind is null)
        {
            p.Add(new LedgerProblem(nameof(ComponentValues.Kind), "Required"));
        }
        Required(p, nameof(ComponentValues.Name), v.Name, MaxName);
        foreach (var (field, value) in new[]
        {
            (nameof(ComponentValues.Maker), v.Maker), (nameof(ComponentValues.Model), v.Model), (nameof(ComponentValues.SerialNumber), v.SerialNumber),
            (nameof(ComponentValues.Software), v.Software), (nameof(ComponentValues.Os), v.Os), (nameof(ComponentValues.Location), v.Location),
            (nameof(ComponentValues.Users), v.Users), (nameof(ComponentValues.OwnerDepartment), v.OwnerDepartment),
        })
        {
            Optional(p, field, value, MaxName);
        }
        Optional(p, nameof(ComponentValues.SoftwareVersion), v.SoftwareVersion, MaxVersion);
        Optional(p, nameof(ComponentValues.OsVersion), v.OsVersion, MaxVersion);
        Optional(p, nameof(ComponentValues.Firmware), v.Firmware, MaxVersion);
        Optional(p, nameof(ComponentValues.Notes), v.Notes, MaxLongText);
        if (Clean(v.IpAddress) is { } ips)
        {
            if (NormalizeIpList(ips) is not { } normal)
            {
                p.Add(new LedgerProblem(nameof(ComponentValues.IpAddress), "IpInvalid", ips));
            }
            else if (normal.Length > MaxIpAddress)
            {
                p.Add(new LedgerProblem(nameof(ComponentValues.IpAddress), "TooLong", MaxIpAddress));
            }
        }
        if (Clean(v.HostName) is { } host)
        {
            if (host.Length > MaxHostName)
            {
                p.Add(new LedgerProblem(nameof(ComponentValues.HostName), "TooLong", MaxHostName));
            }
            else if (!HostNamePattern().IsMatch(host))
            {
                p.Add(new LedgerProblem(nameof(ComponentValues.HostName), "HostNameInvalid"));
            }
        }
        Classes(p, v.Integrity, v.Availability);
        if (v.RegisteredOn is { } reg && reg > today)
        {
            p.Add(new LedgerProblem(nameof(ComponentValues.RegisteredOn), "DateInFuture"));
        }
        if (v.RetiredOn is { } ret)
        {
            if (ret > today)
            {
                p.Add(new LedgerProblem(nameof(ComponentValues.RetiredOn), "DateInFuture"));
            }
            else if (v.RegisteredOn is { } r2 && ret < r2)
            {
                p.Add(new LedgerProblem(nameof(ComponentValues.RetiredOn), "RetiredBeforeRegistered"));
            }
        }
        return p;
    }

    public static List<LedgerProblem> ValidateSupportDate(SupportKind? kind, string? subject, DateOnly? endsOn, string? source)
    {
        var p = new List<LedgerProblem>();
        if (kind is null)
        {
            p.Add(new LedgerProblem("Kind", "Required"));
        }
        Required(p, "Subject", subject, MaxSubject);
        if (endsOn is null)
        {
            p.Add(new LedgerProblem("EndsOn", "Required"));
        }
        Required(p, "Source", source, MaxSource);
        return p;
    }

    public static List<LedgerProblem> ValidateRejection(string? reason)
    {
        var p = new List<LedgerProblem>();
        Required(p, "Reason", reason, MaxReason);
        return p;
    }

    /// <summary>Trimmed text, or null when empty or whitespace.</summary>
    public static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    /// <summary>
    /// One or more IPv4/IPv6 addresses separated by commas (also 、 ， ; or whitespace), each checked strictly (IPv4
    /// as four decimal octets), returned as "a, b"; null when any part is not an address. Empty input is null too.
    /// </summary>
    public static string? NormalizeIpList(string? text)
    {
        if (Clean(text) is not { } s)
        {
            return null;
        }
        var parts = s.Normalize(NormalizationForm.FormKC).Split([',', '、', ';', ' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
        {
            return null;
        }
        var normal = new List<string>();
        foreach (var part in parts)
        {
            if (Ipv4Pattern().IsMatch(part) && IPAddress.TryParse(part, out var v4) && v4.AddressFamily == AddressFamily.InterNetwork)
            {
                normal.Add(v4.ToString());
            }
            else if (part.Contains(':') && IPAddress.TryParse(part, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6 && !part.Contains('%'))
            {
                normal.Add(v6.ToString());
            }
            else
            {
                return null;
            }
        }
        return string.Join(", ", normal);
    }

    // ---- Labels and parsing (pages show resource strings; Excel and the API accept these as well as the enum names) ----

    public static readonly IReadOnlyDictionary<ComponentKind, string> KindLabels = new Dictionary<ComponentKind, string>
    {
        [ComponentKind.Server] = "サーバ", [ComponentKind.ClientPc] = "端末PC", [ComponentKind.NetworkDevice] = "ネットワーク機器",
        [ComponentKind.VpnDevice] = "VPN装置", [ComponentKind.MedicalDevice] = "医療機器", [ComponentKind.CloudService] = "クラウドサービス",
        [ComponentKind.Software] = "ソフトウェア", [ComponentKind.Other] = "その他",
    };

    public static readonly IReadOnlyDictionary<NetworkSegment, string> SegmentLabels = new Dictionary<NetworkSegment, string>
    {
        [NetworkSegment.Clinical] = "診療系", [NetworkSegment.Administrative] = "事務系", [NetworkSegment.External] = "外部接続",
    };

    public static readonly IReadOnlyDictionary<SupportKind, string> SupportKindLabels = new Dictionary<SupportKind, string>
    {
        [SupportKind.Os] = "OS", [SupportKind.Middleware] = "ミドルウェア", [SupportKind.Firmware] = "ファームウェア", [SupportKind.Product] = "製品",
    };

    /// <summary>A component kind from its enum name ("Server", "vpn_device") or its Japanese label (サーバ, VPN装置 …).</summary>
    public static bool TryParseKind(string? text, out ComponentKind kind)
    {
        kind = default;
        if (Key(text) is not { Length: > 0 } k)
        {
            return false;
        }
        foreach (var (value, label) in KindLabels)
        {
            if (k == Key(label) || k == Key(value.ToString()))
            {
                kind = value;
                return true;
            }
        }
        switch (k)
        {
            case "サーバー": kind = ComponentKind.Server; return true;
            case "PC" or "端末" or "クライアントPC": kind = ComponentKind.ClientPc; return true;
            case "VPN" or "VPN機器": kind = ComponentKind.VpnDevice; return true;
            case "クラウド": kind = ComponentKind.CloudService; return true;
            default: return false;
        }
    }

    public static bool TryParseSegment(string? text, out NetworkSegment segment)
        => TryParseLabelled(text, SegmentLabels, out segment);

    public static bool TryParseSupportKind(string? text, out SupportKind kind)
        => TryParseLabelled(text, SupportKindLabels, out kind);

    /// <summary>格付け: A, B or C (full-width letters too).</summary>
    public static bool TryParseClass(string? text, out SecurityClass value)
    {
        value = default;
        switch (Key(text))
        {
            case "A": value = SecurityClass.A; return true;
            case "B": value = SecurityClass.B; return true;
            case "C": value = SecurityClass.C; return true;
            default: return false;
        }
    }

    /// <summary>Yes/no as people type it: はい・あり・有・○・true / いいえ・なし・無・×・false.</summary>
    public static bool TryParseBool(string? text, out bool value)
    {
        value = false;
        switch (Key(text))
        {
            case "はい" or "あり" or "有" or "有り" or "○" or "〇" or "YES" or "Y" or "TRUE" or "1":
                value = true;
                return true;
            case "いいえ" or "なし" or "無" or "無し" or "×" or "✕" or "NO" or "N" or "FALSE" or "0":
                return true;
            default:
                return false;
        }
    }

    public static string YesNo(bool value) => value ? "はい" : "いいえ";

    private static bool TryParseLabelled<T>(string? text, IReadOnlyDictionary<T, string> labels, out T value) where T : struct, Enum
    {
        value = default;
        if (Key(text) is not { Length: > 0 } k)
        {
            return false;
        }
        foreach (var (v, label) in labels)
        {
            if (k == Key(label) || k == Key(v.ToString()))
            {
                value = v;
                return true;
            }
        }
        return false;
    }

    /// <summary>NFKC, no spaces, underscores or hyphens, upper case: "vpn_device" and "ＶＰＮ装置" compare as people mean.</summary>
    private static string? Key(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var sb = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormKC))
        {
            if (!char.IsWhiteSpace(c) && c is not ('_' or '-'))
            {
                sb.Append(char.ToUpperInvariant(c));
            }
        }
        return sb.ToString();
    }

    // ---- Comparing (a proposal's before/after) ----

    /// <summary>A field as text for comparison and display: enums as their names, dates ISO, booleans true/false.</summary>
    public static string? FieldText(ComponentValues v, string field) => field switch
    {
        nameof(ComponentValues.SystemId) => v.SystemId == Guid.Empty ? null : v.SystemId.ToString(),
        nameof(ComponentValues.ManagementNumber) => Clean(v.ManagementNumber),
        nameof(ComponentValues.Kind) => v.Kind?.ToString(),
        nameof(ComponentValues.Name) => Clean(v.Name),
        nameof(ComponentValues.Maker) => Clean(v.Maker),
        nameof(ComponentValues.Model) => Clean(v.Model),
        nameof(ComponentValues.SerialNumber) => Clean(v.SerialNumber),
        nameof(ComponentValues.Software) => Clean(v.Software),
        nameof(ComponentValues.SoftwareVersion) => Clean(v.SoftwareVersion),
        nameof(ComponentValues.Os) => Clean(v.Os),
        nameof(ComponentValues.OsVersion) => Clean(v.OsVersion),
        nameof(ComponentValues.Firmware) => Clean(v.Firmware),
        nameof(ComponentValues.IpAddress) => NormalizeIpList(v.IpAddress) ?? Clean(v.IpAddress),
        nameof(ComponentValues.HostName) => Clean(v.HostName),
        nameof(ComponentValues.Location) => Clean(v.Location),
        nameof(ComponentValues.Users) => Clean(v.Users),
        nameof(ComponentValues.RegisteredOn) => v.RegisteredOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        nameof(ComponentValues.OwnerDepartment) => Clean(v.OwnerDepartment),
        nameof(ComponentValues.SupplierVendorId) => v.SupplierVendorId?.ToString(),
        nameof(ComponentValues.UsesRemoteMaintenance) => v.UsesRemoteMaintenance ? "true" : "false",
        nameof(ComponentValues.NetworkSegment) => v.NetworkSegment?.ToString(),
        nameof(ComponentValues.Confidentiality) => v.Confidentiality?.ToString(),
        nameof(ComponentValues.Integrity) => v.Integrity?.ToString(),
        nameof(ComponentValues.Availability) => v.Availability?.ToString(),
        nameof(ComponentValues.AntiMalware) => v.AntiMalware?.ToString().ToLowerInvariant(),
        nameof(ComponentValues.Notes) => Clean(v.Notes),
        nameof(ComponentValues.RetiredOn) => v.RetiredOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };

    /// <summary>The fields whose values differ (a new component: every field with a value), in display order.</summary>
    public static List<(string Field, string? Before, string? After)> Diff(ComponentValues? before, ComponentValues after)
    {
        var result = new List<(string, string?, string?)>();
        foreach (var f in ComponentFields)
        {
            var b = before is null ? null : FieldText(before, f);
            var a = FieldText(after, f);
            if (!string.Equals(a, b, StringComparison.Ordinal) && !(before is null && a is null))
            {
                result.Add((f, b, a));
            }
        }
        return result;
    }

    private static void Required(List<LedgerProblem> p, string field, string? value, int max)
    {
        if (Clean(value) is not { } s)
        {
            p.Add(new LedgerProblem(field, "Required"));
        }
        else if (s.Length > max)
        {
            p.Add(new LedgerProblem(field, "TooLong", max));
        }
        else if (s.Any(char.IsControl) && field != "Notes")
        {
            p.Add(new LedgerProblem(field, "ControlCharacters"));
        }
    }

    private static void Optional(List<LedgerProblem> p, string field, string? value, int max)
    {
        if (Clean(value) is { } s && s.Length > max)
        {
            p.Add(new LedgerProblem(field, "TooLong", max));
        }
    }

    private static void Classes(List<LedgerProblem> p, SecurityClass? integrity, SecurityClass? availability)
    {
        if (integrity is { } i && i != SecurityClass.A && i != SecurityClass.B)
        {
            p.Add(new LedgerProblem("Integrity", "AOrBOnly"));
        }
        if (availability is { } a && a != SecurityClass.A && a != SecurityClass.B)
        {
            p.Add(new LedgerProblem("Availability", "AOrBOnly"));
        }
    }

    [GeneratedRegex(@"^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$")]
    private static partial Regex Ipv4Pattern();

    /// <summary>Letters, digits, hyphens and underscores (Windows computer names), labels separated by dots.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9_]([A-Za-z0-9_\-]{0,62})(\.[A-Za-z0-9_]([A-Za-z0-9_\-]{0,62}))*\.?$")]
    private static partial Regex HostNamePattern();
}
