using System.Text.Json;

namespace VendorPortal.Features.Responsibility;

/// <summary>A template row: the task, its phase and source, and the role each kind of party gets by default.</summary>
public sealed record MatrixTemplateRow(string Key, MatrixPhase Phase, string Category, string? CategoryEn, string Text, string? TextEn, string Source,
    IReadOnlyDictionary<PartyKind, MatrixRole> Defaults);

/// <summary>
/// The row template of seed-data/responsibility/matrix-template.json: VendorPortal's proposal (no official sample
/// matrix exists; see docs/responsibility.md), versioned by its key. Read once per process.
/// </summary>
public sealed record MatrixTemplate(string Key, string Title, string TitleEn, string Notice, string NoticeEn, IReadOnlyList<MatrixTemplateRow> Rows)
{
    public const string RelativePath = "seed-data/responsibility/matrix-template.json";

    private sealed record FileRow(string Key, string Phase, string Category, string? CategoryEn, string Text, string? TextEn, string Source, Dictionary<string, string>? Defaults);
    private sealed record FileShape(string Key, string Title, string TitleEn, string Notice, string NoticeEn, List<FileRow> Rows);

    public static MatrixTemplate Parse(string json)
    {
        var file = JsonSerializer.Deserialize<FileShape>(json, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })
            ?? throw new InvalidDataException("Empty matrix template.");
        var rows = file.Rows.Select(r => new MatrixTemplateRow(r.Key, Enum.Parse<MatrixPhase>(r.Phase), r.Category, r.CategoryEn, r.Text, r.TextEn, r.Source,
            (r.Defaults ?? []).ToDictionary(d => Enum.Parse<PartyKind>(d.Key), d => Enum.Parse<MatrixRole>(d.Value)))).ToList();
        if (rows.Any(r => !MatrixJson.IsValidKey(r.Key)) || rows.Select(r => r.Key).Distinct().Count() != rows.Count)
        {
            throw new InvalidDataException("Matrix template row keys must be unique and well formed.");
        }
        return new MatrixTemplate(file.Key, file.Title, file.TitleEn, file.Notice, file.NoticeEn, rows);
    }

    /// <summary>Finds the file from the content root or the binaries' folder upwards (like seed-data/forms).</summary>
    public static MatrixTemplate Load(string contentRoot)
        => Parse(File.ReadAllText(Infrastructure.Seeding.SeedData.Find(contentRoot, RelativePath) ?? throw new FileNotFoundException(RelativePath + " not found.")));

    /// <summary>A row of the template for <paramref name="parties"/>, each cell the default of the party's kind.</summary>
    public MatrixRow RowFor(MatrixTemplateRow r, IEnumerable<MatrixParty> parties)
        => new(r.Key, r.Phase, r.Category, r.Text, RowOrigin.Template,
            parties.Where(p => r.Defaults.ContainsKey(p.Kind)).ToDictionary(p => p.Key, p => r.Defaults[p.Kind]), r.TextEn, r.Source);

    /// <summary>A new matrix: every template row, cells filled by kind.</summary>
    public MatrixContent Create(IReadOnlyList<MatrixParty> parties)
        => new(Key, parties, [.. Rows.Select(r => RowFor(r, parties))]);

    /// <summary>The default cells of a party newly added to existing content: template rows get their default, custom rows nothing.</summary>
    public MatrixContent AddParty(MatrixContent content, MatrixParty party)
    {
        var byKey = Rows.ToDictionary(r => r.Key);
        var rows = content.Rows.Select(r =>
        {
            if (r.Origin != RowOrigin.Template || !byKey.TryGetValue(r.Key, out var t) || !t.Defaults.TryGetValue(party.Kind, out var role))
            {
                return r;
            }
            var cells = new Dictionary<string, MatrixRole>(r.Cells) { [party.Key] = role };
            return r with { Cells = cells };
        }).ToList();
        return content with { Parties = [.. content.Parties, party], Rows = rows };
    }
}
