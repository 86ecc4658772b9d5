using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace VendorPortal.Infrastructure.Authorization;

/// <summary>
/// Shapes authorization failures: another tenant's hospital answers 404 (never 403); a signed-in
/// user who has not completed a second factor is sent to authenticator enrolment (pages) or told so
/// in problem+json (API).
/// </summary>
public sealed class PortalAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        var reasons = result.AuthorizationFailure?.FailureReasons.Select(r => r.Message).ToHashSet() ?? [];
        if (result.Forbidden && reasons.Contains(PortalAuthorizationHandler.NotFoundReason))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        if (result.Forbidden && reasons.Contains(PortalAuthorizationHandler.MfaRequiredReason))
        {
            if (ApiPaths.IsApi(context.Request))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                var l = context.RequestServices.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<VendorPortal.Infrastructure.Localization.SharedResource>>();
                await Results.Problem(
                    title: l["ApiMfaRequiredTitle"],
                    detail: l["ApiMfaRequiredDetail"],
                    statusCode: StatusCodes.Status403Forbidden,
                    type: "https://vendorportal.example/problems/mfa-required").ExecuteAsync(context);
                return;
            }
            context.Response.Redirect("/Account/EnableAuthenticator");
            return;
        }
        await _default.HandleAsync(next, context, policy, result);
    }
}

public static class ApiPaths
{
    public const string Prefix = "/api";
    public static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments(Prefix);
}
