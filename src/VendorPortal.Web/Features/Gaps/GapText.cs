using System.Globalization;
using Microsoft.Extensions.Localization;

namespace VendorPortal.Features.Gaps;

/// <summary>
/// The words of a gap in the current UI culture: its kind (GapKind_{Kind}), message (Gap_{Kind} formatted with
/// its Args), severity and who must act. Each resource is looked up once per instance (hundreds of rows repeat a
/// handful of labels, and every lookup takes the resource manager's lock). A kind without resource keys still
/// renders: the kind itself stands for its label and message, and a message whose placeholders do not match its
/// arguments is shown unformatted, so a new rule can never break the page, the API or the export.
/// </summary>
public sealed class GapText(IStringLocalizer localizer)
{
    private readonly Dictionary<string, string?> cache = new(StringComparer.Ordinal);

    public string Kind(string kind) => Lookup("GapKind_" + kind) ?? kind;

    public string Severity(GapSeverity severity) => Lookup("Severity_" + severity) ?? severity.ToString();

    public string Actor(GapActor actor) => Lookup("GapActor_" + actor) ?? actor.ToString();

    public string Message(ComplianceGap g)
    {
        if (Lookup("Gap_" + g.Kind) is not { } format)
        {
            return Kind(g.Kind);
        }
        if (g.Args.Length == 0)
        {
            return format;
        }
        try
        {
            return string.Format(CultureInfo.CurrentCulture, format, g.Args);
        }
        catch (FormatException)
        {
            return format;
        }
    }

    /// <summary>A resource's text, or null when the resource files do not have the key.</summary>
    public string? Lookup(string key)
    {
        if (!cache.TryGetValue(key, out var text))
        {
            var s = localizer[key];
            cache[key] = text = s.ResourceNotFound ? null : s.Value;
        }
        return text;
    }
}
