using System.Globalization;
using OfficeOpenXml;
using VendorPortal.Infrastructure.Time;
using static VendorPortal.Features.Forms.Workbooks.FormSheetLayout;

namespace VendorPortal.Features.Forms.Workbooks;

/// <param name="Answers">The rounds the workbook has columns for (null when there are problems).</param>
/// <param name="ItemRows">How many item rows were read.</param>
public sealed record WorkbookImport(FormAnswers? Answers, IReadOnlyList<WorkbookProblem> Problems, int ItemRows)
{
    public bool Succeeded => Answers is not null && Problems.Count == 0;
}

/// <summary>
/// Reads a filled workbook into answers for one template: the exported layout (hidden ID column, header
/// block with each round's 確認日, hidden sheet naming the template) or the simple layout (a header row
/// with 項番 and 回答, optionally 目標日, 備考, 確認日, "2回目 回答" …). Every cell is checked and every
/// problem is reported with its cell; the result carries answers only if there is no problem at all.
/// Formulas are never evaluated: a formula cell is a problem.
/// </summary>
public static class FormWorkbookReader
{
    public const int MaxRows = 5000;
    public const int MaxColumns = 200;
    private const int HeaderSearchRows = 60;

    public static WorkbookImport Read(ExcelPackage package, FormTemplate template)
    {
        var problems = new List<WorkbookProblem>();
        var meta = package.Workbook.Worksheets.FirstOrDefault(w => w.Name == MetaSheet);
        if (meta is not null)
        {
            var key = Meta(meta, "templateKey");
            if (key is not null && key != template.Key)
            {
                return Fail(new WorkbookProblem(null, "WrongTemplate", key, template.Key));
            }
        }
        var ws = package.Workbook.Worksheets.FirstOrDefault(w => w.Name != MetaSheet && w.Hidden == eWorkSheetHidden.Visible && w.Dimension is not null);
        if (ws is null)
        {
            return Fail(new WorkbookProblem(null, "NoSheet"));
        }
        var dim = ws.Dimension;
        if (dim.End.Row > MaxRows || dim.End.Column > MaxColumns)
        {
            return Fail(new WorkbookProblem(null, "TooManyRows", MaxRows, MaxColumns));
        }

        // The table header: the first row whose cells include 項番 (or ID) and at least one 回答 column.
        var headerRow = 0;
        Dictionary<int, (string? Column, int Round, Field? Field)> columns = [];
        for (var r = 1; r <= Math.Min(HeaderSearchRows, dim.End.Row) && headerRow == 0; r++)
        {
            var found = new Dictionary<int, (string?, int, Field?)>();
            for (var c = 1; c <= dim.End.Column; c++)
            {
                var cls = Classify(ws.Cells[r, c].Value as string);
                if (cls.Column is not null || cls.Field is not null)
                {
                    found[c] = cls;
                }
            }
            if (found.Values.Any(v => v.Item1 is NumberHeader or IdHeader) && found.Values.Any(v => v.Item3 == Field.Answer))
            {
                headerRow = r;
                columns = found;
            }
        }
        if (headerRow == 0)
        {
            return Fail(new WorkbookProblem(null, "NoHeaderRow"));
        }
        var duplicateHeader = columns.GroupBy(c => (c.Value.Column, c.Value.Round, c.Value.Field)).FirstOrDefault(g => g.Count() > 1);
        if (duplicateHeader is not null)
        {
            return Fail(new WorkbookProblem(Address(headerRow, duplicateHeader.Skip(1).First().Key), "DuplicateColumn", ws.Cells[headerRow, duplicateHeader.First().Key].Text));
        }
        var rounds = columns.Values.Where(v => v.Field is not null).Select(v => v.Round).Distinct().Order().ToList();
        var maxRounds = Math.Max(1, template.Rounds);
        foreach (var extra in columns.Where(c => c.Value.Field is not null && c.Value.Round > maxRounds))
        {
            problems.Add(new WorkbookProblem(Address(headerRow, extra.Key), "RoundNotInForm", extra.Value.Round, maxRounds));
        }
        var idCol = columns.FirstOrDefault(c => c.Value.Column == IdHeader).Key;
        var numberCol = columns.FirstOrDefault(c => c.Value.Column == NumberHeader).Key;

        var byId = template.Items.ToDictionary(i => i.Id, StringComparer.Ordinal);
        var byNumber = template.Items.GroupBy(i => NormalizeNumber(i.Number)).ToDictionary(g => g.Key, g => g.ToList());
        var answers = rounds.ToDictionary(r => r, _ => new Dictionary<string, ItemAnswer>());
        var checkedOn = rounds.ToDictionary(r => r, _ => (DateOnly?)null);

        // Round dates in the header block (exported layout): a label "n回目 確認日" with the date beside it.
        for (var r = 1; r < headerRow; r++)
        {
            for (var c = 1; c < Math.Min(dim.End.Column, 10); c++)
            {
                var cls = Classify(ws.Cells[r, c].Value as string);
                if (cls.Field == Field.CheckedOn && answers.ContainsKey(cls.Round))
                {
                    var cell = ws.Cells[r, c + 1];
                    if (ReadDate(cell, problems) is { } d)
                    {
                        checkedOn[cls.Round] = d;
                    }
                }
            }
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var itemRows = 0;
        for (var r = headerRow + 1; r <= dim.End.Row; r++)
        {
            var id = idCol > 0 ? CellText(ws.Cells[r, idCol]) : null;
            var number = numberCol > 0 ? CellText(ws.Cells[r, numberCol]) : null;
            var rowHasAnswers = columns.Where(c => c.Value.Field is Field.Answer or Field.TargetDate or Field.Remark)
                .Any(c => ws.Cells[r, c.Key].Value is not null || !string.IsNullOrEmpty(ws.Cells[r, c.Key].Formula));
            TemplateItem? item = null;
            if (!string.IsNullOrWhiteSpace(id))
            {
                if (!byId.TryGetValue(id.Trim(), out item))
                {
                    // A section row of the exported layout has no id; an id we do not know is an error.
                    problems.Add(new WorkbookProblem(Address(r, idCol), "UnknownItem", id));
                    continue;
                }
            }
            else if (!string.IsNullOrWhiteSpace(number))
            {
                if (byNumber.TryGetValue(NormalizeNumber(number), out var matches))
                {
                    if (matches.Count > 1)
                    {
                        problems.Add(new WorkbookProblem(Address(r, numberCol), "AmbiguousNumber", number));
                        continue;
                    }
                    item = matches[0];
                }
                else if (rowHasAnswers)
                {
                    problems.Add(new WorkbookProblem(Address(r, numberCol), "UnknownItem", number));
                    continue;
                }
            }
            else if (rowHasAnswers)
            {
                problems.Add(new WorkbookProblem(Address(r, numberCol > 0 ? numberCol : idCol), "RowWithoutItem"));
                continue;
            }
            if (item is null)
            {
                continue; // a section heading, a blank row, a note under the table
            }
            if (seen.TryGetValue(item.Id, out var firstRow))
            {
                problems.Add(new WorkbookProblem(Address(r, numberCol > 0 ? numberCol : idCol), "DuplicateItem", item.Number, firstRow));
                continue;
            }
            seen[item.Id] = r;
            itemRows++;

            foreach (var round in rounds)
            {
                string? value = null, remark = null;
                DateOnly? target = null;
                foreach (var (col, cls) in columns.Where(c => c.Value.Round == round && c.Value.Field is not null))
                {
                    var cell = ws.Cells[r, col];
                    switch (cls.Field)
                    {
                        case Field.Answer:
                            value = ReadAnswer(item, cell, problems);
                            break;
                        case Field.TargetDate:
                            target = ReadDate(cell, problems);
                            break;
                        case Field.Remark:
                            remark = ReadText(cell, problems);
                            break;
                        case Field.CheckedOn:
                            // The simple layout may carry the round's date on every row: it must be one date.
                            if (ReadDate(cell, problems) is { } d)
                            {
                                if (checkedOn[round] is { } other && other != d)
                                {
                                    problems.Add(new WorkbookProblem(cell.Address, "RoundDateConflict", round));
                                }
                                checkedOn[round] = d;
                            }
                            break;
                    }
                }
                if (value is not null || target is not null || remark is not null)
                {
                    answers[round][item.Id] = new ItemAnswer(value, target, remark);
                }
            }
        }
        if (itemRows == 0 && problems.Count == 0)
        {
            problems.Add(new WorkbookProblem(null, "NoItems", template.VersionLabel));
        }
        if (problems.Count > 0)
        {
            return new WorkbookImport(null, problems, itemRows);
        }
        var result = new FormAnswers([.. rounds.Select(r => new CheckRound(r, checkedOn[r], answers[r]))]);
        return new WorkbookImport(result, [], itemRows);
    }

    /// <summary>A template key (or other value) from the hidden sheet, if there is one.</summary>
    public static string? Meta(ExcelWorksheet meta, string name)
    {
        for (var r = 1; r <= Math.Min(50, meta.Dimension?.End.Row ?? 0); r++)
        {
            if (meta.Cells[r, 1].Value as string == name)
            {
                return meta.Cells[r, 2].Value?.ToString();
            }
        }
        return null;
    }

    private static string? ReadAnswer(TemplateItem item, ExcelRange cell, List<WorkbookProblem> problems)
    {
        if (item.AnswerType == AnswerType.Date)
        {
            return ReadDate(cell, problems)?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }
        var text = ReadText(cell, problems);
        if (text is null)
        {
            return null;
        }
        switch (item.AnswerType)
        {
            case AnswerType.YesNo or AnswerType.YesNoNa:
                var yn = ParseYesNo(text);
                if (yn is null || (yn == YesNo.NotApplicable && item.AnswerType == AnswerType.YesNo))
                {
                    problems.Add(new WorkbookProblem(cell.Address, item.AnswerType == AnswerType.YesNo ? "YesNoExpected" : "YesNoNaExpected", item.Number, text));
                    return null;
                }
                return yn.ToString();
            case AnswerType.Choice:
                var choice = item.Choices?.FirstOrDefault(c => Normalize(c) == Normalize(text));
                if (choice is null)
                {
                    problems.Add(new WorkbookProblem(cell.Address, "ChoiceExpected", item.Number, string.Join(" / ", item.Choices ?? [])));
                }
                return choice;
            default:
                return text;
        }
    }

    /// <summary>はい/いいえ/対象外 as people type them in Excel: also ○/×, Yes/No, N/A, 該当なし.</summary>
    public static YesNo? ParseYesNo(string text) => Normalize(text) switch
    {
        "はい" or "YES" or "Y" or "○" or "〇" => YesNo.Yes,
        "いいえ" or "NO" or "N" or "×" or "✕" => YesNo.No,
        "対象外" or "N/A" or "NA" or "該当なし" or "-" => YesNo.NotApplicable,
        _ => FormRules.ParseYesNo(text),
    };

    /// <summary>A cell as trimmed text (null when empty); a formula or over-long text is a problem. Shared with the template reader.</summary>
    internal static string? ReadText(ExcelRange cell, List<WorkbookProblem> problems)
    {
        if (!string.IsNullOrEmpty(cell.Formula) || !string.IsNullOrEmpty(cell.FormulaR1C1))
        {
            problems.Add(new WorkbookProblem(cell.Address, "FormulaNotAllowed"));
            return null;
        }
        var text = cell.Value switch
        {
            null => null,
            string s => s,
            DateTime d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            double n => n.ToString(CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            var other => other.ToString(),
        };
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (text.Length > FormRules.MaxTextLength)
        {
            problems.Add(new WorkbookProblem(cell.Address, "TextTooLong", FormRules.MaxTextLength));
            return null;
        }
        return text.Trim();
    }

    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyy/M/d", "yyyy-M-d", "yyyy.M.d", "yyyy年M月d日"];

    /// <summary>A date cell: an Excel date or serial, 2026/4/1 and friends, or 和暦 (令和8年4月1日). Shared with the ledger import.</summary>
    internal static DateOnly? ReadDate(ExcelRange cell, List<WorkbookProblem> problems)
    {
        if (!string.IsNullOrEmpty(cell.Formula) || !string.IsNullOrEmpty(cell.FormulaR1C1))
        {
            problems.Add(new WorkbookProblem(cell.Address, "FormulaNotAllowed"));
            return null;
        }
        switch (cell.Value)
        {
            case null:
                return null;
            case DateTime d:
                return DateOnly.FromDateTime(d);
            case double serial when serial is >= 1 and < 2958466 && serial == Math.Floor(serial):
                return DateOnly.FromDateTime(DateTime.FromOADate(serial));
            case string s when string.IsNullOrWhiteSpace(s):
                return null;
            case string s when DateOnly.TryParseExact(Normalize(s), DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed):
                return parsed;
            case string s when Wareki.TryParse(Normalize(s), out var wareki):
                return wareki;
            default:
                problems.Add(new WorkbookProblem(cell.Address, "DateExpected", cell.Text));
                return null;
        }
    }

    private static string? CellText(ExcelRange cell) => cell.Value switch
    {
        null => null,
        string s => s.Trim(),
        double n => n.ToString(CultureInfo.InvariantCulture),
        var v => v.ToString(),
    };

    private static string Address(int row, int col) => ExcelCellBase.GetAddress(row, Math.Max(1, col));

    private static WorkbookImport Fail(WorkbookProblem problem) => new(null, [problem], 0);
}
