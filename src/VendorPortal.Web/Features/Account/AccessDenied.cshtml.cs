using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace VendorPortal.Features.Account;

[Authorize(Policy = VendorPortal.Infrastructure.Authorization.Policies.PasswordOnly)]
public sealed class AccessDeniedModel : PageModel
{
    public void OnGet() { }
}
