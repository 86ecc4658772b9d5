using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace VendorPortal.Features.Responsibility;

/// <summary>Who a column of the matrix is.</summary>
public enum PartyKind { HospitalDepartment, Vendor, Subcontractor, CloudProvider }

/// <summary>システム運用編 3.3.1 通常時 / 3.3.2 非常時.</summary>
public enum MatrixPhase { Normal, Emergency }

/// <summary>A cell: 主担当 (does it), 承認 (approves), 支援 (supports), 報告受領 (is informed). No value = no role.</summary>
public enum MatrixRole { Responsible, Approves, Supports, Informed }

public enum RowOrigin { Template, Custom }

/// <summary>A column: a department of the hospital, a vendor engaged for the system (a portal organization), one of
/// its approved subcontractors (a 再委託 request), or a cloud provider named by the hospital.</summary>
public sealed record MatrixParty(string Key, PartyKind Kind, string Name, Guid? OrganizationId = null, Guid? SubcontractRequestId = null);

/// <summary>A row: one task, in 通常時 or 非常時, with the role of each party (party key → role; absent = none).</summary>
public sealed record MatrixRow(string Key, MatrixPhase Phase, string Category, string Text, RowOrigin Origin,
    IReadOnlyDictionary<string, MatrixRole> Cells, string? TextEn = null, string? Source = null)
{
    public MatrixRole? RoleOf(string partyKey) => Cells.TryGetValue(partyKey, out var r) ? r : null;
}

/// <summary>One version's content. <see cref="TemplateKey"/> names the row template it started from.</summary>
public sealed record MatrixContent(string? TemplateKey, IReadOnlyList<MatrixParty> Parties, IReadOnlyList<MatrixRow> Rows)
{
    public MatrixParty? Party(string key) => Parties.FirstOrDefault(p => p.Key == key);
}

/// <summary>A problem in a matrix's content: a resource key (ResponsibilityProblem_{Code}) and the offending key or field.</summary>
public sealed record MatrixProblem(string Code, string? Subject = null);

/// <summary>
/// Reads, validates, writes and hashes matrix content. The JSON written is canonical (fixed property order, parties
/// and rows in their order, cells in party order, enums by name), so the same content always gives the same bytes
/// and the same SHA-256, and "saved without change" is a string comparison.
/// </summary>
public static partial class MatrixJson
{
    public const int MaxParties = 30;
    public const int MaxRows = 300;
    public const int MaxName = 200;
    public const int MaxCategory = 100;
    public const int MaxText = 1000;

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex KeyPattern();

    public static bool IsValidKey(string? key) => key is not null && KeyPattern().IsMatch(key);

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        AllowTrailingCommas = false,
    };

    /// <summary>The wire and storage shape (also the API's request body).</summary>
    public sealed class ContentDto
    {
        public string? TemplateKey { get; set; }
        public List<PartyDto>? Parties { get; set; }
        public List<RowDto>? Rows { get; set; }
    }

    public sealed class PartyDto
    {
        public string? Key { get; set; }
        public string? Kind { get; set; }
        public string? Name { get; set; }
        public Guid? OrganizationId { get; set; }
        public Guid? SubcontractRequestId { get; set; }
    }

    public sealed class RowDto
    {
        public string? Key { get; set; }
        public string? Phase { get; set; }
        public string? Category { get; set; }
        public string? Text { get; set; }
        public string? TextEn { get; set; }
        public string? Source { get; set; }
        public string? Origin { get; set; }
        public Dictionary<string, string?>? Cells { get; set; }
    }

    public static PartyDto ToDto(MatrixParty p)
        => new() { Key = p.Key, Kind = p.Kind.ToString(), Name = p.Name, OrganizationId = p.OrganizationId, SubcontractRequestId = p.SubcontractRequestId };

    public static ContentDto ToDto(MatrixContent c) => new()
    {
        TemplateKey = c.TemplateKey,
        Parties = [.. c.Parties.Select(ToDto)],
        Rows = [.. c.Rows.Select(r => new RowDto
        {
            Key = r.Key, Phase = r.Phase.ToString(), Category = r.Category, Text = r.Text, TextEn = r.TextEn, Source = r.Source, Origin = r.Origin.ToString(),
            // Cells in party order: canonical bytes.
            Cells = c.Parties.Where(p => r.Cells.ContainsKey(p.Key)).ToDictionary(p => p.Key, p => (string?)r.Cells[p.Key].ToString()),
        })],
    };

    /// <summary>The canonical JSON of <paramref name="content"/> (stored byte for byte; its hash is the version's hash).</summary>
    public static string Serialize(MatrixContent content) => JsonSerializer.Serialize(ToDto(content), Options);

    public static string Hash(string json) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));

    /// <summary>Parses stored or submitted JSON and validates it.</summary>
    public static (MatrixContent? Content, IReadOnlyList<MatrixProblem> Problems) Parse(string json)
    {
        ContentDto? dto;
        try
        {
            dto = JsonSerializer.Deserialize<ContentDto>(json, Options);
        }
        catch (JsonException)
        {
            return (null, [new MatrixProblem("InvalidJson")]);
        }
        return dto is null ? (null, [new MatrixProblem("InvalidJson")]) : FromDto(dto);
    }

    /// <summary>Parses stored content that was validated when saved (throws if it is not valid any more).</summary>
    public static MatrixContent ParseStored(string json)
    {
        var (content, problems) = Parse(json);
        return content ?? throw new InvalidOperationException("Stored matrix content is invalid: " + string.Join(", ", problems.Select(p => p.Code)));
    }

    /// <summary>Builds content from the wire shape, trimming text; returns every problem found (content only when there is none).</summary>
    public static (MatrixContent? Content, IReadOnlyList<MatrixProblem> Problems) FromDto(ContentDto dto)
    {
        var problems = new List<MatrixProblem>();
        var parties = new List<MatrixParty>();
        foreach (var p in dto.Parties ?? [])
        {
            var key = p.Key?.Trim();
            var name = p.Name?.Trim() ?? "";
            if (!IsValidKey(key))
            {
                problems.Add(new MatrixProblem("PartyKey", p.Key));
                continue;
            }
            if (!Enum.TryParse<PartyKind>(p.Kind, ignoreCase: false, out var kind) || !Enum.IsDefined(kind))
            {
                problems.Add(new MatrixProblem("PartyKind", key));
                continue;
            }
            parties.Add(new MatrixParty(key!, kind, name, p.OrganizationId, p.SubcontractRequestId));
        }
        var rows = new List<MatrixRow>();
        foreach (var r in dto.Rows ?? [])
        {
            var key = r.Key?.Trim();
            if (!IsValidKey(key))
            {
                problems.Add(new MatrixProblem("RowKey", r.Key));
                continue;
            }
            if (!Enum.TryParse<MatrixPhase>(r.Phase, false, out var phase) || !Enum.IsDefined(phase))
            {
                problems.Add(new MatrixProblem("RowPhase", key));
                continue;
            }
            var origin = RowOrigin.Custom;
            if (r.Origin is not null && (!Enum.TryParse(r.Origin, false, out origin) || !Enum.IsDefined(origin)))
            {
                problems.Add(new MatrixProblem("RowOrigin", key));
                continue;
            }
            var cells = new Dictionary<string, MatrixRole>(StringComparer.Ordinal);
            foreach (var (party, value) in r.Cells ?? [])
            {
                if (string.IsNullOrEmpty(value))
                {
                    continue; // no role
                }
                if (!Enum.TryParse<MatrixRole>(value, false, out var role) || !Enum.IsDefined(role))
                {
                    problems.Add(new MatrixProblem("CellRole", key));
                    continue;
                }
                cells[party] = role;
            }
            rows.Add(new MatrixRow(key!, phase, r.Category?.Trim() ?? "", r.Text?.Trim() ?? "", origin, cells,
                string.IsNullOrWhiteSpace(r.TextEn) ? null : r.TextEn.Trim(), string.IsNullOrWhiteSpace(r.Source) ? null : r.Source.Trim()));
        }
        var templateKey = string.IsNullOrWhiteSpace(dto.TemplateKey) ? null : dto.TemplateKey.Trim();
        var content = new MatrixContent(templateKey, parties, rows);
        problems.AddRange(Validate(content));
        return problems.Count == 0 ? (content, problems) : (null, problems);
    }

    /// <summary>The structural rules of a matrix (references to organizations and requests are checked by the service).</summary>
    public static IReadOnlyList<MatrixProblem> Validate(MatrixContent c)
    {
        var problems = new List<MatrixProblem>();
        if (c.Parties.Count == 0)
        {
            problems.Add(new MatrixProblem("NoParties"));
        }
        if (c.Parties.Count > MaxParties)
        {
            problems.Add(new MatrixProblem("TooManyParties"));
        }
        if (!c.Parties.Any(p => p.Kind == PartyKind.HospitalDepartment))
        {
            problems.Add(new MatrixProblem("NoHospitalParty"));
        }
        if (c.Rows.Count == 0)
        {
            problems.Add(new MatrixProblem("NoRows"));
        }
        if (c.Rows.Count > MaxRows)
        {
            problems.Add(new MatrixProblem("TooManyRows"));
        }
        foreach (var dup in c.Parties.GroupBy(p => p.Key).Where(g => g.Count() > 1))
        {
            problems.Add(new MatrixProblem("DuplicatePartyKey", dup.Key));
        }
        foreach (var p in c.Parties)
        {
            if (p.Name.Length == 0 || p.Name.Length > MaxName)
            {
                problems.Add(new MatrixProblem("PartyName", p.Key));
            }
            if (p.Kind == PartyKind.Vendor ? p.OrganizationId is null : p.OrganizationId is not null)
            {
                problems.Add(new MatrixProblem("PartyOrganization", p.Key));
            }
            if (p.Kind == PartyKind.Subcontractor ? p.SubcontractRequestId is null : p.SubcontractRequestId is not null)
            {
                problems.Add(new MatrixProblem("PartyRequest", p.Key));
            }
        }
        foreach (var dup in c.Parties.Where(p => p.OrganizationId is not null).GroupBy(p => p.OrganizationId).Where(g => g.Count() > 1))
        {
            problems.Add(new MatrixProblem("DuplicateVendor", dup.First().Key));
        }
        foreach (var dup in c.Parties.Where(p => p.SubcontractRequestId is not null).GroupBy(p => p.SubcontractRequestId).Where(g => g.Count() > 1))
        {
            problems.Add(new MatrixProblem("DuplicateSubcontractor", dup.First().Key));
        }
        foreach (var dup in c.Rows.GroupBy(r => r.Key).Where(g => g.Count() > 1))
        {
            problems.Add(new MatrixProblem("DuplicateRowKey", dup.Key));
        }
        var keys = c.Parties.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var r in c.Rows)
        {
            if (r.Text.Length == 0 || r.Text.Length > MaxText || (r.TextEn?.Length ?? 0) > MaxText)
            {
                problems.Add(new MatrixProblem("RowText", r.Key));
            }
            if (r.Category.Length > MaxCategory || (r.Source?.Length ?? 0) > MaxName)
            {
                problems.Add(new MatrixProblem("RowCategory", r.Key));
            }
            if (r.Cells.Keys.FirstOrDefault(k => !keys.Contains(k)) is { } unknown)
            {
                problems.Add(new MatrixProblem("CellParty", r.Key + "/" + unknown));
            }
        }
        return problems;
    }
}

/// <summary>What changed between two versions.</summary>
public enum MatrixChangeKind { PartyAdded, PartyRemoved, PartyRenamed, RowAdded, RowRemoved, RowChanged, CellChanged }

/// <summary>One change. For cells: the row, the party and the roles before and after (null = none).</summary>
public sealed record MatrixChange(MatrixChangeKind Kind, string? RowKey, string? PartyKey, string? Before, string? After);

public static class MatrixDiff
{
    /// <summary>Parties (added, removed, renamed), rows (added, removed, text/category/phase changed), then cells of rows in both.</summary>
    public static IReadOnlyList<MatrixChange> Compare(MatrixContent from, MatrixContent to)
    {
        var changes = new List<MatrixChange>();
        foreach (var p in to.Parties.Where(p => from.Party(p.Key) is null))
        {
            changes.Add(new MatrixChange(MatrixChangeKind.PartyAdded, null, p.Key, null, p.Name));
        }
        foreach (var p in from.Parties.Where(p => to.Party(p.Key) is null))
        {
            changes.Add(new MatrixChange(MatrixChangeKind.PartyRemoved, null, p.Key, p.Name, null));
        }
        foreach (var p in to.Parties)
        {
            if (from.Party(p.Key) is { } old && old.Name != p.Name)
            {
                changes.Add(new MatrixChange(MatrixChangeKind.PartyRenamed, null, p.Key, old.Name, p.Name));
            }
        }
        var oldRows = from.Rows.ToDictionary(r => r.Key);
        var newRows = to.Rows.ToDictionary(r => r.Key);
        foreach (var r in to.Rows.Where(r => !oldRows.ContainsKey(r.Key)))
        {
            changes.Add(new MatrixChange(MatrixChangeKind.RowAdded, r.Key, null, null, r.Text));
        }
        foreach (var r in from.Rows.Where(r => !newRows.ContainsKey(r.Key)))
        {
            changes.Add(new MatrixChange(MatrixChangeKind.RowRemoved, r.Key, null, r.Text, null));
        }
        foreach (var r in to.Rows.Where(r => oldRows.ContainsKey(r.Key)))
        {
            var old = oldRows[r.Key];
            if (old.Text != r.Text || old.Category != r.Category || old.Phase != r.Phase)
            {
                changes.Add(new MatrixChange(MatrixChangeKind.RowChanged, r.Key, null, Describe(old), Describe(r)));
            }
            foreach (var p in to.Parties.Where(p => from.Party(p.Key) is not null))
            {
                var before = old.RoleOf(p.Key);
                var after = r.RoleOf(p.Key);
                if (before != after)
                {
                    changes.Add(new MatrixChange(MatrixChangeKind.CellChanged, r.Key, p.Key, before?.ToString(), after?.ToString()));
                }
            }
        }
        return changes;
    }

    private static string Describe(MatrixRow r) => $"[{r.Phase}] {r.Category}: {r.Text}";
}
