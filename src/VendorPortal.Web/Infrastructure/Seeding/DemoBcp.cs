using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Inspection.Bcp;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Files;

namespace VendorPortal.Infrastructure.Seeding;

/// <summary>
/// Demo BCP of 中央総合病院: a first edition dated 1 April of last 年度 (令和7年4月1日 when run in 令和8年度; history) and
/// its revision dated 1 April of this 年度 (current, so the demo hospital's BCP item is ready), uploaded by the security
/// manager, each a small PDF generated here (<see cref="DemoDataSeeder.DemoPdf"/>).
/// </summary>
public static class DemoBcp
{
    public static async Task SeedAsync(AppDbContext db, DateTimeOffset now, DateOnly today, CancellationToken ct)
    {
        var hospital = DemoDataSeeder.IdFor("chuo-hospital");
        var uploader = await db.Users.IgnoreQueryFilters().Where(u => u.Email == "security@chuo-hospital.example").Select(u => (Guid?)u.Id).SingleOrDefaultAsync(ct);
        if (uploader is null)
        {
            return;
        }
        var thisYear = Time.FiscalYear.Of(today).FirstDay;
        Add("bcp:chuo:1", "サイバー攻撃を想定した事業継続計画（医療情報システム部門）", thisYear.AddYears(-1), "第1版", null,
            "chuo-bcp-v1.pdf", now.AddMonths(-13));
        Add("bcp:chuo:2", "サイバー攻撃を想定した事業継続計画（医療情報システム部門）", thisYear, "第2版",
            "BCP策定の確認表（令和6年6月）で点検し、紙運用への切替手順を追記。", "chuo-bcp-v2.pdf", now.AddDays(-1));
        await db.SaveChangesAsync(ct);

        void Add(string key, string title, DateOnly date, string version, string? note, string fileName, DateTimeOffset uploadedAt)
        {
            var pdf = DemoDataSeeder.DemoPdf($"VendorPortal demo: BCP {version} {date:yyyy-MM-dd} (placeholder for the hospital's plan)");
            var id = DemoDataSeeder.IdFor(key);
            db.BcpDocuments.Add(new BcpDocument
            {
                Id = id, HospitalId = hospital, Title = title, DocumentDate = date, VersionLabel = version, Note = note,
                FileName = AttachmentRules.SanitizeFileName(fileName, AttachmentRules.Pdf), ContentType = AttachmentRules.Pdf, Size = pdf.Length,
                Sha256 = AttachmentRules.Sha256Of(pdf), UploadedByUserId = uploader.Value, UploadedByName = "安全 三郎", UploadedAt = uploadedAt,
            });
            db.BcpDocumentContents.Add(new BcpDocumentContent { DocumentId = id, Bytes = pdf });
        }
    }
}
