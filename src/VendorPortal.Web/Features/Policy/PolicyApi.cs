using System.Security.Claims;
using Microsoft.Extensions.Localization;
using VendorPortal.Features.Patches;
using VendorPortal.Infrastructure.Authorization;
using VendorPortal.Infrastructure.Localization;
using VendorPortal.Infrastructure.Tenancy;

namespace VendorPortal.Features.Policy;

public sealed record PolicyDto(int[] EosWarningDays, int CriticalPatchDays, int HighPatchDays, int OtherPatchDays,
    int EscalateToSystemOperatorDays, int EscalateToSecurityManagerDays, int EscalateToExecutiveDays, bool IsDefault, DateTimeOffset? UpdatedAt, string? UpdatedByName);

/// <summary>GET/PUT /api/v1/hospitals/{hospitalId}/policy: hospital staff read it, TenantAdmin and SecurityManager replace it (validated by PolicyRules).</summary>
public static class PolicyApi
{
    public static void Map(RouteGroupBuilder v1)
    {
        var g = v1.MapGroup("/hospitals/{hospitalId:guid}/policy").WithTags("Policy").RequireAuthorization(Policies.HospitalStaffInRoute);

        g.MapGet("/", async (Guid hospitalId, CompliancePolicyStore store) => Results.Ok(await DtoAsync(hospitalId, store)))
            .WithName("GetPolicy").WithSummary("The hospital's policy, or the defaults (isDefault) when it never saved one");

        g.MapPut("/", async (Guid hospitalId, PolicyDto body, ClaimsPrincipal user, ITenantContext tenant, CompliancePolicyStore store, IStringLocalizer<SharedResource> l) =>
        {
            if (!CompliancePolicyStore.EditorRoles.Any(user.IsInRole))
            {
                return Results.Problem(title: l["PolicyNotEditor"].Value, statusCode: StatusCodes.Status403Forbidden);
            }
            var input = new CompliancePolicy
            {
                HospitalId = hospitalId, EosWarningDays = body.EosWarningDays ?? [],
                CriticalPatchDays = body.CriticalPatchDays, HighPatchDays = body.HighPatchDays, OtherPatchDays = body.OtherPatchDays,
                EscalateToSystemOperatorDays = body.EscalateToSystemOperatorDays, EscalateToSecurityManagerDays = body.EscalateToSecurityManagerDays,
                EscalateToExecutiveDays = body.EscalateToExecutiveDays,
            };
            var errors = await store.SaveAsync(hospitalId, input, PatchService.ActorOf(user, tenant).Name);
            if (errors.Count > 0)
            {
                return Results.ValidationProblem(errors.ToDictionary(k => Field(k), k => new[] { l[k].Value }));
            }
            return Results.Ok(await DtoAsync(hospitalId, store));
        }).WithName("PutPolicy").WithSummary("Replaces the policy (all fields); eosWarningDays 1–6 distinct values 1–1095, patch days 1–365 critical ≤ high ≤ other, escalation 1–90");
    }

    private static string Field(string key) => key switch
    {
        "PolicyEosWarningDaysInvalid" => "eosWarningDays",
        "PolicyPatchDaysInvalid" or "PolicyPatchDaysOrder" => "patchDays",
        "PolicyEscalationDaysInvalid" => "escalationDays",
        _ => "policy",
    };

    private static async Task<PolicyDto> DtoAsync(Guid hospitalId, CompliancePolicyStore store)
    {
        var p = await store.GetAsync(hospitalId);
        var custom = await store.IsCustomAsync(hospitalId);
        return new PolicyDto(p.EosWarningDays, p.CriticalPatchDays, p.HighPatchDays, p.OtherPatchDays, p.EscalateToSystemOperatorDays,
            p.EscalateToSecurityManagerDays, p.EscalateToExecutiveDays, !custom, custom ? p.UpdatedAt : null, custom ? p.UpdatedByName : null);
    }
}
