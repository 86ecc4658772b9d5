using VendorPortal.Features.Organizations;

namespace VendorPortal.Features.Subcontracting;

public sealed record CertificationInput(CertificationKind Kind, string? Number, DateOnly? ExpiresOn);

/// <summary>One subcontractor as entered (page or API), with the 再々委託 below it when the whole chain is sent at once.</summary>
public sealed record SubcontractorInput(
    string? Name,
    string? CorporateNumber,
    string? Address,
    string? Country,
    string? DataStorageCountry,
    string? GoverningLaw,
    string? Work,
    bool HandlesPersonalInformation,
    bool HandlesMedicalInformation,
    string? InformationDescription,
    DateOnly? PeriodFrom,
    DateOnly? PeriodTo,
    string? SecurityDuties,
    IReadOnlyList<CertificationInput> Certifications,
    IReadOnlyList<SubcontractorInput>? Subcontractors = null);

/// <summary>One problem with the input: the field (a path such as "subcontractors[0].name" for a chain), a code (resource key Subcontract_{code}) and its arguments.</summary>
public sealed record SubcontractProblem(string Field, string Code, params object[] Args);

/// <summary>A node of the chain as the chain check sees it.</summary>
public sealed record ChainNode(Guid Id, Guid? ParentId, string Name, DateOnly? PeriodFrom, DateOnly? PeriodTo);

/// <summary>
/// The input rules of a 再委託 request, pure: every field of a subcontractor, and the shape of the chain
/// (one direct subcontractor, 再々委託 periods inside their parent's, a bounded depth and size).
/// </summary>
public static class SubcontractValidation
{
    public const int MaxNameLength = 200;
    public const int MaxAddressLength = 400;
    public const int MaxLawLength = 200;
    public const int MaxTextLength = 4000;
    public const int MaxInformationLength = 2000;
    public const int MaxCertificateNumberLength = 100;
    /// <summary>The vendor's subcontractor is level 1; 再々委託 below it up to this depth.</summary>
    public const int MaxDepth = 5;
    public const int MaxNodes = 50;

    /// <summary>Checks one subcontractor's own fields (not its children). <paramref name="prefix"/> is prepended to field names.</summary>
    public static List<SubcontractProblem> ValidateNode(SubcontractorInput input, DateOnly today, string prefix = "")
    {
        var problems = new List<SubcontractProblem>();
        void Add(string field, string code, params object[] args) => problems.Add(new SubcontractProblem(prefix + field, code, args));

        Required(input.Name, "name", MaxNameLength, Add);
        Required(input.Address, "address", MaxAddressLength, Add);
        Required(input.GoverningLaw, "governingLaw", MaxLawLength, Add);
        Required(input.Work, "work", MaxTextLength, Add);
        Required(input.SecurityDuties, "securityDuties", MaxTextLength, Add);

        if (string.IsNullOrWhiteSpace(input.Country))
        {
            Add("country", "Required");
        }
        else if (!SubcontractCountries.IsKnown(input.Country))
        {
            Add("country", "CountryUnknown");
        }
        if (!string.IsNullOrWhiteSpace(input.DataStorageCountry) && !SubcontractCountries.IsKnown(input.DataStorageCountry))
        {
            Add("dataStorageCountry", "CountryUnknown");
        }
        var handles = input.HandlesPersonalInformation || input.HandlesMedicalInformation;
        if (handles && string.IsNullOrWhiteSpace(input.DataStorageCountry))
        {
            Add("dataStorageCountry", "StorageCountryRequired");
        }
        if (handles && string.IsNullOrWhiteSpace(input.InformationDescription))
        {
            Add("informationDescription", "InformationDescriptionRequired");
        }
        if ((input.InformationDescription?.Length ?? 0) > MaxInformationLength)
        {
            Add("informationDescription", "TooLong", MaxInformationLength);
        }

        var number = CorporateNumber.Normalize(input.CorporateNumber);
        if (number is null)
        {
            if (input.Country == SubcontractCountries.Japan)
            {
                Add("corporateNumber", "CorporateNumberRequired");
            }
        }
        else if (!CorporateNumber.IsValid(number))
        {
            Add("corporateNumber", "CorporateNumberInvalid");
        }

        if (input.PeriodFrom is null)
        {
            Add("periodFrom", "Required");
        }
        if (input.PeriodTo is null)
        {
            Add("periodTo", "Required");
        }
        if (input.PeriodFrom is { } from && input.PeriodTo is { } to)
        {
            if (from > to)
            {
                Add("periodTo", "PeriodOutOfOrder");
            }
            else if (to < today)
            {
                Add("periodTo", "PeriodEnded");
            }
        }

        var seen = new HashSet<CertificationKind>();
        for (var i = 0; i < input.Certifications.Count; i++)
        {
            var c = input.Certifications[i];
            var field = $"certifications[{i}].";
            if (!Enum.IsDefined(c.Kind) || !seen.Add(c.Kind))
            {
                Add(field + "kind", "CertificationDuplicate");
                continue;
            }
            if (string.IsNullOrWhiteSpace(c.Number))
            {
                Add(field + "number", "CertificationNumberRequired");
            }
            else if (c.Number.Trim().Length > MaxCertificateNumberLength)
            {
                Add(field + "number", "TooLong", MaxCertificateNumberLength);
            }
            if (c.ExpiresOn is not { } expires)
            {
                Add(field + "expiresOn", "CertificationExpiryRequired");
            }
            else if (expires < today)
            {
                Add(field + "expiresOn", "CertificationExpired");
            }
        }
        return problems;
    }

    /// <summary>Checks a whole chain sent at once (API): every node, then the chain's shape.</summary>
    public static List<SubcontractProblem> ValidateTree(SubcontractorInput root, DateOnly today)
    {
        var problems = new List<SubcontractProblem>();
        var nodes = new List<ChainNode>();
        var paths = new Dictionary<Guid, string>();
        void Walk(SubcontractorInput node, Guid? parent, string path)
        {
            problems.AddRange(ValidateNode(node, today, path));
            var id = Guid.NewGuid();
            paths[id] = path;
            nodes.Add(new ChainNode(id, parent, node.Name ?? "", node.PeriodFrom, node.PeriodTo));
            var children = node.Subcontractors ?? [];
            for (var i = 0; i < children.Count; i++)
            {
                Walk(children[i], id, $"{path}subcontractors[{i}].");
            }
        }
        Walk(root, null, "subcontractor.");
        problems.AddRange(ValidateChain(nodes).Select(p =>
        {
            var path = paths.GetValueOrDefault(Guid.Parse(p.Field), "subcontractor.");
            return p with { Field = p.Code == "PeriodOutsideParent" ? path + "periodFrom" : path.TrimEnd('.') };
        }));
        return problems;
    }

    /// <summary>
    /// The chain's shape: exactly one direct subcontractor, no cycles, at most <see cref="MaxDepth"/> levels and
    /// <see cref="MaxNodes"/> companies, and each 再々委託's period inside its parent's. Problems name the node by id.
    /// </summary>
    public static List<SubcontractProblem> ValidateChain(IReadOnlyList<ChainNode> nodes)
    {
        var problems = new List<SubcontractProblem>();
        var roots = nodes.Where(n => n.ParentId is null).ToList();
        if (roots.Count != 1)
        {
            problems.Add(new SubcontractProblem(roots.FirstOrDefault()?.Id.ToString() ?? Guid.Empty.ToString(), "OneDirectSubcontractor"));
            return problems;
        }
        if (nodes.Count > MaxNodes)
        {
            problems.Add(new SubcontractProblem(roots[0].Id.ToString(), "TooManySubcontractors", MaxNodes));
        }
        var byId = nodes.ToDictionary(n => n.Id);
        foreach (var node in nodes)
        {
            var depth = 1;
            var seen = new HashSet<Guid> { node.Id };
            for (var p = node.ParentId; p is { } pid; p = byId.TryGetValue(pid, out var parent) ? parent.ParentId : null)
            {
                if (!byId.ContainsKey(pid) || !seen.Add(pid))
                {
                    problems.Add(new SubcontractProblem(node.Id.ToString(), "ChainBroken"));
                    break;
                }
                depth++;
            }
            if (depth > MaxDepth)
            {
                problems.Add(new SubcontractProblem(node.Id.ToString(), "ChainTooDeep", node.Name, MaxDepth));
            }
            if (node.ParentId is { } parentId && byId.TryGetValue(parentId, out var up)
                && node.PeriodFrom is { } from && node.PeriodTo is { } to && up.PeriodFrom is { } upFrom && up.PeriodTo is { } upTo
                && (from < upFrom || to > upTo))
            {
                problems.Add(new SubcontractProblem(node.Id.ToString(), "PeriodOutsideParent", node.Name, up.Name));
            }
        }
        return problems;
    }

    /// <summary>Certificates and periods as a subcontractor keeps them: trimmed, numbers normalised.</summary>
    public static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static void Required(string? value, string field, int max, Action<string, string, object[]> add)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            add(field, "Required", []);
        }
        else if (value.Trim().Length > max)
        {
            add(field, "TooLong", [max]);
        }
    }
}
