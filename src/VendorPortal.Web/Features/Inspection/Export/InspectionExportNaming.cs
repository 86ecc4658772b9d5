using System.Globalization;
using System.Text;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Inspection.Export;

/// <summary>The download's file name. Pure; unit-tested.</summary>
public static class InspectionExportNaming
{
    /// <summary>
    /// 「立入検査資料_&lt;病院名&gt;_&lt;2026年度 | yyyyMMdd-yyyyMMdd&gt;_&lt;作成日 yyyyMMdd (JST)&gt;.zip」, with characters that are not
    /// allowed in a Windows or macOS file name (and control characters, whitespace runs) replaced by 「_」.
    /// </summary>
    public static string DownloadName(string hospitalName, int? fiscalYear, DateOnly? from, DateOnly? to, DateTimeOffset generatedAt)
    {
        var inv = CultureInfo.InvariantCulture;
        var scope = fiscalYear is { } y
            ? $"{y.ToString(inv)}年度"
            : $"{from?.ToString("yyyyMMdd", inv)}-{to?.ToString("yyyyMMdd", inv)}";
        var day = JapanTime.ToJst(generatedAt).ToString("yyyyMMdd", inv);
        return $"立入検査資料_{Sanitize(hospitalName)}_{scope}_{day}.zip";
    }

    public static string Sanitize(string name)
    {
        var sb = new StringBuilder(name.Length);
        var lastUnderscore = false;
        foreach (var ch in name.Trim())
        {
            var bad = char.IsControl(ch) || char.IsWhiteSpace(ch) || ch is '\\' or '/' or ':' or '*' or '?' or '"' or '<' or '>' or '|' or '\u3000';
            if (bad)
            {
                if (!lastUnderscore)
                {
                    sb.Append('_');
                }
                lastUnderscore = true;
                continue;
            }
            sb.Append(ch);
            lastUnderscore = false;
        }
        var s = sb.ToString().Trim('_', '.');
        if (s.Length > 80)
        {
            s = s[..80];
        }
        return s.Length == 0 ? "病院" : s;
    }
}
