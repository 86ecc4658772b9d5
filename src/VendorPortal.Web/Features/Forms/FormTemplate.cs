using System.Text.Json;
using System.Text.Json.Serialization;

namespace VendorPortal.Features.Forms;

/// <summary>What a form is for. Room for more kinds as the ministry adds forms.</summary>
public enum FormKind
{
    /// <summary>製造業者による医療情報セキュリティ開示書 (a product).</summary>
    Mds,
    /// <summary>サービス事業者による医療情報セキュリティ開示書 (a service).</summary>
    Sds,
    /// <summary>チェックリスト（事業者確認用）: the vendor answers, per hospital and fiscal year.</summary>
    VendorChecklist,
    /// <summary>チェックリスト（医療機関確認用）: the hospital answers for itself.</summary>
    HospitalChecklist,
    /// <summary>サイバー攻撃を想定したBCP策定の確認表.</summary>
    BcpChecklist,
    /// <summary>
    /// リモートメンテナンス開示: the vendor declares how it connects to one hospital's system. A standing
    /// disclosure (no 年度), one per vendor, hospital and system, versioned by each submission.
    /// </summary>
    RemoteMaintenance,
}

/// <summary>How trustworthy the item text is. Invented text is never presented as official.</summary>
public enum TemplateStatus
{
    Official,
    /// <summary>Published structure; some items' wording not verified against the official file.</summary>
    OfficialPartial,
    /// <summary>Not the official text: a stand-in built from known categories until the workbook is imported.</summary>
    Sample,
}

public enum AnswerType { YesNo, YesNoNa, Text, Date, Choice }

public enum RuleKind
{
    /// <summary>いいえ needs a 目標日 inside the fiscal year.</summary>
    TargetDateWhenNo,
    /// <summary>The item applies only when another item has a given answer.</summary>
    ApplicableWhen,
    /// <summary>Not required when the hospital has no vendor contract (事業者と契約していない場合は記入不要).</summary>
    NotRequiredWithoutVendorContract,
    /// <summary>いいえ here makes every following item unnecessary (医療情報システムの有無).</summary>
    GateForAllFollowing,
    /// <summary>いいえ needs a 備考 explaining it.</summary>
    RemarkWhenNo,
}

public enum YesNo { Yes, No, NotApplicable }

/// <param name="Answer">ApplicableWhen on a yes/no item: the answer that makes this item apply.</param>
/// <param name="Value">ApplicableWhen on a choice item: the choice that makes this item apply (e.g. その他).</param>
public sealed record ItemRule(RuleKind Kind, string? Item = null, YesNo? Answer = null, string? Value = null);

public sealed record TemplateItem(
    string Id,
    string Number,
    string Text,
    AnswerType AnswerType,
    string? TextEn = null,
    string? Note = null,
    IReadOnlyList<string>? References = null,
    IReadOnlyList<string>? Choices = null,
    IReadOnlyList<string>? Scopes = null,
    bool Verified = true,
    IReadOnlyList<ItemRule>? Rules = null)
{
    public bool Has(RuleKind kind)
    {
        // A plain loop: the gap rules ask this for every item of every checklist on each request.
        for (var i = 0; i < (Rules?.Count ?? 0); i++)
        {
            if (Rules![i].Kind == kind)
            {
                return true;
            }
        }
        return false;
    }
}

public sealed record TemplateSection(string Number, string Title, IReadOnlyList<TemplateItem> Items, string? TitleEn = null);

public sealed record TemplateProvenance(IReadOnlyList<string> Sources, string? Note = null);

/// <summary>
/// One published, immutable version of a form: its own label (令和7年度版, MDS/SDS Ver.5.0), the guideline
/// edition it follows, effective dates and an ordered tree of sections and items. Answers always point
/// at the version they were given on.
/// </summary>
public sealed record FormTemplate(
    string Key,
    FormKind Kind,
    string Title,
    string VersionLabel,
    string GuidelineEdition,
    DateOnly EffectiveFrom,
    DateOnly? EffectiveTo,
    TemplateStatus Status,
    TemplateProvenance Provenance,
    IReadOnlyList<TemplateSection> Sections,
    string? TitleEn = null,
    string? Notice = null,
    int Rounds = 0)
{
    [JsonPropertyName("$schema")] public string? Schema { get; init; }

    [JsonIgnore] public IEnumerable<TemplateItem> Items => Sections.SelectMany(s => s.Items);

    [JsonIgnore] public bool IsChecklist => Kind is FormKind.VendorChecklist or FormKind.HospitalChecklist or FormKind.BcpChecklist;

    /// <summary>A vendor's standing disclosure for one hospital and system (no 年度, no rounds): remote maintenance.</summary>
    [JsonIgnore] public bool IsHospitalDisclosure => Kind == FormKind.RemoteMaintenance;

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        ReadCommentHandling = JsonCommentHandling.Skip,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Parses and checks a template file; throws <see cref="FormTemplateException"/> listing every problem.</summary>
    public static FormTemplate Parse(string json, string source)
    {
        FormTemplate? template;
        try
        {
            template = JsonSerializer.Deserialize<FormTemplate>(json, Json);
        }
        catch (JsonException ex)
        {
            throw new FormTemplateException(source, [ex.Message]);
        }
        if (template is null)
        {
            throw new FormTemplateException(source, ["empty document"]);
        }
        var problems = FormTemplateChecks.Problems(template).ToList();
        if (problems.Count > 0)
        {
            throw new FormTemplateException(source, problems);
        }
        return template;
    }
}

public sealed class FormTemplateException(string source, IReadOnlyList<string> problems)
    : Exception($"{source}: {string.Join("; ", problems)}")
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>Structural checks the JSON Schema cannot express (unique ids, rules pointing at real items).</summary>
public static class FormTemplateChecks
{
    public static IEnumerable<string> Problems(FormTemplate t)
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(t.Key ?? "", "^[a-z0-9][a-z0-9-]{2,80}$"))
        {
            yield return $"key '{t.Key}' must be lower-case letters, digits and hyphens";
        }
        if (string.IsNullOrWhiteSpace(t.Title) || string.IsNullOrWhiteSpace(t.VersionLabel))
        {
            yield return "title and versionLabel are required";
        }
        if (t.EffectiveTo is { } to && to < t.EffectiveFrom)
        {
            yield return "effectiveTo is before effectiveFrom";
        }
        if (t.Sections is null || t.Sections.Count == 0 || t.Sections.Any(s => s.Items is null || s.Items.Count == 0))
        {
            yield return "every template needs sections, and every section items";
            yield break;
        }
        if (t.IsChecklist && t.Rounds < 1)
        {
            yield return "a checklist needs at least one check round";
        }
        var ids = new HashSet<string>();
        var order = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (item, index) in t.Items.Select((item, index) => (item, index)))
        {
            order.TryAdd(item.Id ?? "", index);
        }
        foreach (var item in t.Items)
        {
            if (string.IsNullOrWhiteSpace(item.Id) || !ids.Add(item.Id))
            {
                yield return $"item id '{item.Id}' is empty or not unique";
            }
            if (string.IsNullOrWhiteSpace(item.Text) || string.IsNullOrWhiteSpace(item.Number))
            {
                yield return $"item '{item.Id}' needs a number and a text";
            }
            if (item.AnswerType == AnswerType.Choice && (item.Choices is null || item.Choices.Count < 2))
            {
                yield return $"item '{item.Id}' is a choice without choices";
            }
            foreach (var rule in item.Rules ?? [])
            {
                if (rule.Kind == RuleKind.ApplicableWhen)
                {
                    if (rule.Item is null || !order.TryGetValue(rule.Item, out var at) || (rule.Answer is null) == (rule.Value is null))
                    {
                        yield return $"item '{item.Id}': ApplicableWhen needs an existing item and an answer or a value";
                    }
                    else if (at >= order[item.Id])
                    {
                        yield return $"item '{item.Id}': ApplicableWhen must refer to an earlier item";
                    }
                    else if (rule.Value is not null && t.Items.First(i => i.Id == rule.Item).Choices?.Contains(rule.Value) != true)
                    {
                        yield return $"item '{item.Id}': ApplicableWhen value '{rule.Value}' is not a choice of '{rule.Item}'";
                    }
                }
                if (rule.Kind is RuleKind.TargetDateWhenNo or RuleKind.RemarkWhenNo or RuleKind.GateForAllFollowing
                    && item.AnswerType is not (AnswerType.YesNo or AnswerType.YesNoNa))
                {
                    yield return $"item '{item.Id}': {rule.Kind} needs a yes/no item";
                }
            }
        }
    }
}
