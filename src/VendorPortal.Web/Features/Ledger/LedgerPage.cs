using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using VendorPortal.Features.Organizations;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Tenancy;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Ledger;

/// <summary>An engagement a hospital editor may say covers a system (its vendor then may supply the system's components).</summary>
public sealed record EngagementOption(Guid Id, string Title, string VendorName);

/// <summary>What the system fields partial shows.</summary>
public sealed record SystemFormView(SystemValues Values, IReadOnlyList<EngagementOption> Engagements, IReadOnlySet<Guid> SelectedEngagements, string Prefix = "Sys");

/// <summary>What the component fields partial shows. VendorFixed: a vendor's proposal (the vendor stays the supplier).</summary>
public sealed record ComponentFormView(ComponentValues Values, IReadOnlyList<MedicalSystem> Systems, IReadOnlyList<VendorRef> Vendors, bool VendorFixed,
    string Prefix = "Input");

/// <summary>The common part of the ledger pages: the hospital in the route, the caller's rights, problems into ModelState.</summary>
public abstract class LedgerPage(LedgerService ledger, ITenantContext tenant, IStringLocalizer<SharedResource> l) : PageModel
{
    protected LedgerService Ledger => ledger;
    protected IStringLocalizer<SharedResource> L => l;
    public Organization Hospital { get; private set; } = null!;
    public LedgerActor Actor { get; private set; } = null!;
    public bool CanEdit => Actor.CanEdit && Actor.OrganizationId == Hospital.Id;
    public bool IsVendor => tenant.OrganizationKind == OrganizationKind.Vendor;

    protected async Task<bool> LoadHospitalAsync(Guid hospitalId)
    {
        Actor = LedgerAccess.ActorOf(User, tenant);
        if (await ledger.HospitalAsync(hospitalId) is not { } h)
        {
            return false;
        }
        Hospital = h;
        return true;
    }

    /// <summary>Turns a failed result into a status (404/403) or page messages; null when the page should be shown again.</summary>
    protected IActionResult? Refusal(LedgerResult result, string prefix)
    {
        switch (result.ErrorCode)
        {
            case "NotFound":
                return NotFound();
            case "Forbidden":
                return Forbid();
            case "Conflict" or "ProposalStale" or "NotPending":
                ModelState.AddModelError("", l["Ledger_" + result.ErrorCode].Value);
                Response.StatusCode = StatusCodes.Status409Conflict;
                return null;
        }
        foreach (var p in result.Problems ?? [])
        {
            ModelState.AddModelError(p.Field.Length == 0 ? "" : prefix + "." + p.Field, LedgerText.Problem(l, p));
        }
        return null;
    }
}

/// <summary>Display texts of the ledger: labels of fields and values, problems with their field.</summary>
public static class LedgerText
{
    public static string Field(IStringLocalizer l, string field) => l["LedgerField_" + field].Value;

    public static string Problem(IStringLocalizer l, LedgerProblem p)
        => p.Field.Length == 0 ? l["Ledger_" + p.Code, p.Args].Value : $"{Field(l, p.Field)}: {l["Ledger_" + p.Code, p.Args].Value}";

    public static string Kind(IStringLocalizer l, ComponentKind k) => l["ComponentKind_" + k].Value;
    public static string Segment(IStringLocalizer l, NetworkSegment? s) => s is { } x ? l["NetworkSegment_" + x].Value : "—";
    public static string YesNo(IStringLocalizer l, bool? b) => b is { } x ? (x ? l["Yes"].Value : l["No"].Value) : "—";
    public static string Date(DateOnly? d) => d is { } x ? Wareki.Format(x) : "—";
    public static string Classes(SecurityClass? c, SecurityClass? i, SecurityClass? a) => $"{c?.ToString() ?? "—"}/{i?.ToString() ?? "—"}/{a?.ToString() ?? "—"}";

    /// <summary>A field's value (as <see cref="LedgerRules.FieldText"/> gives it) for people: names for ids, labels for enums, 和暦 for dates.</summary>
    public static string Value(IStringLocalizer l, string field, string? text, IReadOnlyDictionary<Guid, string> names)
    {
        if (text is null)
        {
            return "—";
        }
        switch (field)
        {
            case nameof(ComponentValues.SystemId) or nameof(ComponentValues.SupplierVendorId):
                return Guid.TryParse(text, out var id) && names.TryGetValue(id, out var name) ? name : text;
            case nameof(ComponentValues.Kind):
                return Enum.TryParse<ComponentKind>(text, out var k) ? Kind(l, k) : text;
            case nameof(ComponentValues.NetworkSegment):
                return Enum.TryParse<NetworkSegment>(text, out var s) ? Segment(l, s) : text;
            case nameof(ComponentValues.UsesRemoteMaintenance) or nameof(ComponentValues.AntiMalware):
                return YesNo(l, text == "true");
            case nameof(ComponentValues.RegisteredOn) or nameof(ComponentValues.RetiredOn):
                return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? Wareki.Format(d) : text;
            default:
                return text;
        }
    }
}
