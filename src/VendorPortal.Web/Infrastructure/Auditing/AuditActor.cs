using System.Security.Claims;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Infrastructure.Auditing;

/// <summary>Who is acting and from where, as written into each audit event.</summary>
public interface IAuditActor
{
    Guid? UserId { get; }
    string? UserName { get; }
    Guid? OrganizationId { get; }
    string? IpAddress { get; }
    string? UserAgent { get; }
}

/// <summary>The signed-in user of the current request, or the <see cref="ActingUser"/> a background job acts for; "system" otherwise (scheduled jobs, commands).</summary>
public sealed class HttpAuditActor(IHttpContextAccessor accessor, ActingUser acting) : IAuditActor
{
    private HttpContext? Http => accessor.HttpContext;
    private ClaimsPrincipal? User => Http?.User.Identity?.IsAuthenticated == true ? Http.User : null;

    public Guid? UserId => acting.IsSet ? acting.UserId : Guid.TryParse(User?.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;
    public string? UserName => acting.IsSet ? acting.UserName : Http is null ? "system" : User?.Identity?.Name;
    public Guid? OrganizationId => acting.IsSet ? acting.OrganizationId : Guid.TryParse(User?.FindFirstValue(PortalClaims.OrganizationId), out var id) ? id : null;
    public string? IpAddress => Http?.Connection.RemoteIpAddress?.ToString();
    public string? UserAgent
    {
        get
        {
            var ua = Http?.Request.Headers.UserAgent.ToString();
            return string.IsNullOrEmpty(ua) ? null : ua.Length > 400 ? ua[..400] : ua;
        }
    }
}
