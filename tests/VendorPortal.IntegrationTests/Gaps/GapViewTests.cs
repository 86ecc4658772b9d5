using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OfficeOpenXml;
using VendorPortal.Features.Account;
using VendorPortal.Features.Forms;
using VendorPortal.Features.Gaps;
using VendorPortal.Infrastructure.Time;
using VendorPortal.IntegrationTests.Checklists;
using VendorPortal.IntegrationTests.Support;

namespace VendorPortal.IntegrationTests.Gaps;

/// <summary>The one gap view: filters on the page and the API, the Excel export, the dashboard's counts, and tenancy.</summary>
public sealed class GapViewTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>A tenant set whose vendor submitted a checklist for the set's system with いいえ and no 目標日: a (High) gap on the vendor, for that system.</summary>
    private async Task<TenantSet> TenantsWithSystemGapAsync()
    {
        var tenants = await factory.Tenants.CreateAsync();
        var today = JapanTime.TodayInJapan(TimeProvider.System);
        await factory.WithDbAsync(async (db, _) =>
        {
            var template = await db.FormTemplateVersions.SingleAsync(t => t.Key == ChecklistLoopTests.TemplateKey);
            var itemId = template.Parse().Items.First(i => i.Has(RuleKind.TargetDateWhenNo)).Id;
            var id = Guid.NewGuid();
            db.FormSubmissions.Add(new FormSubmission
            {
                Id = id, TemplateKey = template.Key, Kind = FormKind.VendorChecklist, RespondentOrganizationId = tenants.Vendor.Id, SystemId = tenants.System.Id,
                HospitalId = tenants.Hospital.Id, FiscalYear = FiscalYear.Of(today).StartYear, State = SubmissionState.Submitted, LatestVersion = 1,
                CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
            });
            var json = AnswerJson.Serialize(new FormAnswers([new CheckRound(1, today, new Dictionary<string, ItemAnswer> { [itemId] = new("No") })]));
            db.FormSubmissionVersions.Add(new FormSubmissionVersion
            {
                Id = Guid.NewGuid(), SubmissionId = id, Number = 1, Answers = json, ContentHash = AnswerJson.Hash(json), TemplateHash = template.ContentHash,
                SubmittedAt = DateTimeOffset.UtcNow, SubmittedByUserId = tenants[Roles.VendorAdmin].Id, SubmittedByName = tenants[Roles.VendorAdmin].Email,
            });
            await db.SaveChangesAsync();
        });
        return tenants;
    }

    [Fact]
    public async Task The_page_filters_by_vendor_system_kind_severity_and_actor_and_counts_the_filtered_list()
    {
        var tenants = await TenantsWithSystemGapAsync();
        using var client = factory.CreatePortalClient();
        await client.SignInAsync(tenants[Roles.SystemOperator]);
        var path = $"/Hospitals/{tenants.Hospital.Id}/Gaps";

        var all = await client.GetDocumentAsync(path);
        var kinds = Kinds(all);
        Assert.Contains("MissingHospitalChecklist", kinds);
        Assert.Contains("NoWithoutTargetDate", kinds);
        Assert.Equal(kinds.Count, Count(all, "high") + Count(all, "medium") + Count(all, "low"));
        Assert.Equal(kinds.Count(k => k == "MissingHospitalChecklist"), int.Parse(all.QuerySelector("#gap-kinds a[data-kind=MissingHospitalChecklist] + .badge")!.TextContent));
        // Each row: severity, kind in words, vendor, system, message, who acts, since (和暦), days open; sorted by severity.
        var systemRow = all.QuerySelector("#gaps tbody tr[data-kind=NoWithoutTargetDate]")!;
        var cells = systemRow.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal(["高", "「いいえ」に目標日なし", tenants.Vendor.Name, tenants.System.Name], cells.Take(4));
        Assert.Equal("事業者", cells[5]);
        Assert.StartsWith("令和", cells[6]);
        Assert.Equal("0", cells[7]);
        Assert.StartsWith("/Checklists/", systemRow.QuerySelector("a")!.GetAttribute("href"));
        var severities = all.QuerySelectorAll("#gaps tbody tr td:first-child").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal(severities.OrderBy(s => s switch { "高" => 0, "中" => 1, _ => 2 }), severities);

        var bySystem = await client.GetDocumentAsync($"{path}?systemId={tenants.System.Id}");
        // The engaged system also has no 責任分界表 yet (MissingMatrix, a gap about the system).
        Assert.Equal(["MissingMatrix", "NoWithoutTargetDate"], Kinds(bySystem).Distinct().Order());
        Assert.Equal(tenants.System.Id.ToString(), bySystem.QuerySelector("#system option[selected]")!.GetAttribute("value"));

        var byVendor = await client.GetDocumentAsync($"{path}?vendorId={tenants.Vendor.Id}");
        Assert.DoesNotContain("MissingHospitalChecklist", Kinds(byVendor));
        Assert.Contains("NoWithoutTargetDate", Kinds(byVendor));

        var hospitalActs = await client.GetDocumentAsync($"{path}?actor=Hospital");
        Assert.Contains("MissingHospitalChecklist", Kinds(hospitalActs));
        Assert.DoesNotContain("NoWithoutTargetDate", Kinds(hospitalActs));
        Assert.Equal(0, int.Parse(hospitalActs.QuerySelector("#gap-actor-vendor")!.TextContent));

        var medium = await client.GetDocumentAsync($"{path}?severity=Medium");
        Assert.All(medium.QuerySelectorAll("#gaps tbody tr td:first-child"), c => Assert.Equal("中", c.TextContent.Trim()));
        Assert.DoesNotContain("NoWithoutTargetDate", Kinds(medium));
        Assert.Equal((0, 0), (Count(medium, "high"), Count(medium, "low")));
        var low = await client.GetDocumentAsync($"{path}?severity=Low&kind=NoWithoutTargetDate");
        Assert.Empty(Kinds(low));
        Assert.NotNull(low.QuerySelector("#no-gaps"));
        var atLeastMedium = await client.GetDocumentAsync($"{path}?minSeverity=Medium&kind=NoWithoutTargetDate&kind=MissingHospitalChecklist");
        Assert.Equal(["MissingHospitalChecklist", "NoWithoutTargetDate"], Kinds(atLeastMedium).Distinct().Order());

        // The 年度 is kept in the form, the filters and the export link.
        var lastYear = FiscalYear.Of(JapanTime.TodayInJapan(TimeProvider.System)).StartYear - 1;
        var previous = await client.GetDocumentAsync($"{path}?fiscalYear={lastYear}&actor=Vendor");
        Assert.Equal(lastYear.ToString(), previous.QuerySelector("#fy")!.GetAttribute("value"));
        var export = previous.QuerySelector("#gap-xlsx")!.GetAttribute("href")!;
        Assert.Contains($"fiscalYear={lastYear}", export);
        Assert.Contains("actor=Vendor", export);
        Assert.Contains("handler=Xlsx", export);
        Assert.All(previous.QuerySelectorAll("#gap-summary a"), a => Assert.Contains($"fiscalYear={lastYear}", a.GetAttribute("href")));

        // A bad value: a message in Japanese, the rest of the page still there.
        var bad = await client.GetDocumentAsync($"{path}?severity=Urgent&actor=Someone");
        Assert.Contains("重要度は High、Medium、Low", bad.QuerySelector("#filter-errors")!.TextContent);
        Assert.Contains("対応者は", bad.QuerySelector("#filter-errors")!.TextContent);
        Assert.Contains("MissingHospitalChecklist", Kinds(bad));
    }

    [Fact]
    public async Task The_api_filters_with_query_parameters_returns_totals_and_answers_problem_json_for_bad_values()
    {
        var tenants = await TenantsWithSystemGapAsync();
        using var client = factory.CreatePortalClient();
        await client.SignInAsync(tenants[Roles.Auditor]);
        var api = $"/api/v1/hospitals/{tenants.Hospital.Id}/gaps";

        var all = await client.GetAsync(api);
        var total = int.Parse(all.Headers.GetValues(GapsApi.TotalHeader).Single());
        var allGaps = (await all.Content.ReadFromJsonAsync<List<GapDto>>())!;
        Assert.Equal(total, allGaps.Count);
        var systemGap = Assert.Single(allGaps, g => g.Kind == "NoWithoutTargetDate");
        Assert.Equal(("「いいえ」に目標日なし", 0), (systemGap.KindLabel, systemGap.DaysOpen));

        var filtered = await client.GetAsync($"{api}?systemId={tenants.System.Id}&actor=vendor&kind=NoWithoutTargetDate&severity=Medium&severity=High");
        var gaps = (await filtered.Content.ReadFromJsonAsync<List<GapDto>>())!;
        Assert.All(gaps, g => Assert.Equal((tenants.System.Id, "Vendor", "NoWithoutTargetDate"), (g.SystemId!.Value, g.MustAct, g.Kind)));
        Assert.NotEmpty(gaps);
        Assert.Equal(total.ToString(), filtered.Headers.GetValues(GapsApi.TotalHeader).Single());
        Assert.Equal(gaps.Count.ToString(), filtered.Headers.GetValues(GapsApi.FilteredHeader).Single());
        Assert.Empty((await client.Http.GetFromJsonAsync<List<GapDto>>($"{api}?severity=Low&kind=NoWithoutTargetDate"))!);
        Assert.All((await client.Http.GetFromJsonAsync<List<GapDto>>($"{api}?minSeverity=high"))!, g => Assert.Equal("High", g.Severity));
        Assert.All((await client.Http.GetFromJsonAsync<List<GapDto>>($"{api}?vendorId={tenants.Vendor.Id}"))!, g => Assert.Equal(tenants.Vendor.Id, g.VendorId));

        var summary = (await client.Http.GetFromJsonAsync<GapSummaryDto>($"{api}/summary?actor=Hospital"))!;
        Assert.Equal(total, summary.Total);
        Assert.Equal(allGaps.Count(g => g.MustAct == "Hospital"), summary.Count);
        Assert.Equal(0, summary.ByActor["Vendor"]);
        Assert.Equal(summary.Count, summary.BySeverity.Values.Sum());
        Assert.Equal(summary.Count, summary.ByKind.Values.Sum());

        foreach (var (query, field) in new[] { ("severity=Urgent", "severity"), ("minSeverity=9", "minSeverity"), ("actor=Auditor", "actor"),
                     ("vendorId=abc", "vendorId"), ("systemId=1", "systemId"), ("kind=%3Cscript%3E", "kind"), ("fiscalYear=20x5", "fiscalYear") })
        {
            foreach (var url in new[] { $"{api}?{query}", $"{api}/summary?{query}", $"{api}/xlsx?{query}" })
            {
                var response = await client.GetAsync(url);
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
                using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out var messages), $"{url}: no error for {field}");
                Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
            }
        }
    }

    [Fact]
    public async Task The_filtered_list_downloads_as_a_readable_workbook_from_the_page_and_the_api_and_the_export_is_audited()
    {
        var tenants = await TenantsWithSystemGapAsync();
        using var client = factory.CreatePortalClient();
        await client.SignInAsync(tenants[Roles.SecurityManager]);
        var expected = (await client.Http.GetFromJsonAsync<List<GapDto>>($"/api/v1/hospitals/{tenants.Hospital.Id}/gaps?actor=Vendor"))!;
        Assert.NotEmpty(expected);
        foreach (var url in new[] { $"/Hospitals/{tenants.Hospital.Id}/Gaps?handler=Xlsx&actor=Vendor", $"/api/v1/hospitals/{tenants.Hospital.Id}/gaps/xlsx?actor=Vendor" })
        {
            var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(Xlsx, response.Content.Headers.ContentType!.MediaType);
            Assert.EndsWith(".xlsx", response.Content.Headers.ContentDisposition!.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName);
            using var package = new ExcelPackage(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
            var ws = package.Workbook.Worksheets[0];
            Assert.Equal(tenants.Hospital.Name, ws.Cells[3, 2].Text);
            Assert.StartsWith("令和", ws.Cells[4, 2].Text);
            Assert.Equal("対応者: 事業者", ws.Cells[5, 2].Text);
            var top = GapWorkbookWriter.TableHeaderRow;
            Assert.Equal("重要度", ws.Cells[top, 1].Text);
            var rows = Enumerable.Range(top + 1, expected.Count + 1).TakeWhile(r => ws.Cells[r, 1].Value is not null).ToList();
            Assert.Equal(expected.Count, rows.Count);
            Assert.All(rows, r => Assert.Equal("事業者", ws.Cells[r, 7].Text));
            Assert.Contains(rows, r => ws.Cells[r, 2].Text == "「いいえ」に目標日なし" && ws.Cells[r, 6].Text == tenants.System.Name);
        }
        var audited = await factory.WithDbAsync((db, _) => db.AuditEvents.IgnoreQueryFilters()
            .CountAsync(e => e.Action == "gaps.exported_xlsx" && e.TargetId == tenants.Hospital.Id.ToString()));
        Assert.Equal(2, audited);

        // In English the sheet is still the Japanese document.
        using var english = factory.CreatePortalClient();
        await english.SignInAsync(tenants[Roles.Auditor]);
        await english.PostFormAsync("/Culture", new Dictionary<string, string> { ["culture"] = "en", ["returnUrl"] = "/" }, "/");
        var en = await english.GetAsync($"/api/v1/hospitals/{tenants.Hospital.Id}/gaps/xlsx");
        using var enPackage = new ExcelPackage(new MemoryStream(await en.Content.ReadAsByteArrayAsync()));
        var enSheet = enPackage.Workbook.Worksheets[0];
        Assert.Equal("なし（すべての不備）", enSheet.Cells[5, 2].Text);
        Assert.Contains(Enumerable.Range(GapWorkbookWriter.TableHeaderRow + 1, 20), r => enSheet.Cells[r, 2].Text == "医療機関確認用の未記録" && enSheet.Cells[r, 1].Text == "高");
        // …while the English API speaks English.
        var enGaps = (await english.Http.GetFromJsonAsync<List<GapDto>>($"/api/v1/hospitals/{tenants.Hospital.Id}/gaps?kind=MissingHospitalChecklist"))!;
        Assert.DoesNotContain("医療機関確認用", Assert.Single(enGaps).KindLabel);
    }

    [Fact]
    public async Task The_dashboard_counts_gaps_by_severity_and_links_to_the_filtered_view()
    {
        var tenants = await TenantsWithSystemGapAsync();
        using var client = factory.CreatePortalClient();
        await client.SignInAsync(tenants[Roles.Executive]);
        var gaps = (await client.Http.GetFromJsonAsync<List<GapDto>>($"/api/v1/hospitals/{tenants.Hospital.Id}/gaps"))!;
        var dashboard = await client.GetDocumentAsync("/");
        Assert.Equal(gaps.Count.ToString(), dashboard.QuerySelector("#gap-total")!.TextContent.Trim());
        foreach (var severity in new[] { "High", "Medium", "Low" })
        {
            var link = dashboard.QuerySelector($"#gap-{severity.ToLowerInvariant()}")!;
            Assert.EndsWith($" {gaps.Count(g => g.Severity == severity)}", link.TextContent.Trim());
            Assert.Equal($"/Hospitals/{tenants.Hospital.Id}/Gaps?severity={severity}", link.GetAttribute("href"));
        }
        var page = await client.GetDocumentAsync(dashboard.QuerySelector("#gap-medium")!.GetAttribute("href")!);
        Assert.All(page.QuerySelectorAll("#gaps tbody tr td:first-child"), c => Assert.Equal("中", c.TextContent.Trim()));
    }

    [Fact]
    public async Task Another_hospital_gets_404_and_a_vendor_403_for_the_page_the_api_the_summary_and_both_exports()
    {
        var mine = await TenantsWithSystemGapAsync();
        var theirs = await factory.Tenants.CreateAsync();
        var urls = new[]
        {
            $"/Hospitals/{mine.Hospital.Id}/Gaps", $"/Hospitals/{mine.Hospital.Id}/Gaps?handler=Xlsx", $"/Hospitals/{mine.Hospital.Id}/Gaps?handler=Xlsx&vendorId={mine.Vendor.Id}",
            $"/api/v1/hospitals/{mine.Hospital.Id}/gaps", $"/api/v1/hospitals/{mine.Hospital.Id}/gaps/summary", $"/api/v1/hospitals/{mine.Hospital.Id}/gaps/xlsx",
        };
        using var other = factory.CreatePortalClient();
        await other.SignInAsync(theirs[Roles.SecurityManager]);
        foreach (var url in urls)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(url)).StatusCode);
        }
        using var vendor = factory.CreatePortalClient();
        await vendor.SignInAsync(mine[Roles.VendorAdmin]);
        foreach (var url in urls.Where(u => u.StartsWith("/api/", StringComparison.Ordinal)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await vendor.GetAsync(url)).StatusCode);
        }
        var page = await vendor.GetAsync(urls[1]);
        Assert.NotEqual(HttpStatusCode.OK, page.StatusCode);
        var exports = await factory.WithDbAsync((db, _) => db.AuditEvents.IgnoreQueryFilters()
            .CountAsync(e => e.Action == "gaps.exported_xlsx" && e.TargetId == mine.Hospital.Id.ToString()));
        Assert.Equal(0, exports);
    }

    private static List<string> Kinds(AngleSharp.Html.Dom.IHtmlDocument page)
        => [.. page.QuerySelectorAll("#gaps tbody tr").Select(r => r.GetAttribute("data-kind")!)];

    private static int Count(AngleSharp.Html.Dom.IHtmlDocument page, string severity)
        => int.Parse(page.QuerySelector($"#gap-count-{severity}")!.TextContent);
}
