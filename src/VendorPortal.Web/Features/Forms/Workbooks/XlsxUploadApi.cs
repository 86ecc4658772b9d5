using Microsoft.Extensions.Localization;

namespace VendorPortal.Features.Forms.Workbooks;

/// <summary>
/// The HTTP side of every workbook upload endpoint (checklists, the ledger): reading the multipart field "file"
/// with the size limit, and answering a refused workbook in problem+json, problems keyed by cell.
/// </summary>
public static class XlsxUploadApi
{
    /// <summary>The uploaded workbook, or the problem to answer instead (415 no form, 413 too large, 400 no file).</summary>
    public static async Task<(IFormFile? File, IResult? Problem)> ReadAsync(HttpRequest request, IStringLocalizer l)
    {
        if (!request.HasFormContentType)
        {
            return (null, Results.Problem(title: l["Xlsx_NoFile"], statusCode: StatusCodes.Status415UnsupportedMediaType));
        }
        IFormFile? file;
        try
        {
            file = (await request.ReadFormAsync()).Files.GetFile("file");
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException)
        {
            return (null, TooLarge(l));
        }
        if (file is null || file.Length == 0)
        {
            return (null, Results.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [l["Xlsx_NoFile"]] }));
        }
        return file.Length > XlsxSafety.MaxUploadBytes ? (null, TooLarge(l)) : (file, null);
    }

    /// <summary>A refused workbook: every problem under its cell ("file" when it has none); 413 when it was too large, else 422.</summary>
    public static IResult Problems(IReadOnlyList<WorkbookProblem> problems, Func<WorkbookProblem, string> message, IStringLocalizer l)
    {
        var errors = problems.GroupBy(p => p.Cell ?? "file").ToDictionary(g => g.Key, g => g.Select(message).ToArray());
        var tooLarge = problems.Any(p => p.Code == "TooLarge");
        return Results.ValidationProblem(errors, title: l["Xlsx_ProblemsHeading", problems.Count].Value,
            statusCode: tooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status422UnprocessableEntity);
    }

    private static IResult TooLarge(IStringLocalizer l)
        => Results.Problem(title: l["Xlsx_TooLarge", XlsxSafety.MaxUploadBytes / (1024 * 1024)], statusCode: StatusCodes.Status413PayloadTooLarge);
}
