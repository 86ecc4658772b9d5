using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Account;
using VendorPortal.Infrastructure.Data;

namespace VendorPortal.Features.Forms;

/// <summary>One template version, item by item; the platform operator may retire it.</summary>
public sealed class TemplateModel(AppDbContext db, FormTemplateCatalog catalog, TimeProvider time) : PageModel
{
    public FormTemplateVersion Version { get; private set; } = null!;
    public FormTemplate Template { get; private set; } = null!;
    public bool CanRetire => User.IsInRole(Roles.PlatformOperator);

    public async Task<IActionResult> OnGetAsync(string templateKey)
    {
        var version = await db.FormTemplateVersions.AsNoTracking().SingleOrDefaultAsync(t => t.Key == templateKey);
        if (version is null)
        {
            return NotFound();
        }
        Version = version;
        Template = version.Parse();
        return Page();
    }

    /// <summary>The blank form as .xlsx, laid out like the official sheet.</summary>
    public async Task<IActionResult> OnGetXlsxAsync(string templateKey)
    {
        var version = await db.FormTemplateVersions.AsNoTracking().SingleOrDefaultAsync(t => t.Key == templateKey);
        if (version is null)
        {
            return NotFound();
        }
        var file = Workbooks.FormWorkbookService.ExportTemplate(version, time);
        return File(file.Bytes, Workbooks.WorkbookFile.ContentType, file.FileName);
    }

    public async Task<IActionResult> OnPostRetireAsync(string templateKey)
    {
        if (!CanRetire)
        {
            return Forbid();
        }
        return await catalog.RetireAsync(templateKey) ? RedirectToPage(new { templateKey }) : NotFound();
    }
}
