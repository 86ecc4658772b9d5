using System.Globalization;
using System.Text.RegularExpressions;
using OfficeOpenXml;
using static VendorPortal.Features.Forms.Workbooks.FormSheetLayout;

namespace VendorPortal.Features.Forms.Workbooks;

/// <summary>What the operator types beside the workbook: the template's header, which a sheet of items does not carry.</summary>
public sealed record TemplateImportHeader(
    string Key, FormKind Kind, string Title, string VersionLabel, string GuidelineEdition,
    DateOnly EffectiveFrom, DateOnly? EffectiveTo, TemplateStatus Status, int Rounds, string Source, string? Notice);

/// <summary>
/// Reads a new template version from the simple layout an operator prepares from the official workbook:
/// one row per item with the columns 項番, 大項目, 確認項目, 回答種別 and 参照 (and optionally 確認項目(英語),
/// 選択肢, 規則, 対象, 注記). Consecutive rows with the same 大項目 form one section. Every problem is
/// reported with its cell; the template is returned only when there is none and it passes the same
/// checks as a seed file.
/// </summary>
public static partial class TemplateWorkbookReader
{
    private enum Col { Number, Section, Text, AnswerType, References, TextEn, Choices, Rules, Scopes, Note }

    public static (FormTemplate? Template, IReadOnlyList<WorkbookProblem> Problems) Read(ExcelPackage package, TemplateImportHeader header)
    {
        var problems = new List<WorkbookProblem>();
        var ws = package.Workbook.Worksheets.FirstOrDefault(w => w.Hidden == eWorkSheetHidden.Visible && w.Dimension is not null);
        if (ws is null)
        {
            return (null, [new WorkbookProblem(null, "NoSheet")]);
        }
        var dim = ws.Dimension;
        if (dim.End.Row > FormWorkbookReader.MaxRows || dim.End.Column > FormWorkbookReader.MaxColumns)
        {
            return (null, [new WorkbookProblem(null, "TooManyRows", FormWorkbookReader.MaxRows, FormWorkbookReader.MaxColumns)]);
        }
        var headerRow = 0;
        var cols = new Dictionary<Col, int>();
        for (var r = 1; r <= Math.Min(30, dim.End.Row) && headerRow == 0; r++)
        {
            var found = new Dictionary<Col, int>();
            for (var c = 1; c <= dim.End.Column; c++)
            {
                if (ColumnOf(ws.Cells[r, c].Value as string) is { } col)
                {
                    found.TryAdd(col, c);
                }
            }
            if (found.ContainsKey(Col.Number) && found.ContainsKey(Col.Text))
            {
                headerRow = r;
                cols = found;
            }
        }
        if (headerRow == 0 || !cols.ContainsKey(Col.Section) || !cols.ContainsKey(Col.AnswerType))
        {
            return (null, [new WorkbookProblem(null, "TemplateHeaderRow")]);
        }

        // A rule may only point at an earlier item (FormTemplateChecks), so ids are known when a row's rules are read.
        var isChecklist = header.Kind is FormKind.VendorChecklist or FormKind.HospitalChecklist or FormKind.BcpChecklist;
        var items = new List<(string Section, TemplateItem Item)>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var idByNumber = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var r = headerRow + 1; r <= dim.End.Row; r++)
        {
            string? Get(Col col) => cols.TryGetValue(col, out var c) ? FormWorkbookReader.ReadText(ws.Cells[r, c], problems) : null;
            var number = Get(Col.Number);
            var text = Get(Col.Text);
            var section = Get(Col.Section);
            var typeText = Get(Col.AnswerType);
            if (number is null && text is null && section is null && typeText is null)
            {
                continue;
            }
            var before = problems.Count;
            if (number is null) { problems.Add(new WorkbookProblem(Address(r, cols[Col.Number]), "TemplateCellRequired", "項番")); }
            if (text is null) { problems.Add(new WorkbookProblem(Address(r, cols[Col.Text]), "TemplateCellRequired", "確認項目")); }
            if (section is null) { problems.Add(new WorkbookProblem(Address(r, cols[Col.Section]), "TemplateCellRequired", "大項目")); }
            var type = ParseAnswerType(typeText);
            if (type is null)
            {
                problems.Add(new WorkbookProblem(Address(r, cols[Col.AnswerType]), "TemplateAnswerType", typeText ?? ""));
            }
            var choices = Split(Get(Col.Choices));
            if (type == AnswerType.Choice && choices.Count < 2)
            {
                problems.Add(new WorkbookProblem(Address(r, cols.GetValueOrDefault(Col.Choices, cols[Col.AnswerType])), "TemplateChoices"));
            }
            var rules = new List<ItemRule>();
            if (cols.TryGetValue(Col.Rules, out var rulesCol))
            {
                foreach (var token in Split(Get(Col.Rules)))
                {
                    if (ParseRule(token, idByNumber) is { } rule)
                    {
                        rules.Add(rule);
                    }
                    else
                    {
                        problems.Add(new WorkbookProblem(Address(r, rulesCol), "TemplateRule", token));
                    }
                }
            }
            else if (isChecklist && type is AnswerType.YesNo or AnswerType.YesNoNa)
            {
                rules.Add(new ItemRule(RuleKind.TargetDateWhenNo));
            }
            if (problems.Count > before)
            {
                continue;
            }
            var id = UniqueId(number!, ids);
            idByNumber.TryAdd(NormalizeNumber(number), id);
            var references = Split(Get(Col.References));
            var scopes = Split(Get(Col.Scopes));
            items.Add((section!, new TemplateItem(id, number!.Trim(), text!, type!.Value, Get(Col.TextEn), Get(Col.Note),
                references.Count > 0 ? references : null, type == AnswerType.Choice ? choices : null, scopes.Count > 0 ? scopes : null,
                Verified: header.Status != TemplateStatus.Sample, Rules: rules.Count > 0 ? rules : null)));
        }
        if (items.Count == 0 && problems.Count == 0)
        {
            problems.Add(new WorkbookProblem(null, "TemplateNoItems"));
        }
        if (problems.Count > 0)
        {
            return (null, problems);
        }

        var sections = new List<TemplateSection>();
        foreach (var group in Consecutive(items))
        {
            var (number, title) = SplitSection(group.Key, sections.Count + 1);
            sections.Add(new TemplateSection(number, title, [.. group.Items]));
        }
        var template = new FormTemplate(header.Key.Trim(), header.Kind, header.Title.Trim(), header.VersionLabel.Trim(), header.GuidelineEdition.Trim(),
            header.EffectiveFrom, header.EffectiveTo, header.Status, new TemplateProvenance([header.Source.Trim()], "Imported from a workbook by a platform operator"),
            sections, Notice: string.IsNullOrWhiteSpace(header.Notice) ? null : header.Notice.Trim(), Rounds: isChecklist ? Math.Clamp(header.Rounds, 1, 5) : 0);
        var checks = FormTemplateChecks.Problems(template).ToList();
        return checks.Count > 0 ? (null, [.. checks.Select(c => new WorkbookProblem(null, "TemplateInvalid", c))]) : (template, []);
    }

    private static Col? ColumnOf(string? header) => Normalize(header) switch
    {
        "項番" or "番号" or "NO" or "NO." => Col.Number,
        "大項目" or "区分" or "分類" => Col.Section,
        "確認項目" or "項目" or "チェック項目" => Col.Text,
        "回答種別" or "回答形式" or "種別" => Col.AnswerType,
        "参照" or "参照先" or "ガイドライン参照" or "GL参照" => Col.References,
        "確認項目(英語)" or "確認項目(英)" or "ENGLISH" => Col.TextEn,
        "選択肢" => Col.Choices,
        "規則" or "ルール" => Col.Rules,
        "対象" => Col.Scopes,
        "注記" or "備考" => Col.Note,
        _ => null,
    };

    public static AnswerType? ParseAnswerType(string? text) => SeparatorPattern().Replace(Normalize(text), "") switch
    {
        "はいいいえ" or "YESNO" => AnswerType.YesNo,
        "はいいいえ対象外" or "YESNONA" or "YESNON/A" => AnswerType.YesNoNa,
        "記述" or "自由記述" or "テキスト" or "TEXT" => AnswerType.Text,
        "日付" or "DATE" => AnswerType.Date,
        "選択" or "CHOICE" => AnswerType.Choice,
        _ => null,
    };

    /// <summary>目標日 / 備考必須 / 契約なし不要 / 以降不要 / 適用条件:1-1=はい.</summary>
    public static ItemRule? ParseRule(string token, IReadOnlyDictionary<string, string> idByNumber)
    {
        var t = Normalize(token);
        switch (t)
        {
            case "目標日" or "いいえは目標日":
                return new ItemRule(RuleKind.TargetDateWhenNo);
            case "備考必須" or "いいえは備考":
                return new ItemRule(RuleKind.RemarkWhenNo);
            case "契約なし不要":
                return new ItemRule(RuleKind.NotRequiredWithoutVendorContract);
            case "以降不要" or "いいえなら以降不要":
                return new ItemRule(RuleKind.GateForAllFollowing);
        }
        var m = ConditionPattern().Match(t);
        if (m.Success && idByNumber.TryGetValue(NormalizeNumber(m.Groups["item"].Value), out var id)
            && FormWorkbookReader.ParseYesNo(m.Groups["answer"].Value) is { } answer)
        {
            return new ItemRule(RuleKind.ApplicableWhen, id, answer);
        }
        return null;
    }

    private static IEnumerable<(string Key, List<TemplateItem> Items)> Consecutive(List<(string Section, TemplateItem Item)> items)
    {
        for (var i = 0; i < items.Count;)
        {
            var key = items[i].Section;
            var group = new List<TemplateItem>();
            while (i < items.Count && items[i].Section == key)
            {
                group.Add(items[i++].Item);
            }
            yield return (key, group);
        }
    }

    /// <summary>"1 医療情報システムの管理" → ("1", "医療情報システムの管理"); a title without a number gets its position.</summary>
    public static (string Number, string Title) SplitSection(string section, int position)
    {
        var m = SectionPattern().Match(section.Trim().Normalize(System.Text.NormalizationForm.FormKC));
        return m.Success && m.Groups["title"].Value.Length > 0
            ? (m.Groups["number"].Value, m.Groups["title"].Value.Trim())
            : (position.ToString(CultureInfo.InvariantCulture), section.Trim());
    }

    private static string UniqueId(string number, HashSet<string> taken)
    {
        var baseId = "i-" + IdChars().Replace(NormalizeNumber(number).ToLowerInvariant(), "-").Trim('-');
        if (baseId == "i-")
        {
            baseId = "i-item";
        }
        var id = baseId;
        for (var n = 2; !taken.Add(id); n++)
        {
            id = $"{baseId}-{n}";
        }
        return id;
    }

    private static List<string> Split(string? text)
        => string.IsNullOrWhiteSpace(text) ? [] : [.. ListSeparator().Split(text).Select(s => s.Trim()).Where(s => s.Length > 0)];

    private static string Address(int row, int col) => ExcelCellBase.GetAddress(row, col);

    [GeneratedRegex(@"[/／・、,\s]")]
    private static partial Regex SeparatorPattern();

    [GeneratedRegex(@"[、,;；\n]")]
    private static partial Regex ListSeparator();

    [GeneratedRegex(@"^適用条件[:：](?<item>[^=＝]+)[=＝](?<answer>.+)$")]
    private static partial Regex ConditionPattern();

    [GeneratedRegex(@"^(?<number>[0-9]+(?:[.\-][0-9]+)*)[.．、\s]*(?<title>.*)$")]
    private static partial Regex SectionPattern();

    [GeneratedRegex(@"[^a-z0-9-]+")]
    private static partial Regex IdChars();
}
