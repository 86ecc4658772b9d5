using VendorPortal.Features.Contacts;
using VendorPortal.Infrastructure.Data;

namespace VendorPortal.Infrastructure.Seeding;

/// <summary>
/// 連絡体制図 demo data: メディカルカルテ株式会社's incident contacts confirmed today, ネットワーク保守サービス株式会社's confirmed
/// 13 months ago (so the VendorContactStale gap shows), and 中央総合病院's internal roles. The local authorities stay blank, so
/// the hospital's ContactChartIncomplete gap shows too. Phone numbers are fictitious (0000 exchanges do not exist).
/// </summary>
public static class DemoContacts
{
    public static async Task SeedAsync(AppDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var hospital = DemoDataSeeder.IdFor("chuo-hospital");
        var emr = DemoDataSeeder.IdFor("emr-vendor");
        var net = DemoDataSeeder.IdFor("net-vendor");

        db.VendorContacts.AddRange(
            new VendorContact { VendorId = emr, Position = 0, RoleLabel = "障害受付窓口", Name = "カルテサポートセンター", Phone24h = "0120-000-101",
                OtherChannel = "専用窓口 https://support.emr-vendor.example", Email = "support@emr-vendor.example", Hours = "24時間365日" },
            new VendorContact { VendorId = emr, Position = 1, RoleLabel = "セキュリティ責任者", Name = "カルテ 管理者", OtherChannel = "携帯 090-0000-0102",
                Email = "admin@emr-vendor.example", Hours = "平日 9:00–18:00（時間外は障害受付窓口経由）" },
            new VendorContact { VendorId = net, Position = 0, RoleLabel = "障害受付窓口", Name = "ネットワーク監視センター", Phone24h = "03-0000-0201",
                OtherChannel = "FAX 03-0000-0202", Email = "noc@net-vendor.example", Hours = "24時間365日" });
        db.VendorContactConfirmations.AddRange(
            new VendorContactConfirmation { VendorId = emr, ConfirmedAt = now, ConfirmedByName = "カルテ 管理者" },
            new VendorContactConfirmation { VendorId = net, ConfirmedAt = now.AddMonths(-13), ConfirmedByName = "保守 管理者" });

        HospitalContact Role(HospitalContactRole role, string name, string phone, string? outOfHours, string? email) => new()
        {
            HospitalId = hospital, Role = role, Name = name, Phone = phone, PhoneOutOfHours = outOfHours, Email = email, UpdatedAt = now, UpdatedByName = "安全 三郎",
        };
        db.HospitalContacts.AddRange(
            Role(HospitalContactRole.SafetyManager, "安全 三郎（医療情報部）", "03-0000-0301", "090-0000-0302", "security@chuo-hospital.example"),
            Role(HospitalContactRole.Csirt, "医療情報部 CSIRT 窓口", "03-0000-0303", "090-0000-0304", null),
            Role(HospitalContactRole.Executive, "院長 四郎", "03-0000-0305", "090-0000-0306", "executive@chuo-hospital.example"),
            Role(HospitalContactRole.Operations, "運用 一郎（システム運用担当）", "03-0000-0307", null, "sysop@chuo-hospital.example"));
        await db.SaveChangesAsync(ct);
    }
}
