namespace VendorPortal.Features.Ledger;

public enum ProposalState
{
    Pending = 1,
    Accepted = 2,
    Rejected = 3,
}

/// <summary>
/// A vendor's proposed change to a component it supplies (<see cref="ComponentId"/> set), or a proposed new component
/// for a system it is engaged for (<see cref="ComponentId"/> null). A vendor never edits the hospital's ledger
/// directly: a hospital editor accepts (the values are applied, checked against <see cref="BaseRevision"/>) or
/// rejects with a reason.
/// </summary>
public sealed class ComponentProposal
{
    public Guid Id { get; set; }
    public Guid HospitalId { get; set; }
    public Guid SystemId { get; set; }
    public Guid? ComponentId { get; set; }
    public Guid VendorId { get; set; }
    /// <summary>The whole proposed component (<see cref="ComponentValues"/> as JSON): what accepting writes.</summary>
    public required string ProposedValues { get; set; }
    /// <summary>The component's Revision when the proposal was made; accepting refuses when it has changed since.</summary>
    public int? BaseRevision { get; set; }
    public ProposalState State { get; set; }
    public string? Comment { get; set; }
    public Guid? ProposedByUserId { get; set; }
    public string ProposedByName { get; set; } = "";
    public DateTimeOffset ProposedAt { get; set; }
    public Guid? DecidedByUserId { get; set; }
    public string? DecidedByName { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? RejectionReason { get; set; }
    /// <summary>Optimistic concurrency: two editors cannot both decide one proposal.</summary>
    public int Revision { get; set; }
}
