using Microsoft.Extensions.Localization;
using VendorPortal.Features.Forms.Workbooks;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Gaps;

public sealed record GapDto(string Kind, string Severity, string MustAct, Guid? VendorId, string? VendorName, Guid? SystemId, string? SystemName,
    Guid? SubmissionId, string? ItemNumber, DateOnly Since, string Message, string? Link)
{
    /// <summary>The kind in words (the kind itself when the resource files do not name it yet).</summary>
    public string? KindLabel { get; init; }
    public int DaysOpen { get; init; }
}

/// <summary>Counts of the filtered list (<c>Count</c>) and of all the 年度's gaps (<c>Total</c>), by severity, kind and who must act.</summary>
public sealed record GapSummaryDto(int FiscalYear, int Total, int Count, IReadOnlyDictionary<string, int> BySeverity, IReadOnlyDictionary<string, int> ByKind,
    IReadOnlyDictionary<string, int> ByActor);

public static class GapsApi
{
    /// <summary>Response headers of the list: the number of gaps of the 年度 before and after the filters.</summary>
    public const string TotalHeader = "X-Total-Count", FilteredHeader = "X-Filtered-Count";

    public static void Map(RouteGroupBuilder v1)
    {
        var g = v1.MapGroup("/hospitals/{hospitalId:guid}/gaps").RequireAuthorization(Policies.HospitalStaffInRoute).WithTags("Gaps");

        // The list, filtered; its totals in the headers, so the body stays the plain list it always was.
        g.MapGet("", async (Guid hospitalId, HttpContext http, GapQuery query, IStringLocalizer<SharedResource> l, TimeProvider time) =>
        {
            if (!GapRequest.TryRead(http.Request.Query, l, time, out var req, out var problem))
            {
                return problem;
            }
            var all = await query.ForHospitalAsync(hospitalId, req.Year, http.RequestAborted);
            var shown = req.Filter.Apply(all);
            http.Response.Headers[TotalHeader] = GapView.Invariant(all.Count);
            http.Response.Headers[FilteredHeader] = GapView.Invariant(shown.Count);
            var text = new GapText(l);
            var today = JapanTime.TodayInJapan(time);
            return Results.Ok(shown.Select(x => new GapDto(x.Kind, x.Severity.ToString(), x.MustAct.ToString(), x.VendorId, x.VendorName, x.SystemId,
                x.SystemName, x.SubmissionId, x.ItemNumber, x.Since, text.Message(x), GapView.LinkOf(x))
            {
                KindLabel = text.Kind(x.Kind),
                DaysOpen = GapView.DaysOpen(x, today),
            }).ToList());
        }).WithName("ListComplianceGaps");

        g.MapGet("/summary", async (Guid hospitalId, HttpContext http, GapQuery query, IStringLocalizer<SharedResource> l, TimeProvider time) =>
        {
            if (!GapRequest.TryRead(http.Request.Query, l, time, out var req, out var problem))
            {
                return problem;
            }
            var all = await query.ForHospitalAsync(hospitalId, req.Year, http.RequestAborted);
            var summary = GapSummary.Of(req.Filter.Apply(all));
            return Results.Ok(new GapSummaryDto(req.Year.StartYear, all.Count, summary.Count,
                summary.BySeverity.ToDictionary(p => p.Key.ToString(), p => p.Value),
                summary.ByKind.ToDictionary(p => p.Key, p => p.Value),
                summary.ByActor.ToDictionary(p => p.Key.ToString(), p => p.Value)));
        }).WithName("SummarizeComplianceGaps");

        g.MapGet("/xlsx", async (Guid hospitalId, HttpContext http, GapExportService export, IStringLocalizer<SharedResource> l, TimeProvider time) =>
        {
            if (!GapRequest.TryRead(http.Request.Query, l, time, out var req, out var problem))
            {
                return problem;
            }
            return await export.ExportAsync(hospitalId, req.Year, req.Filter, http.RequestAborted) is { } file
                ? Results.File(file.Bytes, WorkbookFile.ContentType, file.FileName)
                : Results.NotFound();
        }).WithName("ExportComplianceGaps");
    }
}

/// <summary>The 年度 and filters of a gap request, read from the query string the same way by the page and the API.</summary>
public sealed record GapRequest(FiscalYear Year, GapFilter Filter, IReadOnlyDictionary<string, string> Errors)
{
    public const int MinYear = 2000, MaxYear = 2100;

    public static GapRequest Read(IQueryCollection q, TimeProvider time)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var year = FiscalYear.Of(JapanTime.TodayInJapan(time));
        var rawYear = q["fiscalYear"].ToString();
        if (!string.IsNullOrWhiteSpace(rawYear))
        {
            if (int.TryParse(rawYear.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var fy)
                && fy is >= MinYear and <= MaxYear)
            {
                year = new FiscalYear(fy);
            }
            else
            {
                errors["fiscalYear"] = "GapFilter_BadYear";
            }
        }
        // The page's older parameter name "vendor" still works.
        var vendor = q["vendorId"].ToString() is { Length: > 0 } v ? v : q["vendor"].ToString();
        var parse = GapFilter.Parse(vendor, q["systemId"].ToString(), q["kind"], q["severity"], q["minSeverity"].ToString(), q["actor"].ToString());
        foreach (var (key, code) in parse.Errors)
        {
            errors.TryAdd(key, code);
        }
        return new GapRequest(year, parse.Filter, errors);
    }

    /// <summary>For the API: the request, or a problem+json (400) naming each bad parameter in the user's language.</summary>
    public static bool TryRead(IQueryCollection q, IStringLocalizer l, TimeProvider time, out GapRequest request, out IResult problem)
    {
        request = Read(q, time);
        if (request.Errors.Count == 0)
        {
            problem = Results.Empty;
            return true;
        }
        problem = Results.ValidationProblem(request.Errors.ToDictionary(e => e.Key, e => new[] { l[e.Value].Value }), title: l["GapFilter_Invalid"].Value);
        return false;
    }
}
