using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using VendorPortal.Features.Checklists;
using VendorPortal.Features.Forms;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Localization;

namespace VendorPortal.Features.Disclosures;

/// <summary>
/// One product version: its disclosure (filled on the checklist page), the hospitals that receive it and
/// each one's review state, the product's other versions. Anyone but the vendor that owns it (another vendor,
/// a hospital, even one it is shared with) gets 404, so no policy by organization kind is needed here.
/// </summary>
public sealed class ProductPageModel(AppDbContext db, DisclosureService disclosures, IStringLocalizer<SharedResource> l) : PageModel
{
    public Product Product { get; private set; } = null!;
    public FormSubmission? Submission { get; private set; }
    public FormTemplateVersion? Template { get; private set; }
    public Product? Previous { get; private set; }
    public List<Product> OtherVersions { get; private set; } = [];
    public IReadOnlyList<RecipientView> Recipients { get; private set; } = [];
    /// <summary>Hospitals that can be ticked: those served today, and current recipients (so they can be withdrawn).</summary>
    public List<EngagedHospital> Choices { get; private set; } = [];
    public string? Error { get; private set; }

    public bool IsActiveRecipient(Guid hospitalId) => Recipients.Any(r => r.HospitalId == hospitalId && !r.Withdrawn);

    public RecipientView? RecipientOf(Guid hospitalId) => Recipients.FirstOrDefault(r => r.HospitalId == hospitalId && !r.Withdrawn);

    public async Task<IActionResult> OnGetAsync(Guid productId) => await LoadAsync(productId) ? Page() : NotFound();

    public async Task<IActionResult> OnPostRecipientsAsync(Guid productId, List<Guid> hospitalIds)
    {
        if (!await LoadAsync(productId) || Submission is null)
        {
            return NotFound();
        }
        if (!ChecklistAccess.CanAnswer(User, Product.Kind))
        {
            return Forbid();
        }
        var result = await disclosures.SetRecipientsAsync(Submission, hospitalIds);
        if (!result.Succeeded)
        {
            Error = l["Form_" + result.ErrorCode, result.Args ?? []].Value;
            return Page();
        }
        TempData["Status"] = l["RecipientsSaved"].Value;
        return Redirect($"/Products/{productId}#recipients");
    }

    private async Task<bool> LoadAsync(Guid productId)
    {
        var product = await db.Products.AsNoTracking().SingleOrDefaultAsync(p => p.Id == productId);
        // Hospitals may see a product shared with them, but this page is the vendor's own.
        if (product is null || product.VendorId != disclosures.Tenant.OrganizationId)
        {
            return false;
        }
        Product = product;
        Submission = await disclosures.DisclosureOfAsync(product.Id);
        Template = Submission is null ? null : await db.FormTemplateVersions.AsNoTracking().SingleOrDefaultAsync(t => t.Key == Submission.TemplateKey);
        Previous = product.PreviousProductId is { } prev ? await db.Products.AsNoTracking().SingleOrDefaultAsync(p => p.Id == prev) : null;
        OtherVersions = await db.Products.AsNoTracking().Where(p => p.VendorId == product.VendorId && p.Name == product.Name && p.Id != product.Id)
            .OrderByDescending(p => p.CreatedAt).ToListAsync();
        Recipients = Submission is null ? [] : await disclosures.RecipientsAsync(Submission);
        var engaged = await disclosures.EngagedHospitalsAsync();
        Choices = [.. engaged.Concat(Recipients.Where(r => !r.Withdrawn && engaged.All(e => e.Id != r.HospitalId)).Select(r => new EngagedHospital(r.HospitalId, r.HospitalName)))
            .OrderBy(h => h.Name, StringComparer.Ordinal)];
        return true;
    }
}
