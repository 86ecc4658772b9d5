using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OfficeOpenXml;
using VendorPortal.Features.Account;
using VendorPortal.Features.Disclosures;
using VendorPortal.Features.Forms;
using VendorPortal.Features.Inspection.Bundle;
using VendorPortal.Features.Inspection.Export;
using VendorPortal.Features.Inspection.Export.Sections;
using VendorPortal.Features.Ledger;
using VendorPortal.Features.Organizations;
using VendorPortal.Infrastructure.Data;
using VendorPortal.IntegrationTests.Disclosures;
using VendorPortal.IntegrationTests.Support;

namespace VendorPortal.IntegrationTests.Inspection;

/// <summary>
/// The checklists (01), MDS/SDS (04) and remote-maintenance (05) parts of the bundle: what the hospital sees is in
/// the ZIP (attachments byte for byte), nothing else is (a vendor's drafts, another hospital's or an unshared or
/// withdrawn disclosure), and the same data at the same pinned time gives the same bytes.
/// </summary>
public sealed class ChecklistDisclosureSectionsTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private static readonly DateTimeOffset Pinned = new(2026, 11, 21, 6, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Submitted = new(2026, 7, 1, 1, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly FirstRound = new(2026, 5, 10);
    private static readonly DateOnly Target = new(2027, 1, 31);
    private const string VendorDraftMarker = "VENDOR-DRAFT-NEVER-SENT";
    private const string OtherHospitalMarker = "OTHER-HOSPITAL-ATTACHMENT";
    private const string UnsharedMarker = "UNSHARED-ATTACHMENT";
    private const string WithdrawnMarker = "WITHDRAWN-ATTACHMENT";
    private const string DraftDisclosureProduct = "未送信の下書き製品";

    private sealed record Seeded(TenantSet T, TenantSet Other, Organization Silent, Organization DraftOnly, byte[] Pdf1, byte[] Pdf2,
        Guid MdsSubmission, Guid MdsAttachment, Guid UnsharedSubmission, Guid UnsharedAttachment, Guid WithdrawnSubmission, Guid WithdrawnAttachment);

    private async Task<byte[]> ExportAsync(TenantSet t, string role = Roles.Auditor)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var name = await InspectionExportAccess.ActAsExporterAsync(scope.ServiceProvider, t[role].Id, t.Hospital.Id);
        Assert.NotNull(name);
        using var output = new MemoryStream();
        await scope.ServiceProvider.GetRequiredService<InspectionBundleExporter>().WriteAsync(BundleRequest.ForYear(t.Hospital.Id, 2026, Pinned, name!), output);
        return output.ToArray();
    }

    private static FormSubmissionVersion Version(Guid submissionId, string templateHash, FormAnswers answers, TestUser by, string attachments = "[]")
    {
        var json = AnswerJson.Serialize(answers);
        return new FormSubmissionVersion
        {
            Id = Guid.NewGuid(), SubmissionId = submissionId, Number = 1, Answers = json, Attachments = attachments, ContentHash = AnswerJson.Hash(json),
            TemplateHash = templateHash, SubmittedAt = Submitted, SubmittedByUserId = by.Id, SubmittedByName = by.Email,
        };
    }

    private static byte[] Pdf(string text, int size)
    {
        var head = Encoding.ASCII.GetBytes($"%PDF-1.7\n% {text}\n");
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        head.CopyTo(bytes, 0);
        return bytes;
    }

    /// <summary>
    /// A disclosure (MDS) of <paramref name="vendor"/> with one attachment per entry of <paramref name="files"/>, its
    /// latest version submitted, shared with <paramref name="hospital"/> (withdrawn if asked).
    /// </summary>
    private static async Task<(Guid Submission, Guid[] Attachments)> DisclosureAsync(AppDbContext db, Organization vendor, Organization hospital, TestUser by,
        string productName, (string Name, byte[] Content)[] files, bool withdrawn = false, SubmissionState review = SubmissionState.Accepted, int latestVersion = 1)
    {
        var template = await db.FormTemplateVersions.SingleAsync(t => t.Key == DisclosureSupport.MdsTemplate);
        var product = new Product { Id = Guid.NewGuid(), VendorId = vendor.Id, Kind = FormKind.Mds, Name = productName, Version = "1.0", CreatedAt = Submitted };
        var s = new FormSubmission
        {
            Id = Guid.NewGuid(), TemplateKey = template.Key, Kind = FormKind.Mds, RespondentOrganizationId = vendor.Id, ProductId = product.Id,
            State = latestVersion > 0 ? SubmissionState.Submitted : SubmissionState.Draft, LatestVersion = latestVersion, CreatedAt = Submitted, UpdatedAt = Submitted,
        };
        var attachments = files.Select(f => new FormAttachment
        {
            Id = Guid.NewGuid(), SubmissionId = s.Id, FileName = f.Name, ContentType = "application/pdf", Size = f.Content.Length,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(f.Content)), Content = f.Content, UploadedAt = Submitted, UploadedByUserId = by.Id,
            UploadedByName = by.Email, InDraft = true, FirstSubmittedVersion = latestVersion > 0 ? 1 : null,
        }).ToList();
        db.Products.Add(product);
        db.FormSubmissions.Add(s);
        db.FormAttachments.AddRange(attachments);
        if (latestVersion > 0)
        {
            var manifest = SubmissionSnapshot.SerializeManifest(attachments.Select(a => new AttachmentManifestEntry(a.Id, a.FileName, a.ContentType, a.Size, a.Sha256)));
            db.FormSubmissionVersions.Add(Version(s.Id, template.ContentHash,
                new FormAnswers([new CheckRound(1, null, template.Parse().Items.Take(3).ToDictionary(i => i.Id, _ => new ItemAnswer("Yes")))]), by, manifest));
        }
        db.FormSubmissionRecipients.Add(new FormSubmissionRecipient
        {
            SubmissionId = s.Id, HospitalId = hospital.Id, VendorId = vendor.Id, ReviewState = latestVersion > 0 ? review : SubmissionState.Draft,
            ReviewedVersion = review == SubmissionState.Accepted ? 1 : null, ReviewedAt = review == SubmissionState.Accepted ? Submitted.AddDays(2) : null,
            SharedAt = Submitted, SharedByUserId = by.Id, WithdrawnAt = withdrawn ? Submitted.AddDays(5) : null, WithdrawnByUserId = withdrawn ? by.Id : null,
            UpdatedAt = Submitted,
        });
        await db.SaveChangesAsync();
        return (s.Id, [.. attachments.Select(a => a.Id)]);
    }

    private async Task<Seeded> SeedAsync()
    {
        var t = await factory.Tenants.CreateAsync();
        var other = await factory.Tenants.CreateAsync();
        var tag = Guid.NewGuid().ToString("N")[..6];
        var silent = new Organization { Id = Guid.NewGuid(), Name = $"未提出の事業者-{tag}", Kind = OrganizationKind.Vendor, VendorKinds = VendorKind.ServiceProvider, CreatedAt = Submitted };
        var draftOnly = new Organization { Id = Guid.NewGuid(), Name = $"下書きだけの事業者-{tag}", Kind = OrganizationKind.Vendor, VendorKinds = VendorKind.ServiceProvider, CreatedAt = Submitted };
        await factory.WithDbAsync(async (db, _) =>
        {
            db.Organizations.AddRange(silent, draftOnly);
            await db.SaveChangesAsync();
        });
        await DisclosureSupport.EngageAsync(factory, silent, t.Hospital);
        await DisclosureSupport.EngageAsync(factory, draftOnly, t.Hospital);
        var pdf1 = Pdf("signed MDS", 300_000);
        var pdf2 = Pdf("certificate", 70_001);
        var vendorUser = t[Roles.VendorAdmin];
        var hospitalUser = t[Roles.SecurityManager];
        return await factory.WithDbAsync(async (db, _) =>
        {
            var vendorTemplate = await db.FormTemplateVersions.SingleAsync(x => x.Key == "vendor-checklist-sample-r7");
            var hospitalTemplate = await db.FormTemplateVersions.SingleAsync(x => x.Key == "hospital-checklist-r7");
            var rmTemplate = await db.FormTemplateVersions.SingleAsync(x => x.Key == "remote-maintenance-proposal-v1");
            var vendorItems = vendorTemplate.Parse().Items.Where(i => i.Has(RuleKind.TargetDateWhenNo)).Take(2).ToList();
            var hospitalItem = hospitalTemplate.Parse().Items.First(i => i.Has(RuleKind.TargetDateWhenNo));

            // The hospital's own checklist, recorded.
            var own = new FormSubmission
            {
                Id = Guid.NewGuid(), TemplateKey = hospitalTemplate.Key, Kind = FormKind.HospitalChecklist, RespondentOrganizationId = t.Hospital.Id,
                HospitalId = t.Hospital.Id, FiscalYear = 2026, State = SubmissionState.Recorded, LatestVersion = 1, CreatedAt = Submitted, UpdatedAt = Submitted,
            };
            db.FormSubmissions.Add(own);
            db.FormSubmissionVersions.Add(Version(own.Id, hospitalTemplate.ContentHash, new FormAnswers([new CheckRound(1, new DateOnly(2026, 4, 20),
                new Dictionary<string, ItemAnswer> { [hospitalItem.Id] = new("No", Target, null) })]), hospitalUser));

            // The vendor's checklist: submitted and accepted; its draft (being edited again) must never show.
            var vendorChecklist = new FormSubmission
            {
                Id = Guid.NewGuid(), TemplateKey = vendorTemplate.Key, Kind = FormKind.VendorChecklist, RespondentOrganizationId = t.Vendor.Id,
                HospitalId = t.Hospital.Id, FiscalYear = 2026, State = SubmissionState.Accepted, LatestVersion = 1, CreatedAt = Submitted, UpdatedAt = Submitted,
                DraftAnswers = AnswerJson.Serialize(new FormAnswers([new CheckRound(1, FirstRound, new Dictionary<string, ItemAnswer>
                    { [vendorItems[0].Id] = new("Yes", null, VendorDraftMarker) })])),
            };
            db.FormSubmissions.Add(vendorChecklist);
            db.FormSubmissionVersions.Add(Version(vendorChecklist.Id, vendorTemplate.ContentHash, new FormAnswers([new CheckRound(1, FirstRound,
                new Dictionary<string, ItemAnswer> { [vendorItems[0].Id] = new("No", Target, "更新予定"), [vendorItems[1].Id] = new("No", null, null) })]), vendorUser));
            db.FormReviewEvents.Add(new FormReviewEvent
            {
                Id = Guid.NewGuid(), SubmissionId = vendorChecklist.Id, VersionNumber = 1, Action = ReviewAction.Accepted, ActorUserId = hospitalUser.Id,
                ActorName = hospitalUser.Email, ActorOrganizationId = t.Hospital.Id, At = Submitted.AddDays(3),
            });

            // An engaged vendor whose checklist is still a draft (never submitted).
            db.FormSubmissions.Add(new FormSubmission
            {
                Id = Guid.NewGuid(), TemplateKey = vendorTemplate.Key, Kind = FormKind.VendorChecklist, RespondentOrganizationId = draftOnly.Id,
                HospitalId = t.Hospital.Id, FiscalYear = 2026, State = SubmissionState.Draft, LatestVersion = 0, CreatedAt = Submitted, UpdatedAt = Submitted,
                DraftAnswers = AnswerJson.Serialize(new FormAnswers([new CheckRound(1, FirstRound, new Dictionary<string, ItemAnswer>
                    { [vendorItems[0].Id] = new("Yes", null, VendorDraftMarker) })])),
            });

            // A submitted remote-maintenance disclosure for the hospital's system.
            var rm = new FormSubmission
            {
                Id = Guid.NewGuid(), TemplateKey = rmTemplate.Key, Kind = FormKind.RemoteMaintenance, RespondentOrganizationId = t.Vendor.Id,
                HospitalId = t.Hospital.Id, SystemId = t.System.Id, State = SubmissionState.Submitted, LatestVersion = 1, CreatedAt = Submitted, UpdatedAt = Submitted,
            };
            db.FormSubmissions.Add(rm);
            db.FormSubmissionVersions.Add(Version(rm.Id, rmTemplate.ContentHash, new FormAnswers([new CheckRound(1, null,
                rmTemplate.Parse().Items.Take(1).ToDictionary(i => i.Id, _ => new ItemAnswer("Yes")))]), vendorUser));

            // Ledger: one device with remote maintenance, one retired, one without.
            SystemComponent Component(string number, bool remote, DateOnly? retired) => new()
            {
                Id = Guid.NewGuid(), HospitalId = t.Hospital.Id, SystemId = t.System.Id, ManagementNumber = number, Kind = ComponentKind.VpnDevice,
                Name = $"VPN装置 {number}", Maker = "ネット機器社", Model = "VX-100", IpAddress = "10.0.0.1", SupplierVendorId = t.Vendor.Id,
                UsesRemoteMaintenance = remote, NetworkSegment = NetworkSegment.External, RetiredOn = retired, CreatedAt = Submitted, UpdatedAt = Submitted,
            };
            db.SystemComponents.AddRange(Component("RM-002", true, null), Component("RM-001", true, new DateOnly(2030, 1, 1)),
                Component("RM-000", true, new DateOnly(2026, 1, 31)), Component("NRM-001", false, null));
            await db.SaveChangesAsync();

            // MDS shared with this hospital: two attachments whose names differ only in case.
            var (mds, mdsFiles) = await DisclosureAsync(db, t.Vendor, t.Hospital, vendorUser, "共有製品", [("開示書.pdf", pdf1), ("開示書.PDF", pdf2)]);
            // Not for this hospital: another hospital's, one of this vendor shared elsewhere only, a withdrawn one, an unsent draft.
            await DisclosureAsync(db, other.Vendor, other.Hospital, other[Roles.VendorAdmin], "他院の製品", [("他院.pdf", Pdf(OtherHospitalMarker, 5000))]);
            var (unshared, unsharedFiles) = await DisclosureAsync(db, t.Vendor, other.Hospital, vendorUser, "他院だけの製品", [("他院だけ.pdf", Pdf(UnsharedMarker, 5000))]);
            var (withdrawn, withdrawnFiles) = await DisclosureAsync(db, t.Vendor, t.Hospital, vendorUser, "取り下げた製品", [("取り下げ.pdf", Pdf(WithdrawnMarker, 5000))], withdrawn: true);
            await DisclosureAsync(db, t.Vendor, t.Hospital, vendorUser, DraftDisclosureProduct, [("下書き.pdf", Pdf(VendorDraftMarker, 5000))], latestVersion: 0);
            return new Seeded(t, other, silent, draftOnly, pdf1, pdf2, mds, mdsFiles[0], unshared, unsharedFiles[0], withdrawn, withdrawnFiles[0]);
        });
    }

    private static bool Holds(byte[] zip, string text) => zip.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;

    private static byte[] Entry(ZipArchive archive, string path)
    {
        var entry = archive.GetEntry(path) ?? throw new Xunit.Sdk.XunitException($"{path} is not in the bundle: {string.Join(", ", archive.Entries.Select(e => e.FullName))}");
        using var s = entry.Open();
        using var m = new MemoryStream();
        s.CopyTo(m);
        return m.ToArray();
    }

    private static string Row(string html, string name)
        => html.Split("<tr>").Skip(1).FirstOrDefault(r => r.Contains(System.Net.WebUtility.HtmlEncode(name))) ?? throw new Xunit.Sdk.XunitException($"No row for {name}");

    [Fact]
    public async Task The_bundle_holds_the_checklists_disclosures_and_remote_maintenance_the_hospital_sees_and_nothing_else()
    {
        var s = await SeedAsync();
        var zip = await ExportAsync(s.T);

        var verification = await BundleVerifier.VerifyAsync(new MemoryStream(zip));
        Assert.True(verification.Ok, string.Join("; ", verification.Problems.Select(p => p.Detail)));
        using var archive = new ZipArchive(new MemoryStream(zip));
        var names = archive.Entries.Select(e => e.FullName).ToList();

        // 01: status table, the hospital's checklist, one vendor checklist (the draft-only vendor has none).
        Assert.Contains("01_checklists/提出状況一覧.html", names);
        Assert.Contains("01_checklists/提出状況一覧.xlsx", names);
        Assert.Single(names, n => n.StartsWith("01_checklists/hospital/", StringComparison.Ordinal) && n.EndsWith(".xlsx", StringComparison.Ordinal));
        var vendorFile = Assert.Single(names, n => n.StartsWith("01_checklists/vendors/", StringComparison.Ordinal));
        Assert.Contains(s.T.Vendor.Name, vendorFile);
        var status = Encoding.UTF8.GetString(Entry(archive, "01_checklists/提出状況一覧.html"));
        Assert.Contains("未提出", Row(status, s.Silent.Name));
        Assert.Contains("未提出", Row(status, s.DraftOnly.Name));
        var vendorRow = Row(status, s.T.Vendor.Name);
        Assert.Contains("受理済み", vendorRow);
        Assert.Contains("2026/05/10", vendorRow);                  // first round date
        Assert.Contains("<td class=\"n\">2</td><td class=\"n\">1</td>", vendorRow); // two いいえ, one with a 目標日
        Assert.Contains("記録済み", Row(status, s.T.Hospital.Name));
        using (var package = new ExcelPackage(new MemoryStream(Entry(archive, vendorFile))))
        {
            var dates = package.Workbook.Worksheets[0].Cells.Select(c => c.Value switch
            {
                DateTime d => d.Date,
                double x => DateTime.FromOADate(x).Date,
                _ => (DateTime?)null,
            }).ToList();
            Assert.Contains(FirstRound.ToDateTime(TimeOnly.MinValue), dates);
            Assert.Contains(Target.ToDateTime(TimeOnly.MinValue), dates);
            Assert.Contains(new DateTime(2026, 11, 21), dates);   // 作成日: the bundle's date, not the clock's
        }

        // 04: the list, the disclosure's workbook and both attachments byte for byte, names unique ignoring case.
        var mds = names.Where(n => n.StartsWith("04_mds-sds/", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, mds.Count);
        Assert.Contains("04_mds-sds/MDS-SDS一覧.html", mds);
        Assert.Contains("04_mds-sds/MDS-SDS一覧.xlsx", mds);
        Assert.Single(mds, n => n.StartsWith("04_mds-sds/01_MDS/", StringComparison.Ordinal) && n.EndsWith(".xlsx", StringComparison.Ordinal));
        // In file-name order (ordinal: "PDF" before "pdf"), the second of the same name numbered.
        Assert.Equal(s.Pdf2, Entry(archive, "04_mds-sds/01_MDS/開示書.PDF"));
        Assert.Equal(s.Pdf1, Entry(archive, "04_mds-sds/01_MDS/開示書 (2).pdf"));
        var list = Encoding.UTF8.GetString(Entry(archive, "04_mds-sds/MDS-SDS一覧.html"));
        Assert.Contains("共有製品", list);
        Assert.Contains("受理済み", list);
        Assert.Contains("2026/07/03", list);                          // the hospital's acceptance date (JST)
        Assert.Contains(s.T.System.Name, list);                        // the vendor's engaged system

        // 05: the remote-maintenance disclosure and the devices (retired and non-remote ones left out), by 管理番号.
        Assert.Single(names, n => n.StartsWith("05_remote-maintenance/disclosures/", StringComparison.Ordinal) && n.EndsWith(".xlsx", StringComparison.Ordinal));
        Assert.Contains("05_remote-maintenance/リモートメンテナンス利用機器一覧.xlsx", names);
        var devices = Encoding.UTF8.GetString(Entry(archive, "05_remote-maintenance/リモートメンテナンス利用機器一覧.html"));
        Assert.True(devices.IndexOf("RM-001", StringComparison.Ordinal) < devices.IndexOf("RM-002", StringComparison.Ordinal));
        Assert.DoesNotContain("RM-000", devices);
        Assert.DoesNotContain("NRM-001", devices);
        Assert.Contains("VPN装置", devices);
        Assert.Contains("外部接続", devices);

        // Never: a vendor's unsent draft, another hospital's, an unshared or a withdrawn disclosure or its files.
        Assert.False(Holds(zip, VendorDraftMarker));
        Assert.False(Holds(zip, DraftDisclosureProduct));
        Assert.False(Holds(zip, OtherHospitalMarker));
        Assert.False(Holds(zip, UnsharedMarker));
        Assert.False(Holds(zip, WithdrawnMarker));
        Assert.False(Holds(zip, "他院の製品"));
        Assert.False(Holds(zip, "取り下げた製品"));

        // Every file is linked from index.html.
        var index = Encoding.UTF8.GetString(Entry(archive, "index.html"));
        foreach (var path in names.Where(n => n.StartsWith("0", StringComparison.Ordinal)))
        {
            Assert.Contains($"href=\"{System.Net.WebUtility.HtmlEncode(BundleIndex.Href(path))}\"", index);
        }
    }

    [Fact]
    public async Task Two_exports_at_the_same_pinned_time_are_byte_identical()
    {
        var s = await SeedAsync();
        var first = await ExportAsync(s.T);
        var second = await ExportAsync(s.T);
        // The manifests first: a difference names the file.
        var sums = Encoding.UTF8.GetString(Entry(new ZipArchive(new MemoryStream(first)), "SHA256SUMS")).Split('\n');
        var again = Encoding.UTF8.GetString(Entry(new ZipArchive(new MemoryStream(second)), "SHA256SUMS")).Split('\n');
        Assert.Empty(sums.Except(again).Select(l => l[66..]));
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task The_raw_attachment_query_returns_only_files_shared_with_the_hospital_and_not_withdrawn()
    {
        var s = await SeedAsync();
        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        await connection.OpenAsync();
        async Task<bool> Found(Guid hospital, Guid submission, Guid attachment)
        {
            await using var command = new NpgsqlCommand(DisclosuresSection.ContentSql, connection);
            command.Parameters.AddWithValue("hospital", hospital);
            command.Parameters.AddWithValue("submission", submission);
            command.Parameters.AddWithValue("attachment", attachment);
            await using var reader = await command.ExecuteReaderAsync();
            return await reader.ReadAsync();
        }
        Assert.True(await Found(s.T.Hospital.Id, s.MdsSubmission, s.MdsAttachment));
        Assert.False(await Found(s.Other.Hospital.Id, s.MdsSubmission, s.MdsAttachment));          // another hospital
        Assert.False(await Found(s.T.Hospital.Id, s.UnsharedSubmission, s.UnsharedAttachment));    // shared elsewhere only
        Assert.False(await Found(s.T.Hospital.Id, s.WithdrawnSubmission, s.WithdrawnAttachment));  // withdrawn
        Assert.False(await Found(s.T.Hospital.Id, s.MdsSubmission, s.UnsharedAttachment));         // an id of another submission
    }

    [Fact]
    public async Task A_hospital_with_nothing_gets_notes_and_its_engaged_vendor_as_not_submitted()
    {
        var t = await factory.Tenants.CreateAsync();
        var zip = await ExportAsync(t);
        Assert.True((await BundleVerifier.VerifyAsync(new MemoryStream(zip))).Ok);
        using var archive = new ZipArchive(new MemoryStream(zip));
        var names = archive.Entries.Select(e => e.FullName).ToList();
        Assert.DoesNotContain(names, n => n.StartsWith("04_mds-sds/", StringComparison.Ordinal) || n.StartsWith("05_remote-maintenance/", StringComparison.Ordinal));
        var status = Encoding.UTF8.GetString(Entry(archive, "01_checklists/提出状況一覧.html"));
        Assert.Contains("未提出", Row(status, t.Vendor.Name));
        Assert.Contains("未記録", Row(status, t.Hospital.Name));
        var index = Encoding.UTF8.GetString(Entry(archive, "index.html"));
        Assert.Contains("医療機関確認用チェックリスト（令和8年度）はポータルに記録されていません。", index);
        Assert.Contains("該当なし（医療機関に共有されている MDS/SDS はありません）。", index);
        Assert.Contains(System.Net.WebUtility.HtmlEncode($"MDS/SDS の共有がない契約中の事業者（1 社）: {t.Vendor.Name}"), index);
        Assert.Contains("リモートメンテナンス開示書: 該当なし", index);
        Assert.Contains("リモートメンテナンスを利用する機器: 該当なし", index);
    }
}
