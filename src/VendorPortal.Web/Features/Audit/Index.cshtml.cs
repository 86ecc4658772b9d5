using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.Infrastructure.Authorization;

namespace VendorPortal.Features.Audit;

/// <summary>Search this organization's audit log, download it as CSV, and verify the hash chain.</summary>
[Authorize(Policy = Policies.AuditReader)]
public sealed class IndexModel(AuditSearch search, AuditVerification verification, AuditLog audit) : PageModel
{
    public const int PageSize = AuditSearch.PageSize;

    [BindProperty(SupportsGet = true)] public AuditQuery Query { get; set; } = new();
    public List<AuditEvent> Events { get; private set; } = [];
    public AuditVerificationResult? Verification { get; private set; }

    public async Task OnGetAsync(bool verify = false)
    {
        if (verify)
        {
            Verification = await verification.VerifyAsync(HttpContext.RequestAborted);
        }
        Events = await search.Query(Query).Take(PageSize).ToListAsync();
    }

    public async Task<IActionResult> OnGetCsvAsync()
    {
        audit.Record(AuditActions.AuditExported, "audit_events", null, new { Query.From, Query.To, Query.User, Query.Action, Query.Target });
        await audit.SaveAsync();
        Response.ContentType = "text/csv; charset=utf-8";
        Response.Headers.ContentDisposition = $"attachment; filename=\"audit-{DateTime.UtcNow:yyyyMMddHHmm}.csv\"";
        await search.WriteCsvAsync(Query, Response.Body, HttpContext.RequestAborted);
        return new EmptyResult();
    }
}
