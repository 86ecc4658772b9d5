using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using VendorPortal.Features.Account;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.Admin;

[Authorize(Policy = Policies.OrganizationAdmin)]
public sealed class UsersModel(UserDirectory directory, AppDbContext db, ITenantContext tenant, AuditLog audit, TimeProvider time, IStringLocalizer<SharedResource> l) : PageModel
{
    public List<UserDto> Users { get; private set; } = [];
    public List<Invitation> Invitations { get; private set; } = [];

    public async Task OnGetAsync()
    {
        Users = await directory.ListAsync();
        var now = time.GetUtcNow();
        Invitations = await db.Invitations.Where(i => i.OrganizationId == tenant.OrganizationId && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
            .OrderBy(i => i.Email).ToListAsync();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid invitationId)
    {
        var invitation = await db.Invitations.SingleOrDefaultAsync(i => i.Id == invitationId && i.OrganizationId == tenant.OrganizationId);
        if (invitation is null)
        {
            return NotFound();
        }
        invitation.RevokedAt ??= time.GetUtcNow();
        audit.Record(AuditActions.InvitationRevoked, "invitation", invitation.Id.ToString(), new { invitation.Email });
        await db.SaveChangesAsync();
        TempData["Status"] = l["InvitationRevoked"].Value;
        return RedirectToPage();
    }
}
