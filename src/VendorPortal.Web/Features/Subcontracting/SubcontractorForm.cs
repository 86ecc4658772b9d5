namespace VendorPortal.Features.Subcontracting;

/// <summary>One certification row of the page form: the kind is fixed per row; an empty row means "not held".</summary>
public sealed class CertificationForm
{
    public CertificationKind Kind { get; set; }
    public string? Number { get; set; }
    public string? ExpiresOn { get; set; }
}

/// <summary>
/// A subcontractor as the page form posts it (Input.Name, Input.Certifications[i].Number, …). Dates arrive as text so
/// that one that does not parse is reported next to its field, never dropped. Problems use the field names of
/// <see cref="SubcontractValidation"/>, certifications as "cert.{Kind}.{field}".
/// </summary>
public sealed class SubcontractorForm
{
    public string? Name { get; set; }
    public string? CorporateNumber { get; set; }
    public string? Address { get; set; }
    public string? Country { get; set; } = SubcontractCountries.Japan;
    public string? DataStorageCountry { get; set; }
    public string? GoverningLaw { get; set; }
    public string? Work { get; set; }
    public bool HandlesPersonalInformation { get; set; }
    public bool HandlesMedicalInformation { get; set; }
    public string? InformationDescription { get; set; }
    public string? PeriodFrom { get; set; }
    public string? PeriodTo { get; set; }
    public string? SecurityDuties { get; set; }
    public List<CertificationForm> Certifications { get; set; } = [.. Enum.GetValues<CertificationKind>().Select(k => new CertificationForm { Kind = k })];

    public static SubcontractorForm From(Subcontractor s) => new()
    {
        Name = s.Name, CorporateNumber = s.CorporateNumber, Address = s.Address, Country = s.Country, DataStorageCountry = s.DataStorageCountry,
        GoverningLaw = s.GoverningLaw, Work = s.Work, HandlesPersonalInformation = s.HandlesPersonalInformation, HandlesMedicalInformation = s.HandlesMedicalInformation,
        InformationDescription = s.InformationDescription, PeriodFrom = s.PeriodFrom.ToString("yyyy-MM-dd"), PeriodTo = s.PeriodTo.ToString("yyyy-MM-dd"),
        SecurityDuties = s.SecurityDuties,
        Certifications = [.. Enum.GetValues<CertificationKind>().Select(k => s.Certifications.FirstOrDefault(c => c.Kind == k) is { } c
            ? new CertificationForm { Kind = k, Number = c.Number, ExpiresOn = c.ExpiresOn.ToString("yyyy-MM-dd") }
            : new CertificationForm { Kind = k })],
    };

    /// <summary>The input for the workflow, and the dates that could not be read.</summary>
    public (SubcontractorInput Input, List<SubcontractProblem> Problems) ToInput()
    {
        var problems = new List<SubcontractProblem>();
        DateOnly? Date(string? raw, string field)
        {
            if (string.IsNullOrWhiteSpace(raw))
            {
                return null;
            }
            if (DateOnly.TryParseExact(raw.Trim(), "yyyy-MM-dd", out var d))
            {
                return d;
            }
            problems.Add(new SubcontractProblem(field, "DateInvalid"));
            return null;
        }
        var certifications = new List<CertificationInput>();
        foreach (var row in Certifications.Where(c => Enum.IsDefined(c.Kind)).DistinctBy(c => c.Kind))
        {
            if (string.IsNullOrWhiteSpace(row.Number) && string.IsNullOrWhiteSpace(row.ExpiresOn))
            {
                continue;
            }
            certifications.Add(new CertificationInput(row.Kind, row.Number, Date(row.ExpiresOn, $"cert.{row.Kind}.expiresOn")));
        }
        var input = new SubcontractorInput(Name, CorporateNumber, Address, Country, string.IsNullOrWhiteSpace(DataStorageCountry) ? null : DataStorageCountry,
            GoverningLaw, Work, HandlesPersonalInformation, HandlesMedicalInformation, InformationDescription,
            Date(PeriodFrom, "periodFrom"), Date(PeriodTo, "periodTo"), SecurityDuties, certifications);
        return (input, problems);
    }

    /// <summary>Problems of the workflow with the form's field names: "certifications[i].x" becomes "cert.{Kind}.x"; a prefix such as "subcontractor." is removed.</summary>
    public static List<SubcontractProblem> ForForm(IEnumerable<SubcontractProblem> problems, SubcontractorInput input, string prefix = "")
        => [.. problems.Select(p =>
        {
            var field = p.Field.StartsWith(prefix, StringComparison.Ordinal) ? p.Field[prefix.Length..] : p.Field;
            if (field.StartsWith("certifications[", StringComparison.Ordinal) && field.IndexOf(']') is var close and > 0
                && int.TryParse(field["certifications[".Length..close], out var i) && i < input.Certifications.Count)
            {
                field = $"cert.{input.Certifications[i].Kind}{field[(close + 1)..]}";
            }
            return p with { Field = field };
        })];
}
