using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Account;
using VendorPortal.Features.Forms;
using VendorPortal.Features.Gaps;
using VendorPortal.Infrastructure.Time;
using VendorPortal.IntegrationTests.Support;

namespace VendorPortal.IntegrationTests.Checklists;

public sealed class GapTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Hospital_sees_its_gaps_on_a_page_in_the_api_and_as_a_count_on_the_dashboard()
    {
        var tenants = await factory.Tenants.CreateAsync();
        using var client = factory.CreatePortalClient();
        await client.SignInAsync(tenants[Roles.Auditor]);
        var gaps = await client.Http.GetFromJsonAsync<List<GapDto>>($"/api/v1/hospitals/{tenants.Hospital.Id}/gaps");
        Assert.Contains(gaps!, g => g.Kind == "MissingHospitalChecklist");
        Assert.Contains(gaps!, g => g.Kind == "MissingVendorChecklist" && g.VendorId == tenants.Vendor.Id && g.Message.Contains("提出されていません"));

        await ChecklistLoopTests.SubmittedChecklistAsync(factory, tenants);
        var after = await client.Http.GetFromJsonAsync<List<GapDto>>($"/api/v1/hospitals/{tenants.Hospital.Id}/gaps");
        Assert.DoesNotContain(after!, g => g.Kind == "MissingVendorChecklist");

        var page = await client.GetDocumentAsync($"/Hospitals/{tenants.Hospital.Id}/Gaps?severity=High");
        Assert.Contains("医療機関確認用の未記録", page.QuerySelector("#gaps")!.TextContent);
        var dashboard = await client.GetDocumentAsync("/");
        Assert.Equal(after!.Count.ToString(), dashboard.QuerySelector("#gap-total")!.TextContent.Trim());
    }

    [Fact]
    public async Task Gaps_follow_the_latest_version_although_parsed_answers_are_kept_between_requests()
    {
        var tenants = await factory.Tenants.CreateAsync();
        var today = JapanTime.TodayInJapan(TimeProvider.System);
        var year = FiscalYear.Of(today).StartYear;
        var (submissionId, item) = await factory.WithDbAsync(async (db, _) =>
        {
            var template = await db.FormTemplateVersions.SingleAsync(t => t.Key == ChecklistLoopTests.TemplateKey);
            var itemId = template.Parse().Items.First(i => i.Has(RuleKind.TargetDateWhenNo)).Id;
            var id = Guid.NewGuid();
            db.FormSubmissions.Add(new FormSubmission
            {
                Id = id, TemplateKey = template.Key, Kind = FormKind.VendorChecklist, RespondentOrganizationId = tenants.Vendor.Id,
                HospitalId = tenants.Hospital.Id, FiscalYear = year, State = SubmissionState.Submitted, LatestVersion = 1,
                CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
            });
            // As imported or older data may have it: いいえ without a 目標日.
            db.FormSubmissionVersions.Add(Version(id, 1, template.ContentHash, itemId, new ItemAnswer("No")));
            await db.SaveChangesAsync();
            return (id, itemId);
        });
        using var client = factory.CreatePortalClient();
        await client.SignInAsync(tenants[Roles.SecurityManager]);
        var first = await client.Http.GetFromJsonAsync<List<GapDto>>($"/api/v1/hospitals/{tenants.Hospital.Id}/gaps");
        Assert.Contains(first!, g => g.Kind == "NoWithoutTargetDate" && g.SubmissionId == submissionId);

        // Version 2 answers はい: the next request reads version 2, not the parse of version 1 it kept.
        await factory.WithDbAsync(async (db, _) =>
        {
            var submission = await db.FormSubmissions.SingleAsync(s => s.Id == submissionId);
            var hash = (await db.FormTemplateVersions.SingleAsync(t => t.Key == submission.TemplateKey)).ContentHash;
            submission.LatestVersion = 2;
            db.FormSubmissionVersions.Add(Version(submissionId, 2, hash, item, new ItemAnswer("Yes")));
            await db.SaveChangesAsync();
        });
        var second = await client.Http.GetFromJsonAsync<List<GapDto>>($"/api/v1/hospitals/{tenants.Hospital.Id}/gaps");
        Assert.DoesNotContain(second!, g => g.SubmissionId == submissionId && g.Kind == "NoWithoutTargetDate");
        var page = await client.GetDocumentAsync($"/Hospitals/{tenants.Hospital.Id}/Gaps");
        Assert.DoesNotContain(page.QuerySelectorAll("#gaps a"), a => a.GetAttribute("href") == $"/Checklists/{submissionId}");

        FormSubmissionVersion Version(Guid id, int number, string templateHash, string itemId, ItemAnswer answer)
        {
            var json = AnswerJson.Serialize(new FormAnswers([new CheckRound(1, today, new Dictionary<string, ItemAnswer> { [itemId] = answer })]));
            return new FormSubmissionVersion
            {
                Id = Guid.NewGuid(), SubmissionId = id, Number = number, Answers = json, ContentHash = AnswerJson.Hash(json), TemplateHash = templateHash,
                SubmittedAt = DateTimeOffset.UtcNow, SubmittedByUserId = tenants[Roles.VendorAdmin].Id, SubmittedByName = tenants[Roles.VendorAdmin].Email,
            };
        }
    }

    [Fact]
    public async Task Vendors_and_other_hospitals_cannot_read_a_hospitals_gaps()
    {
        var mine = await factory.Tenants.CreateAsync();
        var theirs = await factory.Tenants.CreateAsync();
        using var vendor = factory.CreatePortalClient();
        await vendor.SignInAsync(mine[Roles.VendorAdmin]);
        Assert.Equal(HttpStatusCode.Forbidden, (await vendor.GetAsync($"/api/v1/hospitals/{mine.Hospital.Id}/gaps")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await vendor.GetAsync($"/api/v1/hospitals/{theirs.Hospital.Id}/gaps")).StatusCode);
        using var other = factory.CreatePortalClient();
        await other.SignInAsync(theirs[Roles.SecurityManager]);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/hospitals/{mine.Hospital.Id}/gaps")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/Hospitals/{mine.Hospital.Id}/Gaps")).StatusCode);
    }
}
