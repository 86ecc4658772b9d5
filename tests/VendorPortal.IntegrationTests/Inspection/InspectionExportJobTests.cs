using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Account;
using VendorPortal.Features.Inspection.Bundle;
using VendorPortal.Features.Inspection.Export;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.IntegrationTests.Support;

namespace VendorPortal.IntegrationTests.Inspection;

/// <summary>
/// The export as a job: requested on the page or the API, run by the runner, downloaded, verified; the roles and
/// tenants that may do it; and crash safety — an interrupted run is never Completed nor downloadable, the sweeper
/// redoes it (or gives up after MaxAttempts), and expiry removes the file.
/// </summary>
public sealed class InspectionExportJobTests(InspectionFactory factory) : IClassFixture<InspectionFactory>
{
    private async Task<PortalClient> SignedInAsync(TestUser user)
    {
        var client = factory.CreatePortalClient();
        await client.SignInAsync(user);
        return client;
    }

    private Task<List<AuditEvent>> AuditAsync(Guid exportId)
        => factory.WithDbAsync((db, _) => db.AuditEvents.AsNoTracking().Where(e => e.TargetId == exportId.ToString()).OrderBy(e => e.Sequence).ToListAsync());

    [Fact]
    public async Task An_auditor_requests_on_the_page_the_runner_completes_it_and_the_download_verifies()
    {
        var t = await factory.Tenants.CreateAsync();
        using var client = await SignedInAsync(t[Roles.Auditor]);
        var page = await client.GetDocumentAsync(InspectionFactory.ExportsPath(t));
        Assert.Equal("2026", page.QuerySelector("#export-year option[selected]")?.GetAttribute("value"));
        Assert.Contains("令和8年度", page.QuerySelector("#export-year")!.TextContent);

        var post = await client.PostFormAsync(InspectionFactory.ExportsPath(t), new Dictionary<string, string> { ["Scope"] = "year", ["FiscalYear"] = "2026" });
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        var id = await factory.WithDbAsync((db, _) => db.InspectionExports.Where(x => x.HospitalId == t.Hospital.Id).Select(x => x.Id).SingleAsync());
        var queued = await factory.RowAsync(id);
        Assert.Equal(InspectionExportState.Queued, queued.State);
        Assert.Equal(2026, queued.FiscalYear);
        Assert.Equal(t[Roles.Auditor].Id, queued.RequestedByUserId);

        // While queued: a progress bar and the self-refresh; no download.
        var waiting = await client.GetDocumentAsync(InspectionFactory.ExportsPath(t));
        Assert.NotNull(waiting.QuerySelector($"#export-{id} progress[max='100']"));
        Assert.Equal("3", waiting.QuerySelector("meta[http-equiv=refresh]")?.GetAttribute("content"));
        Assert.Null(waiting.QuerySelector($"#export-{id} a.download"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(InspectionFactory.DownloadPath(t.Hospital.Id, id))).StatusCode);

        Assert.Equal(InspectionExportRunOutcome.Completed, await factory.Runner.RunAsync(id));
        var done = await factory.RowAsync(id);
        Assert.Equal(InspectionExportState.Completed, done.State);
        Assert.Equal(1, done.Attempts);
        Assert.Equal(100, done.ProgressPercent);
        Assert.Equal(0, done.GeneratedAt!.Value.UtcTicks % TimeSpan.TicksPerSecond);
        Assert.Equal(done.CompletedAt!.Value.AddHours(168), done.ExpiresAt);
        Assert.StartsWith($"立入検査資料_{t.Hospital.Name}_2026年度_", done.DownloadName);
        Assert.False(File.Exists(factory.PartPath(id)));
        Assert.True(File.Exists(factory.ZipPath(id)));

        var list = await client.GetDocumentAsync(InspectionFactory.ExportsPath(t));
        Assert.Null(list.QuerySelector("meta[http-equiv=refresh]"));
        Assert.Equal(done.ManifestSha256, list.QuerySelector($"#export-{id} code.manifest-sha")?.TextContent);
        Assert.Equal(done.ZipSha256, list.QuerySelector($"#export-{id} code.zip-sha")?.TextContent);
        Assert.Contains("完成", list.QuerySelector($"#export-{id} .export-state")!.TextContent);

        var download = await client.GetAsync(list.QuerySelector($"#export-{id} a.download")!.GetAttribute("href")!);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/zip", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(done.DownloadName, download.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Contains("filename*=UTF-8''", download.Content.Headers.ContentDisposition!.ToString());
        var bytes = await download.Content.ReadAsByteArrayAsync();
        Assert.Equal(done.ZipSha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        Assert.Equal(done.ZipSize, bytes.Length);
        var verification = await BundleVerifier.VerifyAsync(new MemoryStream(bytes));
        Assert.True(verification.Ok, string.Join("; ", verification.Problems.Select(p => p.Detail)));
        Assert.Equal(done.ManifestSha256, verification.ManifestSha256);

        var audit = await AuditAsync(id);
        Assert.Equal([AuditActions.InspectionBundleRequested, AuditActions.InspectionBundleExported, AuditActions.InspectionBundleDownloaded],
            audit.Select(e => e.Action));
        Assert.All(audit, e => Assert.Equal(t[Roles.Auditor].Id, e.UserId));
        Assert.All(audit, e => Assert.Equal(t.Hospital.Id, e.OrganizationId));
        Assert.Contains("\"fiscalYear\":2026", audit[0].Summary);
        Assert.Contains(done.ManifestSha256!, audit[1].Summary);
        Assert.Contains(done.ZipSha256!, audit[1].Summary);
    }

    [Theory]
    [InlineData(Roles.Auditor)]
    [InlineData(Roles.SecurityManager)]
    [InlineData(Roles.Executive)]
    public async Task The_three_roles_request_list_and_download(string role)
    {
        var t = await factory.Tenants.CreateAsync();
        using var client = await SignedInAsync(t[role]);
        var response = await client.SendJsonAsync(HttpMethod.Post, $"/api/v1/hospitals/{t.Hospital.Id}/inspection-exports", new { fiscalYear = 2025 });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/hospitals/{t.Hospital.Id}/inspection-exports/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal("Queued", created.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, created.GetProperty("links").GetProperty("zip").ValueKind);

        Assert.Equal(InspectionExportRunOutcome.Completed, await factory.Runner.RunAsync(id));
        var one = await client.Http.GetFromJsonAsync<JsonElement>($"/api/v1/hospitals/{t.Hospital.Id}/inspection-exports/{id}");
        Assert.Equal("Completed", one.GetProperty("state").GetString());
        Assert.Equal(64, one.GetProperty("manifestSha256").GetString()!.Length);
        var zipLink = one.GetProperty("links").GetProperty("zip").GetString()!;
        var list = await client.Http.GetFromJsonAsync<JsonElement>($"/api/v1/hospitals/{t.Hospital.Id}/inspection-exports");
        Assert.Equal(id, list[0].GetProperty("id").GetGuid());

        var zip = await client.GetAsync(zipLink);
        Assert.Equal(HttpStatusCode.OK, zip.StatusCode);
        var bytes = await zip.Content.ReadAsByteArrayAsync();
        Assert.True((await BundleVerifier.VerifyAsync(new MemoryStream(bytes))).Ok);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(InspectionFactory.DownloadPath(t.Hospital.Id, id))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(InspectionFactory.ExportsPath(t))).StatusCode);
    }

    [Theory]
    [InlineData(Roles.SystemOperator)]
    [InlineData(Roles.PlanningManager)]
    [InlineData(Roles.TenantAdmin)]
    [InlineData(Roles.VendorAdmin)]
    [InlineData(Roles.VendorMember)]
    public async Task Other_roles_and_vendors_can_neither_request_nor_read_nor_download(string role)
    {
        var t = await factory.Tenants.CreateAsync();
        var existing = await factory.QueueAsync(t, Roles.Auditor);
        Assert.Equal(InspectionExportRunOutcome.Completed, await factory.Runner.RunAsync(existing.Id));
        using var client = await SignedInAsync(t[role]);
        var api = $"/api/v1/hospitals/{t.Hospital.Id}/inspection-exports";

        Assert.True(InspectionFactory.IsDenied(await client.GetAsync(InspectionFactory.ExportsPath(t))));
        Assert.True(InspectionFactory.IsDenied(await client.PostFormAsync(InspectionFactory.ExportsPath(t),
            new Dictionary<string, string> { ["Scope"] = "year", ["FiscalYear"] = "2026" }, tokenFrom: "/Account/Security")));
        Assert.True(InspectionFactory.IsDenied(await client.GetAsync(InspectionFactory.DownloadPath(t.Hospital.Id, existing.Id))));
        Assert.True(InspectionFactory.IsDenied(await client.SendJsonAsync(HttpMethod.Post, api, new { fiscalYear = 2026 })));
        Assert.True(InspectionFactory.IsDenied(await client.GetAsync(api)));
        Assert.True(InspectionFactory.IsDenied(await client.GetAsync($"{api}/{existing.Id}")));
        Assert.True(InspectionFactory.IsDenied(await client.GetAsync($"{api}/{existing.Id}/zip")));
        Assert.Equal(1, await factory.WithDbAsync((db, _) => db.InspectionExports.CountAsync(x => x.HospitalId == t.Hospital.Id)));
        Assert.DoesNotContain(await AuditAsync(existing.Id), e => e.Action == AuditActions.InspectionBundleDownloaded);
    }

    [Fact]
    public async Task Another_hospitals_auditor_gets_404_for_this_hospitals_export_and_cannot_queue_for_it()
    {
        var mine = await factory.Tenants.CreateAsync();
        var other = await factory.Tenants.CreateAsync();
        var export = await factory.QueueAsync(mine, Roles.Auditor);
        Assert.Equal(InspectionExportRunOutcome.Completed, await factory.Runner.RunAsync(export.Id));
        using var client = await SignedInAsync(other[Roles.Auditor]);

        // Through this hospital's routes: the hospital itself is invisible.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(InspectionFactory.ExportsPath(mine))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(InspectionFactory.DownloadPath(mine.Hospital.Id, export.Id))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/hospitals/{mine.Hospital.Id}/inspection-exports/{export.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/hospitals/{mine.Hospital.Id}/inspection-exports/{export.Id}/zip")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendJsonAsync(HttpMethod.Post, $"/api/v1/hospitals/{mine.Hospital.Id}/inspection-exports", new { fiscalYear = 2026 })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostFormAsync(InspectionFactory.ExportsPath(mine),
            new Dictionary<string, string> { ["Scope"] = "year", ["FiscalYear"] = "2026" }, tokenFrom: "/Account/Security")).StatusCode);
        // Through its own hospital's routes with this export's id: the tenant filter hides the row.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(InspectionFactory.DownloadPath(other.Hospital.Id, export.Id))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/hospitals/{other.Hospital.Id}/inspection-exports/{export.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/hospitals/{other.Hospital.Id}/inspection-exports/{export.Id}/zip")).StatusCode);
        var theirList = await client.GetDocumentAsync(InspectionFactory.ExportsPath(other));
        Assert.Null(theirList.QuerySelector($"#export-{export.Id}"));

        Assert.Equal(1, await factory.WithDbAsync((db, _) => db.InspectionExports.CountAsync(x => x.HospitalId == mine.Hospital.Id)));
        Assert.Equal(0, await factory.WithDbAsync((db, _) => db.InspectionExports.CountAsync(x => x.HospitalId == other.Hospital.Id)));
        Assert.DoesNotContain(await AuditAsync(export.Id), e => e.Action == AuditActions.InspectionBundleDownloaded);
    }

    [Fact]
    public async Task A_bad_scope_gives_Japanese_messages_and_queues_nothing()
    {
        var t = await factory.Tenants.CreateAsync();
        using var client = await SignedInAsync(t[Roles.SecurityManager]);
        var reversed = await client.PostFormAsync(InspectionFactory.ExportsPath(t),
            new Dictionary<string, string> { ["Scope"] = "range", ["From"] = "2026-10-01", ["To"] = "2026-04-01" });
        Assert.Equal(HttpStatusCode.OK, reversed.StatusCode);
        var doc = await PortalClient.ParseAsync(reversed);
        Assert.Contains("期間の開始日が終了日より後になっています。", doc.QuerySelector("#export-errors")!.TextContent);

        var future = await client.PostFormAsync(InspectionFactory.ExportsPath(t), new Dictionary<string, string> { ["Scope"] = "year", ["FiscalYear"] = "2030" });
        Assert.Contains("年度は2000年度から", (await PortalClient.ParseAsync(future)).QuerySelector("#export-errors")!.TextContent.Replace(" ", ""));

        var tooLong = await client.PostFormAsync(InspectionFactory.ExportsPath(t), new Dictionary<string, string> { ["Scope"] = "range", ["From"] = "2020-04-01", ["To"] = "2026-03-31" });
        Assert.NotEmpty((await PortalClient.ParseAsync(tooLong)).QuerySelector("#export-errors")!.TextContent.Trim());

        var api = await client.SendJsonAsync(HttpMethod.Post, $"/api/v1/hospitals/{t.Hospital.Id}/inspection-exports", new { fiscalYear = 2026, from = "2026-04-01", to = "2026-05-01" });
        Assert.Equal(HttpStatusCode.BadRequest, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        Assert.Contains("年度と期間はどちらか一方を指定してください。", await api.Content.ReadAsStringAsync());

        Assert.Equal(0, await factory.WithDbAsync((db, _) => db.InspectionExports.CountAsync(x => x.HospitalId == t.Hospital.Id)));
        Assert.Equal(0, await factory.WithDbAsync((db, _) => db.AuditEvents.CountAsync(e => e.OrganizationId == t.Hospital.Id && e.Action == AuditActions.InspectionBundleRequested)));
    }

    [Fact]
    public async Task A_date_range_export_completes_with_the_range_in_its_name()
    {
        var t = await factory.Tenants.CreateAsync();
        using var client = await SignedInAsync(t[Roles.Executive]);
        var post = await client.PostFormAsync(InspectionFactory.ExportsPath(t),
            new Dictionary<string, string> { ["Scope"] = "range", ["From"] = "2026-04-01", ["To"] = "2026-09-30" });
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        var row = await factory.WithDbAsync((db, _) => db.InspectionExports.AsNoTracking().SingleAsync(x => x.HospitalId == t.Hospital.Id));
        Assert.Null(row.FiscalYear);
        Assert.Equal(new DateOnly(2026, 9, 30), row.ToDate);
        Assert.Equal(InspectionExportRunOutcome.Completed, await factory.Runner.RunAsync(row.Id));
        Assert.Contains("_20260401-20260930_", (await factory.RowAsync(row.Id)).DownloadName);
    }

    [Fact]
    public async Task A_crashed_run_is_never_completed_nor_offered_and_the_sweeper_redoes_it()
    {
        var t = await factory.Tenants.CreateAsync();
        var export = await factory.QueueAsync(t, Roles.Auditor);
        // A node died mid-run: the row says Running with a heartbeat long gone, half a ZIP on disk.
        Directory.CreateDirectory(factory.BundleDirectory);
        await File.WriteAllBytesAsync(factory.PartPath(export.Id), [0x50, 0x4b, 0x03, 0x04, 1, 2, 3]);
        await factory.UpdateRowAsync(export.Id, r =>
        {
            r.State = InspectionExportState.Running;
            r.Attempts = 1;
            r.WorkerId = "dead-node:1";
            r.StartedAt = DateTimeOffset.UtcNow.AddMinutes(-10);
            r.HeartbeatAt = DateTimeOffset.UtcNow.AddMinutes(-5);
            r.ProgressPercent = 40;
        });
        using var client = await SignedInAsync(t[Roles.Auditor]);
        var page = await client.GetDocumentAsync(InspectionFactory.ExportsPath(t));
        Assert.Null(page.QuerySelector($"#export-{export.Id} a.download"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(InspectionFactory.DownloadPath(t.Hospital.Id, export.Id))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/hospitals/{t.Hospital.Id}/inspection-exports/{export.Id}/zip")).StatusCode);

        var sweep = await factory.Sweeper.SweepAsync();
        Assert.True(sweep.Requeued >= 1);
        var requeued = await factory.RowAsync(export.Id);
        Assert.Equal(InspectionExportState.Queued, requeued.State);
        Assert.Equal(1, requeued.Attempts);
        Assert.Null(requeued.WorkerId);
        Assert.False(File.Exists(factory.PartPath(export.Id)));

        Assert.Equal(InspectionExportRunOutcome.Completed, await factory.Runner.RunAsync(export.Id));
        var done = await factory.RowAsync(export.Id);
        Assert.Equal(InspectionExportState.Completed, done.State);
        Assert.Equal(2, done.Attempts);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(InspectionFactory.DownloadPath(t.Hospital.Id, export.Id))).StatusCode);
    }

    [Fact]
    public async Task A_stale_running_row_is_taken_over_by_the_next_run_and_a_fresh_one_is_left_alone()
    {
        var t = await factory.Tenants.CreateAsync();
        var export = await factory.QueueAsync(t, Roles.Auditor);
        await factory.UpdateRowAsync(export.Id, r => { r.State = InspectionExportState.Running; r.Attempts = 1; r.HeartbeatAt = DateTimeOffset.UtcNow; });
        // Another worker is alive: a second firing (e.g. Quartz recovery) finds nothing to claim.
        Assert.Equal(InspectionExportRunOutcome.NotClaimed, await factory.Runner.RunAsync(export.Id));
        Assert.Equal(InspectionExportState.Running, (await factory.RowAsync(export.Id)).State);

        await factory.UpdateRowAsync(export.Id, r => r.HeartbeatAt = DateTimeOffset.UtcNow.AddMinutes(-3));
        Assert.Equal(InspectionExportRunOutcome.Completed, await factory.Runner.RunAsync(export.Id));
        Assert.Equal(2, (await factory.RowAsync(export.Id)).Attempts);
        // A completed export is never run again.
        Assert.Equal(InspectionExportRunOutcome.NotClaimed, await factory.Runner.RunAsync(export.Id));
    }

    [Fact]
    public async Task After_MaxAttempts_interruptions_the_export_fails_with_a_clear_reason()
    {
        var t = await factory.Tenants.CreateAsync();
        var export = await factory.QueueAsync(t, Roles.Auditor);
        Directory.CreateDirectory(factory.BundleDirectory);
        await File.WriteAllBytesAsync(factory.PartPath(export.Id), [1, 2, 3]);
        await factory.UpdateRowAsync(export.Id, r => { r.State = InspectionExportState.Running; r.Attempts = 3; r.HeartbeatAt = DateTimeOffset.UtcNow.AddHours(-1); });

        var sweep = await factory.Sweeper.SweepAsync();
        Assert.True(sweep.GaveUp >= 1);
        var failed = await factory.RowAsync(export.Id);
        Assert.Equal(InspectionExportState.Failed, failed.State);
        Assert.Equal(InspectionExportErrors.Interrupted, failed.Error);
        Assert.False(File.Exists(factory.PartPath(export.Id)));
        Assert.Equal(InspectionExportRunOutcome.NotClaimed, await factory.Runner.RunAsync(export.Id));

        using var client = await SignedInAsync(t[Roles.Auditor]);
        var page = await client.GetDocumentAsync(InspectionFactory.ExportsPath(t));
        Assert.Contains("中断が繰り返されたため", page.QuerySelector($"#export-{export.Id} .export-error")!.TextContent);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(InspectionFactory.DownloadPath(t.Hospital.Id, export.Id))).StatusCode);
        var api = await client.Http.GetFromJsonAsync<JsonElement>($"/api/v1/hospitals/{t.Hospital.Id}/inspection-exports/{export.Id}");
        Assert.Equal("Failed", api.GetProperty("state").GetString());
        Assert.Equal(InspectionExportErrors.Interrupted, api.GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task A_run_that_throws_mid_way_fails_leaves_no_file_and_offers_nothing()
    {
        var t = await factory.Tenants.CreateAsync();
        var export = await factory.QueueAsync(t, Roles.Auditor);
        factory.Hook.During = () => throw new InvalidOperationException("disk on fire (test)");
        try
        {
            Assert.Equal(InspectionExportRunOutcome.Failed, await factory.Runner.RunAsync(export.Id));
        }
        finally
        {
            factory.Hook.During = null;
        }
        var failed = await factory.RowAsync(export.Id);
        Assert.Equal(InspectionExportState.Failed, failed.State);
        Assert.Equal(InspectionExportErrors.Internal, failed.Error);
        Assert.Null(failed.ManifestSha256);
        Assert.False(File.Exists(factory.PartPath(export.Id)));
        Assert.False(File.Exists(factory.ZipPath(export.Id)));
        Assert.DoesNotContain(await AuditAsync(export.Id), e => e.Action == AuditActions.InspectionBundleExported);

        using var client = await SignedInAsync(t[Roles.Auditor]);
        var page = await client.GetDocumentAsync(InspectionFactory.ExportsPath(t));
        Assert.DoesNotContain("disk on fire", page.Body!.InnerHtml);
        Assert.Contains("エラーが発生しました", page.QuerySelector($"#export-{export.Id} .export-error")!.TextContent);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(InspectionFactory.DownloadPath(t.Hospital.Id, export.Id))).StatusCode);
    }

    [Fact]
    public async Task A_run_cancelled_mid_way_by_shutdown_goes_back_to_the_queue_and_a_rerun_completes()
    {
        var t = await factory.Tenants.CreateAsync();
        var export = await factory.QueueAsync(t, Roles.Auditor);
        using var shutdown = new CancellationTokenSource();
        factory.Hook.During = () =>
        {
            // Half-way: the .part exists and the row is Running, not Completed.
            Assert.True(File.Exists(factory.PartPath(export.Id)));
            shutdown.Cancel();
        };
        try
        {
            Assert.Equal(InspectionExportRunOutcome.Requeued, await factory.Runner.RunAsync(export.Id, shutdown.Token));
        }
        finally
        {
            factory.Hook.During = null;
        }
        var requeued = await factory.RowAsync(export.Id);
        Assert.Equal(InspectionExportState.Queued, requeued.State);
        Assert.Equal(0, requeued.Attempts);
        Assert.Null(requeued.ManifestSha256);
        Assert.False(File.Exists(factory.PartPath(export.Id)));
        Assert.False(File.Exists(factory.ZipPath(export.Id)));

        Assert.Equal(InspectionExportRunOutcome.Completed, await factory.Runner.RunAsync(export.Id));
        Assert.Equal(InspectionExportState.Completed, (await factory.RowAsync(export.Id)).State);
    }

    [Fact]
    public async Task A_requester_who_lost_the_role_gets_a_failed_export()
    {
        var t = await factory.Tenants.CreateAsync();
        var export = await factory.QueueAsync(t, Roles.Auditor);
        await factory.WithDbAsync(async (db, _) =>
        {
            var user = await db.Users.SingleAsync(u => u.Id == t[Roles.Auditor].Id);
            user.IsActive = false;
            await db.SaveChangesAsync();
        });
        Assert.Equal(InspectionExportRunOutcome.Failed, await factory.Runner.RunAsync(export.Id));
        var failed = await factory.RowAsync(export.Id);
        Assert.Equal(InspectionExportState.Failed, failed.State);
        Assert.Equal(InspectionExportErrors.AccessLost, failed.Error);
        Assert.False(File.Exists(factory.PartPath(export.Id)));
    }

    [Fact]
    public async Task Expiry_deletes_the_file_keeps_the_hash_and_makes_the_download_404_and_stray_files_go()
    {
        var t = await factory.Tenants.CreateAsync();
        var export = await factory.QueueAsync(t, Roles.SecurityManager);
        Assert.Equal(InspectionExportRunOutcome.Completed, await factory.Runner.RunAsync(export.Id));
        var manifest = (await factory.RowAsync(export.Id)).ManifestSha256;
        using var client = await SignedInAsync(t[Roles.SecurityManager]);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(InspectionFactory.DownloadPath(t.Hospital.Id, export.Id))).StatusCode);

        // Past ExpiresAt the download stops at once, before the sweeper has run.
        await factory.UpdateRowAsync(export.Id, r => r.ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(InspectionFactory.DownloadPath(t.Hospital.Id, export.Id))).StatusCode);

        var strayZip = Path.Combine(factory.BundleDirectory, Guid.NewGuid().ToString("D") + ".zip");
        var strayPart = Path.Combine(factory.BundleDirectory, Guid.NewGuid().ToString("D") + ".zip.part");
        await File.WriteAllBytesAsync(strayZip, [1]);
        await File.WriteAllBytesAsync(strayPart, [1]);

        var sweep = await factory.Sweeper.SweepAsync();
        Assert.True(sweep.Expired >= 1);
        var expired = await factory.RowAsync(export.Id);
        Assert.Equal(InspectionExportState.Expired, expired.State);
        Assert.Equal(manifest, expired.ManifestSha256);
        Assert.False(File.Exists(factory.ZipPath(export.Id)));
        Assert.False(File.Exists(strayZip));
        Assert.False(File.Exists(strayPart));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(InspectionFactory.DownloadPath(t.Hospital.Id, export.Id))).StatusCode);
        var page = await client.GetDocumentAsync(InspectionFactory.ExportsPath(t));
        Assert.Equal(manifest, page.QuerySelector($"#export-{export.Id} code.manifest-sha")?.TextContent);
        Assert.Null(page.QuerySelector($"#export-{export.Id} a.download"));
    }

    [Fact]
    public async Task The_verify_page_says_intact_and_names_the_file_with_one_changed_byte()
    {
        var t = await factory.Tenants.CreateAsync();
        var export = await factory.QueueAsync(t, Roles.Auditor);
        Assert.Equal(InspectionExportRunOutcome.Completed, await factory.Runner.RunAsync(export.Id));
        var zip = await File.ReadAllBytesAsync(factory.ZipPath(export.Id));
        using var client = await SignedInAsync(t[Roles.SystemOperator]); // any member may verify

        var ok = await client.PostFileAsync("/Inspection/Verify", "bundle", zip, "bundle.zip");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var okDoc = await PortalClient.ParseAsync(ok);
        Assert.Contains("改ざんは検出されませんでした", okDoc.QuerySelector("#verify-ok")!.TextContent);
        Assert.Equal((await factory.RowAsync(export.Id)).ManifestSha256, okDoc.QuerySelector("#verify-manifest")!.TextContent);
        Assert.Equal(t.Hospital.Name, okDoc.QuerySelector("#verify-hospital")!.TextContent);

        var tampered = (byte[])zip.Clone();
        var at = IndexOf(tampered, Encoding.UTF8.GetBytes(HookSection.Content));
        Assert.True(at > 0);
        tampered[at] ^= 0x01;
        var ng = await PortalClient.ParseAsync(await client.PostFileAsync("/Inspection/Verify", "bundle", tampered, "bundle.zip"));
        Assert.Null(ng.QuerySelector("#verify-ok"));
        Assert.NotNull(ng.QuerySelector("#verify-ng"));
        Assert.Contains(ng.QuerySelectorAll("#verify-problems tr.verify-problem"), r => r.TextContent.Contains(HookSection.PathInBundle));

        // Nothing chosen: a message, no result. A post without the form's token: refused.
        var none = await PortalClient.ParseAsync(await client.PostFormAsync("/Inspection/Verify", new Dictionary<string, string>()));
        Assert.Null(none.QuerySelector("#verify-result"));
        Assert.Contains("ZIP ファイルを選んでください", none.QuerySelector("#verify-errors")!.TextContent);
        var noToken = new MultipartFormDataContent { { new ByteArrayContent(zip), "bundle", "bundle.zip" } };
        Assert.Equal(HttpStatusCode.BadRequest, (await client.Http.PostAsync("/Inspection/Verify", noToken)).StatusCode);

        // The API: the ZIP as the body.
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/inspection/verify") { Content = new ByteArrayContent(tampered) };
        request.Content.Headers.ContentType = new("application/zip");
        request.Headers.Add("RequestVerificationToken", await client.AntiforgeryTokenAsync("/Account/Security"));
        var api = await client.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        var json = await api.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(json.GetProperty("ok").GetBoolean());
        Assert.Contains(json.GetProperty("problems").EnumerateArray(), p => p.GetProperty("path").GetString() == HookSection.PathInBundle);
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (var i = 0; i <= haystack.Length - needle.Length; i++)
        {
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
            {
                return i;
            }
        }
        return -1;
    }
}
