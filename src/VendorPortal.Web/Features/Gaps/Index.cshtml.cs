using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using VendorPortal.Features.Forms.Workbooks;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Gaps;

/// <summary>
/// The one compliance-gap view of a hospital for a 年度: every rule's gaps, filtered by vendor, system, kind,
/// severity and who must act (a GET form; the query string is the same as the API's), with counts of the filtered
/// list by severity and kind, and the filtered list as .xlsx (<c>?handler=Xlsx</c>).
/// </summary>
[Authorize(Policy = Policies.HospitalStaffInRoute)]
public sealed class IndexModel(GapQuery query, GapExportService export, IStringLocalizer<SharedResource> l, TimeProvider time) : PageModel
{
    public IReadOnlyList<ComplianceGap> All { get; private set; } = [];
    public IReadOnlyList<ComplianceGap> Shown { get; private set; } = [];
    public GapSummary Summary { get; private set; } = GapSummary.Of([]);
    public GapFilter Filter { get; private set; } = GapFilter.None;
    public FiscalYear Year { get; private set; }
    public DateOnly Today { get; private set; }
    public Guid HospitalId { get; private set; }
    public List<string> Errors { get; } = [];
    public GapText Text { get; private set; } = null!;

    /// <summary>Vendors and systems to choose from: those of the 年度's gaps, by name.</summary>
    public IReadOnlyList<(Guid Id, string Name)> Vendors { get; private set; } = [];
    public IReadOnlyList<(Guid Id, string Name)> Systems { get; private set; } = [];
    public IReadOnlyList<string> Kinds { get; private set; } = [];

    public async Task OnGetAsync(Guid hospitalId)
    {
        HospitalId = hospitalId;
        Text = new GapText(l);
        Today = JapanTime.TodayInJapan(time);
        var request = GapRequest.Read(Request.Query, time);
        Year = request.Year;
        Filter = request.Filter;
        foreach (var (key, code) in request.Errors)
        {
            Errors.Add(l[code].Value);
            ModelState.AddModelError(key, l[code].Value);
        }
        All = await query.ForHospitalAsync(hospitalId, Year);
        Shown = Filter.Apply(All);
        Summary = GapSummary.Of(Shown);
        Vendors = [.. All.Where(g => g.VendorId is not null).DistinctBy(g => g.VendorId).Select(g => (g.VendorId!.Value, g.VendorName ?? "")).OrderBy(v => v.Item2, StringComparer.Ordinal)];
        Systems = [.. All.Where(g => g.SystemId is not null).DistinctBy(g => g.SystemId).Select(g => (g.SystemId!.Value, g.SystemName ?? "")).OrderBy(s => s.Item2, StringComparer.Ordinal)];
        Kinds = [.. All.Select(g => g.Kind).Concat(Filter.Kinds).Distinct(StringComparer.Ordinal).OrderBy(Text.Kind, StringComparer.Ordinal)];
    }

    /// <summary>The filtered list as .xlsx; bad filter values show the page with their messages instead.</summary>
    public async Task<IActionResult> OnGetXlsxAsync(Guid hospitalId)
    {
        var request = GapRequest.Read(Request.Query, time);
        if (request.Errors.Count > 0)
        {
            await OnGetAsync(hospitalId);
            return Page();
        }
        if (await export.ExportAsync(hospitalId, request.Year, request.Filter) is not { } file)
        {
            return NotFound();
        }
        return File(file.Bytes, WorkbookFile.ContentType, file.FileName);
    }

    /// <summary>This page (or its export) with the 年度 and the given filter.</summary>
    public string LinkTo(GapFilter filter, string? handler = null)
    {
        var q = new QueryBuilder { { "fiscalYear", GapView.Invariant(Year.StartYear) } };
        foreach (var p in filter.ToQuery())
        {
            q.Add(p.Key, p.Value);
        }
        if (handler is not null)
        {
            q.Add("handler", handler);
        }
        return $"/Hospitals/{HospitalId}/Gaps{q}";
    }
}
