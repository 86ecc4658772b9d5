using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace VendorPortal.Features.Forms.Workbooks;

/// <summary>
/// The column vocabulary shared by the exporter and the importer. The importer reads columns by their
/// header text, so the exported layout and the simple one-row-per-item layout (項番, 回答, 目標日, 備考,
/// optionally 確認日 and "2回目 回答" …) are read by the same code.
/// </summary>
public static partial class FormSheetLayout
{
    public const string MetaSheet = "_vendorportal";
    public const string IdHeader = "ID";
    public const string NumberHeader = "項番";
    public const string SectionHeader = "大項目";
    public const string TextHeader = "確認項目";
    public const string CommentHeader = "医療機関コメント";

    public enum Field { Answer, TargetDate, Remark, CheckedOn }

    public static string Header(int round, Field field, bool withRound) => (withRound ? $"{round}回目 " : "") + field switch
    {
        Field.Answer => "回答",
        Field.TargetDate => "目標日",
        Field.Remark => "備考",
        _ => "確認日",
    };

    /// <summary>What a header cell means: the id or number column, or a round's field; null for columns the importer ignores.</summary>
    public static (string? Column, int Round, Field? Field) Classify(string? header)
    {
        var h = Normalize(header);
        if (h.Length == 0)
        {
            return (null, 0, null);
        }
        if (h == "ID")
        {
            return (IdHeader, 0, null);
        }
        if (h is "項番" or "番号" or "NO" or "NO." or "項目番号")
        {
            return (NumberHeader, 0, null);
        }
        var m = RoundHeader().Match(h);
        if (!m.Success)
        {
            return (null, 0, null);
        }
        var round = m.Groups["pre"].Success ? int.Parse(m.Groups["pre"].Value, CultureInfo.InvariantCulture)
            : m.Groups["post"].Success ? int.Parse(m.Groups["post"].Value, CultureInfo.InvariantCulture) : 1;
        Field field = m.Groups["field"].Value switch
        {
            "回答" or "確認結果" or "結果" => Field.Answer,
            "目標日" or "対応目標日" => Field.TargetDate,
            "備考" => Field.Remark,
            _ => Field.CheckedOn,
        };
        return (null, round, field);
    }

    /// <summary>Full-width letters and digits to ASCII, whitespace removed, upper case: "１回目　回答" → "1回目回答".</summary>
    public static string Normalize(string? s)
    {
        if (string.IsNullOrWhiteSpace(s))
        {
            return "";
        }
        var sb = new StringBuilder(s.Length);
        foreach (var c in s.Normalize(NormalizationForm.FormKC))
        {
            if (!char.IsWhiteSpace(c))
            {
                sb.Append(char.ToUpperInvariant(c));
            }
        }
        return sb.ToString();
    }

    /// <summary>An item number as people type it: NFKC (①→1, "１－１"→"1-1"), no spaces, dashes unified.</summary>
    public static string NormalizeNumber(string? s)
        => Normalize(s).Replace('‐', '-').Replace('−', '-').Replace('–', '-').Replace('ー', '-').Replace('―', '-').TrimEnd('.');

    [GeneratedRegex(@"^(?:(?<pre>[1-5])回目)?[\(（]?(?<field>回答|確認結果|結果|目標日|対応目標日|備考|確認日)[\)）]?(?:[\(（]?(?<post>[1-5])回目[\)）]?)?$")]
    private static partial Regex RoundHeader();

    /// <summary>Excel refuses sheet names over 31 characters or with []:*?/\.</summary>
    public static string SheetName(string name)
    {
        var cleaned = new string(name.Where(c => "[]:*?/\\".IndexOf(c) < 0).ToArray()).Trim();
        return cleaned.Length == 0 ? "Sheet1" : cleaned[..Math.Min(31, cleaned.Length)];
    }
}
