using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace VendorPortal.Features.Account;

/// <summary>The invitation link: set a password, then (signed in with the password only) enrol an authenticator.</summary>
[AllowAnonymous]
public sealed class AcceptInvitationModel(Invitations invitations, PortalSignInManager signIn) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Token { get; set; }
    [BindProperty] public InputModel Input { get; set; } = new();

    public bool Valid { get; private set; }
    public string? Email { get; private set; }
    public string? OrganizationName { get; private set; }
    public string? Role { get; private set; }

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Required")][StringLength(200, ErrorMessage = "TooLong")][Display(Name = "DisplayName")]
        public string DisplayName { get; set; } = "";
        [Required(ErrorMessage = "Required")][Display(Name = "NewPassword")]
        public string Password { get; set; } = "";
        [Required(ErrorMessage = "Required")][Compare(nameof(Password), ErrorMessage = "PasswordMismatch")][Display(Name = "ConfirmPassword")]
        public string ConfirmPassword { get; set; } = "";
    }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!await LoadAsync() || !ModelState.IsValid)
        {
            return Page();
        }
        var (user, errors) = await invitations.AcceptAsync(Token!, Input.DisplayName, Input.Password);
        if (user is null)
        {
            foreach (var e in errors)
            {
                ModelState.AddModelError("", e);
            }
            await LoadAsync();
            return Page();
        }
        await signIn.SignInAsync(user, isPersistent: false);
        return RedirectToPage("/Account/EnableAuthenticator");
    }

    private async Task<bool> LoadAsync()
    {
        var found = await invitations.FindUsableAsync(Token);
        Valid = found is not null;
        if (found is { } f)
        {
            Email = f.Invitation.Email;
            OrganizationName = f.Organization.Name;
            Role = f.Invitation.Role;
        }
        return Valid;
    }
}
