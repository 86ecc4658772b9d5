namespace VendorPortal.Features.Ledger;

/// <summary>What a component of a system is (the checklist manual's 台帳: サーバ、端末PC、ネットワーク機器 …).</summary>
public enum ComponentKind
{
    Server = 1,
    ClientPc = 2,
    NetworkDevice = 3,
    VpnDevice = 4,
    MedicalDevice = 5,
    CloudService = 6,
    Software = 7,
    Other = 99,
}

/// <summary>Where a system or device sits on the hospital network.</summary>
public enum NetworkSegment
{
    /// <summary>診療系</summary>
    Clinical = 1,
    /// <summary>事務系</summary>
    Administrative = 2,
    /// <summary>外部接続 (Internet, regional network, vendor lines)</summary>
    External = 3,
}

/// <summary>
/// 格付け of the 機器管理票 (日本医療情報学会 IT-BCP slides, seeds/003): 機密性 A・B・C, 完全性 A・B, 可用性 A・B.
/// A is the highest. Integrity and availability use A and B only (FormRules-like validation in LedgerRules).
/// </summary>
public enum SecurityClass
{
    A = 1,
    B = 2,
    C = 3,
}

/// <summary>
/// One row of the 医療情報システム台帳: a server, PC, network or VPN device, medical device or cloud service of one
/// hospital system. Fields follow the checklist manual's 台帳 example (名称・モデル・製造番号, 製造業者, ソフトウェアと
/// バージョン, IPアドレス, コンピュータ名, 設置場所, 利用者, 登録日) and the 情報機器管理表 (OS, 格付け, ウイルス対策).
/// The hospital keeps it; the vendor that supplies it sees it and proposes changes.
/// </summary>
public sealed class SystemComponent
{
    public Guid Id { get; set; }
    public Guid HospitalId { get; set; }
    public Guid SystemId { get; set; }
    /// <summary>管理番号: the hospital's own asset number, unique in the hospital; the key of the Excel import.</summary>
    public required string ManagementNumber { get; set; }
    public ComponentKind Kind { get; set; }
    /// <summary>名称 (機器名)</summary>
    public required string Name { get; set; }
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
    /// <summary>設置場所</summary>
    public string? Location { get; set; }
    /// <summary>利用者</summary>
    public string? Users { get; set; }
    /// <summary>登録日（購入日）</summary>
    public DateOnly? RegisteredOn { get; set; }
    /// <summary>管理部署</summary>
    public string? OwnerDepartment { get; set; }
    /// <summary>The engaged vendor that supplies or maintains it; that vendor sees the row and may propose changes.</summary>
    public Guid? SupplierVendorId { get; set; }
    public bool UsesRemoteMaintenance { get; set; }
    public NetworkSegment? NetworkSegment { get; set; }
    public SecurityClass? Confidentiality { get; set; }
    public SecurityClass? Integrity { get; set; }
    public SecurityClass? Availability { get; set; }
    /// <summary>ウイルス対策の有無 (null: not recorded).</summary>
    public bool? AntiMalware { get; set; }
    public string? Notes { get; set; }
    /// <summary>廃棄日: a retired component stays in the ledger (disposal is evidence) but raises no reminders.</summary>
    public DateOnly? RetiredOn { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>Optimistic concurrency: two people editing one row do not overwrite each other.</summary>
    public int Revision { get; set; }
}

/// <summary>What an end-of-support date is about.</summary>
public enum SupportKind
{
    Os = 1,
    Middleware = 2,
    Firmware = 3,
    Product = 4,
}

/// <summary>
/// An end-of-support (EOS/EOL) date of something on a component (its OS, middleware, firmware or the product
/// itself), with where the date comes from (経営管理編 3.4.2: collect EOS and vulnerability information). Entered by
/// the hospital or by the supplying vendor.
/// </summary>
public sealed class ComponentSupportDate
{
    public Guid Id { get; set; }
    public Guid HospitalId { get; set; }
    public Guid ComponentId { get; set; }
    public SupportKind Kind { get; set; }
    /// <summary>What reaches end of support, e.g. "Windows Server 2016".</summary>
    public required string Subject { get; set; }
    public DateOnly EndsOn { get; set; }
    /// <summary>Where the date comes from (a maker's lifecycle page, a vendor letter …).</summary>
    public required string Source { get; set; }
    public Guid EnteredByOrganizationId { get; set; }
    public Guid? EnteredByUserId { get; set; }
    public string EnteredByName { get; set; } = "";
    public DateTimeOffset EnteredAt { get; set; }
}
