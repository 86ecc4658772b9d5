using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VendorPortal.Features.Account;
using VendorPortal.Features.Contacts;
using VendorPortal.Features.Inspection.Bundle;
using VendorPortal.Features.Inspection.Export;
using VendorPortal.Features.Inspection.Export.Sections;
using VendorPortal.Features.Patches;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.IntegrationTests.Ledger;
using VendorPortal.IntegrationTests.Patches;
using VendorPortal.IntegrationTests.Responsibility;
using VendorPortal.IntegrationTests.Subcontracting;
using VendorPortal.IntegrationTests.Support;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.IntegrationTests.Inspection;

/// <summary>
/// The bundle's 連絡体制図, ledger, 責任分界表, 再委託, EOS/patch and audit parts for a hospital with data in each, next to
/// another hospital with data of its own: every expected file is there, holds this hospital's data and never the
/// other's, the audit extract stops at the generation time, the chain verifies, and two exports are byte-identical.
/// </summary>
public sealed class BundleSectionsTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private const string Vendor24h = "03-1111-2424";
    private const string PolicePhone = "03-3581-4321";

    private sealed record Seeded(TenantSet Tenants, LedgerData.Records Ledger, string Subcontractor, string ManagementNumber);

    private async Task<PortalClient> SignedInAsync(TestUser user)
    {
        var client = factory.CreatePortalClient();
        await client.SignInAsync(user);
        return client;
    }

    /// <summary>Contacts, a ledger component with an EOS date, a confirmed matrix, an approved 再委託 with an attachment, a patch status.</summary>
    private async Task<Seeded> SeedAsync(bool full)
    {
        var t = await factory.Tenants.CreateAsync();
        var ledger = await LedgerData.SeedAsync(factory, t);
        await ResponsibilityData.CreateMatrixAsync(factory, t);
        var tag = Guid.NewGuid().ToString("N")[..6];
        var subcontractor = $"再委託先-{tag}";
        using var vendor = await SignedInAsync(t[Roles.VendorAdmin]);
        var id = await SubcontractData.CreateAsync(vendor, t, SubcontractData.Company(subcontractor));
        if (!full)
        {
            Assert.Equal(HttpStatusCode.OK, (await SubcontractData.StepAsync(vendor, id, "submit")).StatusCode);
            return new Seeded(t, ledger, subcontractor, "");
        }

        var now = DateTimeOffset.UtcNow;
        await factory.WithDbAsync(async (db, _) =>
        {
            db.HospitalContacts.AddRange(
                new HospitalContact { HospitalId = t.Hospital.Id, Role = HospitalContactRole.SafetyManager, Name = "安全 太郎", Phone = "03-0000-0001", PhoneOutOfHours = "090-0000-0001", UpdatedAt = now, UpdatedByName = "テスト" },
                new HospitalContact { HospitalId = t.Hospital.Id, Role = HospitalContactRole.AuthorityPolice, Name = "県警 サイバー犯罪対策課", Phone = PolicePhone, UpdatedAt = now, UpdatedByName = "テスト" });
            db.VendorContacts.Add(new VendorContact { VendorId = t.Vendor.Id, RoleLabel = "障害受付窓口", Name = "受付センター", Phone24h = Vendor24h, OtherChannel = "FAX 03-1111-2425", Hours = "24時間365日" });
            db.VendorContactConfirmations.Add(new VendorContactConfirmation { VendorId = t.Vendor.Id, ConfirmedAt = now, ConfirmedByName = "事業者 管理者" });
            await db.SaveChangesAsync();
        });
        var pc = await PatchData.ComponentsAsync(factory, t);
        await PatchData.AdvisoryAsync(factory, t, AdvisorySeverity.Critical, JapanTime.TodayInJapan(TimeProvider.System).AddDays(-30), pc.Supplied);

        using var security = await SignedInAsync(t[Roles.SecurityManager]);
        Assert.Equal(HttpStatusCode.OK, (await security.SendJsonAsync(HttpMethod.Post,
            $"/api/v1/hospitals/{t.Hospital.Id}/systems/{t.System.Id}/responsibility/confirmations", new { version = 1 })).StatusCode);

        await SubcontractData.UploadAsync(vendor, id, SubcontractData.Pdf, "契約書抜粋.pdf", "契約書の抜粋");
        Assert.Equal(HttpStatusCode.OK, (await SubcontractData.StepAsync(vendor, id, "submit")).StatusCode);
        using var sysop = await SignedInAsync(t[Roles.SystemOperator]);
        Assert.Equal(HttpStatusCode.OK, (await SubcontractData.StepAsync(sysop, id, "review", new { comment = "院内メモ：契約書確認済み" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SubcontractData.StepAsync(security, id, "opinion", new { opinion = "favourable", comment = "問題なし" })).StatusCode);
        using var executive = await SignedInAsync(t[Roles.Executive]);
        Assert.Equal(HttpStatusCode.OK, (await SubcontractData.StepAsync(executive, id, "decision",
            new { decision = "approve_with_conditions", comment = "必要な体制のため", conditions = "年1回の監査報告" })).StatusCode);
        return new Seeded(t, ledger, subcontractor, pc.SuppliedNumber);
    }

    private async Task<byte[]> ExportAsync(TenantSet t, DateTimeOffset at)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var name = await InspectionExportAccess.ActAsExporterAsync(scope.ServiceProvider, t[Roles.Auditor].Id, t.Hospital.Id);
        Assert.NotNull(name);
        using var output = new MemoryStream();
        await scope.ServiceProvider.GetRequiredService<InspectionBundleExporter>()
            .WriteAsync(BundleRequest.ForYear(t.Hospital.Id, FiscalYear.Of(DateOnly.FromDateTime(JapanTime.ToJst(at).DateTime)).StartYear, at, name!), output);
        return output.ToArray();
    }

    /// <summary>Every file's text; for an .xlsx the text of all its XML parts (shared strings, sheets).</summary>
    private static Dictionary<string, string> Texts(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip));
        var texts = new Dictionary<string, string>();
        foreach (var entry in archive.Entries)
        {
            using var buffer = new MemoryStream();
            using (var s = entry.Open())
            {
                s.CopyTo(buffer);
            }
            var bytes = buffer.ToArray();
            if (entry.FullName.EndsWith(".xlsx", StringComparison.Ordinal))
            {
                using var xlsx = new ZipArchive(new MemoryStream(bytes));
                texts[entry.FullName] = string.Concat(xlsx.Entries.Select(e => new StreamReader(e.Open()).ReadToEnd()));
            }
            else
            {
                texts[entry.FullName] = Encoding.UTF8.GetString(bytes);
            }
        }
        return texts;
    }

    [Fact]
    public async Task Each_part_holds_this_hospitals_data_only_stops_at_the_generation_time_and_is_deterministic()
    {
        var mine = await SeedAsync(full: true);
        var other = await SeedAsync(full: false);
        var now = DateTimeOffset.UtcNow;
        var pinned = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        // Recorded after the generation time: must not be in the extract.
        using (var late = await SignedInAsync(mine.Tenants[Roles.TenantAdmin]))
        {
            Assert.Equal(HttpStatusCode.OK, (await late.GetAsync($"/Hospitals/{mine.Tenants.Hospital.Id}/Contacts")).StatusCode);
        }

        var zip = await ExportAsync(mine.Tenants, pinned);
        var verification = await BundleVerifier.VerifyAsync(new MemoryStream(zip));
        Assert.True(verification.Ok, string.Join("; ", verification.Problems.Select(p => p.Detail)));
        var files = Texts(zip);
        var t = mine.Tenants;

        string[] expected =
        [
            "02_contacts/連絡体制図.html", "02_contacts/連絡体制図.xlsx", "06_ledger/医療情報システム台帳.xlsx",
            $"07_responsibility/{SectionFiles.Sanitize(t.System.Name)}_第1版.xlsx", "07_responsibility/承認記録.html",
            "08_subcontracting/再委託の記録.xlsx", "08_subcontracting/attachments/request-001/契約書抜粋.pdf",
            "09_eos-patches/EOS・パッチ状況.html", "09_eos-patches/EOS・パッチ状況.xlsx",
            "95_audit/監査ログ.csv", "95_audit/ハッシュチェーン検証結果.txt",
        ];
        foreach (var path in expected)
        {
            Assert.True(files.ContainsKey(path), $"{path} missing; files: {string.Join(", ", files.Keys)}");
        }

        // 連絡体制図: the vendor's 24-hour line, the authority the hospital filled in, and the national default.
        var chart = files["02_contacts/連絡体制図.html"];
        Assert.Contains(Vendor24h, chart);
        Assert.Contains(PolicePhone, chart);
        Assert.Contains("03-6812-7837", chart);
        Assert.Contains(t.Vendor.Name, chart);
        Assert.Contains("未登録", chart); // e.g. the CSIRT role was never entered
        Assert.DoesNotContain("<script", chart, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(Vendor24h, files["02_contacts/連絡体制図.xlsx"]);

        // Ledger, EOS, matrix sign-off, 再委託 with its decision and the hospital-only review note.
        Assert.Contains(mine.ManagementNumber, files["06_ledger/医療情報システム台帳.xlsx"]);
        Assert.Contains("Windows Server 2016", files["09_eos-patches/EOS・パッチ状況.xlsx"]);
        Assert.Contains("2027/01/12", files["09_eos-patches/EOS・パッチ状況.xlsx"]);
        Assert.Contains("期限超過", files["09_eos-patches/EOS・パッチ状況.html"]); // a critical patch open for 30 days
        var signOff = files["07_responsibility/承認記録.html"];
        Assert.Contains(t[Roles.SecurityManager].Email, signOff);
        Assert.Contains("未確認", signOff); // the vendor has not confirmed
        var register = files["08_subcontracting/再委託の記録.xlsx"];
        Assert.Contains(mine.Subcontractor, register);
        Assert.Contains("条件付き承認", register);
        Assert.Contains("年1回の監査報告", register);
        Assert.Contains("院内メモ：契約書確認済み", register);
        Assert.Equal(SubcontractData.Pdf, Encoding.UTF8.GetBytes(files["08_subcontracting/attachments/request-001/契約書抜粋.pdf"]));

        // Audit: only this hospital's events, inside [period start, generation time), ordered by sequence.
        var csv = files["95_audit/監査ログ.csv"];
        Assert.StartsWith("\uFEFFsequence,occurred_at_jst,", csv);
        var rows = Csv(csv.TrimStart('\uFEFF')).Skip(1).ToList();
        Assert.NotEmpty(rows);
        var pinnedJst = JapanTime.ToJst(pinned).DateTime;
        var sequences = new List<long>();
        foreach (var row in rows)
        {
            Assert.Equal(t.Hospital.Id.ToString(), row[4]);
            Assert.True(DateTime.ParseExact(row[1], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) < pinnedJst, row[1]);
            sequences.Add(long.Parse(row[0], CultureInfo.InvariantCulture));
        }
        Assert.Equal(sequences.Order(), sequences);
        var chain = files["95_audit/ハッシュチェーン検証結果.txt"];
        Assert.Contains("結果: 正常", chain);
        Assert.Contains($"抽出件数: {rows.Count} 件", chain);

        // Nothing of the other hospital anywhere.
        string[] theirs = [other.Tenants.Hospital.Name, other.Tenants.Hospital.Id.ToString(), other.Tenants.System.Name, other.Subcontractor, other.Tenants.Vendor.Name];
        foreach (var (path, text) in files)
        {
            foreach (var value in theirs)
            {
                Assert.False(text.Contains(value, StringComparison.Ordinal), $"{path} contains another hospital's {value}");
            }
        }
        var theirComponents = await factory.WithDbAsync((db, _) => Task.FromResult(
            db.SystemComponents.Where(c => c.HospitalId == other.Tenants.Hospital.Id).Select(c => c.ManagementNumber).ToList()));
        Assert.NotEmpty(theirComponents);
        Assert.All(theirComponents, n => Assert.DoesNotContain(n, files["06_ledger/医療情報システム台帳.xlsx"]));

        // The index lists them, and a second export at the same pinned time is byte-identical — even though the log (and
        // the global chain) has grown in between: the extract and the verification stop at the generation time.
        Assert.Contains("連絡体制図", files["index.html"]);
        using (var later = await SignedInAsync(t[Roles.SecurityManager]))
        {
            Assert.Equal(HttpStatusCode.OK, (await later.GetAsync($"/Hospitals/{t.Hospital.Id}/Contacts")).StatusCode);
        }
        Assert.Equal(zip, await ExportAsync(t, pinned));
    }

    [Fact]
    public async Task Verification_bounded_by_an_instant_stops_at_the_last_event_before_it()
    {
        await factory.Tenants.CreateAsync();
        var bound = DateTimeOffset.UtcNow;
        await factory.Tenants.CreateAsync(); // more events after the bound
        var (bounded, full, expectedLast, expectedHash) = await factory.WithDbAsync(async (db, sp) =>
        {
            var verification = sp.GetRequiredService<AuditVerification>();
            var last = await db.AuditEvents.IgnoreQueryFilters().Where(e => e.OccurredAt < bound).OrderByDescending(e => e.Sequence).FirstAsync();
            return (await verification.VerifyAsync(before: bound), await verification.VerifyAsync(), last.Sequence, last.Hash);
        });
        Assert.True(bounded.IsIntact);
        Assert.Equal(expectedLast, bounded.LastSequence);
        Assert.Equal(expectedHash, bounded.LastHash);
        Assert.True(full.IsIntact);
        Assert.True(full.Checked > bounded.Checked);
        Assert.True(full.LastSequence > bounded.LastSequence);
    }

    /// <summary>RFC 4180 rows (quoted fields with commas, doubled quotes and line breaks).</summary>
    private static IEnumerable<List<string>> Csv(string text)
    {
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                yield return row;
                row = [];
            }
            else
            {
                field.Append(c);
            }
        }
        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            yield return row;
        }
    }
}
