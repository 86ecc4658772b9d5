using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Account;
using VendorPortal.Infrastructure.Data;

namespace VendorPortal.Features.Policy;

/// <summary>
/// Reads and saves a hospital's <see cref="CompliancePolicy"/>. Other features (reminders, ledger, gaps) call
/// <see cref="GetAsync"/>: the hospital's row, or the defaults when it never saved one. Reads go through the tenant
/// filters (a hospital sees its own row only); a system job (unscoped context) sees every row.
/// </summary>
public sealed class CompliancePolicyStore(AppDbContext db, TimeProvider time)
{
    /// <summary>TenantAdmin and SecurityManager set the policy; everyone else at the hospital reads it.</summary>
    public static readonly string[] EditorRoles = [Roles.TenantAdmin, Roles.SecurityManager];

    public Task<CompliancePolicy> GetAsync(Guid hospitalId, CancellationToken ct = default) => ReadAsync(db, hospitalId, ct);

    /// <summary>The hospital's row or the defaults, through the tenant filters: the one read every feature uses.</summary>
    public static async Task<CompliancePolicy> ReadAsync(AppDbContext db, Guid hospitalId, CancellationToken ct = default)
        => await db.CompliancePolicies.AsNoTracking().SingleOrDefaultAsync(p => p.HospitalId == hospitalId, ct)
           ?? CompliancePolicy.Defaults(hospitalId);

    /// <summary>Whether the hospital has saved a policy of its own (otherwise the defaults apply).</summary>
    public Task<bool> IsCustomAsync(Guid hospitalId, CancellationToken ct = default)
        => db.CompliancePolicies.AnyAsync(p => p.HospitalId == hospitalId, ct);

    /// <summary>
    /// Validates with <see cref="PolicyRules.Validate"/> and saves (the first save creates the row). Warning days are
    /// stored largest first. Returns the resource keys of the problems; nothing is saved when there are any. The
    /// entity audit records the change (from → to).
    /// </summary>
    public async Task<List<string>> SaveAsync(Guid hospitalId, CompliancePolicy input, string userName, CancellationToken ct = default)
    {
        var errors = PolicyRules.Validate(input);
        if (errors.Count > 0)
        {
            return errors;
        }
        var row = await db.CompliancePolicies.SingleOrDefaultAsync(p => p.HospitalId == hospitalId, ct);
        if (row is null)
        {
            row = CompliancePolicy.Defaults(hospitalId);
            db.CompliancePolicies.Add(row);
        }
        var days = input.EosWarningDays.OrderByDescending(d => d).ToArray();
        if (!days.SequenceEqual(row.EosWarningDays))
        {
            row.EosWarningDays = days;
        }
        row.CriticalPatchDays = input.CriticalPatchDays;
        row.HighPatchDays = input.HighPatchDays;
        row.OtherPatchDays = input.OtherPatchDays;
        row.EscalateToSystemOperatorDays = input.EscalateToSystemOperatorDays;
        row.EscalateToSecurityManagerDays = input.EscalateToSecurityManagerDays;
        row.EscalateToExecutiveDays = input.EscalateToExecutiveDays;
        row.UpdatedAt = time.GetUtcNow();
        row.UpdatedByName = userName;
        await db.SaveChangesAsync(ct);
        return [];
    }

    /// <summary>"365,180,90,30" → days; null when it is not a list of integers (then the rules' message applies).</summary>
    public static int[]? ParseDays(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }
        var parts = text.Split([',', '、', '，', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var days = new List<int>();
        foreach (var p in parts)
        {
            if (!int.TryParse(p, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var d))
            {
                return null;
            }
            days.Add(d);
        }
        return [.. days];
    }

    public static string FormatDays(IEnumerable<int> days) => string.Join(",", days);
}
