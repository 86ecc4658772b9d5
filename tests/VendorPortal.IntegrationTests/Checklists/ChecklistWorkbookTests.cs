using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OfficeOpenXml;
using VendorPortal.Features.Account;
using VendorPortal.Features.Forms;
using VendorPortal.Infrastructure.Time;
using VendorPortal.IntegrationTests.Support;

namespace VendorPortal.IntegrationTests.Checklists;

/// <summary>Excel out and in: export, fill, import into the draft (all or nothing), submit; bad files; other tenants.</summary>
public sealed class ChecklistWorkbookTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private static int ThisYear => FiscalYear.Of(JapanTime.TodayInJapan(TimeProvider.System)).StartYear;
    private static DateOnly Today => JapanTime.TodayInJapan(TimeProvider.System);

    private async Task<(TenantSet Tenants, PortalClient Vendor, Guid Id)> StartChecklistAsync()
    {
        var tenants = await factory.Tenants.CreateAsync();
        var vendor = factory.CreatePortalClient();
        await vendor.SignInAsync(tenants[Roles.VendorMember]);
        var created = await vendor.SendJsonAsync(HttpMethod.Post, $"/api/v1/hospitals/{tenants.Hospital.Id}/checklists",
            new { templateKey = ChecklistLoopTests.TemplateKey, fiscalYear = ThisYear });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        return (tenants, vendor, id);
    }

    private Task<string> DraftAsync(Guid id) => factory.WithDbAsync(async (db, _) => (await db.FormSubmissions.SingleAsync(s => s.Id == id)).DraftAnswers);

    /// <summary>Fills the exported sheet the way a person does in Excel: はい everywhere, one いいえ with a 目標日, the 1回目 date.</summary>
    private static byte[] Fill(byte[] exported, Action<ExcelWorksheet, int, List<int>>? extra = null)
    {
        using var package = new ExcelPackage(new MemoryStream(exported));
        var ws = package.Workbook.Worksheets[0];
        var header = Enumerable.Range(1, 40).First(r => ws.Cells[r, 2].Text == "項番");
        var dateRow = Enumerable.Range(1, header).First(r => ws.Cells[r, 2].Text == "1回目 確認日");
        ws.Cells[dateRow, 3].Value = Today.ToDateTime(TimeOnly.MinValue);
        var itemRows = Enumerable.Range(header + 1, ws.Dimension.End.Row - header).Where(r => !string.IsNullOrEmpty(ws.Cells[r, 1].Text)).ToList();
        foreach (var r in itemRows)
        {
            ws.Cells[r, 4].Value = "はい";
        }
        ws.Cells[itemRows[1], 4].Value = "いいえ";
        ws.Cells[itemRows[1], 5].Value = new FiscalYear(ThisYear).LastDay.ToDateTime(TimeOnly.MinValue);
        ws.Cells[itemRows[1], 6].Value = "=来年度のVPN更改で対応";
        extra?.Invoke(ws, header, itemRows);
        return package.GetAsByteArray();
    }

    [Fact]
    public async Task Vendor_exports_fills_imports_through_the_page_and_submits_hospital_downloads_the_submitted_version()
    {
        var (tenants, vendor, id) = await StartChecklistAsync();
        using var _ = vendor;
        var detail = $"/Checklists/{id}";

        var exported = await vendor.GetAsync(detail + "?handler=Xlsx");
        Assert.Equal(HttpStatusCode.OK, exported.StatusCode);
        Assert.Equal(Xlsx, exported.Content.Headers.ContentType!.MediaType);
        Assert.Contains(".xlsx", exported.Content.Headers.ContentDisposition!.FileNameStar);
        var filled = Fill(await exported.Content.ReadAsByteArrayAsync());

        var imported = await vendor.PostFileAsync(detail + "?handler=Import", "workbook", filled, "checklist.xlsx", tokenFrom: detail);
        Assert.Equal(HttpStatusCode.Redirect, imported.StatusCode);
        var page = await vendor.GetDocumentAsync(detail);
        Assert.Contains("項目を読み込み", page.QuerySelector(".status, [role=status]")?.TextContent ?? page.Body!.TextContent);
        var draft = AnswerJson.Deserialize(await DraftAsync(id));
        var round = draft.Rounds.Single(r => r.Number == 1);
        Assert.Equal(Today, round.CheckedOn);
        Assert.Contains(round.Answers.Values, a => a.Value == "No" && a.Remark == "=来年度のVPN更改で対応");

        Assert.Equal(HttpStatusCode.OK, (await vendor.SendJsonAsync(HttpMethod.Post, $"/api/v1/submissions/{id}/submit", null)).StatusCode);

        // The hospital downloads the submitted version; it carries the answers and the version's hash.
        using var hospital = factory.CreatePortalClient();
        await hospital.SignInAsync(tenants[Roles.SystemOperator]);
        var download = await hospital.GetAsync($"/api/v1/submissions/{id}/xlsx");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        using var package = new ExcelPackage(new MemoryStream(await download.Content.ReadAsByteArrayAsync()));
        var ws = package.Workbook.Worksheets[0];
        var cells = ws.Cells[ws.Dimension.Address].Select(c => c.Text).ToList();
        Assert.Contains(tenants.Hospital.Name, cells);
        Assert.Contains(tenants.Vendor.Name, cells);
        Assert.Contains("いいえ", cells);
        Assert.Contains(cells, c => c.StartsWith("第1版", StringComparison.Ordinal));
        // The hospital cannot import into the vendor's checklist.
        var refused = await hospital.PostFileAsync($"/api/v1/submissions/{id}/xlsx", "file", filled, "x.xlsx", tokenFrom: "/Account/Security", tokenAsHeader: true);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task Import_through_the_api_and_every_kind_of_bad_file_is_refused_with_nothing_saved()
    {
        var (_, vendor, id) = await StartChecklistAsync();
        using var _ = vendor;
        var api = $"/api/v1/submissions/{id}/xlsx";
        Task<HttpResponseMessage> Upload(byte[] bytes, string name = "a.xlsx") => vendor.PostFileAsync(api, "file", bytes, name, tokenFrom: "/Account/Security", tokenAsHeader: true);
        var blank = await (await vendor.GetAsync(api)).Content.ReadAsByteArrayAsync();
        var before = await DraftAsync(id);

        async Task<JsonElement> Refused(HttpResponseMessage response, HttpStatusCode status)
        {
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            Assert.Equal(before, await DraftAsync(id));
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        }

        var broken = await Refused(await Upload("PK\u0003\u0004 not really a zip"u8.ToArray()), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("壊れている", broken.GetProperty("errors").GetProperty("file")[0].GetString());
        await Refused(await Upload("just text"u8.ToArray(), "a.csv"), HttpStatusCode.UnprocessableEntity);
        await Refused(await Upload(new byte[11 * 1024 * 1024]), HttpStatusCode.RequestEntityTooLarge);

        // Another template's workbook (the hospital's own checklist).
        var other = await vendor.GetAsync("/api/v1/form-templates/hospital-checklist-r6/xlsx");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        var wrong = await Refused(await Upload(await other.Content.ReadAsByteArrayAsync()), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("別の様式", wrong.GetProperty("errors").GetProperty("file")[0].GetString());

        // A formula and an invalid answer: both reported by cell, nothing saved.
        var bad = Fill(blank, (ws, header, rows) =>
        {
            ws.Cells[rows[0], 4].Formula = "IF(1,\"はい\",\"いいえ\")";
            ws.Cells[rows[2], 4].Value = "たぶん";
        });
        var cells = await Refused(await Upload(bad), HttpStatusCode.UnprocessableEntity);
        var errors = cells.GetProperty("errors").EnumerateObject().ToDictionary(p => p.Name, p => p.Value[0].GetString());
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors.Values, v => v!.Contains("数式"));
        Assert.Contains(errors.Values, v => v!.Contains("はい"));

        // The good file is accepted; the rounds it lacks (2回目) are left as they were.
        var ok = await Upload(Fill(blank));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.NotEqual(before, await DraftAsync(id));
        var audit = await factory.WithDbAsync(async (db, _) => await db.AuditEvents.IgnoreQueryFilters().CountAsync(e => e.Action == "form.imported_xlsx" && e.TargetId == id.ToString()));
        Assert.Equal(1, audit);
    }

    [Fact]
    public async Task Import_problems_are_listed_on_the_page_by_cell()
    {
        var (_, vendor, id) = await StartChecklistAsync();
        using var _ = vendor;
        var detail = $"/Checklists/{id}";
        var blank = await (await vendor.GetAsync(detail + "?handler=Xlsx")).Content.ReadAsByteArrayAsync();
        var bad = Fill(blank, (ws, header, rows) => ws.Cells[rows[1], 5].Value = "来年のどこか");
        var response = await vendor.PostFileAsync(detail + "?handler=Import", "workbook", bad, "bad.xlsx", tokenFrom: detail);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = await PortalClient.ParseAsync(response);
        var problems = doc.QuerySelector("#import-problems")!.TextContent;
        Assert.Contains("何も保存していません", problems);
        Assert.Matches(@"セル E\d+", problems);
        Assert.Contains("日付として読めません", problems);
        var huge = await vendor.PostFileAsync(detail + "?handler=Import", "workbook", new byte[12 * 1024 * 1024], "huge.xlsx", tokenFrom: detail);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Contains("10 MB", (await PortalClient.ParseAsync(huge)).Body!.TextContent);
        var none = await vendor.PostFileAsync(detail + "?handler=Import", "workbook", [], "empty.xlsx", tokenFrom: detail);
        Assert.Contains("ファイルを選んでください", (await PortalClient.ParseAsync(none)).QuerySelector("#import-problems")!.TextContent);
    }

    [Fact]
    public async Task Another_tenant_can_neither_download_nor_upload()
    {
        var (_, vendor, id) = await StartChecklistAsync();
        using var _ = vendor;
        var blank = await (await vendor.GetAsync($"/api/v1/submissions/{id}/xlsx")).Content.ReadAsByteArrayAsync();
        var filled = Fill(blank);
        Assert.Equal(HttpStatusCode.OK, (await vendor.PostFileAsync($"/api/v1/submissions/{id}/xlsx", "file", filled, "a.xlsx", tokenFrom: "/Account/Security", tokenAsHeader: true)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await vendor.SendJsonAsync(HttpMethod.Post, $"/api/v1/submissions/{id}/submit", null)).StatusCode);

        var others = await factory.Tenants.CreateAsync();
        foreach (var role in new[] { Roles.VendorAdmin, Roles.SystemOperator })
        {
            using var stranger = factory.CreatePortalClient();
            await stranger.SignInAsync(others[role]);
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/submissions/{id}/xlsx")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/Checklists/{id}?handler=Xlsx")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostFileAsync($"/api/v1/submissions/{id}/xlsx", "file", filled, "a.xlsx", tokenFrom: "/Account/Security", tokenAsHeader: true)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostFileAsync($"/Checklists/{id}?handler=Import", "workbook", filled, "a.xlsx", tokenFrom: "/Account/Security")).StatusCode);
        }
    }

    [Fact]
    public async Task The_blank_form_downloads_from_the_template_page_and_the_api()
    {
        var tenants = await factory.Tenants.CreateAsync();
        using var user = factory.CreatePortalClient();
        await user.SignInAsync(tenants[Roles.Auditor]);
        var page = await user.GetDocumentAsync("/Forms/hospital-checklist-r6");
        Assert.NotNull(page.QuerySelector("#template-xlsx"));
        foreach (var path in new[] { "/Forms/hospital-checklist-r6?handler=Xlsx", "/api/v1/form-templates/hospital-checklist-r6/xlsx" })
        {
            var response = await user.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var package = new ExcelPackage(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
            Assert.Equal(14, package.Workbook.Worksheets[0].Cells[package.Workbook.Worksheets[0].Dimension.Address].Count(c => c.Start.Column == 1 && c.Text.Length > 0 && c.Text != "ID"));
        }
        Assert.Equal(HttpStatusCode.NotFound, (await user.GetAsync("/api/v1/form-templates/no-such-form/xlsx")).StatusCode);
    }

    [Fact]
    public async Task A_vendor_exports_its_mds_once_fills_it_in_excel_and_imports_it_once_the_hospital_downloads_it()
    {
        var tenants = await factory.Tenants.CreateAsync();
        using var vendor = factory.CreatePortalClient();
        await vendor.SignInAsync(tenants[Roles.VendorAdmin]);
        var created = await vendor.SendJsonAsync(HttpMethod.Post, "/api/v1/products", new { kind = "Mds", name = "画像サーバ", version = "5.2", templateKey = "mds-sample-v5" });
        var submissionId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("submissionId").GetGuid();
        var api = $"/api/v1/submissions/{submissionId}/xlsx";

        var blank = await (await vendor.GetAsync(api)).Content.ReadAsByteArrayAsync();
        byte[] filled;
        using (var package = new ExcelPackage(new MemoryStream(blank)))
        {
            var ws = package.Workbook.Worksheets[0];
            Assert.Equal("MDS", ws.Name);
            var cells = ws.Cells[ws.Dimension.Address].Select(c => c.Text).ToList();
            Assert.Contains("画像サーバ", cells);
            Assert.Contains("5.2", cells);
            Assert.DoesNotContain("1回目 確認日", cells);
            var header = Enumerable.Range(1, 40).First(r => ws.Cells[r, 2].Text == "項番");
            Assert.Equal("回答", ws.Cells[header, 4].Text);
            foreach (var r in Enumerable.Range(header + 1, ws.Dimension.End.Row - header).Where(r => ws.Cells[r, 1].Text.Length > 0))
            {
                ws.Cells[r, 4].Value = "はい";
            }
            filled = package.GetAsByteArray();
        }
        var imported = await vendor.PostFileAsync(api, "file", filled, "mds.xlsx", tokenFrom: "/Account/Security", tokenAsHeader: true);
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await vendor.SendJsonAsync(HttpMethod.Put, $"/api/v1/submissions/{submissionId}/recipients", new { hospitalIds = new[] { tenants.Hospital.Id } })).StatusCode);
        var submitted = await vendor.SendJsonAsync(HttpMethod.Post, $"/api/v1/submissions/{submissionId}/submit", null);
        Assert.True(submitted.StatusCode == HttpStatusCode.OK, await submitted.Content.ReadAsStringAsync());

        using var hospital = factory.CreatePortalClient();
        await hospital.SignInAsync(tenants[Roles.SystemOperator]);
        var download = await hospital.GetAsync(api);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        using var received = new ExcelPackage(new MemoryStream(await download.Content.ReadAsByteArrayAsync()));
        var texts = received.Workbook.Worksheets[0].Cells[received.Workbook.Worksheets[0].Dimension.Address].Select(c => c.Text).ToList();
        Assert.Contains("画像サーバ", texts);
        Assert.Contains(texts, t => t.StartsWith("第1版", StringComparison.Ordinal));

        // A hospital it was not shared with does not even learn it exists.
        var other = await factory.Tenants.CreateAsync();
        using var stranger = factory.CreatePortalClient();
        await stranger.SignInAsync(other[Roles.SystemOperator]);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync(api)).StatusCode);
    }
}
