using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using VendorPortal.Features.Organizations;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Localization;

namespace VendorPortal.Features.Platform;

/// <summary>Records a contract between a hospital and a vendor; it is what lets the vendor see the hospital.</summary>
[Authorize(Policy = Policies.PlatformOperator)]
public sealed class EngagementsModel(AppDbContext db, TimeProvider time, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty] public InputModel Input { get; set; } = new();
    public List<Organization> Hospitals { get; private set; } = [];
    public List<Organization> Vendors { get; private set; } = [];
    public List<Engagement> Engagements { get; private set; } = [];

    public sealed class InputModel
    {
        public Guid HospitalId { get; set; }
        public Guid VendorId { get; set; }
        [Required(ErrorMessage = "Required")][StringLength(200, ErrorMessage = "TooLong")][Display(Name = "Contract")]
        public string Title { get; set; } = "";
        [Required(ErrorMessage = "Required")][Display(Name = "StartsOn")]
        public DateOnly? StartsOn { get; set; }
        [Display(Name = "EndsOn")]
        public DateOnly? EndsOn { get; set; }
    }

    public async Task OnGetAsync()
    {
        Hospitals = await db.Organizations.Where(o => o.Kind == OrganizationKind.Hospital).OrderBy(o => o.Name).ToListAsync();
        Vendors = await db.Organizations.Where(o => o.Kind == OrganizationKind.Vendor).OrderBy(o => o.Name).ToListAsync();
        Engagements = await db.Engagements.Include(e => e.Hospital).Include(e => e.Vendor).OrderBy(e => e.Hospital!.Name).ToListAsync();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!await db.Organizations.AnyAsync(o => o.Id == Input.HospitalId && o.Kind == OrganizationKind.Hospital))
        {
            ModelState.AddModelError("Input.HospitalId", l["ErrorNotFound"]);
        }
        if (!await db.Organizations.AnyAsync(o => o.Id == Input.VendorId && o.Kind == OrganizationKind.Vendor))
        {
            ModelState.AddModelError("Input.VendorId", l["ErrorNotFound"]);
        }
        if (Input.StartsOn is { } s && Input.EndsOn is { } e && e < s)
        {
            ModelState.AddModelError("Input.EndsOn", l["ErrorEndBeforeStart"]);
        }
        if (!ModelState.IsValid)
        {
            await OnGetAsync();
            return Page();
        }
        db.Engagements.Add(new Engagement
        {
            Id = Guid.NewGuid(), HospitalId = Input.HospitalId, VendorId = Input.VendorId, Title = Input.Title.Trim(),
            StartsOn = Input.StartsOn!.Value, EndsOn = Input.EndsOn, CreatedAt = time.GetUtcNow(),
        });
        await db.SaveChangesAsync();
        TempData["Status"] = l["EngagementCreated"].Value;
        return RedirectToPage();
    }
}
