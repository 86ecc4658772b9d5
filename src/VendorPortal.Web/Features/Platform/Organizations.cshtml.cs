using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using VendorPortal.Features.Account;
using VendorPortal.Features.Organizations;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.Platform;

/// <summary>The platform operator onboards a hospital or vendor and invites its first administrator.</summary>
[Authorize(Policy = Policies.PlatformOperator)]
public sealed class OrganizationsModel(AppDbContext db, Invitations invitations, ITenantContext tenant, TimeProvider time, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty] public InputModel Input { get; set; } = new();
    public List<Organization> Organizations { get; private set; } = [];

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Required")][StringLength(200, ErrorMessage = "TooLong")][Display(Name = "OrganizationName")]
        public string Name { get; set; } = "";
        [Required(ErrorMessage = "Required")][Display(Name = "OrganizationKind")]
        public string Kind { get; set; } = "Hospital";
        [RegularExpression("^[0-9]{13}$", ErrorMessage = "CorporateNumberInvalid")][Display(Name = "CorporateNumber")]
        public string? CorporateNumber { get; set; }
        [Required(ErrorMessage = "Required")][EmailAddress(ErrorMessage = "ErrorEmailInvalid")][Display(Name = "FirstAdminEmail")]
        public string AdminEmail { get; set; } = "";
    }

    public async Task OnGetAsync() => Organizations = await db.Organizations.OrderBy(o => o.Kind).ThenBy(o => o.Name).ToListAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        var org = new Organization { Id = Guid.NewGuid(), Name = Input.Name.Trim(), CorporateNumber = Input.CorporateNumber, CreatedAt = time.GetUtcNow() };
        switch (Input.Kind)
        {
            case "Hospital": case "Clinic": case "Pharmacy":
                org.Kind = OrganizationKind.Hospital;
                org.HospitalKind = Enum.Parse<HospitalKind>(Input.Kind);
                break;
            case "Manufacturer": org.Kind = OrganizationKind.Vendor; org.VendorKinds = VendorKind.Manufacturer; break;
            case "ServiceProvider": org.Kind = OrganizationKind.Vendor; org.VendorKinds = VendorKind.ServiceProvider; break;
            case "ManufacturerAndServiceProvider": org.Kind = OrganizationKind.Vendor; org.VendorKinds = VendorKind.Manufacturer | VendorKind.ServiceProvider; break;
            default: ModelState.AddModelError("Input.Kind", l["ErrorKindInvalid"]); break;
        }
        if (!ModelState.IsValid)
        {
            await OnGetAsync();
            return Page();
        }
        // Organization and first invitation succeed or fail together.
        await using var tx = await db.Database.BeginTransactionAsync();
        db.Organizations.Add(org);
        await db.SaveChangesAsync();
        var adminRole = org.Kind == OrganizationKind.Hospital ? Roles.TenantAdmin : Roles.VendorAdmin;
        var invited = await invitations.InviteAsync(org.Id, Input.AdminEmail, adminRole, tenant.UserId!.Value);
        if (!invited.Succeeded)
        {
            await tx.RollbackAsync();
            db.ChangeTracker.Clear();
            ModelState.AddModelError("Input.AdminEmail", invited.Error!);
            await OnGetAsync();
            return Page();
        }
        await tx.CommitAsync();
        TempData["Status"] = string.Format(l["OrganizationCreated"], org.Name, Input.AdminEmail.Trim());
        return RedirectToPage();
    }
}
