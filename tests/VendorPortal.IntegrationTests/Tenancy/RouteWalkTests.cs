using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using VendorPortal.Features.Account;
using VendorPortal.Features.ApiKeys;
using VendorPortal.IntegrationTests.Support;

namespace VendorPortal.IntegrationTests.Tenancy;

/// <summary>
/// Walks every route the app maps: anonymous, signed in with a password only (no second factor),
/// and as another tenant. A new route parameter unknown to <see cref="OtherTenantValue"/> fails the
/// walk, so each new endpoint must declare how another tenant's record is named.
/// </summary>
public sealed class RouteWalkTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    /// <summary>Reachable without a session: sign-in steps, invitations, status pages, health, API description.</summary>
    private static readonly string[] Anonymous =
    [
        "/Account/Login", "/Account/LoginWith2fa", "/Account/LoginWithRecoveryCode", "/Account/AcceptInvitation",
        "/Status/{code}", "/Error", "/Culture", "/healthz", "/openapi/{documentName}.json",
        "/Dev/Outbox", // development/test only (404 otherwise): mail to invitees and notified users, no tenant data in the bodies
    ];

    /// <summary>Additionally reachable with a password but no second factor.</summary>
    private static readonly string[] PasswordOnly = ["/Account/EnableAuthenticator", "/Account/Logout", "/Account/AccessDenied"];

    public sealed record Route(string Pattern, string Method, bool IsApi);

    private List<Route> AllRoutes()
    {
        var sources = factory.Services.GetRequiredService<EndpointDataSource>();
        var routes = new List<Route>();
        foreach (var e in sources.Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + (e.RoutePattern.RawText ?? "").TrimStart('/');
            if (e.Metadata.GetMetadata<PageActionDescriptor>() is not null || e.Metadata.GetMetadata<CompiledPageActionDescriptor>() is not null)
            {
                routes.Add(new Route(pattern, "GET", false));
                routes.Add(new Route(pattern, "POST", false));
                continue;
            }
            var methods = e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            routes.AddRange(methods.Select(m => new Route(pattern, m, pattern.StartsWith("/api/", StringComparison.Ordinal))));
        }
        return routes.DistinctBy(r => (r.Pattern, r.Method)).OrderBy(r => r.Pattern).ToList();
    }

    private static string Fill(string pattern, Func<string, string> value)
        => RoutePatternFactory.Parse(pattern).Parameters.Aggregate(pattern, (p, param) =>
            System.Text.RegularExpressions.Regex.Replace(p, "\\{" + param.Name + "[^}]*\\}", value(param.Name)));

    [Fact]
    public async Task Anonymous_requests_reach_only_sign_in_and_public_endpoints()
    {
        using var client = factory.CreatePortalClient();
        var failures = new List<string>();
        foreach (var r in AllRoutes().Where(r => !Anonymous.Contains(r.Pattern)))
        {
            var path = Fill(r.Pattern, _ => Guid.NewGuid().ToString());
            var response = await Send(client, r, path, antiforgery: false);
            var ok = r.IsApi
                ? response.StatusCode == HttpStatusCode.Unauthorized
                : response.StatusCode == HttpStatusCode.Redirect && PathOf(response) == "/Account/Login"
                  || (r.Method == "POST" && response.StatusCode == HttpStatusCode.BadRequest);
            if (!ok)
            {
                failures.Add($"{r.Method} {path} → {(int)response.StatusCode} {response.Headers.Location}");
            }
        }
        Assert.True(failures.Count == 0, "Reachable anonymously:\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task A_session_without_second_factor_reaches_only_enrolment_and_sign_out()
    {
        var tenants = await factory.Tenants.CreateAsync(enrolled: false);
        using var client = factory.CreatePortalClient();
        await client.SignInAsync(tenants[Roles.TenantAdmin]);
        var failures = new List<string>();
        foreach (var r in AllRoutes().Where(r => !Anonymous.Contains(r.Pattern) && !PasswordOnly.Contains(r.Pattern)))
        {
            var path = Fill(r.Pattern, _ => Guid.NewGuid().ToString());
            var response = await Send(client, r, path, antiforgery: true);
            var ok = r.IsApi
                ? response.StatusCode == HttpStatusCode.Forbidden
                : response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString == "/Account/EnableAuthenticator";
            if (!ok)
            {
                failures.Add($"{r.Method} {path} → {(int)response.StatusCode} {response.Headers.Location}");
            }
        }
        Assert.True(failures.Count == 0, "Reachable without MFA:\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task Another_tenants_records_answer_404_and_never_leak_on_any_route()
    {
        var mine = await factory.Tenants.CreateAsync();
        var theirs = await factory.Tenants.CreateAsync();
        var theirKey = await CreateApiKeyAsync(theirs[Roles.VendorAdmin]);
        var theirChecklist = await Checklists.ChecklistLoopTests.SubmittedChecklistAsync(factory, theirs);
        var theirDisclosure = await Disclosures.DisclosureSupport.SubmittedDisclosureAsync(factory, theirs);
        var theirSubcontract = await Subcontracting.SubcontractData.SubmittedAsync(factory, theirs);
        await Responsibility.ResponsibilityData.CreateMatrixAsync(factory, theirs);
        var theirLedger = await Ledger.LedgerData.SeedAsync(factory, theirs);
        var theirAdvisory = await Patches.PatchData.TheirsAsync(factory, theirs);
        var theirNotification = await factory.WithDbAsync(async (db, _) => await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            db.Notifications, n => n.OrganizationId == theirs.Hospital.Id && n.RecipientRole == Roles.SystemOperator));
        var theirReminder = await Reminders.ReminderData.HospitalReminderAsync(factory, theirs);
        var theirBcp = await Inspection.BcpData.UploadedAsync(factory, theirs);
        var theirExport = await factory.WithDbAsync(async (db, _) =>
        {
            var row = new VendorPortal.Features.Inspection.Export.InspectionExport
            {
                Id = Guid.NewGuid(), HospitalId = theirs.Hospital.Id, FiscalYear = 2026, State = VendorPortal.Features.Inspection.Export.InspectionExportState.Completed,
                RequestedByUserId = theirs[Roles.Auditor].Id, RequestedByName = theirs[Roles.Auditor].Email, RequestedAt = DateTimeOffset.UtcNow,
                CompletedAt = DateTimeOffset.UtcNow, ExpiresAt = DateTimeOffset.UtcNow.AddDays(7), ManifestSha256 = new string('a', 64),
                DownloadName = $"立入検査資料_{theirs.Hospital.Name}_2026年度_20261121.zip",
            };
            db.InspectionExports.Add(row);
            await db.SaveChangesAsync();
            return row;
        });

        // Two features name an attachment {attachmentId}: the route says whose (a 再委託 request's, or a disclosure's).
        string OtherTenantValue(string pattern, string parameter) => parameter switch
        {
            "attachmentId" when pattern.Contains("ubcontract", StringComparison.Ordinal) => theirSubcontract.AttachmentId.ToString(),
            "attachmentId" => theirDisclosure.AttachmentId.ToString(),
            "hospitalId" => theirs.Hospital.Id.ToString(),
            "userId" => theirs[Roles.SystemOperator].Id.ToString(),
            "apiKeyId" => theirKey.Id.ToString(),
            "submissionId" => theirChecklist.ToString(),
            "productId" => theirDisclosure.ProductId.ToString(),
            "requestId" => theirSubcontract.RequestId.ToString(),
            "subcontractorId" => theirSubcontract.SubId.ToString(),
            "notificationId" => theirNotification.Id.ToString(),
            "systemId" => theirLedger.SystemId.ToString(),
            "componentId" => theirLedger.ComponentId.ToString(),
            "proposalId" => theirLedger.ProposalId.ToString(),
            "supportDateId" => theirLedger.SupportDateId.ToString(),
            "reminderId" => theirReminder.Id.ToString(),
            "documentId" => theirBcp.ToString(),
            "advisoryId" => theirAdvisory.AdvisoryId.ToString(),
            "statusId" => theirAdvisory.StatusId.ToString(),
            "exportId" => theirExport.Id.ToString(),
            "number" => "1",
            "code" => "404",
            "documentName" => "v1",
            "templateKey" => "hospital-checklist-r6", // reference data shared by all tenants
            _ => throw new InvalidOperationException($"Route parameter {{{parameter}}} is new: say here which of another tenant's records it names, so the walk covers it."),
        };
        string[] secrets = [theirs.Hospital.Name, theirs.Vendor.Name, theirs.System.Name, theirs[Roles.SystemOperator].Email, theirs.Engagement.Title,
            "再委託先テスト株式会社", "再々委託先テスト株式会社", "契約書抜粋.pdf"];

        foreach (var role in new[] { Roles.TenantAdmin, Roles.SecurityManager, Roles.VendorAdmin, Roles.VendorMember })
        {
            using var client = factory.CreatePortalClient();
            await client.SignInAsync(mine[role]);
            var failures = new List<string>();
            foreach (var r in AllRoutes().Where(r => r.Pattern != "/Account/Logout"))
            {
                var hasId = RoutePatternFactory.Parse(r.Pattern).Parameters.Any(p => p.Name.EndsWith("Id", StringComparison.Ordinal));
                var path = Fill(r.Pattern, p => OtherTenantValue(r.Pattern, p));
                var response = await Send(client, r, path, antiforgery: true);
                var body = await response.Content.ReadAsStringAsync();
                // A role that may not use the page at all is sent to "access denied": that is a 403, not a leak.
                var status = response.StatusCode == HttpStatusCode.Redirect && PathOf(response) == "/Account/AccessDenied"
                    ? HttpStatusCode.Forbidden : response.StatusCode;
                // The development outbox shows every e-mail with its recipient (security.md, known gap 9); the bodies
                // must still name nothing of another tenant, which is what is checked there.
                var checkedSecrets = r.Pattern == "/Dev/Outbox" ? secrets.Where(s => !s.Contains('@')) : secrets;
                if (checkedSecrets.FirstOrDefault(body.Contains) is { } leaked)
                {
                    failures.Add($"{r.Method} {path} leaked '{leaked}'");
                }
                if (hasId && status is not (HttpStatusCode.NotFound or HttpStatusCode.Forbidden or HttpStatusCode.MethodNotAllowed))
                {
                    failures.Add($"{r.Method} {path} → {(int)status}, expected 404");
                }
                if (hasId && status == HttpStatusCode.Forbidden && r.Pattern.Contains("hospitalId", StringComparison.Ordinal))
                {
                    failures.Add($"{r.Method} {path} → 403 reveals the hospital exists; expected 404");
                }
            }
            Assert.True(failures.Count == 0, $"As {role}:\n" + string.Join("\n", failures));
        }

        // Their key still works: nothing of theirs was changed by the walk.
        using var api = factory.CreateClient();
        api.DefaultRequestHeaders.Authorization = new("Bearer", theirKey.Secret);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task An_api_key_opens_the_api_and_never_a_page()
    {
        var tenants = await factory.Tenants.CreateAsync();
        var key = await CreateApiKeyAsync(tenants[Roles.TenantAdmin]);
        using var client = factory.CreatePortalClient();
        client.Http.DefaultRequestHeaders.Authorization = new("Bearer", key.Secret);
        var failures = new List<string>();
        foreach (var r in AllRoutes().Where(r => !r.IsApi && !Anonymous.Contains(r.Pattern)))
        {
            var path = Fill(r.Pattern, _ => Guid.NewGuid().ToString());
            var response = await Send(client, r, path, antiforgery: false);
            var ok = (response.StatusCode == HttpStatusCode.Redirect && PathOf(response) == "/Account/Login")
                     || (r.Method == "POST" && response.StatusCode == HttpStatusCode.BadRequest);
            if (!ok)
            {
                failures.Add($"{r.Method} {path} → {(int)response.StatusCode} {response.Headers.Location}");
            }
        }
        Assert.True(failures.Count == 0, "Pages reachable with an API key:\n" + string.Join("\n", failures));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);
    }

    private async Task<(Guid Id, string Secret)> CreateApiKeyAsync(TestUser owner)
    {
        using var client = factory.CreatePortalClient();
        await client.SignInAsync(owner);
        var response = await client.SendJsonAsync(HttpMethod.Post, "/api/v1/api-keys", new { name = "walk", expiresInDays = 30 });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<CreatedApiKeyDto>(response.Content);
        return (created!.Key.Id, created.Secret);
    }

    private static string PathOf(HttpResponseMessage response) => new Uri(new Uri("https://localhost"), response.Headers.Location!).AbsolutePath;

    private static async Task<HttpResponseMessage> Send(PortalClient client, Route r, string path, bool antiforgery)
    {
        var request = new HttpRequestMessage(new HttpMethod(r.Method), path);
        if (r.Method != "GET")
        {
            var fields = new Dictionary<string, string>();
            if (antiforgery)
            {
                var token = await client.AntiforgeryTokenAsync("/Account/Logout");
                fields["__RequestVerificationToken"] = token;
                request.Headers.Add("RequestVerificationToken", token);
            }
            request.Content = r.IsApi ? System.Net.Http.Json.JsonContent.Create(new { }) : new FormUrlEncodedContent(fields);
        }
        return await client.Http.SendAsync(request);
    }
}
