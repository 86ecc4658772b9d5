using VendorPortal.Features.Account;
using VendorPortal.Features.Ledger;
using VendorPortal.Features.Patches;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Notifications;

namespace VendorPortal.Infrastructure.Seeding;

/// <summary>
/// Demo patch tracking for 中央総合病院: components of its own (管理番号 PT-…, so they never collide with the ledger's
/// demo rows), two EOS dates (one passed, one within a year), and three advisories — a critical one overdue on the VPN
/// device, a high one the EMR vendor committed to, and a deferral waiting for the SecurityManager's approval.
/// </summary>
public static class DemoPatches
{
    public static async Task SeedAsync(AppDbContext db, DateTimeOffset now, DateOnly today, CancellationToken ct)
    {
        var hospital = DemoDataSeeder.IdFor("chuo-hospital");
        var emrVendor = DemoDataSeeder.IdFor("emr-vendor");
        var netVendor = DemoDataSeeder.IdFor("net-vendor");
        var emr = DemoDataSeeder.IdFor("chuo-emr");
        var network = DemoDataSeeder.IdFor("chuo-network");
        var sysop = DemoDataSeeder.IdFor("user:sysop@chuo-hospital.example");

        SystemComponent Component(string number, Guid system, ComponentKind kind, string name, string os, string version, Guid? supplier) => new()
        {
            Id = DemoDataSeeder.IdFor("component:" + number), HospitalId = hospital, SystemId = system, ManagementNumber = number, Kind = kind,
            Name = name, Os = os, OsVersion = version, SupplierVendorId = supplier, Location = "サーバ室", CreatedAt = now, UpdatedAt = now,
        };
        var db1 = Component("PT-SV-001", emr, ComponentKind.Server, "電子カルテ DBサーバ", "Windows Server", "2016", emrVendor);
        var ap1 = Component("PT-SV-002", emr, ComponentKind.Server, "電子カルテ APサーバ", "Windows Server", "2019", emrVendor);
        var vpn = Component("PT-VPN-001", network, ComponentKind.VpnDevice, "リモート保守用 VPN 装置", "FortiOS", "7.0.12", netVendor);
        var pc = Component("PT-PC-001", emr, ComponentKind.ClientPc, "外来診察室 端末", "Windows", "10 22H2", null);
        pc.Location = "外来診察室1";
        db.SystemComponents.AddRange(db1, ap1, vpn, pc);

        ComponentSupportDate Eos(SystemComponent c, string subject, DateOnly ends, string source) => new()
        {
            Id = DemoDataSeeder.IdFor("eos:" + c.ManagementNumber), HospitalId = hospital, ComponentId = c.Id, Kind = SupportKind.Os, Subject = subject,
            EndsOn = ends, Source = source, EnteredByOrganizationId = hospital, EnteredByName = "運用 花子", EnteredAt = now,
        };
        db.ComponentSupportDates.AddRange(
            Eos(db1, "Windows Server 2016", new DateOnly(2027, 1, 12), "Microsoft ライフサイクル ポリシー"),
            Eos(pc, "Windows 10 22H2", new DateOnly(2025, 10, 14), "Microsoft ライフサイクル ポリシー"));

        SecurityAdvisory Advisory(string identifier, string title, AdvisorySeverity severity, DateOnly released, Guid by, string byName, string? url = null) => new()
        {
            Id = DemoDataSeeder.IdFor("advisory:" + identifier), HospitalId = hospital, Identifier = identifier, Title = title, Severity = severity,
            ReleasedOn = released, Url = url, CreatedByOrganizationId = by, CreatedByName = byName, CreatedAt = now,
        };
        PatchStatus Status(SecurityAdvisory a, SystemComponent c) => new()
        {
            Id = DemoDataSeeder.IdFor($"patch:{a.Identifier}:{c.ManagementNumber}"), HospitalId = hospital, AdvisoryId = a.Id, ComponentId = c.Id,
            State = PatchState.Open, UpdatedAt = now, UpdatedByName = "運用 花子",
        };

        // 1. Critical, released 40 days ago, still open on the VPN device: overdue (critical: 14 days).
        var critical = Advisory("CVE-2024-21762", "FortiOS SSL-VPN の境界外書き込みの脆弱性", AdvisorySeverity.Critical, today.AddDays(-40), hospital, "運用 花子",
            "https://www.fortiguard.com/psirt/FG-IR-24-015");
        // 2. High, released 5 days ago: the EMR vendor committed to a date on both of its servers.
        var high = Advisory("CVE-2024-38063", "Windows TCP/IP のリモートコード実行の脆弱性", AdvisorySeverity.High, today.AddDays(-5), emrVendor, "メディカルカルテ 保守担当");
        // 3. Medium vendor bulletin: deferred on the examination-room PC, waiting for the SecurityManager.
        var medium = Advisory("MKK-SA-2025-003", "電子カルテ端末アプリ 更新プログラム（ログ出力の不具合修正）", AdvisorySeverity.Medium, today.AddDays(-12), hospital, "運用 花子");
        db.SecurityAdvisories.AddRange(critical, high, medium);

        db.PatchStatuses.Add(Status(critical, vpn));
        foreach (var c in new[] { db1, ap1 })
        {
            var s = Status(high, c);
            (s.State, s.PlannedOn, s.CommittedByVendorId, s.UpdatedByName) = (PatchState.Planned, today.AddDays(10), emrVendor, "メディカルカルテ 保守担当");
            db.PatchStatuses.Add(s);
        }
        var deferred = Status(medium, pc);
        (deferred.State, deferred.Reason, deferred.CompensatingMeasure, deferred.DeferredByUserId) =
            (PatchState.Deferred, "外来診療中は端末を停止できず、次回の定期保守（3か月後）で適用したい。", "当該端末のログを日次で目視確認し、外部接続を遮断したセグメントで運用する。", sysop);
        db.PatchStatuses.Add(deferred);
        db.Notifications.Add(new Notification
        {
            Id = DemoDataSeeder.IdFor("notification:patch-deferral"), OrganizationId = hospital, RecipientRole = Roles.SecurityManager,
            TextKey = "Notify_PatchDeferralRequested", Args = $"[\"{medium.Identifier}\",\"1\"]", Link = PatchService.Link(hospital, medium.Id),
            SubjectType = PatchService.SubjectType, SubjectId = medium.Id.ToString(), CreatedAt = now,
        });
        await db.SaveChangesAsync(ct);
    }
}
