using Microsoft.Extensions.Localization;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Gaps;

public sealed record GapDto(string Kind, string Severity, string MustAct, Guid? VendorId, string? VendorName, Guid? SystemId, string? SystemName,
    Guid? SubmissionId, string? ItemNumber, DateOnly Since, string Message, string? Link);

public static class GapsApi
{
    public static void Map(RouteGroupBuilder v1)
        => v1.MapGet("/hospitals/{hospitalId:guid}/gaps", async (Guid hospitalId, int? fiscalYear, GapQuery query, IStringLocalizer<SharedResource> l) =>
            (await query.ForHospitalAsync(hospitalId, fiscalYear is { } fy ? new FiscalYear(fy) : null))
                .Select(g => new GapDto(g.Kind, g.Severity.ToString(), g.MustAct.ToString(), g.VendorId, g.VendorName, g.SystemId, g.SystemName,
                    g.SubmissionId, g.ItemNumber, g.Since, l["Gap_" + g.Kind, g.Args].Value, g.Link ?? (g.SubmissionId is { } id ? $"/Checklists/{id}" : null))).ToList())
            .RequireAuthorization(Policies.HospitalStaffInRoute).WithTags("Gaps").WithName("ListComplianceGaps");
}
