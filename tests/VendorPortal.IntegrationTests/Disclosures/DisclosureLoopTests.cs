using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using VendorPortal.Features.Account;
using VendorPortal.Features.Disclosures;
using VendorPortal.Features.Forms;
using VendorPortal.Features.Gaps;
using VendorPortal.Infrastructure.Files;
using VendorPortal.IntegrationTests.Support;
using static VendorPortal.IntegrationTests.Disclosures.DisclosureSupport;

namespace VendorPortal.IntegrationTests.Disclosures;

/// <summary>
/// MDS/SDS per product: the vendor fills one disclosure per product version, attaches files, chooses hospitals;
/// each hospital reviews on its own and never learns of the others.
/// </summary>
public sealed class DisclosureLoopTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Vendor_shares_one_disclosure_with_two_hospitals_that_review_it_independently_and_privately()
    {
        var a = await factory.Tenants.CreateAsync();
        var b = await factory.Tenants.CreateAsync();
        await EngageAsync(factory, a.Vendor, b.Hospital); // the vendor serves both hospitals
        var ids = await ItemIdsAsync(factory);
        using var vendor = factory.CreatePortalClient();
        await vendor.SignInAsync(a[Roles.VendorMember]);

        // Register the product through the page; it leads to the product page.
        var created = await vendor.PostFormAsync("/Products/New", new Dictionary<string, string>
        {
            ["Kind"] = "Mds", ["Name"] = "電子カルテ MK-1", ["Version"] = "5.2", ["TemplateKey"] = MdsTemplate, ["CopyFrom"] = "",
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var productPath = created.Headers.Location!.OriginalString;
        var productPage = await vendor.GetDocumentAsync(productPath);
        var detail = productPage.QuerySelector("#open-disclosure")!.GetAttribute("href")!;
        var submissionId = Guid.Parse(detail.Split('/').Last());

        // The page hides check rounds and dates, and names the product instead of a 年度.
        var page = await vendor.GetDocumentAsync(detail);
        Assert.Null(page.QuerySelector("table.rounds"));
        Assert.Equal("電子カルテ MK-1", page.QuerySelector("#product-name")!.TextContent.Trim());
        Assert.Null(page.QuerySelector($"input[name='r1.{ids[0]}.t']"));

        // A いいえ without 備考 is refused next to its item; nothing is submitted.
        var fields = ids.ToDictionary(i => $"r1.{i}.v", i => i.EndsWith("99-1", StringComparison.Ordinal) ? "特になし" : "Yes");
        fields["rounds"] = "1";
        fields[$"r1.{ids[2]}.v"] = "No";
        var refused = await vendor.PostFormAsync(detail + "?handler=Submit", fields, detail);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("備考に理由を記入してください", (await PortalClient.ParseAsync(refused)).QuerySelector($"#item-{ids[2]}")!.TextContent);
        fields[$"r1.{ids[2]}.m"] = "次期バージョンで対応予定";
        Assert.Equal(HttpStatusCode.Redirect, (await vendor.PostFormAsync(detail + "?handler=Save", fields, detail)).StatusCode);

        // Attach the signed PDF through the page; the list shows it, and the answers on screen were saved with it.
        var pdf = Pdf();
        fields[$"r1.{ids[3]}.m"] = "添付と一緒に保存される備考";
        var uploaded = await UploadPageAsync(vendor, submissionId, pdf, "署名済み<MDS>.pdf", answerFields: fields);
        Assert.Equal(HttpStatusCode.Redirect, uploaded.StatusCode);
        page = await vendor.GetDocumentAsync(detail);
        Assert.Contains("署名済み_MDS_.pdf", page.QuerySelector("#attachment-list")!.TextContent);
        Assert.Equal("添付と一緒に保存される備考", ((IHtmlInputElement)page.QuerySelector($"input[name='r1.{ids[3]}.m']")!).Value);

        // Choose both hospitals on the product page, then submit.
        var saved = await PostFieldsAsync(vendor, productPath + "?handler=Recipients",
            [new("hospitalIds", a.Hospital.Id.ToString()), new("hospitalIds", b.Hospital.Id.ToString())], productPath);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await vendor.PostFormAsync(detail + "?handler=Submit", fields, detail)).StatusCode);

        // Hospital A finds it in its review queue and on its disclosures page, downloads the PDF, and returns it with an item comment.
        using var hospitalA = factory.CreatePortalClient();
        await hospitalA.SignInAsync(a[Roles.SystemOperator]);
        var queue = await hospitalA.GetDocumentAsync("/Reviews");
        Assert.Contains("電子カルテ MK-1", queue.QuerySelector("#disclosures-waiting")!.TextContent);
        Assert.Contains("電子カルテ MK-1", (await hospitalA.GetDocumentAsync($"/Hospitals/{a.Hospital.Id}/Disclosures")).QuerySelector("#disclosures")!.TextContent);
        var attachmentId = await factory.WithDbAsync(async (db, _) => await db.FormAttachments.Where(x => x.SubmissionId == submissionId).Select(x => x.Id).SingleAsync());
        var download = await hospitalA.GetAsync($"/Checklists/{submissionId}/Attachments/{attachmentId}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync());
        var returned = await hospitalA.PostFormAsync(detail + "?handler=Review",
            new Dictionary<string, string> { ["decision"] = "return", [$"c.{ids[2]}"] = "A病院: 対応時期を明記してください" }, detail);
        Assert.Equal(HttpStatusCode.Redirect, returned.StatusCode);

        // Hospital B accepts through the API, with a comment of its own.
        using var hospitalB = factory.CreatePortalClient();
        await hospitalB.SignInAsync(b[Roles.SecurityManager]);
        var accepted = await JsonAsync(await hospitalB.SendJsonAsync(HttpMethod.Post, $"/api/v1/submissions/{submissionId}/review",
            new { decision = "accept", comment = "B病院の内部メモ" }));
        Assert.Equal("Accepted", accepted.GetProperty("state").GetString());

        // A sees its own decision only: not B's comment, not that B receives it at all.
        var aPage = await hospitalA.GetAsync(detail);
        var aHtml = await aPage.Content.ReadAsStringAsync();
        Assert.Contains("差戻し", (await PortalClient.ParseAsync(aPage)).QuerySelector("#submission-state")!.TextContent);
        var aApi = await hospitalA.GetAsync($"/api/v1/submissions/{submissionId}");
        var aJson = await aApi.Content.ReadAsStringAsync();
        var aProduct = await hospitalA.GetAsync($"/api/v1/products/{(await JsonAsync(aApi)).GetProperty("productId").GetGuid()}");
        var aProductJson = await aProduct.Content.ReadAsStringAsync();
        foreach (var text in new[] { aHtml, aJson, aProductJson })
        {
            Assert.DoesNotContain(b.Hospital.Name, text);
            Assert.DoesNotContain(b.Hospital.Id.ToString(), text);
            Assert.DoesNotContain("B病院の内部メモ", text);
        }
        var aDto = JsonDocument.Parse(aJson).RootElement;
        Assert.Equal("Returned", aDto.GetProperty("reviewState").GetString());
        Assert.Equal(JsonValueKind.Null, aDto.GetProperty("recipients").ValueKind);
        Assert.DoesNotContain(aDto.GetProperty("history").EnumerateArray(), e => e.GetProperty("action").GetString() == "Accepted");
        Assert.Equal(1, await ApiListCountAsync(hospitalA, $"/api/v1/submissions/{submissionId}/recipients"));
        // …and B sees neither A's comment nor A.
        var bHtml = await (await hospitalB.GetAsync(detail)).Content.ReadAsStringAsync();
        Assert.DoesNotContain("A病院: 対応時期を明記してください", bHtml);
        Assert.DoesNotContain(a.Hospital.Name, bHtml);
        Assert.Contains("受理", (await hospitalB.GetDocumentAsync(detail)).QuerySelector("#submission-state")!.TextContent);

        // The vendor sees both hospitals' states and A's comment next to the item, named; it fixes and resubmits.
        page = await vendor.GetDocumentAsync(detail);
        var states = page.QuerySelector("#recipient-states")!.TextContent;
        Assert.Contains(a.Hospital.Name, states);
        Assert.Contains(b.Hospital.Name, states);
        Assert.Contains($"【{a.Hospital.Name}】A病院: 対応時期を明記してください", page.QuerySelector($"#item-{ids[2]}")!.TextContent);
        Assert.Contains("差し戻されました", page.QuerySelector("#recipients + p.alert")!.TextContent);
        fields[$"r1.{ids[2]}.m"] = "2026年4月のバージョン5.3で対応";
        Assert.Equal(HttpStatusCode.Redirect, (await vendor.PostFormAsync(detail + "?handler=Submit", fields, detail)).StatusCode);

        // A new version puts every recipient back to awaiting review; the shared submission never took a hospital's decision.
        var product = await JsonAsync(await vendor.GetAsync($"/api/v1/products/{productPath.Split('/').Last()}"));
        Assert.Equal(2, product.GetProperty("latestVersion").GetInt32());
        Assert.All(product.GetProperty("recipients").EnumerateArray(), r => Assert.Equal("Submitted", r.GetProperty("reviewState").GetString()));
        Assert.Equal(SubmissionState.Submitted, await factory.WithDbAsync(async (db, _) => (await db.FormSubmissions.SingleAsync(s => s.Id == submissionId)).State));
        Assert.Contains("電子カルテ MK-1", (await hospitalB.GetDocumentAsync("/Reviews")).QuerySelector("#disclosures-waiting")!.TextContent);
        var diff = await hospitalA.GetDocumentAsync($"/Checklists/{submissionId}/Diff?from=1&to=2");
        Assert.Contains("2026年4月のバージョン5.3で対応", diff.QuerySelector("#changes")!.TextContent);

        // Every step is in the audit log, each in the acting organization's.
        var audit = await factory.WithDbAsync(async (db, _) => await db.AuditEvents.Where(e => e.TargetId == submissionId.ToString())
            .Select(e => new { e.Action, e.OrganizationId }).ToListAsync());
        Assert.Equal(2, audit.Count(e => e.Action == "form.recipient_added" && e.OrganizationId == a.Vendor.Id));
        Assert.Contains(audit, e => e.Action == "form.attachment_uploaded" && e.OrganizationId == a.Vendor.Id);
        Assert.Equal(2, audit.Count(e => e.Action == "form.submitted"));
        Assert.Contains(audit, e => e.Action == "form.returned" && e.OrganizationId == a.Hospital.Id);
        Assert.Contains(audit, e => e.Action == "form.accepted" && e.OrganizationId == b.Hospital.Id);
        Assert.Contains(audit, e => e.Action == "form.attachment_downloaded" && e.OrganizationId == a.Hospital.Id);
        Assert.Contains(await factory.WithDbAsync(async (db, _) => await db.AuditEvents.Where(e => e.Action == "product.created").Select(e => e.OrganizationId).ToListAsync()), o => o == a.Vendor.Id);
    }

    [Fact]
    public async Task Attachments_are_part_of_the_submitted_snapshot_and_cannot_be_deleted_or_changed()
    {
        var t = await factory.Tenants.CreateAsync();
        var (productId, submissionId, attachmentId) = await SubmittedDisclosureAsync(factory, t);
        using var vendor = factory.CreatePortalClient();
        await vendor.SignInAsync(t[Roles.VendorAdmin]);

        // The version's manifest lists the file and its hash is part of the version's content hash.
        var v1 = await JsonAsync(await vendor.GetAsync($"/api/v1/submissions/{submissionId}/versions/1"));
        var entry = Assert.Single(v1.GetProperty("attachments").EnumerateArray());
        Assert.Equal(AttachmentRules.Sha256Of(Pdf()), entry.GetProperty("sha256").GetString());
        var answers = await factory.WithDbAsync(async (db, _) => await db.FormSubmissionVersions.Where(v => v.SubmissionId == submissionId).Select(v => v.Answers).SingleAsync());
        Assert.Equal(SubmissionSnapshot.ContentHash(answers, [new AttachmentManifestEntry(attachmentId, "署名済みMDS.pdf", "application/pdf", Pdf().Length, AttachmentRules.Sha256Of(Pdf()))]),
            v1.GetProperty("contentHash").GetString());

        // A draft-only file can be deleted; a submitted one is only left out of the next version.
        var draftOnly = await JsonAsync(await UploadApiAsync(vendor, submissionId, Png(), "認証書.png", "image/png"));
        var deleted = await JsonAsync(await vendor.SendJsonAsync(HttpMethod.Delete, $"/api/v1/submissions/{submissionId}/attachments/{draftOnly.GetProperty("id").GetGuid()}", null));
        Assert.True(deleted.GetProperty("deleted").GetBoolean());
        var kept = await JsonAsync(await vendor.SendJsonAsync(HttpMethod.Delete, $"/api/v1/submissions/{submissionId}/attachments/{attachmentId}", null));
        Assert.False(kept.GetProperty("deleted").GetBoolean());
        Assert.True(await factory.WithDbAsync(async (db, _) => await db.FormAttachments.AnyAsync(x => x.Id == attachmentId)));

        // Leaving the file out changes the snapshot, so the next version may be submitted; its manifest is empty, version 1's is not.
        await JsonAsync(await vendor.SendJsonAsync(HttpMethod.Post, $"/api/v1/submissions/{submissionId}/submit", null));
        var v2 = await JsonAsync(await vendor.GetAsync($"/api/v1/submissions/{submissionId}/versions/2"));
        Assert.Empty(v2.GetProperty("attachments").EnumerateArray());
        Assert.Single((await JsonAsync(await vendor.GetAsync($"/api/v1/submissions/{submissionId}/versions/1"))).GetProperty("attachments").EnumerateArray());

        // The hospital can still download the file of version 1.
        using var hospital = factory.CreatePortalClient();
        await hospital.SignInAsync(t[Roles.Auditor]);
        Assert.Equal(HttpStatusCode.OK, (await hospital.GetAsync($"/api/v1/submissions/{submissionId}/attachments/{attachmentId}")).StatusCode);
        var v1Page = await hospital.GetDocumentAsync($"/Checklists/{submissionId}?version=1");
        Assert.Contains("署名済みMDS.pdf", v1Page.QuerySelector("#attachment-list")!.TextContent);

        // The database itself refuses to delete or change it.
        await using var conn = new NpgsqlConnection(factory.ConnectionString);
        await conn.OpenAsync();
        var delete = await Assert.ThrowsAsync<PostgresException>(() => new NpgsqlCommand($"DELETE FROM form_attachments WHERE id = '{attachmentId}'", conn).ExecuteNonQueryAsync());
        Assert.Contains("immutable", delete.MessageText);
        var update = await Assert.ThrowsAsync<PostgresException>(() => new NpgsqlCommand($"UPDATE form_attachments SET content = '\\x00' WHERE id = '{attachmentId}'", conn).ExecuteNonQueryAsync());
        Assert.Contains("immutable", update.MessageText);
        _ = productId;
    }

    [Fact]
    public async Task A_draft_only_file_is_never_visible_to_the_hospital()
    {
        var t = await factory.Tenants.CreateAsync();
        var (_, submissionId, _) = await SubmittedDisclosureAsync(factory, t);
        using var vendor = factory.CreatePortalClient();
        await vendor.SignInAsync(t[Roles.VendorAdmin]);
        var draft = await JsonAsync(await UploadApiAsync(vendor, submissionId, Png(), "下書き.png", "image/png"));
        using var hospital = factory.CreatePortalClient();
        await hospital.SignInAsync(t[Roles.TenantAdmin]);
        Assert.Equal(HttpStatusCode.NotFound, (await hospital.GetAsync($"/api/v1/submissions/{submissionId}/attachments/{draft.GetProperty("id").GetGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hospital.GetAsync($"/Checklists/{submissionId}/Attachments/{draft.GetProperty("id").GetGuid()}")).StatusCode);
        Assert.Equal(1, await ApiListCountAsync(hospital, $"/api/v1/submissions/{submissionId}/attachments"));
    }

    [Fact]
    public async Task A_new_product_version_starts_from_a_copy_of_the_last_one_with_the_same_recipients()
    {
        var t = await factory.Tenants.CreateAsync();
        var (productId, submissionId, _) = await SubmittedDisclosureAsync(factory, t, "検査システム");
        using var vendor = factory.CreatePortalClient();
        await vendor.SignInAsync(t[Roles.VendorMember]);
        var ids = await ItemIdsAsync(factory);

        // Change the draft after submission: the copy takes the latest *submitted* answers, not this draft.
        var draft = AllYes(ids);
        draft[ids[0]] = new { value = "NotApplicable" };
        await vendor.SendJsonAsync(HttpMethod.Put, $"/api/v1/submissions/{submissionId}/draft", new { rounds = new[] { new { number = 1, answers = draft } } });

        // Through the page: the form is prefilled from the previous version.
        var newPage = await vendor.GetDocumentAsync($"/Products/New?copyFrom={productId}");
        Assert.Equal("検査システム", ((IHtmlInputElement)newPage.QuerySelector("#name")!).Value);
        var created = await vendor.PostFormAsync("/Products/New", new Dictionary<string, string>
        {
            ["Kind"] = "Mds", ["Name"] = "検査システム", ["Version"] = "2.0", ["TemplateKey"] = MdsTemplate, ["CopyFrom"] = productId.ToString(),
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var newProductId = Guid.Parse(created.Headers.Location!.OriginalString.Split('/').Last());
        var product = await factory.WithDbAsync(async (db, _) => await db.Products.SingleAsync(p => p.Id == newProductId));
        Assert.Equal(productId, product.PreviousProductId);
        var page = await vendor.GetDocumentAsync($"/Products/{newProductId}");
        Assert.Contains("前の版の回答をコピーしました", page.QuerySelector("p.notice")!.TextContent);
        Assert.True(((IHtmlInputElement)page.QuerySelector($"#h-{t.Hospital.Id}")!).IsChecked);

        var newSubmission = await factory.WithDbAsync(async (db, _) => await db.FormSubmissions.SingleAsync(s => s.ProductId == newProductId));
        var copied = AnswerJson.Deserialize(newSubmission.DraftAnswers);
        Assert.Equal("Yes", copied.Rounds.Single().Answers[ids[0]].Value);
        Assert.Equal(ids.Length, copied.Rounds.Single().Answers.Count);
        // The new version is a draft: the hospital, although preselected, sees nothing yet.
        using var hospital = factory.CreatePortalClient();
        await hospital.SignInAsync(t[Roles.SystemOperator]);
        Assert.Equal(HttpStatusCode.NotFound, (await hospital.GetAsync($"/Checklists/{newSubmission.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hospital.GetAsync($"/api/v1/products/{newProductId}")).StatusCode);

        // A newer template of the same kind without some items: only the answers to items it has are copied.
        await factory.WithDbAsync(async (db, _) =>
        {
            var v5 = await db.FormTemplateVersions.SingleAsync(x => x.Key == MdsTemplate);
            var json = System.Text.Json.Nodes.JsonNode.Parse(v5.Content)!.AsObject();
            json["key"] = "mds-test-v6";
            json["versionLabel"] = "テスト用 Ver.6";
            var sections = json["sections"]!.AsArray();
            sections.RemoveAt(0); // drops the two items of section 1
            var content = json.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            var parsed = FormTemplate.Parse(content, "mds-test-v6");
            db.FormTemplateVersions.Add(new FormTemplateVersion
            {
                Id = Guid.NewGuid(), Key = parsed.Key, Kind = parsed.Kind, Title = parsed.Title, VersionLabel = parsed.VersionLabel, GuidelineEdition = parsed.GuidelineEdition,
                EffectiveFrom = parsed.EffectiveFrom, Status = parsed.Status, ItemCount = parsed.Items.Count(), Content = content,
                ContentHash = AnswerJson.Hash(content), Origin = "seed", PublishedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        });
        var v3 = await JsonAsync(await vendor.SendJsonAsync(HttpMethod.Post, "/api/v1/products",
            new { kind = "Mds", name = "検査システム", version = "3.0", templateKey = "mds-test-v6", copyFromProductId = productId }));
        Assert.Equal(2, v3.GetProperty("droppedAnswers").GetInt32());
        Assert.Equal([t.Hospital.Id], v3.GetProperty("recipients").EnumerateArray().Select(r => r.GetGuid()));
        var v3Draft = await JsonAsync(await vendor.GetAsync($"/api/v1/submissions/{v3.GetProperty("submissionId").GetGuid()}"));
        Assert.Equal(ids.Length - 2, v3Draft.GetProperty("draft").GetProperty("rounds")[0].GetProperty("answers").EnumerateObject().Count());

        // Copying an MDS into an SDS is refused.
        var wrongKind = await vendor.SendJsonAsync(HttpMethod.Post, "/api/v1/products",
            new { kind = "Sds", name = "検査システム", version = "4.0", templateKey = SdsTemplate, copyFromProductId = productId });
        Assert.Equal(HttpStatusCode.BadRequest, wrongKind.StatusCode);
        Assert.Contains("種類（MDS/SDS）が異なります", await wrongKind.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Bad_input_is_refused_with_clear_problem_details()
    {
        var t = await factory.Tenants.CreateAsync();
        var other = await factory.Tenants.CreateAsync();
        using var vendor = factory.CreatePortalClient();
        await vendor.SignInAsync(t[Roles.VendorAdmin]);
        var created = await JsonAsync(await vendor.SendJsonAsync(HttpMethod.Post, "/api/v1/products", new { kind = "Sds", name = "クラウド予約", version = "2026.4", templateKey = SdsTemplate }));
        var submissionId = created.GetProperty("submissionId").GetGuid();

        // Same name and version again: 409.
        var duplicate = await vendor.SendJsonAsync(HttpMethod.Post, "/api/v1/products", new { kind = "Sds", name = "クラウド予約", version = "2026.4", templateKey = SdsTemplate });
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal("application/problem+json", duplicate.Content.Headers.ContentType!.MediaType);
        Assert.Contains("既に登録されています", await duplicate.Content.ReadAsStringAsync());
        var pageDuplicate = await vendor.PostFormAsync("/Products/New", new Dictionary<string, string>
            { ["Kind"] = "Sds", ["Name"] = "クラウド予約", ["Version"] = "2026.4", ["TemplateKey"] = SdsTemplate });
        Assert.Equal(HttpStatusCode.OK, pageDuplicate.StatusCode);
        Assert.Contains("既に登録されています", await pageDuplicate.Content.ReadAsStringAsync());

        // An MDS template for a service, and an unknown kind.
        Assert.Contains("様式を選択してください", await (await vendor.SendJsonAsync(HttpMethod.Post, "/api/v1/products",
            new { kind = "Sds", name = "x", version = "1", templateKey = MdsTemplate })).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await vendor.SendJsonAsync(HttpMethod.Post, "/api/v1/products",
            new { kind = "VendorChecklist", name = "x", version = "1", templateKey = MdsTemplate })).StatusCode);

        // Over 10 MB: 413 with a message in Japanese.
        var big = new byte[AttachmentRules.MaxBytes + 1];
        Pdf().CopyTo(big, 0);
        var tooLarge = await UploadApiAsync(vendor, submissionId, big, "big.pdf");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal("application/problem+json", tooLarge.Content.Headers.ContentType!.MediaType);
        Assert.Contains("10MBまで", await tooLarge.Content.ReadAsStringAsync());
        var pageTooLarge = await UploadPageAsync(vendor, submissionId, big, "big.pdf");
        Assert.Equal(HttpStatusCode.Redirect, pageTooLarge.StatusCode);
        Assert.Contains("10MBまで", (await vendor.GetDocumentAsync($"/Checklists/{submissionId}")).QuerySelector("#attachment-error")!.TextContent);

        // A file called .pdf whose bytes are HTML: refused by its content.
        var fake = await UploadApiAsync(vendor, submissionId, "<html><script>alert(1)</script></html>"u8.ToArray(), "certificate.pdf");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, fake.StatusCode);
        Assert.Contains("PDF・PNG・JPEG", await fake.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await vendor.SendJsonAsync(HttpMethod.Post, $"/api/v1/submissions/{submissionId}/attachments", new { })).StatusCode);
        Assert.False(await factory.WithDbAsync(async (db, _) => await db.FormAttachments.AnyAsync(a => a.SubmissionId == submissionId)));

        // A hospital the vendor does not serve cannot be a recipient; nothing changes.
        var notEngaged = await vendor.SendJsonAsync(HttpMethod.Put, $"/api/v1/submissions/{submissionId}/recipients", new { hospitalIds = new[] { t.Hospital.Id, other.Hospital.Id } });
        Assert.Equal(HttpStatusCode.BadRequest, notEngaged.StatusCode);
        Assert.Contains("契約中の医療機関だけ", await notEngaged.Content.ReadAsStringAsync());
        var pageNotEngaged = await PostFieldsAsync(vendor, $"/Products/{created.GetProperty("id").GetGuid()}?handler=Recipients",
            [new("hospitalIds", other.Hospital.Id.ToString())], $"/Products/{created.GetProperty("id").GetGuid()}");
        Assert.Contains("契約中の医療機関だけ", (await PortalClient.ParseAsync(pageNotEngaged)).QuerySelector("#recipients-error")!.TextContent);
        Assert.False(await factory.WithDbAsync(async (db, _) => await db.FormSubmissionRecipients.AnyAsync(r => r.SubmissionId == submissionId)));

        // A disclosure has one round and no check date.
        var dated = await vendor.SendJsonAsync(HttpMethod.Put, $"/api/v1/submissions/{submissionId}/draft",
            new { rounds = new[] { new { number = 1, checkedOn = "2025-06-01", answers = new Dictionary<string, object>() } } });
        Assert.Equal(HttpStatusCode.BadRequest, dated.StatusCode);
        Assert.Contains("確認日のない1回分", await dated.Content.ReadAsStringAsync());

        // Hospital staff cannot register products; a vendor's auditor-like role does not exist, but a hospital may not change recipients.
        using var hospital = factory.CreatePortalClient();
        await hospital.SignInAsync(t[Roles.TenantAdmin]);
        Assert.Equal(HttpStatusCode.Forbidden, (await hospital.SendJsonAsync(HttpMethod.Post, "/api/v1/products", new { kind = "Mds", name = "x", version = "1", templateKey = MdsTemplate })).StatusCode);
    }

    [Fact]
    public async Task Withdrawing_a_hospital_hides_the_disclosure_from_it_and_is_logged()
    {
        var t = await factory.Tenants.CreateAsync();
        var (productId, submissionId, attachmentId) = await SubmittedDisclosureAsync(factory, t);
        using var hospital = factory.CreatePortalClient();
        await hospital.SignInAsync(t[Roles.SecurityManager]);
        Assert.Equal(HttpStatusCode.OK, (await hospital.GetAsync($"/Checklists/{submissionId}")).StatusCode);

        using var vendor = factory.CreatePortalClient();
        await vendor.SignInAsync(t[Roles.VendorMember]);
        var none = await JsonAsync(await vendor.SendJsonAsync(HttpMethod.Put, $"/api/v1/submissions/{submissionId}/recipients", new { hospitalIds = Array.Empty<Guid>() }));
        Assert.True(Assert.Single(none.EnumerateArray()).GetProperty("withdrawn").GetBoolean());

        foreach (var path in new[] { $"/Checklists/{submissionId}", $"/api/v1/submissions/{submissionId}", $"/api/v1/products/{productId}",
                     $"/api/v1/submissions/{submissionId}/attachments/{attachmentId}", $"/Checklists/{submissionId}/Attachments/{attachmentId}" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await hospital.GetAsync(path)).StatusCode);
        }
        Assert.DoesNotContain("共有テスト製品", (await hospital.GetDocumentAsync("/Reviews")).Body!.TextContent);
        Assert.True(await factory.WithDbAsync(async (db, _) => await db.AuditEvents.AnyAsync(e => e.Action == "form.recipient_withdrawn" && e.TargetId == submissionId.ToString())));

        // Sharing again puts the latest version in front of it for review.
        var again = await JsonAsync(await vendor.SendJsonAsync(HttpMethod.Put, $"/api/v1/submissions/{submissionId}/recipients", new { hospitalIds = new[] { t.Hospital.Id } }));
        Assert.Equal("Submitted", Assert.Single(again.EnumerateArray()).GetProperty("reviewState").GetString());
        Assert.Equal(HttpStatusCode.OK, (await hospital.GetAsync($"/Checklists/{submissionId}")).StatusCode);
    }

    [Fact]
    public async Task Gaps_follow_the_hospitals_own_review_of_the_vendors_disclosures()
    {
        var t = await factory.Tenants.CreateAsync();
        using var hospital = factory.CreatePortalClient();
        await hospital.SignInAsync(t[Roles.TenantAdmin]);
        async Task<List<GapDto>> Gaps() => (await hospital.Http.GetFromJsonAsync<List<GapDto>>($"/api/v1/hospitals/{t.Hospital.Id}/gaps"))!;

        Assert.Contains(await Gaps(), g => g.Kind == "MissingDisclosure" && g.VendorId == t.Vendor.Id && g.MustAct == "Vendor");
        var (_, submissionId, _) = await SubmittedDisclosureAsync(factory, t, "ゲート製品");
        var waiting = Assert.Single(await Gaps(), g => g.Kind.Contains("Disclosure", StringComparison.Ordinal));
        Assert.Equal(("DisclosureAwaitingReview", "Hospital", submissionId), (waiting.Kind, waiting.MustAct, waiting.SubmissionId!.Value));

        await JsonAsync(await hospital.SendJsonAsync(HttpMethod.Post, $"/api/v1/submissions/{submissionId}/review", new { decision = "return", comment = "証明書の有効期限が切れています" }));
        var returned = Assert.Single(await Gaps(), g => g.Kind.Contains("Disclosure", StringComparison.Ordinal));
        Assert.Equal(("DisclosureReturned", "Vendor"), (returned.Kind, returned.MustAct));
        Assert.Contains("ゲート製品", returned.Message);

        using var vendor = factory.CreatePortalClient();
        await vendor.SignInAsync(t[Roles.VendorAdmin]);
        await JsonAsync(await UploadApiAsync(vendor, submissionId, Pdf("renewed"), "証明書2026.pdf"));
        await JsonAsync(await vendor.SendJsonAsync(HttpMethod.Post, $"/api/v1/submissions/{submissionId}/submit", null));
        await JsonAsync(await hospital.SendJsonAsync(HttpMethod.Post, $"/api/v1/submissions/{submissionId}/review", new { decision = "accept" }));
        Assert.DoesNotContain(await Gaps(), g => g.Kind.Contains("Disclosure", StringComparison.Ordinal));
        var page = await hospital.GetDocumentAsync($"/Hospitals/{t.Hospital.Id}/Gaps");
        Assert.DoesNotContain("MDS/SDSの未受理", page.QuerySelector("#gaps")!.TextContent);
    }

    private static async Task<int> ApiListCountAsync(PortalClient client, string path)
        => (await JsonAsync(await client.GetAsync(path))).GetArrayLength();
}
