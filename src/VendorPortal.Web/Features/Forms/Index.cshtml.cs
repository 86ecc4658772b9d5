using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using VendorPortal.Infrastructure.Data;

namespace VendorPortal.Features.Forms;

/// <summary>The published form versions (様式): which is official, which partly verified, which a sample.</summary>
public sealed class IndexModel(AppDbContext db) : PageModel
{
    public List<FormTemplateVersion> Templates { get; private set; } = [];

    public async Task OnGetAsync()
        => Templates = await db.FormTemplateVersions.AsNoTracking().OrderBy(t => t.Kind).ThenByDescending(t => t.EffectiveFrom).ToListAsync();
}
