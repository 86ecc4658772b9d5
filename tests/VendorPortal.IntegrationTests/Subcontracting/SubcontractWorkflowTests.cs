using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VendorPortal.Features.Account;
using VendorPortal.Features.Gaps;
using VendorPortal.Features.Subcontracting;
using VendorPortal.Infrastructure.Email;
using VendorPortal.IntegrationTests.Support;
using static VendorPortal.IntegrationTests.Subcontracting.SubcontractData;

namespace VendorPortal.IntegrationTests.Subcontracting;

/// <summary>
/// 再委託 through the API and the HTTP pages: the approval path with its refusals, notifications (in-app and
/// e-mail), audit and history; bad input; attachments; the register, decisions and gaps; other tenants.
/// (The same path through a real browser is in Browser/SubcontractBrowserTests.)
/// </summary>
public sealed class SubcontractWorkflowTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private async Task<PortalClient> SignedInAsync(TestUser user)
    {
        var client = factory.CreatePortalClient();
        await client.SignInAsync(user);
        return client;
    }

    private static async Task<string> TitleOf(HttpResponseMessage response) => (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString()!;

    [Fact]
    public async Task Each_step_is_taken_in_order_by_its_own_role_and_the_next_person_is_told()
    {
        var t = await factory.Tenants.CreateAsync();
        using var vendor = await SignedInAsync(t[Roles.VendorMember]);
        using var sysop = await SignedInAsync(t[Roles.SystemOperator]);
        using var security = await SignedInAsync(t[Roles.SecurityManager]);
        using var executive = await SignedInAsync(t[Roles.Executive]);

        var id = await CreateAsync(vendor, t, Company("東京データ株式会社", "JP", Company("Pacific Backup Pte. Ltd.", "SG")));

        // The hospital does not see a draft.
        Assert.Equal(HttpStatusCode.NotFound, (await sysop.GetAsync($"/api/v1/subcontract-requests/{id}")).StatusCode);
        Assert.Equal(0, (await sysop.Http.GetFromJsonAsync<JsonElement>("/api/v1/subcontract-requests")).GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await sysop.GetAsync($"/Subcontracts/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await StepAsync(vendor, id, "submit")).StatusCode);

        // Nobody skips a step: the executive and the security manager are too early, the vendor cannot review.
        var tooEarly = await StepAsync(executive, id, "decision", new { decision = "approve", comment = "OK", acknowledgeForeign = true });
        Assert.Equal(HttpStatusCode.Conflict, tooEarly.StatusCode);
        Assert.Contains("前の手順", await TitleOf(tooEarly));
        Assert.Equal(HttpStatusCode.Conflict, (await StepAsync(security, id, "opinion", new { opinion = "favourable", comment = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await StepAsync(vendor, id, "review")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await StepAsync(executive, id, "review")).StatusCode);

        // The operator was told (in-app, by role) and e-mailed without any names in the mail.
        var inbox = await sysop.Http.GetFromJsonAsync<JsonElement>("/api/v1/notifications");
        var note = inbox.EnumerateArray().Single();
        Assert.Contains(t.Vendor.Name, note.GetProperty("text").GetString());
        Assert.Equal($"/Subcontracts/{id}", note.GetProperty("link").GetString());
        var mail = Mail(t[Roles.SystemOperator].Email);
        Assert.Contains("新しい再委託申請が提出されました", mail.Body);
        Assert.Contains($"/Subcontracts/{id}", mail.Body);
        Assert.DoesNotContain(t.Vendor.Name, mail.Body + mail.Subject);
        Assert.DoesNotContain("東京データ", mail.Body);
        Assert.Empty(MailTo(t[Roles.Executive].Email));

        // Asking for more information needs the question; the request goes back to the vendor, who is told.
        Assert.Equal(HttpStatusCode.BadRequest, (await StepAsync(sysop, id, "request-information", new { comment = " " })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await StepAsync(sysop, id, "request-information", new { comment = "保存場所の詳細を教えてください。" })).StatusCode);
        Assert.Equal("InformationRequested", (await GetAsync(vendor, id)).GetProperty("state").GetString());
        Assert.Single(MailTo(t[Roles.VendorMember].Email));

        // Answering needs the answer; then it is back with the hospital.
        Assert.Equal(HttpStatusCode.BadRequest, (await StepAsync(vendor, id, "submit")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await StepAsync(vendor, id, "submit", new { comment = "シンガポールに暗号化して保管します。" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await StepAsync(sysop, id, "review", new { comment = "内部メモ：契約書は確認済み" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await StepAsync(security, id, "opinion", new { comment = "理由" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await StepAsync(security, id, "opinion", new { opinion = "favourable_with_conditions", comment = "暗号鍵の国内管理を条件に可" })).StatusCode);

        // The vendor sees that the steps happened, not the hospital's internal notes and opinion.
        var vendorView = await vendor.Http.GetStringAsync($"/api/v1/subcontract-requests/{id}");
        Assert.DoesNotContain("暗号鍵の国内管理を条件に可", vendorView);
        Assert.DoesNotContain("内部メモ", vendorView);
        Assert.DoesNotContain("FavourableWithConditions", vendorView);
        var hospitalView = await executive.Http.GetStringAsync($"/api/v1/subcontract-requests/{id}");
        Assert.Contains("暗号鍵の国内管理を条件に可", hospitalView);
        Assert.Contains("国内法の執行", (await GetAsync(executive, id)).GetProperty("foreignCaution").GetString());
        Assert.Contains("Approve", (await GetAsync(executive, id)).GetProperty("availableActions").EnumerateArray().Select(a => a.GetString()));

        // The executive decides with a reason, and must acknowledge the foreign handling explicitly.
        Assert.Contains("理由", await TitleOf(await StepAsync(executive, id, "decision", new { decision = "approve_with_conditions", conditions = "鍵は国内で管理", acknowledgeForeign = true })));
        var noAck = await StepAsync(executive, id, "decision", new { decision = "approve_with_conditions", comment = "必要な体制のため", conditions = "鍵は国内で管理" });
        Assert.Contains("国外", await TitleOf(noAck));
        var validUntil = Date(200);
        var approved = await StepAsync(executive, id, "decision", new { decision = "approve_with_conditions", comment = "必要な体制のため", conditions = "鍵は国内で管理", acknowledgeForeign = true, validUntil });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await StepAsync(executive, id, "decision", new { decision = "reject", comment = "やはり却下" })).StatusCode);

        var final = await GetAsync(vendor, id);
        Assert.Equal(("ApprovedWithConditions", "鍵は国内で管理", validUntil), (final.GetProperty("state").GetString(), final.GetProperty("conditions").GetString(), final.GetProperty("approvalEndsOn").GetString()));
        Assert.Equal(
            ["Created", "Submitted", "InformationRequested", "Submitted", "Reviewed", "OpinionGiven", "ApprovedWithConditions"],
            final.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("action").GetString()));
        Assert.Equal(2, final.GetProperty("version").GetInt32());
        Assert.Contains(MailTo(t[Roles.VendorMember].Email), m => m.Body.Contains("条件付きで承認"));

        // Audit: each step on the acting organization's log; the history cannot be rewritten.
        var actions = await factory.WithDbAsync(async (db, _) => await db.AuditEvents.Where(e => e.TargetId == id.ToString()).OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync());
        Assert.Equal(["subcontract.created", "subcontract.submitted", "subcontract.information_requested", "subcontract.submitted", "subcontract.reviewed",
            "subcontract.opinion_given", "subcontract.approved_with_conditions"], actions);
        await using var conn = new NpgsqlConnection(factory.ConnectionString);
        await conn.OpenAsync();
        var ex = await Assert.ThrowsAsync<PostgresException>(() => new NpgsqlCommand($"UPDATE subcontract_events SET comment = 'x' WHERE request_id = '{id}'", conn).ExecuteNonQueryAsync());
        Assert.Contains("immutable", ex.MessageText);

        // The register lists both companies, the foreign one flagged; the decision list records the decision with its hash.
        var register = await security.Http.GetFromJsonAsync<JsonElement>($"/api/v1/hospitals/{t.Hospital.Id}/subcontractors");
        Assert.Equal(["Pacific Backup Pte. Ltd.", "東京データ株式会社"], register.EnumerateArray().Select(r => r.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        Assert.True(register.EnumerateArray().Single(r => r.GetProperty("name").GetString() == "Pacific Backup Pte. Ltd.").GetProperty("foreign").GetBoolean());
        Assert.All(register.EnumerateArray(), r => Assert.Equal(validUntil, r.GetProperty("approvalEndsOn").GetString()));
        var bySystem = await security.Http.GetFromJsonAsync<JsonElement>($"/api/v1/hospitals/{t.Hospital.Id}/subcontractors?systemId={t.System.Id}");
        Assert.Equal(2, bySystem.GetArrayLength());
        Assert.Equal(0, (await security.Http.GetFromJsonAsync<JsonElement>($"/api/v1/hospitals/{t.Hospital.Id}/subcontractors?systemId={Guid.NewGuid()}")).GetArrayLength());
        var decision = (await security.Http.GetFromJsonAsync<JsonElement>($"/api/v1/hospitals/{t.Hospital.Id}/subcontract-decisions")).EnumerateArray().Single();
        Assert.Equal(("ApprovedWithConditions", true, final.GetProperty("contentHash").GetString()),
            (decision.GetProperty("decision").GetString(), decision.GetProperty("foreignAcknowledged").GetBoolean(), decision.GetProperty("contentHash").GetString()));
        var page = await security.GetDocumentAsync($"/Hospitals/{t.Hospital.Id}/Subcontractors");
        Assert.Contains("Pacific Backup Pte. Ltd.", page.QuerySelector("#register")!.TextContent);
        Assert.Contains("国外", page.QuerySelector("#register")!.TextContent);
        var decisions = await security.GetDocumentAsync($"/Hospitals/{t.Hospital.Id}/Subcontractors/Decisions");
        Assert.Contains("必要な体制のため", decisions.QuerySelector("#decisions")!.TextContent);
    }

    [Fact]
    public async Task A_submitted_version_is_frozen_with_its_hash_and_the_vendor_cannot_change_it_while_the_hospital_holds_it()
    {
        var t = await factory.Tenants.CreateAsync();
        using var vendor = await SignedInAsync(t[Roles.VendorAdmin]);
        var id = await CreateAsync(vendor, t, Company("A社"));
        await UploadAsync(vendor, id, Pdf, "contract.pdf");
        Assert.Equal(HttpStatusCode.OK, (await StepAsync(vendor, id, "submit")).StatusCode);

        var dto = await GetAsync(vendor, id);
        var hash = dto.GetProperty("contentHash").GetString()!;
        var snapshot = await vendor.Http.GetStringAsync($"/api/v1/subcontract-requests/{id}/versions/1");
        Assert.Equal(hash, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(snapshot))));
        Assert.Contains("contract.pdf", snapshot);

        var change = await vendor.SendJsonAsync(HttpMethod.Put, $"/api/v1/subcontract-requests/{id}", new { subcontractor = Company("B社") });
        Assert.Equal(HttpStatusCode.Conflict, change.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await UploadRawAsync(vendor, id, Pdf, "more.pdf")).StatusCode);

        // Withdrawn, it is closed for good.
        Assert.Equal(HttpStatusCode.OK, (await StepAsync(vendor, id, "withdraw", new { comment = "計画変更" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await StepAsync(vendor, id, "submit")).StatusCode);
    }

    [Fact]
    public async Task Bad_input_is_refused_with_reasons_and_nothing_is_saved()
    {
        var t = await factory.Tenants.CreateAsync();
        var other = await factory.Tenants.CreateAsync();
        using var vendor = await SignedInAsync(t[Roles.VendorMember]);
        var path = $"/api/v1/hospitals/{t.Hospital.Id}/subcontract-requests";

        async Task<Dictionary<string, string[]>> Refused(Dictionary<string, object?> subcontractor, Guid? engagementId = null)
        {
            var response = await vendor.SendJsonAsync(HttpMethod.Post, path, new { engagementId = engagementId ?? t.Engagement.Id, subcontractor });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            return body.TryGetProperty("errors", out var errors)
                ? errors.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(v => v.GetString()!).ToArray())
                : new Dictionary<string, string[]> { [""] = [body.GetProperty("title").GetString()!] };
        }

        // Missing fields.
        var missing = Company("A社");
        missing["name"] = null;
        missing["securityDuties"] = "";
        missing["periodFrom"] = null;
        var errors = await Refused(missing);
        Assert.Equal(["subcontractor.name", "subcontractor.periodFrom", "subcontractor.securityDuties"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("入力してください。", errors["subcontractor.name"][0]);

        // A corporate number with a wrong check digit.
        var badNumber = Company("A社");
        badNumber["corporateNumber"] = "8000012050002";
        Assert.Contains("チェックデジット", (await Refused(badNumber))["subcontractor.corporateNumber"][0]);

        // An expired certificate, an unknown certificate kind.
        var expired = Company("A社");
        expired["certifications"] = new[] { new Dictionary<string, object?> { ["kind"] = "PrivacyMark", ["number"] = "第1号", ["expiresOn"] = Date(-1) } };
        Assert.Contains("有効期限が過ぎています", (await Refused(expired))["subcontractor.certifications[0].expiresOn"][0]);
        var unknownKind = Company("A社");
        unknownKind["certifications"] = new[] { new Dictionary<string, object?> { ["kind"] = "SOC2", ["number"] = "1", ["expiresOn"] = Date(10) } };
        Assert.True((await Refused(unknownKind)).ContainsKey("subcontractor.certifications[0].kind"));

        // Dates in the wrong order; a 再々委託 outside its parent's period.
        var backwards = Company("A社");
        (backwards["periodFrom"], backwards["periodTo"]) = (Date(30), Date(10));
        Assert.Contains("終了日は開始日以降", (await Refused(backwards))["subcontractor.periodTo"][0]);
        var child = Company("B社");
        child["periodTo"] = Date(900);
        Assert.Contains("の期間の外", (await Refused(Company("A社", "JP", child)))["subcontractor.subcontractors[0].periodFrom"][0]);

        // An engagement of another hospital, and a hospital the vendor does not serve.
        Assert.Contains("有効な契約がありません", (await Refused(Company("A社"), other.Engagement.Id))[""][0]);
        var notServed = await vendor.SendJsonAsync(HttpMethod.Post, $"/api/v1/hospitals/{other.Hospital.Id}/subcontract-requests", new { engagementId = other.Engagement.Id, subcontractor = Company("A社") });
        Assert.Equal(HttpStatusCode.NotFound, notServed.StatusCode);

        // Hospital staff do not file requests.
        using var sysop = await SignedInAsync(t[Roles.SystemOperator]);
        Assert.Equal(HttpStatusCode.Forbidden, (await sysop.SendJsonAsync(HttpMethod.Post, path, new { engagementId = t.Engagement.Id, subcontractor = Company("A社") })).StatusCode);

        // The page shows the problems next to the fields and keeps what was typed.
        var form = await vendor.PostFormAsync("/Subcontracts/New", new Dictionary<string, string>
        {
            ["EngagementId"] = t.Engagement.Id.ToString(), ["Input.Name"] = "入力途中株式会社", ["Input.Country"] = "JP",
            ["Input.PeriodFrom"] = Date(30), ["Input.PeriodTo"] = Date(10),
            ["Input.Certifications[0].Kind"] = "PrivacyMark", ["Input.Certifications[0].Number"] = "第1号", ["Input.Certifications[0].ExpiresOn"] = Date(-5),
        });
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        var doc = await PortalClient.ParseAsync(form);
        Assert.Contains("終了日は開始日以降", doc.QuerySelector("[data-field=periodTo]")!.TextContent);
        Assert.Contains("有効期限が過ぎています", doc.QuerySelector("[data-field='cert.PrivacyMark.expiresOn']")!.TextContent);
        Assert.Contains("法人番号を入力", doc.QuerySelector("[data-field=corporateNumber]")!.TextContent);
        Assert.Equal("入力途中株式会社", doc.QuerySelector("#sc-name")!.GetAttribute("value"));

        var page = await vendor.PostFormAsync("/Subcontracts/New", new Dictionary<string, string> { ["EngagementId"] = other.Engagement.Id.ToString(), ["Input.Name"] = "x" });
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);

        Assert.False(await factory.WithDbAsync(async (db, _) => await db.SubcontractRequests.AnyAsync(r => r.VendorId == t.Vendor.Id)));
    }

    [Fact]
    public async Task Attachments_are_accepted_by_content_only_and_each_download_is_audited()
    {
        var t = await factory.Tenants.CreateAsync();
        using var vendor = await SignedInAsync(t[Roles.VendorAdmin]);
        var id = await CreateAsync(vendor, t, Company("A社"));

        var html = await UploadRawAsync(vendor, id, "<html><script>alert(1)</script></html>"u8.ToArray(), "certificate.pdf");
        Assert.Equal(HttpStatusCode.BadRequest, html.StatusCode);
        Assert.Contains("PDF・PNG・JPEG", await html.Content.ReadAsStringAsync());
        var big = new byte[AttachmentFiles.MaxBytes + 1];
        Pdf.CopyTo(big, 0);
        Assert.Equal(HttpStatusCode.BadRequest, (await UploadRawAsync(vendor, id, big, "big.pdf")).StatusCode);
        var png = await UploadAsync(vendor, id, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3], "../../scan.png", "登録証の写し");
        var attachment = (await GetAsync(vendor, id)).GetProperty("attachments").EnumerateArray().Single();
        Assert.Equal(("scan.png", "image/png"), (attachment.GetProperty("fileName").GetString(), attachment.GetProperty("contentType").GetString()));

        // Through the page too, and removed again.
        using (var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(Pdf), "file", "契約書.pdf" }, { new StringContent("契約書の抜粋"), "description" },
            { new StringContent(await vendor.AntiforgeryTokenAsync($"/Subcontracts/{id}")), "__RequestVerificationToken" },
        })
        {
            Assert.Equal(HttpStatusCode.Redirect, (await vendor.Http.PostAsync($"/Subcontracts/{id}?handler=Upload", form)).StatusCode);
        }
        var detail = await vendor.GetDocumentAsync($"/Subcontracts/{id}");
        Assert.Contains("契約書.pdf", detail.QuerySelector("#attachments")!.TextContent);
        var removed = await vendor.PostFormAsync($"/Subcontracts/{id}?handler=RemoveAttachment", new Dictionary<string, string> { ["attachmentId"] = png.ToString() }, $"/Subcontracts/{id}");
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Single((await GetAsync(vendor, id)).GetProperty("attachments").EnumerateArray());

        await StepAsync(vendor, id, "submit");
        using var hospital = await SignedInAsync(t[Roles.Auditor]);
        var pdfId = (await GetAsync(hospital, id)).GetProperty("attachments")[0].GetProperty("id").GetGuid();
        var download = await hospital.GetAsync($"/Subcontracts/{id}/Attachments/{pdfId}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal(Pdf, await download.Content.ReadAsByteArrayAsync());
        Assert.True(await factory.WithDbAsync(async (db, _) => await db.AuditEvents.AnyAsync(e => e.Action == "subcontract.attachment_downloaded" && e.OrganizationId == t.Hospital.Id)));
        // The auditor reads but takes no step.
        Assert.Equal(HttpStatusCode.Forbidden, (await StepAsync(hospital, id, "review")).StatusCode);
    }

    [Fact]
    public async Task The_chain_is_edited_one_company_at_a_time_through_plain_forms()
    {
        var t = await factory.Tenants.CreateAsync();
        using var vendor = await SignedInAsync(t[Roles.VendorMember]);
        var id = await CreateAsync(vendor, t, Company("A社"));
        var root = (await GetAsync(vendor, id)).GetProperty("subcontractor").GetProperty("id").GetGuid();

        var addPath = $"/Subcontracts/{id}/Subcontractors?parentId={root}";
        var prefilled = await vendor.GetDocumentAsync(addPath);
        Assert.Equal(Date(0), prefilled.QuerySelector("#sc-from")!.GetAttribute("value"));
        var fields = new Dictionary<string, string>
        {
            ["parentId"] = root.ToString(), ["Input.Name"] = "B社", ["Input.Country"] = "SG", ["Input.DataStorageCountry"] = "SG", ["Input.Address"] = "Singapore",
            ["Input.GoverningLaw"] = "シンガポール法", ["Input.Work"] = "複製の保管", ["Input.HandlesMedicalInformation"] = "true", ["Input.InformationDescription"] = "暗号化済みの複製",
            ["Input.PeriodFrom"] = Date(0), ["Input.PeriodTo"] = Date(100), ["Input.SecurityDuties"] = "守秘義務",
            ["Input.Certifications[2].Number"] = "CLD 1", ["Input.Certifications[2].ExpiresOn"] = Date(300),
        };
        // The form posts one row per kind, as the page renders them.
        foreach (var kind in Enum.GetValues<CertificationKind>())
        {
            fields[$"Input.Certifications[{(int)kind}].Kind"] = kind.ToString();
        }
        var added = await vendor.PostFormAsync(addPath, fields);
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var chain = (await GetAsync(vendor, id)).GetProperty("subcontractor").GetProperty("subcontractors");
        var b = chain.EnumerateArray().Single();
        Assert.Equal(("B社", true, "Iso27017"), (b.GetProperty("name").GetString(), b.GetProperty("foreign").GetBoolean(), b.GetProperty("certifications")[0].GetProperty("kind").GetString()));
        var bId = b.GetProperty("id").GetGuid();

        // A period beyond the parent's is refused on the form.
        fields["Input.PeriodTo"] = Date(500);
        var outside = await vendor.PostFormAsync($"/Subcontracts/{id}/Subcontractors/{bId}", fields);
        Assert.Equal(HttpStatusCode.OK, outside.StatusCode);
        Assert.Contains("の期間の外", (await PortalClient.ParseAsync(outside)).QuerySelector("#problems")!.TextContent);

        // Edited within the period: the certificate is renewed in place; cleared, it is removed.
        fields["Input.PeriodTo"] = Date(90);
        fields["Input.Certifications[2].Number"] = "CLD 2";
        Assert.Equal(HttpStatusCode.Redirect, (await vendor.PostFormAsync($"/Subcontracts/{id}/Subcontractors/{bId}", fields)).StatusCode);
        var edited = (await GetAsync(vendor, id)).GetProperty("subcontractor").GetProperty("subcontractors")[0];
        Assert.Equal((Date(90), "CLD 2"), (edited.GetProperty("periodTo").GetString(), edited.GetProperty("certifications")[0].GetProperty("number").GetString()));
        (fields["Input.Certifications[2].Number"], fields["Input.Certifications[2].ExpiresOn"]) = ("", "");
        Assert.Equal(HttpStatusCode.Redirect, (await vendor.PostFormAsync($"/Subcontracts/{id}/Subcontractors/{bId}", fields)).StatusCode);
        Assert.Equal(0, (await GetAsync(vendor, id)).GetProperty("subcontractor").GetProperty("subcontractors")[0].GetProperty("certifications").GetArrayLength());

        // The tree shows B under A; B is removed again; A cannot be.
        var page = await vendor.GetDocumentAsync($"/Subcontracts/{id}");
        Assert.NotNull(page.QuerySelector($"#node-{root} #node-{bId}"));
        Assert.Contains("国外", page.QuerySelector($"#node-{bId}")!.TextContent);
        Assert.Equal(HttpStatusCode.Redirect, (await vendor.PostFormAsync($"/Subcontracts/{id}?handler=RemoveSubcontractor", new Dictionary<string, string> { ["subcontractorId"] = bId.ToString() }, $"/Subcontracts/{id}")).StatusCode);
        var refused = await vendor.PostFormAsync($"/Subcontracts/{id}?handler=RemoveSubcontractor", new Dictionary<string, string> { ["subcontractorId"] = root.ToString() }, $"/Subcontracts/{id}");
        Assert.Contains("直接の再委託先は削除できません", await refused.Content.ReadAsStringAsync());
        Assert.Equal(0, (await GetAsync(vendor, id)).GetProperty("subcontractor").GetProperty("subcontractors").GetArrayLength());

        // Through the API the whole chain is replaced at once.
        var replaced = await vendor.SendJsonAsync(HttpMethod.Put, $"/api/v1/subcontract-requests/{id}", new { subcontractor = Company("新A社", "JP", Company("新B社", "JP", Company("新C社"))) });
        Assert.Equal(HttpStatusCode.NoContent, replaced.StatusCode);
        var tree = (await GetAsync(vendor, id)).GetProperty("subcontractor");
        Assert.Equal(("新A社", "新B社", "新C社"), (tree.GetProperty("name").GetString(), tree.GetProperty("subcontractors")[0].GetProperty("name").GetString(),
            tree.GetProperty("subcontractors")[0].GetProperty("subcontractors")[0].GetProperty("name").GetString()));
        root = tree.GetProperty("id").GetGuid();

        // Hospital staff never edit the chain.
        await StepAsync(vendor, id, "submit");
        using var sysop = await SignedInAsync(t[Roles.SystemOperator]);
        var denied = await sysop.GetAsync($"/Subcontracts/{id}/Subcontractors/{root}");
        Assert.Equal("/Account/AccessDenied", denied.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task Other_tenants_see_nothing_and_vendors_never_read_a_hospitals_register()
    {
        var mine = await factory.Tenants.CreateAsync();
        var theirs = await factory.Tenants.CreateAsync();
        var submitted = await SubmittedAsync(factory, theirs);

        foreach (var role in new[] { Roles.VendorAdmin, Roles.SecurityManager, Roles.Executive })
        {
            using var client = await SignedInAsync(mine[role]);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/subcontract-requests/{submitted.RequestId}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/subcontract-requests/{submitted.RequestId}/attachments/{submitted.AttachmentId}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/subcontract-requests/{submitted.RequestId}/versions/1")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/Subcontracts/{submitted.RequestId}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/Subcontracts/{submitted.RequestId}/Attachments/{submitted.AttachmentId}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await StepAsync(client, submitted.RequestId, role == Roles.VendorAdmin ? "withdraw" : "review")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/hospitals/{theirs.Hospital.Id}/subcontractors")).StatusCode);
            Assert.Equal(0, (await client.Http.GetFromJsonAsync<JsonElement>("/api/v1/subcontract-requests")).GetArrayLength());
            Assert.Equal(0, (await client.Http.GetFromJsonAsync<JsonElement>("/api/v1/notifications")).GetArrayLength());
        }
        using var vendor = await SignedInAsync(theirs[Roles.VendorAdmin]);
        Assert.Equal(HttpStatusCode.Forbidden, (await vendor.GetAsync($"/api/v1/hospitals/{theirs.Hospital.Id}/subcontractors")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await vendor.GetAsync($"/api/v1/hospitals/{theirs.Hospital.Id}/subcontract-decisions")).StatusCode);
    }

    [Fact]
    public async Task Notifications_are_listed_opened_and_marked_read_per_user_and_the_bell_counts_them()
    {
        var t = await factory.Tenants.CreateAsync();
        var submitted = await SubmittedAsync(factory, t);
        using var planning = await SignedInAsync(t[Roles.PlanningManager]);
        using var sysop = await SignedInAsync(t[Roles.SystemOperator]);
        using var security = await SignedInAsync(t[Roles.SecurityManager]);

        var dashboard = await planning.GetDocumentAsync("/");
        Assert.Equal("1", dashboard.QuerySelector("#notification-count")!.TextContent.Trim());
        Assert.Null((await security.GetDocumentAsync("/")).QuerySelector("#notification-count"));

        var list = await planning.GetDocumentAsync("/Notifications");
        Assert.Contains(t.Vendor.Name, list.QuerySelector("#notifications")!.TextContent);
        var id = (await planning.Http.GetFromJsonAsync<JsonElement>("/api/v1/notifications"))[0].GetProperty("id").GetGuid();
        var open = await planning.PostFormAsync("/Notifications?handler=Open", new Dictionary<string, string> { ["id"] = id.ToString() });
        Assert.Equal($"/Subcontracts/{submitted.RequestId}", open.Headers.Location!.OriginalString);
        Assert.Null((await planning.GetDocumentAsync("/")).QuerySelector("#notification-count"));

        // Read by one planning manager, still unread for the system operator (the same task, their own notification).
        Assert.Equal("1", (await sysop.GetDocumentAsync("/")).QuerySelector("#notification-count")!.TextContent.Trim());
        Assert.Equal(HttpStatusCode.OK, (await sysop.SendJsonAsync(HttpMethod.Post, "/api/v1/notifications/read-all", null)).StatusCode);
        Assert.Null((await sysop.GetDocumentAsync("/")).QuerySelector("#notification-count"));

        // Another user's notification cannot be marked.
        var mine = await factory.WithDbAsync(async (db, _) => await db.Notifications.Where(n => n.OrganizationId == t.Vendor.Id).Select(n => n.Id).ToListAsync());
        Assert.Empty(mine);
        Assert.Equal(HttpStatusCode.NotFound, (await security.SendJsonAsync(HttpMethod.Post, $"/api/v1/notifications/{id}/read", null)).StatusCode);
    }

    [Fact]
    public async Task An_expired_certificate_of_an_approved_subcontractor_is_a_compliance_gap()
    {
        var t = await factory.Tenants.CreateAsync();
        var submitted = await SubmittedAsync(factory, t);
        using (var sysop = await SignedInAsync(t[Roles.SystemOperator]))
        {
            Assert.Equal(HttpStatusCode.OK, (await StepAsync(sysop, submitted.RequestId, "review")).StatusCode);
        }
        using (var security = await SignedInAsync(t[Roles.SecurityManager]))
        {
            Assert.Equal(HttpStatusCode.OK, (await StepAsync(security, submitted.RequestId, "opinion", new { opinion = "Favourable", comment = "問題なし" })).StatusCode);
        }
        using var executive = await SignedInAsync(t[Roles.Executive]);
        Assert.Equal(HttpStatusCode.OK, (await StepAsync(executive, submitted.RequestId, "decision", new { decision = "Approve", comment = "承認" })).StatusCode);
        Assert.DoesNotContain(await executive.Http.GetFromJsonAsync<List<GapDto>>($"/api/v1/hospitals/{t.Hospital.Id}/gaps") ?? [], g => g.Kind.StartsWith("Subcontract", StringComparison.Ordinal));

        // Time passes: the sub-subcontractor's ISMS certificate runs out.
        await factory.WithDbAsync(async (db, _) => await db.SubcontractorCertifications.Where(c => c.SubcontractorId == submitted.SubId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ExpiresOn, Today.AddDays(-1))));
        var gap = Assert.Single(await executive.Http.GetFromJsonAsync<List<GapDto>>($"/api/v1/hospitals/{t.Hospital.Id}/gaps") ?? [], g => g.Kind == "SubcontractCertificateExpired");
        Assert.Equal(($"/Subcontracts/{submitted.RequestId}", "Vendor", t.Vendor.Id), (gap.Link, gap.MustAct, gap.VendorId!.Value));
        Assert.Contains("再々委託先テスト株式会社", gap.Message);
        var page = await executive.GetDocumentAsync($"/Hospitals/{t.Hospital.Id}/Gaps");
        Assert.NotNull(page.QuerySelector($"#gaps a[href='/Subcontracts/{submitted.RequestId}']"));
        var register = await executive.GetDocumentAsync($"/Hospitals/{t.Hospital.Id}/Subcontractors");
        Assert.Contains("期限切れ", register.QuerySelector("#register")!.TextContent);
    }

    [Fact]
    public async Task Of_two_decisions_taken_at_once_only_the_first_counts()
    {
        var t = await factory.Tenants.CreateAsync();
        var submitted = await SubmittedAsync(factory, t);
        using (var sysop = await SignedInAsync(t[Roles.SystemOperator]))
        {
            await StepAsync(sysop, submitted.RequestId, "review");
        }
        using (var security = await SignedInAsync(t[Roles.SecurityManager]))
        {
            await StepAsync(security, submitted.RequestId, "opinion", new { opinion = "Favourable", comment = "可" });
        }
        // Two executives open the request, then both decide: the second save finds the request changed.
        var first = new SubcontractActor(t[Roles.Executive].Id, t.Hospital.Id, [Roles.Executive]);
        var second = new SubcontractActor(Guid.NewGuid(), t.Hospital.Id, [Roles.Executive]);
        await using var scope1 = factory.Services.CreateAsyncScope();
        await using var scope2 = factory.Services.CreateAsyncScope();
        var workflow1 = scope1.ServiceProvider.GetRequiredService<SubcontractWorkflow>();
        var workflow2 = scope2.ServiceProvider.GetRequiredService<SubcontractWorkflow>();
        var seen1 = (await workflow1.FindAsync(submitted.RequestId))!;
        var seen2 = (await workflow2.FindAsync(submitted.RequestId))!;
        Assert.True((await workflow1.ApplyAsync(seen1, SubcontractAction.Approve, new SubcontractStepInput("承認"), first, "経営層A")).Succeeded);
        var late = await workflow2.ApplyAsync(seen2, SubcontractAction.Reject, new SubcontractStepInput("却下"), second, "経営層B");
        Assert.Equal("Conflict", late.ErrorCode);

        var decisions = await factory.WithDbAsync(async (db, _) => await db.SubcontractEvents
            .Where(e => e.RequestId == submitted.RequestId && (e.Action == SubcontractEventAction.Approved || e.Action == SubcontractEventAction.Rejected)).Select(e => e.Action).ToListAsync());
        Assert.Equal([SubcontractEventAction.Approved], decisions);
        Assert.Equal(SubcontractState.Approved, await factory.WithDbAsync(async (db, _) => (await db.SubcontractRequests.SingleAsync(r => r.Id == submitted.RequestId)).State));
        // The vendor was told of the approval only.
        Assert.DoesNotContain(MailTo(t[Roles.VendorAdmin].Email), m => m.Body.Contains("承認されませんでした"));
        Assert.Contains(MailTo(t[Roles.VendorAdmin].Email), m => m.Body.Contains("再委託申請が承認されました"));
    }

    [Fact]
    public async Task The_api_is_described_in_the_openapi_document()
    {
        using var anonymous = factory.CreatePortalClient();
        var doc = await anonymous.Http.GetStringAsync("/openapi/v1.json");
        foreach (var path in new[]
        {
            "/api/v1/hospitals/{hospitalId}/subcontract-requests", "/api/v1/subcontract-requests/{requestId}", "/api/v1/subcontract-requests/{requestId}/decision",
            "/api/v1/subcontract-requests/{requestId}/attachments", "/api/v1/hospitals/{hospitalId}/subcontractors", "/api/v1/hospitals/{hospitalId}/subcontract-decisions",
            "/api/v1/notifications",
        })
        {
            Assert.Contains($"\"{path}\"", doc);
        }
        Assert.Contains("SubcontractRequestDto", doc);
        Assert.Contains("RegisterRowDto", doc);
    }

    private OutboxMessage Mail(string to) => Assert.Single(MailTo(to));

    private List<OutboxMessage> MailTo(string to)
        => !Directory.Exists(factory.OutboxPath) ? [] : [.. Directory.GetFiles(factory.OutboxPath, "*.json")
            .Select(f => JsonSerializer.Deserialize<OutboxMessage>(File.ReadAllText(f))!)
            .Where(m => m.To == to)];
}
