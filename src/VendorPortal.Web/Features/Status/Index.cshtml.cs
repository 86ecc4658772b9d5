using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using VendorPortal.Infrastructure.Localization;

namespace VendorPortal.Features.Status;

/// <summary>The page shown for 404, 403 and other status codes (re-executed, so the status code is kept).</summary>
[AllowAnonymous]
[Microsoft.AspNetCore.Mvc.IgnoreAntiforgeryToken]
public sealed class IndexModel(IStringLocalizer<SharedResource> l) : PageModel
{
    public string Title { get; private set; } = "";
    public string Message { get; private set; } = "";

    public void OnGet(int code)
    {
        (Title, Message) = code switch
        {
            404 => (l["NotFoundTitle"].Value, l["NotFoundText"].Value),
            403 => (l["AccessDeniedTitle"].Value, l["AccessDeniedText"].Value),
            _ => (l["ErrorTitle"].Value, l["ErrorText"].Value),
        };
    }

    /// <summary>Status pages are re-executed with the original method, so a failed POST lands here too.</summary>
    public void OnPost(int code) => OnGet(code);
}
