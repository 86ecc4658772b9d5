using Microsoft.EntityFrameworkCore;
using VendorPortal.Infrastructure.Data;

namespace VendorPortal.Features.Forms;

public sealed record FormTemplateSummaryDto(string Key, string Kind, string Title, string VersionLabel, string GuidelineEdition,
    DateOnly EffectiveFrom, DateOnly? EffectiveTo, string Status, int ItemCount, string ContentHash, bool Retired);

/// <summary>Form templates are reference data: any signed-in member may read them.</summary>
public static class FormsApi
{
    public static void Map(RouteGroupBuilder v1)
    {
        var g = v1.MapGroup("/form-templates").WithTags("Forms");
        g.MapGet("/", async (FormKind? kind, bool? includeRetired, AppDbContext db) =>
        {
            var q = db.FormTemplateVersions.AsNoTracking();
            if (kind is { } k)
            {
                q = q.Where(t => t.Kind == k);
            }
            if (includeRetired != true)
            {
                q = q.Where(t => t.RetiredAt == null);
            }
            return await q.OrderBy(t => t.Kind).ThenByDescending(t => t.EffectiveFrom)
                .Select(t => new FormTemplateSummaryDto(t.Key, t.Kind.ToString(), t.Title, t.VersionLabel, t.GuidelineEdition,
                    t.EffectiveFrom, t.EffectiveTo, t.Status.ToString(), t.ItemCount, t.ContentHash, t.RetiredAt != null))
                .ToListAsync();
        }).WithName("ListFormTemplates");

        g.MapGet("/{templateKey}", async (string templateKey, AppDbContext db) =>
            await db.FormTemplateVersions.AsNoTracking().SingleOrDefaultAsync(t => t.Key == templateKey) is { } version
                ? Results.Text(version.Content, "application/json; charset=utf-8")
                : Results.NotFound())
            .WithName("GetFormTemplate");

        g.MapGet("/{templateKey}/xlsx", async (string templateKey, AppDbContext db, TimeProvider time) =>
            await db.FormTemplateVersions.AsNoTracking().SingleOrDefaultAsync(t => t.Key == templateKey) is { } version
                && Workbooks.FormWorkbookService.ExportTemplate(version, time) is var file
                ? Results.File(file.Bytes, Workbooks.WorkbookFile.ContentType, file.FileName)
                : Results.NotFound())
            .Produces(StatusCodes.Status200OK, contentType: Workbooks.WorkbookFile.ContentType).WithName("ExportFormTemplateXlsx");
    }
}
