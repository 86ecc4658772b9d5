using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VendorPortal.Features.Account;
using VendorPortal.Features.Organizations;
using VendorPortal.Features.Subcontracting;
using VendorPortal.Infrastructure.Seeding;
using VendorPortal.IntegrationTests.Support;

namespace VendorPortal.IntegrationTests.Platform;

public sealed class PlatformOperatorTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Operator_onboards_a_hospital_with_its_first_admin_and_engages_a_vendor()
    {
        var op = await factory.Tenants.CreatePlatformOperatorAsync();
        var existing = await factory.Tenants.CreateAsync();
        using var client = factory.CreatePortalClient();
        await client.SignInAsync(op);
        var name = $"新規病院-{Guid.NewGuid():N}"[..12];
        var admin = $"admin-{Guid.NewGuid():N}@new.test";
        var r = await client.PostFormAsync("/Platform/Organizations", new Dictionary<string, string>
        {
            ["Input.Name"] = name, ["Input.Kind"] = "Clinic", ["Input.CorporateNumber"] = "1234567890123", ["Input.AdminEmail"] = admin,
        });
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var org = await factory.WithDbAsync(async (db, _) => await db.Organizations.SingleAsync(o => o.Name == name));
        Assert.Equal(OrganizationKind.Hospital, org.Kind);
        Assert.Equal(HospitalKind.Clinic, org.HospitalKind);
        var invitation = await factory.WithDbAsync(async (db, _) => await db.Invitations.SingleAsync(i => i.OrganizationId == org.Id));
        Assert.Equal(Roles.TenantAdmin, invitation.Role);
        Assert.Equal(admin, invitation.Email);

        var e = await client.PostFormAsync("/Platform/Engagements", new Dictionary<string, string>
        {
            ["Input.HospitalId"] = org.Id.ToString(), ["Input.VendorId"] = existing.Vendor.Id.ToString(), ["Input.Title"] = "新規契約",
            ["Input.StartsOn"] = "2026-04-01", ["Input.EndsOn"] = "2027-03-31",
        });
        Assert.Equal(HttpStatusCode.Redirect, e.StatusCode);

        // The vendor now sees the new hospital.
        using var vendor = factory.CreatePortalClient();
        await vendor.SignInAsync(existing[Roles.VendorMember]);
        Assert.Contains(name, (await vendor.GetDocumentAsync("/")).Body!.TextContent);
    }

    [Fact]
    public async Task Bad_organization_and_engagement_input_is_refused_and_nothing_is_half_saved()
    {
        var op = await factory.Tenants.CreatePlatformOperatorAsync();
        var existing = await factory.Tenants.CreateAsync();
        using var client = factory.CreatePortalClient();
        await client.SignInAsync(op);
        var name = $"重複-{Guid.NewGuid():N}"[..10];
        // The first admin's address already has an account: neither organization nor invitation is kept.
        var r = await client.PostFormAsync("/Platform/Organizations", new Dictionary<string, string>
        {
            ["Input.Name"] = name, ["Input.Kind"] = "Hospital", ["Input.AdminEmail"] = existing[Roles.Auditor].Email,
        });
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains("既に登録されています", await r.Content.ReadAsStringAsync());
        Assert.False(await factory.WithDbAsync(async (db, _) => await db.Organizations.AnyAsync(o => o.Name == name)));

        var badNumber = await client.PostFormAsync("/Platform/Organizations", new Dictionary<string, string>
        {
            ["Input.Name"] = name, ["Input.Kind"] = "Hospital", ["Input.CorporateNumber"] = "12ab", ["Input.AdminEmail"] = "a@b.test",
        });
        Assert.Contains("法人番号は13桁", await badNumber.Content.ReadAsStringAsync());

        var backwards = await client.PostFormAsync("/Platform/Engagements", new Dictionary<string, string>
        {
            ["Input.HospitalId"] = existing.Hospital.Id.ToString(), ["Input.VendorId"] = existing.Vendor.Id.ToString(), ["Input.Title"] = "逆順",
            ["Input.StartsOn"] = "2026-04-01", ["Input.EndsOn"] = "2025-03-31",
        });
        Assert.Contains("終了日は開始日以降", await backwards.Content.ReadAsStringAsync());
        var swapped = await client.PostFormAsync("/Platform/Engagements", new Dictionary<string, string>
        {
            ["Input.HospitalId"] = existing.Vendor.Id.ToString(), ["Input.VendorId"] = existing.Hospital.Id.ToString(), ["Input.Title"] = "種別違い",
            ["Input.StartsOn"] = "2026-04-01",
        });
        Assert.Contains("対象が見つかりません", await swapped.Content.ReadAsStringAsync());
        Assert.False(await factory.WithDbAsync(async (db, _) => await db.Engagements.AnyAsync(x => x.Title == "逆順" || x.Title == "種別違い")));
    }

    [Fact]
    public async Task Tenant_users_cannot_reach_platform_pages()
    {
        var tenants = await factory.Tenants.CreateAsync();
        using var client = factory.CreatePortalClient();
        await client.SignInAsync(tenants[Roles.TenantAdmin]);
        var r = await client.GetAsync("/Platform/Organizations");
        Assert.Contains("/Account/AccessDenied", r.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Unused_accounts_are_deactivated_by_the_daily_job_and_admins_are_told()
    {
        var tenants = await factory.Tenants.CreateAsync();
        var idle = tenants[Roles.PlanningManager];
        await factory.WithDbAsync(async (db, _) =>
        {
            var users = await db.Users.Where(u => u.OrganizationId == tenants.Hospital.Id).ToListAsync();
            foreach (var u in users)
            {
                u.LastSignInAt = u.Id == idle.Id ? DateTimeOffset.UtcNow.AddDays(-91) : DateTimeOffset.UtcNow.AddDays(-1);
            }
            await db.SaveChangesAsync();
        });
        var count = await factory.WithDbAsync((_, sp) => sp.GetRequiredService<UnusedAccountDeactivation>().RunAsync());
        Assert.True(count >= 1);
        var after = await factory.WithDbAsync(async (db, _) => await db.Users.Where(u => u.OrganizationId == tenants.Hospital.Id).ToListAsync());
        Assert.False(after.Single(u => u.Id == idle.Id).IsActive);
        Assert.All(after.Where(u => u.Id != idle.Id), u => Assert.True(u.IsActive));
        var mail = Directory.GetFiles(factory.OutboxPath).Select(File.ReadAllText).Where(m => m.Contains(tenants[Roles.TenantAdmin].Email)).ToList();
        Assert.Contains(mail, m => m.Contains(idle.Email));

        using var client = factory.CreatePortalClient();
        var login = await client.PostFormAsync("/Account/Login", new Dictionary<string, string> { ["Input.Email"] = idle.Email, ["Input.Password"] = idle.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }
}

public sealed class ProductionFactory : PortalFactory
{
    protected override string EnvironmentName => "Production";
}

public sealed class DemoDataTests(ProductionFactory production, PortalFactory development) : IClassFixture<ProductionFactory>, IClassFixture<PortalFactory>
{
    private static string DemoPath => DemoDataSeeder.FindDefaultPath(AppContext.BaseDirectory)!;

    [Fact]
    public async Task Demo_data_is_refused_in_production()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            production.WithDbAsync((_, sp) => sp.GetRequiredService<DemoDataSeeder>().SeedAsync(DemoPath)));
        Assert.Contains("Production", ex.Message);
        Assert.True(production.Services.GetRequiredService<IHostEnvironment>().IsProduction());
    }

    [Fact]
    public async Task Demo_data_loads_once_and_every_demo_user_must_enrol()
    {
        Assert.True(await development.WithDbAsync((_, sp) => sp.GetRequiredService<DemoDataSeeder>().SeedAsync(DemoPath)));
        Assert.False(await development.WithDbAsync((_, sp) => sp.GetRequiredService<DemoDataSeeder>().SeedAsync(DemoPath)));
        var users = await development.WithDbAsync(async (db, _) => await db.Users.ToListAsync());
        Assert.Equal(12, users.Count);
        Assert.All(users, u => Assert.False(u.TwoFactorEnabled));
        var roles = await development.WithDbAsync(async (db, _) => await db.UserRoles.Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name).Distinct().ToListAsync());
        Assert.Equal(Roles.All.OrderBy(r => r), roles.OrderBy(r => r));
        // A vendor with products: one submitted MDS with its signed PDF, shared with a hospital and awaiting its review.
        var shared = await development.WithDbAsync(async (db, _) => await db.FormSubmissionRecipients
            .Where(r => r.ReviewState == VendorPortal.Features.Forms.SubmissionState.Submitted).ToListAsync());
        var waiting = Assert.Single(shared);
        Assert.Equal(DemoDataSeeder.IdFor("chuo-hospital"), waiting.HospitalId);
        var version = await development.WithDbAsync(async (db, _) => await db.FormSubmissionVersions.SingleAsync(v => v.SubmissionId == waiting.SubmissionId));
        Assert.Contains(".pdf", version.Attachments);
        Assert.Equal(3, await development.WithDbAsync(async (db, _) => await db.Products.CountAsync()));
        var pdf = await development.WithDbAsync(async (db, _) => await db.FormAttachments.Select(a => a.Content).SingleAsync());
        Assert.Equal(VendorPortal.Infrastructure.Files.AttachmentRules.Pdf, VendorPortal.Infrastructure.Files.AttachmentRules.Sniff(pdf));
        // A submitted remote-maintenance disclosure without two-factor authentication: a risk among the hospital's gaps.
        var remote = await development.WithDbAsync(async (db, _) => await db.FormSubmissions.IgnoreQueryFilters()
            .SingleAsync(s => s.Kind == VendorPortal.Features.Forms.FormKind.RemoteMaintenance));
        Assert.Equal((DemoDataSeeder.IdFor("chuo-hospital"), DemoDataSeeder.IdFor("chuo-network"), 1), (remote.HospitalId!.Value, remote.SystemId!.Value, remote.LatestVersion));
        var remoteAnswers = await development.WithDbAsync(async (db, _) => await db.FormSubmissionVersions.Where(v => v.SubmissionId == remote.Id).Select(v => v.Answers).SingleAsync());
        Assert.Equal([VendorPortal.Features.RemoteMaintenance.RemoteMaintenanceFlagKind.NoTwoFactor],
            VendorPortal.Features.RemoteMaintenance.RemoteMaintenanceFlags.Compute(VendorPortal.Features.Forms.AnswerJson.Deserialize(remoteAnswers), new VendorPortal.Infrastructure.Time.FiscalYear(2026)).Select(f => f.Kind));

        // 責任分界表 of the 電子カルテ system: version 1, confirmed by the hospital only, the vendor asked to confirm.
        var matrix = await development.WithDbAsync(async (db, _) => await db.ResponsibilityMatrices.SingleAsync());
        Assert.Equal((DemoDataSeeder.IdFor("chuo-emr"), 1), (matrix.SystemId, matrix.CurrentVersion));
        var matrixVersion = await development.WithDbAsync(async (db, _) => await db.ResponsibilityMatrixVersions.SingleAsync(v => v.MatrixId == matrix.Id));
        Assert.Equal(VendorPortal.Features.Responsibility.MatrixJson.Hash(matrixVersion.Content), matrixVersion.ContentHash);
        Assert.Equal([DemoDataSeeder.IdFor("chuo-hospital")], await development.WithDbAsync(async (db, _) => await db.ResponsibilityConfirmations.Select(c => c.OrganizationId).ToListAsync()));
        // Patch tracking: a critical advisory overdue, a high one the EMR vendor committed to, a deferral awaiting approval.
        var patches = await development.WithDbAsync(async (db, _) => await db.PatchStatuses.Select(p => new { p.State, p.CommittedByVendorId, p.DeferredByUserId }).ToListAsync());
        Assert.Equal(4, patches.Count);
        Assert.Equal(2, patches.Count(p => p.State == VendorPortal.Features.Patches.PatchState.Planned && p.CommittedByVendorId == DemoDataSeeder.IdFor("emr-vendor")));
        Assert.Single(patches, p => p.State == VendorPortal.Features.Patches.PatchState.Deferred && p.DeferredByUserId is not null);
        // 連絡体制図: two vendors' contacts (the network vendor's confirmed 13 months ago) and the hospital's four internal roles.
        var confirmations = await development.WithDbAsync(async (db, _) => await db.VendorContactConfirmations.ToDictionaryAsync(c => c.VendorId, c => c.ConfirmedAt));
        Assert.True(confirmations[DemoDataSeeder.IdFor("net-vendor")] < confirmations[DemoDataSeeder.IdFor("emr-vendor")].AddMonths(-12));
        Assert.Equal(4, await development.WithDbAsync(async (db, _) => await db.HospitalContacts.CountAsync(c => c.HospitalId == DemoDataSeeder.IdFor("chuo-hospital"))));
        // BCP: two editions on file, the newer (dated 1 April of this 年度) current, each a valid PDF with its hash.
        var bcp = await development.WithDbAsync(async (db, _) => await db.BcpDocuments.OrderByDescending(d => d.UploadedAt)
            .Select(d => new { d.HospitalId, d.DocumentDate, d.Sha256, Bytes = db.BcpDocumentContents.Where(c => c.DocumentId == d.Id).Select(c => c.Bytes).Single() }).ToListAsync());
        Assert.Equal(2, bcp.Count);
        Assert.All(bcp, d => Assert.Equal((DemoDataSeeder.IdFor("chuo-hospital"), d.Sha256, "application/pdf"),
            (d.HospitalId, VendorPortal.Infrastructure.Files.AttachmentRules.Sha256Of(d.Bytes), VendorPortal.Infrastructure.Files.AttachmentRules.Sniff(d.Bytes))));
        Assert.Equal(VendorPortal.Infrastructure.Time.FiscalYear.Of(VendorPortal.Infrastructure.Time.JapanTime.TodayInJapan(TimeProvider.System)).FirstDay, bcp[0].DocumentDate);

        using var client = development.CreatePortalClient();
        await client.SignInAsync(new TestUser(users[0].Id, "admin@emr-vendor.example", "Demo-Portal-2026!", null, users[0].OrganizationId, Roles.VendorAdmin));

        // ./run.sh shows one 再委託 request waiting for the security manager's opinion (and one approved, for the register).
        var states = await development.WithDbAsync(async (db, _) => await db.SubcontractRequests.Select(r => r.State).ToListAsync());
        Assert.Equal([SubcontractState.Reviewed, SubcontractState.ApprovedWithConditions], states.Order());
        Assert.True(await development.WithDbAsync(async (db, _) => await db.Notifications.AnyAsync(n => n.RecipientRole == Roles.SecurityManager)));
    }
}
