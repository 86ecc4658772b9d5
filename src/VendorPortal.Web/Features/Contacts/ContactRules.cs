using System.Text.Json;

namespace VendorPortal.Features.Contacts;

/// <summary>A vendor contact as entered (page or API), before validation.</summary>
public sealed record VendorContactInput(string? RoleLabel, string? Name, string? Phone24h, string? OtherChannel, string? Email, string? Hours);

/// <summary>A hospital role as entered.</summary>
public sealed record HospitalContactInput(HospitalContactRole Role, string? Name, string? Phone, string? PhoneOutOfHours, string? Email, string? Note);

/// <summary>One validation error: the index of the row (-1 for the whole list), the field and the resource key of the message.</summary>
public sealed record ContactError(int Index, string Field, string Key);

/// <summary>Pure validation of the 連絡体制図 data: no database, unit-tested.</summary>
public static class ContactRules
{
    public const int MaxVendorContacts = 10;
    public const int MaxPhone = 30;
    public const int MaxLabel = 100;
    public const int MaxName = 200;
    public const int MaxChannel = 300;
    public const int MaxEmail = 256;
    public const int MaxNote = 500;

    /// <summary>The internal roles of the chart, in display order.</summary>
    public static readonly HospitalContactRole[] InternalRoles =
        [HospitalContactRole.SafetyManager, HospitalContactRole.Csirt, HospitalContactRole.Executive, HospitalContactRole.Operations];

    /// <summary>The authorities whose number depends on where the hospital is: the hospital fills them in.</summary>
    public static readonly HospitalContactRole[] LocalAuthorities = [HospitalContactRole.AuthorityPolice, HospitalContactRole.AuthorityHealthCenter];

    public static bool IsAuthority(HospitalContactRole r) => r >= HospitalContactRole.AuthorityMhlw;

    /// <summary>Digits, hyphens, parentheses, spaces and a leading +; at least 6 digits; at most <see cref="MaxPhone"/> characters.</summary>
    public static bool IsPhone(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var t = text.Trim();
        if (t.Length > MaxPhone)
        {
            return false;
        }
        var digits = 0;
        for (var i = 0; i < t.Length; i++)
        {
            var c = t[i];
            if (c is >= '0' and <= '9')
            {
                digits++;
            }
            else if (c == '+' && i == 0 || c is '-' or '(' or ')' or ' ')
            {
                continue;
            }
            else
            {
                return false;
            }
        }
        return digits >= 6;
    }

    public static bool IsEmail(string t) => t.Length <= MaxEmail && t.IndexOf('@') is > 0 and var at && at < t.Length - 1 && !t.Any(char.IsWhiteSpace);

    /// <summary>Blank rows are dropped; the rest trimmed and checked. A vendor needs one contact with a 24-hour line.</summary>
    public static (List<VendorContactInput> Rows, List<ContactError> Errors) ValidateVendor(IEnumerable<VendorContactInput> input)
    {
        var rows = input.Select(r => new VendorContactInput(T(r.RoleLabel), T(r.Name), T(r.Phone24h), T(r.OtherChannel), T(r.Email), T(r.Hours)))
            .Where(r => r.RoleLabel is not null || r.Name is not null || r.Phone24h is not null || r.OtherChannel is not null || r.Email is not null || r.Hours is not null)
            .ToList();
        var errors = new List<ContactError>();
        if (rows.Count > MaxVendorContacts)
        {
            errors.Add(new(-1, "contacts", "ContactsTooMany"));
        }
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            if (r.RoleLabel is null || r.RoleLabel.Length > MaxLabel)
            {
                errors.Add(new(i, "roleLabel", "ContactsRoleLabelInvalid"));
            }
            if (r.Name is null || r.Name.Length > MaxName)
            {
                errors.Add(new(i, "name", "ContactsNameInvalid"));
            }
            if (r.Phone24h is not null && !IsPhone(r.Phone24h))
            {
                errors.Add(new(i, "phone24h", "ContactsPhoneInvalid"));
            }
            if (r.OtherChannel is null || r.OtherChannel.Length > MaxChannel || r.OtherChannel.Contains('@'))
            {
                errors.Add(new(i, "otherChannel", "ContactsOtherChannelInvalid"));
            }
            if (r.Email is not null && !IsEmail(r.Email))
            {
                errors.Add(new(i, "email", "ContactsEmailInvalid"));
            }
            if (r.Hours is not null && r.Hours.Length > MaxNote)
            {
                errors.Add(new(i, "hours", "ContactsHoursInvalid"));
            }
        }
        if (!rows.Any(r => r.Phone24h is not null))
        {
            errors.Add(new(-1, "contacts", "ContactsNeed24h"));
        }
        return (rows, errors);
    }

    /// <summary>Each role at most once; phones well formed; lengths limited. Blank roles are allowed (the gap rule reports them).</summary>
    public static (List<HospitalContactInput> Rows, List<ContactError> Errors) ValidateHospital(IEnumerable<HospitalContactInput> input)
    {
        var rows = input.Select(r => new HospitalContactInput(r.Role, T(r.Name), T(r.Phone), T(r.PhoneOutOfHours), T(r.Email), T(r.Note))).ToList();
        var errors = new List<ContactError>();
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            if (!Enum.IsDefined(r.Role) || rows.Take(i).Any(p => p.Role == r.Role))
            {
                errors.Add(new(i, "role", "ContactsRoleInvalid"));
            }
            if (r.Name is { Length: > MaxName })
            {
                errors.Add(new(i, "name", "ContactsNameInvalid"));
            }
            if (r.Phone is not null && !IsPhone(r.Phone))
            {
                errors.Add(new(i, "phone", "ContactsPhoneInvalid"));
            }
            if (r.PhoneOutOfHours is not null && !IsPhone(r.PhoneOutOfHours))
            {
                errors.Add(new(i, "phoneOutOfHours", "ContactsPhoneInvalid"));
            }
            if (r.Email is not null && !IsEmail(r.Email))
            {
                errors.Add(new(i, "email", "ContactsEmailInvalid"));
            }
            if (r.Note is { Length: > MaxNote })
            {
                errors.Add(new(i, "note", "ContactsHoursInvalid"));
            }
        }
        return (rows, errors);
    }

    /// <summary>
    /// The chart is incomplete without a named 安全管理責任者, without any out-of-hours number among the internal
    /// roles, or with a local authority (police, 保健所) that has no number.
    /// </summary>
    public static bool ChartComplete(IReadOnlyCollection<GapHospitalContact> contacts)
        => contacts.Any(c => c.Role == HospitalContactRole.SafetyManager && c.HasName)
            && contacts.Any(c => !IsAuthority(c.Role) && c.HasPhoneOutOfHours)
            && LocalAuthorities.All(a => contacts.Any(c => c.Role == a && c.HasPhone));

    private static string? T(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

/// <summary>A role of the hospital's chart as the gap rules see it.</summary>
public sealed record GapHospitalContact(HospitalContactRole Role, bool HasName, bool HasPhone, bool HasPhoneOutOfHours);

/// <summary>An authority of seed-data/contacts/authorities.v1.json: the prefill for a hospital that saved none.</summary>
public sealed record AuthorityDefault(HospitalContactRole Role, string Name, string? Phone, string? Email, bool Local);

/// <summary>The versioned authority list (numbers only where the source documents give them). Read once per process.</summary>
public sealed record AuthorityList(int Version, string Source, IReadOnlyList<AuthorityDefault> Authorities)
{
    public const string RelativePath = "seed-data/contacts/authorities.v1.json";

    private sealed record FileShape(int Version, string Source, List<FileRow> Authorities);
    private sealed record FileRow(string Role, string Name, string? Phone, string? Email, bool Local);

    public static AuthorityList Parse(string json)
    {
        var f = JsonSerializer.Deserialize<FileShape>(json, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })
            ?? throw new InvalidDataException("Empty authority list.");
        var rows = f.Authorities.Select(a => new AuthorityDefault(Enum.Parse<HospitalContactRole>(a.Role), a.Name, a.Phone, a.Email, a.Local)).ToList();
        if (rows.Any(r => !ContactRules.IsAuthority(r.Role) || r.Phone is not null && !ContactRules.IsPhone(r.Phone)))
        {
            throw new InvalidDataException("Authority roles must be Authority* and phones well formed.");
        }
        return new AuthorityList(f.Version, f.Source, rows);
    }

    public static AuthorityList Load(string contentRoot)
        => Parse(File.ReadAllText(Infrastructure.Seeding.SeedData.Find(contentRoot, RelativePath) ?? throw new FileNotFoundException(RelativePath + " not found.")));
}
