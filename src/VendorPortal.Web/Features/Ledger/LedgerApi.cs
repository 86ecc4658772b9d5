using System.Security.Claims;
using Microsoft.Extensions.Localization;
using VendorPortal.Features.Forms.Workbooks;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.Ledger;

/// <param name="NetworkSegment">Clinical, Administrative or External (診療系, 事務系, 外部接続 are accepted too).</param>
/// <param name="Confidentiality">A, B or C; integrity and availability A or B.</param>
public sealed record SystemBody(string? Name, string? Category, string? Description, string? OwnerDepartment, string? Administrator,
    string? NetworkSegment, string? Confidentiality, string? Integrity, string? Availability, DateOnly? RetiredOn);

/// <param name="Kind">Server, ClientPc, NetworkDevice, VpnDevice, MedicalDevice, CloudService, Software or Other (or the Japanese labels).</param>
/// <param name="IpAddress">One or more IPv4/IPv6 addresses, comma-separated.</param>
/// <param name="Revision">Required on update: the Revision read with the component (a stale one answers 409).</param>
public sealed record ComponentBody(Guid? SystemId, string? ManagementNumber, string? Kind, string? Name, string? Maker, string? Model, string? SerialNumber,
    string? Software, string? SoftwareVersion, string? Os, string? OsVersion, string? Firmware, string? IpAddress, string? HostName, string? Location,
    string? Users, DateOnly? RegisteredOn, string? OwnerDepartment, Guid? SupplierVendorId, bool? UsesRemoteMaintenance, string? NetworkSegment,
    string? Confidentiality, string? Integrity, string? Availability, bool? AntiMalware, string? Notes, DateOnly? RetiredOn, int? Revision);

/// <param name="Kind">Os, Middleware, Firmware or Product.</param>
public sealed record SupportDateBody(string? Kind, string? Subject, DateOnly? EndsOn, string? Source);

/// <param name="ComponentId">The component the vendor supplies, or null to propose a new component.</param>
public sealed record ProposalBody(Guid? ComponentId, ComponentBody? Component, string? Comment);

/// <param name="Revision">Optional: the proposal's Revision as read (a decision taken meanwhile answers 409).</param>
public sealed record DecisionBody(string? Reason, int? Revision);

public sealed record VendorDto(Guid Id, string Name);
public sealed record SystemDto(Guid Id, string Name, string Category, string? Description, string? OwnerDepartment, string? Administrator,
    string? NetworkSegment, string? Confidentiality, string? Integrity, string? Availability, DateOnly? RetiredOn, int Components, int RemoteMaintenance,
    IReadOnlyList<VendorDto> Vendors, DateTimeOffset CreatedAt, DateTimeOffset? UpdatedAt);
public sealed record SupportDateDto(Guid Id, string Kind, string Subject, DateOnly EndsOn, string Source, Guid EnteredByOrganizationId,
    string EnteredByOrganization, string EnteredByName, DateTimeOffset EnteredAt, int DaysLeft, int? WarningThreshold);
public sealed record ComponentDto(Guid Id, Guid SystemId, string SystemName, string ManagementNumber, string Kind, string Name, string? Maker, string? Model,
    string? SerialNumber, string? Software, string? SoftwareVersion, string? Os, string? OsVersion, string? Firmware, string? IpAddress, string? HostName,
    string? Location, string? Users, DateOnly? RegisteredOn, string? OwnerDepartment, Guid? SupplierVendorId, string? SupplierName, bool UsesRemoteMaintenance,
    string? NetworkSegment, string? Confidentiality, string? Integrity, string? Availability, bool? AntiMalware, string? Notes, DateOnly? RetiredOn,
    int Revision, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateOnly? NextEndOfSupport);
public sealed record ChangeDto(string Field, string? Before, string? After);
public sealed record ProposalDto(Guid Id, Guid SystemId, string SystemName, Guid? ComponentId, string? ManagementNumber, Guid VendorId, string VendorName,
    string State, string? Comment, string ProposedBy, DateTimeOffset ProposedAt, string? DecidedBy, DateTimeOffset? DecidedAt, string? RejectionReason,
    int Revision, IReadOnlyList<ChangeDto> Changes);

/// <summary>
/// The 医療情報システム台帳 through the API: systems and components of one hospital (list, get, create, update),
/// end-of-support dates, vendors' proposals and their decisions, and the Excel ledger. Another tenant's hospital,
/// system, component or proposal answers 404; a role that may not change the ledger answers 403; a stale Revision 409.
/// </summary>
public static class LedgerApi
{
    public static void Map(RouteGroupBuilder v1)
    {
        var g = v1.MapGroup("/hospitals/{hospitalId:guid}").WithTags("Ledger").RequireAuthorization(Policies.HospitalInRoute);

        g.MapGet("/systems", async (Guid hospitalId, LedgerService ledger) => (await ledger.SystemsAsync(hospitalId)).Select(ToDto).ToList())
            .WithName("ListLedgerSystems").WithSummary("The hospital's systems (a vendor: those it is engaged for) with component counts and engaged vendors")
            .Produces<List<SystemDto>>();

        g.MapGet("/systems/{systemId:guid}", async (Guid hospitalId, Guid systemId, LedgerService ledger) =>
            (await ledger.SystemsAsync(hospitalId)).FirstOrDefault(s => s.System.Id == systemId) is { } row ? Results.Ok(ToDto(row)) : Results.NotFound())
            .WithName("GetLedgerSystem").Produces<SystemDto>();

        g.MapPost("/systems", async (Guid hospitalId, SystemBody body, ClaimsPrincipal user, ITenantContext tenant, LedgerService ledger, IStringLocalizer<SharedResource> l) =>
        {
            var (values, problems) = ToValues(body);
            var result = problems.Count > 0 ? LedgerResult.Invalid(problems) : await ledger.SaveSystemAsync(LedgerAccess.ActorOf(user, tenant), hospitalId, null, values);
            return result.Succeeded ? Results.Created($"/api/v1/hospitals/{hospitalId}/systems/{result.Id}", new { id = result.Id }) : Problems(result, l);
        }).WithName("CreateLedgerSystem").WithSummary("Hospital editors (TenantAdmin, SystemOperator, PlanningManager, SecurityManager) add a system");

        g.MapPut("/systems/{systemId:guid}", async (Guid hospitalId, Guid systemId, SystemBody body, ClaimsPrincipal user, ITenantContext tenant, LedgerService ledger,
            IStringLocalizer<SharedResource> l) =>
        {
            var (values, problems) = ToValues(body);
            if (problems.Count > 0 && await ledger.SystemAsync(hospitalId, systemId) is null)
            {
                return Results.NotFound();
            }
            var result = problems.Count > 0 ? LedgerResult.Invalid(problems) : await ledger.SaveSystemAsync(LedgerAccess.ActorOf(user, tenant), hospitalId, systemId, values);
            return result.Succeeded ? Results.NoContent() : Problems(result, l);
        }).WithName("UpdateLedgerSystem").WithSummary("Replaces a system's fields (hospital editors)");

        g.MapGet("/components", async (Guid hospitalId, Guid? systemId, LedgerService ledger) =>
            (await ledger.ComponentsAsync(hospitalId, systemId)).Select(ToDto).ToList())
            .WithName("ListLedgerComponents").WithSummary("The hospital's components (a vendor: those it supplies), optionally of one system")
            .Produces<List<ComponentDto>>();

        g.MapGet("/components/{componentId:guid}", async (Guid hospitalId, Guid componentId, LedgerService ledger) =>
            (await ledger.ComponentsAsync(hospitalId)).FirstOrDefault(c => c.Component.Id == componentId) is { } row ? Results.Ok(ToDto(row)) : Results.NotFound())
            .WithName("GetLedgerComponent").Produces<ComponentDto>();

        g.MapPost("/components", async (Guid hospitalId, ComponentBody body, ClaimsPrincipal user, ITenantContext tenant, LedgerService ledger, IStringLocalizer<SharedResource> l) =>
        {
            var (values, problems) = ToValues(body);
            var result = problems.Count > 0 ? LedgerResult.Invalid(problems) : await ledger.SaveComponentAsync(LedgerAccess.ActorOf(user, tenant), hospitalId, null, values, null);
            return result.Succeeded ? Results.Created($"/api/v1/hospitals/{hospitalId}/components/{result.Id}", new { id = result.Id }) : Problems(result, l);
        }).WithName("CreateLedgerComponent").WithSummary("Hospital editors add a component; vendors propose instead (component-proposals)");

        g.MapPut("/components/{componentId:guid}", async (Guid hospitalId, Guid componentId, ComponentBody body, ClaimsPrincipal user, ITenantContext tenant,
            LedgerService ledger, IStringLocalizer<SharedResource> l) =>
        {
            if (await ledger.ComponentAsync(hospitalId, componentId) is null)
            {
                return Results.NotFound();
            }
            var (values, problems) = ToValues(body);
            if (body.Revision is null)
            {
                problems.Add(new LedgerProblem("Revision", "Required"));
            }
            var result = problems.Count > 0 ? LedgerResult.Invalid(problems)
                : await ledger.SaveComponentAsync(LedgerAccess.ActorOf(user, tenant), hospitalId, componentId, values, body.Revision);
            return result.Succeeded ? Results.NoContent() : Problems(result, l);
        }).WithName("UpdateLedgerComponent").WithSummary("Replaces a component's fields (hospital editors); revision must be the one read");

        g.MapGet("/components/{componentId:guid}/support-dates", async (Guid hospitalId, Guid componentId, LedgerService ledger) =>
            await ledger.ComponentAsync(hospitalId, componentId) is null ? Results.NotFound()
                : Results.Ok((await ledger.SupportDatesAsync(hospitalId, componentId)).Select(ToDto).ToList()))
            .WithName("ListComponentSupportDates").WithSummary("End-of-support dates with days left under the hospital's warning windows")
            .Produces<List<SupportDateDto>>();

        g.MapPost("/components/{componentId:guid}/support-dates", async (Guid hospitalId, Guid componentId, SupportDateBody body, ClaimsPrincipal user,
            ITenantContext tenant, LedgerService ledger, IStringLocalizer<SharedResource> l) =>
        {
            SupportKind? kind = null;
            if (body.Kind is not null)
            {
                if (!LedgerRules.TryParseSupportKind(body.Kind, out var k))
                {
                    return await ledger.ComponentAsync(hospitalId, componentId) is null ? Results.NotFound()
                        : Problems(LedgerResult.Invalid("Kind", "ValueUnknown", body.Kind), l);
                }
                kind = k;
            }
            var result = await ledger.AddSupportDateAsync(LedgerAccess.ActorOf(user, tenant), hospitalId, componentId, kind, body.Subject, body.EndsOn, body.Source);
            return result.Succeeded ? Results.Created($"/api/v1/hospitals/{hospitalId}/components/{componentId}/support-dates/{result.Id}", new { id = result.Id }) : Problems(result, l);
        }).WithName("AddComponentSupportDate").WithSummary("Hospital editors and the supplying vendor add an end-of-support date (kind, subject, endsOn, source)");

        g.MapDelete("/components/{componentId:guid}/support-dates/{supportDateId:guid}", async (Guid hospitalId, Guid componentId, Guid supportDateId,
            ClaimsPrincipal user, ITenantContext tenant, LedgerService ledger, IStringLocalizer<SharedResource> l) =>
        {
            var result = await ledger.RemoveSupportDateAsync(LedgerAccess.ActorOf(user, tenant), hospitalId, componentId, supportDateId);
            return result.Succeeded ? Results.NoContent() : Problems(result, l);
        }).WithName("RemoveComponentSupportDate").WithSummary("Hospital editors remove any date; the supplying vendor those its organization entered");

        g.MapGet("/component-proposals", async (Guid hospitalId, string? state, LedgerService ledger) =>
        {
            ProposalState? s = Enum.TryParse<ProposalState>(state, true, out var parsed) ? parsed : null;
            var rows = await ledger.ProposalsAsync(hospitalId, s);
            var current = await CurrentValuesAsync(ledger, hospitalId);
            return rows.Select(r => ToDto(r, current)).ToList();
        }).WithName("ListComponentProposals").WithSummary("Proposals to the hospital's ledger (a vendor: its own), newest first; state=Pending filters")
          .Produces<List<ProposalDto>>();

        g.MapGet("/component-proposals/{proposalId:guid}", async (Guid hospitalId, Guid proposalId, LedgerService ledger) =>
            await ledger.ProposalAsync(hospitalId, proposalId) is { } row ? Results.Ok(ToDto(row, await CurrentValuesAsync(ledger, hospitalId))) : Results.NotFound())
            .WithName("GetComponentProposal").Produces<ProposalDto>();

        g.MapPost("/component-proposals", async (Guid hospitalId, ProposalBody body, ClaimsPrincipal user, ITenantContext tenant, LedgerService ledger,
            IStringLocalizer<SharedResource> l) =>
        {
            if (body.Component is null)
            {
                return Problems(LedgerResult.Invalid("Component", "Required"), l);
            }
            var (values, problems) = ToValues(body.Component);
            var result = problems.Count > 0 ? LedgerResult.Invalid(problems)
                : await ledger.ProposeAsync(LedgerAccess.ActorOf(user, tenant), hospitalId, body.ComponentId, values, body.Comment);
            return result.Succeeded ? Results.Created($"/api/v1/hospitals/{hospitalId}/component-proposals/{result.Id}", new { id = result.Id }) : Problems(result, l);
        }).WithName("CreateComponentProposal").WithSummary("A vendor proposes new values for a component it supplies (componentId), or a new component for a system it is engaged for");

        g.MapPost("/component-proposals/{proposalId:guid}/accept", async (Guid hospitalId, Guid proposalId, DecisionBody? body, ClaimsPrincipal user,
            ITenantContext tenant, LedgerService ledger, IStringLocalizer<SharedResource> l) =>
        {
            var result = await ledger.AcceptAsync(LedgerAccess.ActorOf(user, tenant), hospitalId, proposalId, body?.Revision);
            return result.Succeeded ? Results.NoContent() : Problems(result, l);
        }).WithName("AcceptComponentProposal").WithSummary("A hospital editor applies a pending proposal (409 when the component changed since it was made)");

        g.MapPost("/component-proposals/{proposalId:guid}/reject", async (Guid hospitalId, Guid proposalId, DecisionBody? body, ClaimsPrincipal user,
            ITenantContext tenant, LedgerService ledger, IStringLocalizer<SharedResource> l) =>
        {
            var result = await ledger.RejectAsync(LedgerAccess.ActorOf(user, tenant), hospitalId, proposalId, body?.Reason, body?.Revision);
            return result.Succeeded ? Results.NoContent() : Problems(result, l);
        }).WithName("RejectComponentProposal").WithSummary("A hospital editor rejects a pending proposal with a reason (required)");

        g.MapGet("/ledger/xlsx", async (Guid hospitalId, LedgerService ledger, LedgerImport import) =>
        {
            if (await ledger.HospitalAsync(hospitalId) is not { } hospital)
            {
                return Results.NotFound();
            }
            var bytes = await import.ExportAsync(hospitalId, hospital.Name);
            return Results.File(bytes, WorkbookFile.ContentType, FormWorkbookService.FileName("医療情報システム台帳", hospital.Name, ledger.Today.ToString("yyyyMMdd")));
        }).Produces(StatusCodes.Status200OK, contentType: WorkbookFile.ContentType).WithName("ExportLedgerXlsx")
          .WithSummary("The ledger as .xlsx: sheet 構成機器 (one row per component) and sheet システム");

        g.MapPost("/ledger/xlsx", async (Guid hospitalId, HttpRequest request, ClaimsPrincipal user, ITenantContext tenant, LedgerImport import,
            IStringLocalizer<SharedResource> l) =>
        {
            var actor = LedgerAccess.ActorOf(user, tenant);
            if (!actor.CanEdit)
            {
                return Problems(LedgerResult.Fail("Forbidden"), l);
            }
            var (file, refused) = await XlsxUploadApi.ReadAsync(request, l);
            if (file is null)
            {
                return refused!;
            }
            await using var stream = file.OpenReadStream();
            var result = await import.ImportAsync(actor, hospitalId, stream, file.FileName);
            if (result.Succeeded)
            {
                return Results.Ok(new { rows = result.Rows, created = result.Created, updated = result.Updated, unchanged = result.Unchanged });
            }
            if (result.ErrorCode is { } code)
            {
                return Problems(LedgerResult.Fail(code), l);
            }
            return XlsxUploadApi.Problems(result.Problems, p => Message(l, p), l);
        }).DisableAntiforgery() // the group's SessionAntiforgeryFilter checks the header
          .WithName("ImportLedgerXlsx").WithSummary("multipart/form-data: file (.xlsx, up to 10 MB). Upserts components by 管理番号; all or nothing, problems by cell (422)");
    }

    /// <summary>A workbook problem's text: the ledger's own codes are "Ledger_…", the shared ones "Xlsx_…".</summary>
    public static string Message(IStringLocalizer l, WorkbookProblem p)
        => p.Code.StartsWith("Ledger_", StringComparison.Ordinal) ? l[p.Code, p.Args].Value : l["Xlsx_" + p.Code, p.Args].Value;

    public static IResult Problems(LedgerResult result, IStringLocalizer l) => result.ErrorCode switch
    {
        "NotFound" => Results.NotFound(),
        "Forbidden" => Results.Problem(title: l["Ledger_Forbidden"], statusCode: StatusCodes.Status403Forbidden),
        "Conflict" or "ProposalStale" or "NotPending" => Results.Problem(title: l["Ledger_" + result.ErrorCode], statusCode: StatusCodes.Status409Conflict),
        _ => Results.ValidationProblem((result.Problems ?? []).GroupBy(p => p.Field.Length == 0 ? "body" : char.ToLowerInvariant(p.Field[0]) + p.Field[1..])
            .ToDictionary(x => x.Key, x => x.Select(p => l["Ledger_" + p.Code, p.Args].Value).ToArray())),
    };

    private static (SystemValues, List<LedgerProblem>) ToValues(SystemBody b)
    {
        var problems = new List<LedgerProblem>();
        var v = new SystemValues
        {
            Name = b.Name, Category = b.Category, Description = b.Description, OwnerDepartment = b.OwnerDepartment, Administrator = b.Administrator, RetiredOn = b.RetiredOn,
            NetworkSegment = Parse<NetworkSegment>(b.NetworkSegment, "NetworkSegment", LedgerRules.TryParseSegment, problems),
            Confidentiality = Parse<SecurityClass>(b.Confidentiality, "Confidentiality", LedgerRules.TryParseClass, problems),
            Integrity = Parse<SecurityClass>(b.Integrity, "Integrity", LedgerRules.TryParseClass, problems),
            Availability = Parse<SecurityClass>(b.Availability, "Availability", LedgerRules.TryParseClass, problems),
        };
        return (v, problems);
    }

    private static (ComponentValues, List<LedgerProblem>) ToValues(ComponentBody b)
    {
        var problems = new List<LedgerProblem>();
        var v = new ComponentValues
        {
            SystemId = b.SystemId ?? Guid.Empty, ManagementNumber = b.ManagementNumber, Name = b.Name, Maker = b.Maker, Model = b.Model,
            SerialNumber = b.SerialNumber, Software = b.Software, SoftwareVersion = b.SoftwareVersion, Os = b.Os, OsVersion = b.OsVersion, Firmware = b.Firmware,
            IpAddress = b.IpAddress, HostName = b.HostName, Location = b.Location, Users = b.Users, RegisteredOn = b.RegisteredOn,
            OwnerDepartment = b.OwnerDepartment, SupplierVendorId = b.SupplierVendorId, UsesRemoteMaintenance = b.UsesRemoteMaintenance ?? false,
            AntiMalware = b.AntiMalware, Notes = b.Notes, RetiredOn = b.RetiredOn,
            Kind = Parse<ComponentKind>(b.Kind, "Kind", LedgerRules.TryParseKind, problems),
            NetworkSegment = Parse<NetworkSegment>(b.NetworkSegment, "NetworkSegment", LedgerRules.TryParseSegment, problems),
            Confidentiality = Parse<SecurityClass>(b.Confidentiality, "Confidentiality", LedgerRules.TryParseClass, problems),
            Integrity = Parse<SecurityClass>(b.Integrity, "Integrity", LedgerRules.TryParseClass, problems),
            Availability = Parse<SecurityClass>(b.Availability, "Availability", LedgerRules.TryParseClass, problems),
        };
        return (v, problems);
    }

    private delegate bool TryParse<T>(string? text, out T value);

    private static T? Parse<T>(string? text, string field, TryParse<T> parse, List<LedgerProblem> problems) where T : struct
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (parse(text, out var value))
        {
            return value;
        }
        problems.Add(new LedgerProblem(field, "ValueUnknown", text));
        return null;
    }

    private static async Task<Dictionary<Guid, ComponentValues>> CurrentValuesAsync(LedgerService ledger, Guid hospitalId)
        => (await ledger.ComponentsAsync(hospitalId)).ToDictionary(c => c.Component.Id, c => ComponentValues.Of(c.Component));

    private static SystemDto ToDto(SystemRow r) => new(r.System.Id, r.System.Name, r.System.Category, r.System.Description, r.System.OwnerDepartment,
        r.System.Administrator, r.System.NetworkSegment?.ToString(), r.System.Confidentiality?.ToString(), r.System.Integrity?.ToString(),
        r.System.Availability?.ToString(), r.System.RetiredOn, r.Components, r.RemoteMaintenance, [.. r.Vendors.Select(v => new VendorDto(v.Id, v.Name))],
        r.System.CreatedAt, r.System.UpdatedAt);

    private static ComponentDto ToDto(ComponentRow r)
    {
        var c = r.Component;
        return new(c.Id, c.SystemId, r.SystemName, c.ManagementNumber, c.Kind.ToString(), c.Name, c.Maker, c.Model, c.SerialNumber, c.Software, c.SoftwareVersion,
            c.Os, c.OsVersion, c.Firmware, c.IpAddress, c.HostName, c.Location, c.Users, c.RegisteredOn, c.OwnerDepartment, c.SupplierVendorId, r.SupplierName,
            c.UsesRemoteMaintenance, c.NetworkSegment?.ToString(), c.Confidentiality?.ToString(), c.Integrity?.ToString(), c.Availability?.ToString(),
            c.AntiMalware, c.Notes, c.RetiredOn, c.Revision, c.CreatedAt, c.UpdatedAt, r.NextEndOfSupport);
    }

    private static SupportDateDto ToDto(SupportDateRow r) => new(r.Date.Id, r.Date.Kind.ToString(), r.Date.Subject, r.Date.EndsOn, r.Date.Source,
        r.Date.EnteredByOrganizationId, r.EnteredByOrganization, r.Date.EnteredByName, r.Date.EnteredAt, r.Standing.DaysLeft, r.Standing.Threshold);

    private static ProposalDto ToDto(ProposalRow r, Dictionary<Guid, ComponentValues> current)
    {
        var p = r.Proposal;
        var before = p.ComponentId is { } cid && current.TryGetValue(cid, out var v) ? v : null;
        var changes = p.State == ProposalState.Pending ? LedgerRules.Diff(before, LedgerService.ProposedValues(p)) : LedgerRules.Diff(null, LedgerService.ProposedValues(p));
        return new(p.Id, p.SystemId, r.SystemName, p.ComponentId, r.ManagementNumber, p.VendorId, r.VendorName, p.State.ToString(), p.Comment, p.ProposedByName,
            p.ProposedAt, p.DecidedByName, p.DecidedAt, p.RejectionReason, p.Revision, [.. changes.Select(c => new ChangeDto(c.Field, c.Before, c.After))]);
    }
}
