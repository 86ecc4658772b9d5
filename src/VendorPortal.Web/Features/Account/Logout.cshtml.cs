using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.Infrastructure.Authorization;

namespace VendorPortal.Features.Account;

[Authorize(Policy = Policies.PasswordOnly)]
public sealed class LogoutModel(PortalSignInManager signIn, AuditLog audit) : PageModel
{
    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        audit.Record(AuditActions.SignOut, "user", User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value);
        await audit.SaveAsync();
        await signIn.SignOutAsync();
        return RedirectToPage("/Account/Login");
    }
}
