using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using VendorPortal.Features.Checklists;
using VendorPortal.Features.Forms;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.Disclosures;

/// <summary>
/// Registers a product (MDS) or service (SDS) in one version with its disclosure, optionally as the next
/// version of an existing one: its answers are copied and the same hospitals are chosen as recipients.
/// </summary>
[Authorize(Policy = Policies.VendorStaff)]
public sealed class NewModel(AppDbContext db, DisclosureService disclosures, ITenantContext tenant, IStringLocalizer<SharedResource> l) : PageModel
{
    public List<FormTemplateVersion> Templates { get; private set; } = [];
    public List<Product> OwnProducts { get; private set; } = [];

    [BindProperty] public FormKind Kind { get; set; } = FormKind.Mds;
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Version { get; set; }
    [BindProperty] public string? TemplateKey { get; set; }
    [BindProperty] public Guid? CopyFrom { get; set; }

    public async Task OnGetAsync(Guid? copyFrom)
    {
        await LoadAsync();
        if (copyFrom is { } from && OwnProducts.FirstOrDefault(p => p.Id == from) is { } previous)
        {
            CopyFrom = previous.Id;
            Kind = previous.Kind;
            Name = previous.Name;
            var previousTemplate = await db.FormSubmissions.Where(s => s.ProductId == previous.Id).Select(s => s.TemplateKey).SingleOrDefaultAsync();
            TemplateKey = Templates.Any(t => t.Key == previousTemplate) ? previousTemplate : Templates.FirstOrDefault(t => t.Kind == Kind)?.Key;
        }
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await LoadAsync();
        if (!ChecklistAccess.CanAnswer(User, FormKind.Mds))
        {
            return Forbid();
        }
        var result = await disclosures.CreateProductAsync(Kind, Name, Version, TemplateKey, CopyFrom);
        if (!result.Succeeded)
        {
            ModelState.AddModelError("", l["Form_" + result.ErrorCode, result.Args ?? []].Value);
            return Page();
        }
        var created = result.Value!;
        var message = l["ProductCreated", created.Product.Label].Value;
        if (CopyFrom is not null)
        {
            message += " " + (created.DroppedAnswers > 0 ? l["AnswersCopiedDropped", created.DroppedAnswers].Value : l["AnswersCopied"].Value);
            if (created.CopiedRecipients.Count > 0)
            {
                message += " " + l["RecipientsCopied", created.CopiedRecipients.Count].Value;
            }
        }
        TempData["Status"] = message;
        return Redirect($"/Products/{created.Product.Id}");
    }

    private async Task LoadAsync()
    {
        Templates = [.. (await disclosures.TemplatesAsync(FormKind.Mds)).Concat(await disclosures.TemplatesAsync(FormKind.Sds))];
        OwnProducts = await db.Products.AsNoTracking().Where(p => p.VendorId == tenant.OrganizationId)
            .OrderBy(p => p.Name).ThenByDescending(p => p.CreatedAt).ToListAsync();
    }
}
