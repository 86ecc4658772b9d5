using Microsoft.AspNetCore.Antiforgery;
using VendorPortal.Features.Admin;
using VendorPortal.Features.ApiKeys;
using VendorPortal.Features.Audit;
using VendorPortal.Features.Organizations;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Infrastructure.Api;

/// <summary>
/// /api/v1: every endpoint requires a member who completed MFA (or an API key); unsafe methods
/// on a session also need the antiforgery header. Each feature adds its own route group.
/// </summary>
public static class ApiGroup
{
    public static WebApplication MapPortalApi(this WebApplication app)
    {
        var v1 = app.MapGroup("/api/v1")
            .RequireAuthorization(Policies.Member)
            .AddEndpointFilter<SessionAntiforgeryFilter>();
        OrganizationsApi.Map(v1);
        ApiKeysApi.Map(v1);
        AuditApi.Map(v1);
        UsersApi.Map(v1);
        VendorPortal.Features.Forms.FormsApi.Map(v1);
        VendorPortal.Features.Forms.SubmissionsApi.Map(v1);
        VendorPortal.Features.Gaps.GapsApi.Map(v1);
        VendorPortal.Features.Disclosures.DisclosuresApi.Map(v1);
        VendorPortal.Features.RemoteMaintenance.RemoteMaintenanceApi.Map(v1);
        VendorPortal.Features.Subcontracting.SubcontractsApi.Map(v1);
        VendorPortal.Features.Notifications.NotificationsApi.Map(v1);
        VendorPortal.Features.Responsibility.ResponsibilityApi.Map(v1);
        VendorPortal.Features.Ledger.LedgerApi.Map(v1);
        VendorPortal.Features.Reminders.RemindersApi.Map(v1);
        VendorPortal.Features.Patches.PatchesApi.Map(v1);
        VendorPortal.Features.Policy.PolicyApi.Map(v1);
        VendorPortal.Features.Contacts.ContactsApi.Map(v1);
        VendorPortal.Features.Inspection.Bcp.BcpApi.Map(v1);
        VendorPortal.Features.Inspection.InspectionApi.Map(v1);
        return app;
    }
}

/// <summary>A cookie-authenticated POST/PUT/PATCH/DELETE must carry the antiforgery token (header RequestVerificationToken).</summary>
public sealed class SessionAntiforgeryFilter(IAntiforgery antiforgery, Microsoft.Extensions.Localization.IStringLocalizer<VendorPortal.Infrastructure.Localization.SharedResource> l) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var unsafeMethod = !(HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method));
        if (unsafeMethod && !http.User.HasClaim(PortalClaims.Amr, "apikey") && !await antiforgery.IsRequestValidAsync(http))
        {
            return Results.Problem(title: l["ApiAntiforgeryTitle"], detail: l["ApiAntiforgeryDetail"],
                statusCode: StatusCodes.Status400BadRequest);
        }
        return await next(context);
    }
}

public static class ApiResults
{
    /// <summary>Validation problems in problem+json, keyed by field.</summary>
    public static IResult Invalid(string field, string message)
        => Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });
}
