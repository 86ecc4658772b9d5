namespace VendorPortal.Features.Subcontracting;

/// <summary>The model of the _SubcontractorFields partial: the form's values and the problems to show next to each field.</summary>
public sealed record SubcontractorFieldsView(SubcontractorForm Form, IReadOnlyList<SubcontractProblem> Problems)
{
    public IEnumerable<SubcontractProblem> For(string field) => Problems.Where(p => p.Field == field);
}

/// <summary>The model of the recursive _SubcontractorNode partial.</summary>
public sealed record SubcontractNodeView(SubcontractNode Node, bool CanEdit, DateOnly Today);
