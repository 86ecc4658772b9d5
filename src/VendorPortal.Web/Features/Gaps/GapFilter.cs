using System.Globalization;
using System.Text.RegularExpressions;

namespace VendorPortal.Features.Gaps;

/// <summary>
/// What the one gap view, the gap API and the Excel export show of a hospital's gaps: by vendor, system, kind (any
/// number; any rule's kind string, so new rules need nothing here), severity (a list, or a minimum) and who must act.
/// Pure: parsing the raw query values and filtering a list, unit-tested without a database.
/// </summary>
public sealed partial record GapFilter
{
    public static readonly GapFilter None = new();

    public Guid? VendorId { get; init; }
    public Guid? SystemId { get; init; }
    public IReadOnlyList<string> Kinds { get; init; } = [];
    public IReadOnlyList<GapSeverity> Severities { get; init; } = [];
    public GapSeverity? MinSeverity { get; init; }
    public GapActor? Actor { get; init; }

    public bool IsEmpty => VendorId is null && SystemId is null && Kinds.Count == 0 && Severities.Count == 0 && MinSeverity is null && Actor is null;

    public bool Matches(ComplianceGap g)
        => (VendorId is null || g.VendorId == VendorId)
           && (SystemId is null || g.SystemId == SystemId)
           && (Kinds.Count == 0 || Kinds.Contains(g.Kind, StringComparer.Ordinal))
           && (Severities.Count == 0 || Severities.Contains(g.Severity))
           && (MinSeverity is null || g.Severity >= MinSeverity)
           && (Actor is null || g.MustAct == Actor);

    /// <summary>The gaps that match, most severe first, then the oldest first (stable for equal keys).</summary>
    public IReadOnlyList<ComplianceGap> Apply(IEnumerable<ComplianceGap> gaps)
        => [.. gaps.Where(Matches).OrderByDescending(g => g.Severity).ThenBy(g => g.Since)
            // A total order (ties never depend on database row order): the inspection bundle must be reproducible.
            .ThenBy(g => g.Kind, StringComparer.Ordinal).ThenBy(g => g.VendorName ?? "", StringComparer.Ordinal)
            .ThenBy(g => g.SystemName ?? "", StringComparer.Ordinal).ThenBy(g => g.ItemNumber ?? "", StringComparer.Ordinal)
            .ThenBy(g => g.VendorId).ThenBy(g => g.SystemId).ThenBy(g => g.SubmissionId)
            .ThenBy(g => string.Join('\u001f', g.Args.Select(a => Convert.ToString(a, System.Globalization.CultureInfo.InvariantCulture))), StringComparer.Ordinal)];

    /// <summary>
    /// Reads the raw query values (names as in the API and on the page: vendorId, systemId, kind (repeatable),
    /// severity (repeatable: High, Medium, Low, case-insensitive), minSeverity, actor (Hospital or Vendor)).
    /// Empty values are ignored. Each bad value gives an error code under its parameter name; the filter keeps the
    /// values that were good.
    /// </summary>
    public static GapFilterParse Parse(string? vendorId, string? systemId, IEnumerable<string?>? kinds, IEnumerable<string?>? severities,
        string? minSeverity, string? actor)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var filter = new GapFilter
        {
            VendorId = ParseGuid("vendorId", vendorId),
            SystemId = ParseGuid("systemId", systemId),
            MinSeverity = ParseSeverity("minSeverity", minSeverity),
            Actor = ParseActor(actor),
        };
        var kindList = new List<string>();
        foreach (var k in (kinds ?? []).Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => k!.Trim()))
        {
            if (!KindPattern().IsMatch(k))
            {
                errors.TryAdd("kind", "GapFilter_BadKind");
            }
            else if (!kindList.Contains(k, StringComparer.Ordinal))
            {
                kindList.Add(k);
            }
        }
        if (kindList.Count > MaxKinds)
        {
            errors.TryAdd("kind", "GapFilter_TooManyKinds");
            kindList.Clear();
        }
        var severityList = new List<GapSeverity>();
        foreach (var s in (severities ?? []).Where(s => !string.IsNullOrWhiteSpace(s)))
        {
            if (ParseSeverity("severity", s) is { } parsed && !severityList.Contains(parsed))
            {
                severityList.Add(parsed);
            }
        }
        filter = filter with { Kinds = kindList, Severities = severityList };
        return new GapFilterParse(filter, errors);

        Guid? ParseGuid(string name, string? raw)
        {
            if (string.IsNullOrWhiteSpace(raw))
            {
                return null;
            }
            if (Guid.TryParse(raw.Trim(), out var id))
            {
                return id;
            }
            errors.TryAdd(name, "GapFilter_BadId");
            return null;
        }

        GapSeverity? ParseSeverity(string name, string? raw)
        {
            if (string.IsNullOrWhiteSpace(raw))
            {
                return null;
            }
            // Names only: "3" or "999" would parse as an enum value but mean nothing to a reader of the URL.
            if (Enum.TryParse<GapSeverity>(raw.Trim(), ignoreCase: true, out var s) && Enum.IsDefined(s) && !char.IsAsciiDigit(raw.Trim()[0]))
            {
                return s;
            }
            errors.TryAdd(name, "GapFilter_BadSeverity");
            return null;
        }

        GapActor? ParseActor(string? raw)
        {
            if (string.IsNullOrWhiteSpace(raw))
            {
                return null;
            }
            if (Enum.TryParse<GapActor>(raw.Trim(), ignoreCase: true, out var a) && Enum.IsDefined(a) && !char.IsAsciiDigit(raw.Trim()[0]))
            {
                return a;
            }
            errors.TryAdd("actor", "GapFilter_BadActor");
            return null;
        }
    }

    /// <summary>The filter as query-string pairs (for links to the page, the export and the API).</summary>
    public IEnumerable<KeyValuePair<string, string>> ToQuery()
    {
        if (VendorId is { } v)
        {
            yield return new("vendorId", v.ToString());
        }
        if (SystemId is { } s)
        {
            yield return new("systemId", s.ToString());
        }
        foreach (var k in Kinds)
        {
            yield return new("kind", k);
        }
        foreach (var sev in Severities)
        {
            yield return new("severity", sev.ToString());
        }
        if (MinSeverity is { } min)
        {
            yield return new("minSeverity", min.ToString());
        }
        if (Actor is { } a)
        {
            yield return new("actor", a.ToString());
        }
    }

    public const int MaxKinds = 50;

    /// <summary>Rule kinds are identifiers ("MissingVendorChecklist", "EosWithin90Days"): letters, digits, '_' and '-'.</summary>
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,79}$", RegexOptions.CultureInvariant)]
    private static partial Regex KindPattern();
}

/// <summary>A parsed filter and the error code of each parameter that was not understood.</summary>
public sealed record GapFilterParse(GapFilter Filter, IReadOnlyDictionary<string, string> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>Counts of a (filtered) gap list: in total, by severity, by kind and by who must act.</summary>
public sealed record GapSummary(int Count, IReadOnlyDictionary<GapSeverity, int> BySeverity, IReadOnlyList<KeyValuePair<string, int>> ByKind,
    IReadOnlyDictionary<GapActor, int> ByActor)
{
    /// <summary>Every severity appears (0 when none); kinds most frequent first, then by name.</summary>
    public static GapSummary Of(IReadOnlyCollection<ComplianceGap> gaps)
        => new(gaps.Count,
            Enum.GetValues<GapSeverity>().OrderDescending().ToDictionary(s => s, s => gaps.Count(g => g.Severity == s)),
            [.. gaps.GroupBy(g => g.Kind, StringComparer.Ordinal).Select(k => new KeyValuePair<string, int>(k.Key, k.Count()))
                .OrderByDescending(k => k.Value).ThenBy(k => k.Key, StringComparer.Ordinal)],
            Enum.GetValues<GapActor>().ToDictionary(a => a, a => gaps.Count(g => g.MustAct == a)));
}

/// <summary>Where a gap is fixed and how long it has been open; shared by the page, the API and the export.</summary>
public static class GapView
{
    /// <summary><see cref="ComplianceGap.Link"/>, else the checklist (or form) it is about, else none.</summary>
    public static string? LinkOf(ComplianceGap g) => g.Link ?? (g.SubmissionId is { } id ? $"/Checklists/{id}" : null);

    /// <summary>Whole days from <see cref="ComplianceGap.Since"/> to today (JST); 0 when it starts today or later.</summary>
    public static int DaysOpen(ComplianceGap g, DateOnly today) => Math.Max(0, today.DayNumber - g.Since.DayNumber);

    public static string Invariant(int n) => n.ToString(CultureInfo.InvariantCulture);
}
