using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using VendorPortal.Infrastructure.Email;

namespace VendorPortal.Features.Dev;

/// <summary>
/// Development only: the mail that would have been sent, so nobody needs a mail server to try
/// invitations. It answers 404 unless the outbox sender is configured and the environment is
/// Development or Testing; it is anonymous because invitees are not signed in yet.
/// </summary>
[AllowAnonymous]
public sealed class OutboxModel(OutboxEmailSender outbox, IOptions<EmailOptions> options, IWebHostEnvironment env) : PageModel
{
    public IReadOnlyList<OutboxMessage> Messages { get; private set; } = [];

    public static bool IsEnabled(IWebHostEnvironment env, EmailOptions options)
        => options.IsOutbox && (env.IsDevelopment() || env.IsEnvironment("Testing"));

    public IActionResult OnGet()
    {
        if (!IsEnabled(env, options.Value))
        {
            return NotFound();
        }
        Messages = outbox.Read();
        return Page();
    }
}
