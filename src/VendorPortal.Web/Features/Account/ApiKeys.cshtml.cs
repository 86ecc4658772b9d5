using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using VendorPortal.Features.ApiKeys;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.Account;

public sealed class ApiKeysModel(ApiKeyService service, AppDbContext db, ITenantContext tenant, IStringLocalizer<SharedResource> l) : PageModel
{
    public List<ApiKey> Keys { get; private set; } = [];
    public string? NewSecret { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostCreateAsync(string? name, int? days)
    {
        var result = await service.CreateAsync(name, days ?? ApiKeyService.DefaultLifetimeDays);
        if (result.Error is not null)
        {
            ModelState.AddModelError("", result.Error);
        }
        else
        {
            NewSecret = result.Secret;
        }
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid apiKeyId)
    {
        if (!await service.RevokeAsync(apiKeyId))
        {
            return NotFound();
        }
        TempData["Status"] = l["ApiKeyRevoked"].Value;
        return RedirectToPage();
    }

    private async Task LoadAsync()
        => Keys = await db.ApiKeys.Where(k => k.UserId == tenant.UserId).OrderByDescending(k => k.CreatedAt).ToListAsync();
}
