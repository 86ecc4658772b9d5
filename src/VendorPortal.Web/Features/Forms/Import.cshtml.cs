using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using VendorPortal.Features.Forms.Workbooks;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.Forms;

/// <summary>
/// The platform operator publishes a new template version from a workbook (項番, 大項目, 確認項目, 回答種別,
/// 参照 …): preview first, then publish. A published version is immutable; a mistake is retired and
/// published again under a new key.
/// </summary>
[Authorize(Policy = Policies.PlatformOperator)]
[RequestSizeLimit(3 * XlsxSafety.MaxUploadBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = 3 * XlsxSafety.MaxUploadBytes)]
public sealed class ImportModel(AppDbContext db, FormTemplateCatalog catalog, ITenantContext tenant, IStringLocalizer<SharedResource> l) : PageModel
{
    public sealed class InputModel
    {
        [Required, RegularExpression("^[a-z0-9][a-z0-9-]{2,80}$")] public string Key { get; set; } = "";
        public FormKind Kind { get; set; } = FormKind.VendorChecklist;
        [Required, StringLength(300)] public string Title { get; set; } = "";
        [Required, StringLength(100)] public string VersionLabel { get; set; } = "";
        [Required, StringLength(20)] public string GuidelineEdition { get; set; } = "6.0";
        [Required] public DateOnly? EffectiveFrom { get; set; }
        public DateOnly? EffectiveTo { get; set; }
        public TemplateStatus Status { get; set; } = TemplateStatus.Official;
        [Range(0, 5)] public int Rounds { get; set; } = 2;
        [Required, StringLength(500)] public string Source { get; set; } = "";
        [StringLength(1000)] public string? Notice { get; set; }
    }

    [BindProperty] public InputModel Input { get; set; } = new();
    public FormTemplate? Preview { get; private set; }
    public List<WorkbookProblem> Problems { get; } = [];

    public string Message(WorkbookProblem p) => l["Xlsx_" + p.Code, p.Args].Value;

    public void OnGet()
    {
    }

    public Task<IActionResult> OnPostPreviewAsync(IFormFile? workbook) => ReadAsync(workbook, publish: false);

    public Task<IActionResult> OnPostPublishAsync(IFormFile? workbook) => ReadAsync(workbook, publish: true);

    private async Task<IActionResult> ReadAsync(IFormFile? workbook, bool publish)
    {
        if (Input.EffectiveTo is { } to && Input.EffectiveFrom is { } from && to < from)
        {
            ModelState.AddModelError("Input.EffectiveTo", l["EffectiveToBeforeFrom"]);
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        if (workbook is null || workbook.Length == 0)
        {
            Problems.Add(new WorkbookProblem(null, "NoFile"));
            return Page();
        }
        if (workbook.Length > XlsxSafety.MaxUploadBytes)
        {
            Problems.Add(new WorkbookProblem(null, "TooLarge", XlsxSafety.MaxUploadBytes / (1024 * 1024)));
            return Page();
        }
        FormTemplate? template;
        try
        {
            await using var stream = workbook.OpenReadStream();
            using var package = XlsxSafety.Open(await XlsxSafety.ReadUploadAsync(stream));
            var header = new TemplateImportHeader(Input.Key, Input.Kind, Input.Title, Input.VersionLabel, Input.GuidelineEdition,
                Input.EffectiveFrom!.Value, Input.EffectiveTo, Input.Status, Input.Rounds, Input.Source, Input.Notice);
            (template, var problems) = TemplateWorkbookReader.Read(package, header);
            Problems.AddRange(problems);
        }
        catch (WorkbookException ex)
        {
            Problems.Add(ex.Problem);
            return Page();
        }
        if (template is null)
        {
            return Page();
        }
        if (await db.FormTemplateVersions.AnyAsync(t => t.Key == template.Key))
        {
            ModelState.AddModelError("Input.Key", l["TemplateKeyTaken", template.Key]);
            return Page();
        }
        Preview = template;
        if (!publish)
        {
            return Page();
        }
        var content = JsonSerializer.Serialize(template, new JsonSerializerOptions(FormTemplate.Json) { WriteIndented = true });
        // The stored JSON goes through the same parser and checks as a seed file before it is published.
        FormTemplate.Parse(content, template.Key);
        catalog.Add(template, content, FormTemplateCatalog.Hash(content), "import", tenant.UserId);
        await db.SaveChangesAsync();
        TempData["Status"] = l["TemplatePublished", template.VersionLabel, template.Items.Count()].Value;
        return RedirectToPage("/Forms/Template", new { templateKey = template.Key });
    }
}
