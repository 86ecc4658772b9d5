using Microsoft.EntityFrameworkCore;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.Infrastructure.Authorization;

namespace VendorPortal.Features.Audit;

public sealed record AuditEventDto(long Sequence, DateTimeOffset OccurredAt, string? User, string Action, string? TargetType, string? TargetId, string? IpAddress, string Summary, string Hash);

public static class AuditApi
{
    public static void Map(RouteGroupBuilder v1)
    {
        var g = v1.MapGroup("/audit-events").WithTags("Audit").RequireAuthorization(Policies.AuditReader);
        g.MapGet("/", async ([AsParameters] AuditQueryParameters p, AuditSearch search) =>
            await search.Query(p.ToQuery()).Take(Math.Clamp(p.Limit ?? 100, 1, 1000))
                .Select(e => new AuditEventDto(e.Sequence, e.OccurredAt, e.UserName, e.Action, e.TargetType, e.TargetId, e.IpAddress, e.Summary, e.Hash))
                .ToListAsync())
            .WithName("SearchAuditEvents");
        g.MapGet("/verify", async (AuditVerification verification) =>
        {
            var r = await verification.VerifyAsync();
            return new { intact = r.IsIntact, @checked = r.Checked, firstBreak = r.FirstBreak };
        }).WithName("VerifyAuditChain");
    }
}

public sealed record AuditQueryParameters(DateOnly? From, DateOnly? To, string? User, string? Action, string? Target, int? Limit)
{
    public AuditQuery ToQuery() => new() { From = From, To = To, User = User, Action = Action, Target = Target };
}
