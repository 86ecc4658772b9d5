using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Account;
using VendorPortal.Features.Organizations;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Tenancy;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Inspection.Export;

/// <summary>
/// Who may export a bundle, checked again when the work runs outside a request (the job, the command): an active
/// user of that hospital holding one of <see cref="Roles"/> — the same roles as the
/// <c>InspectionExportInRoute</c> policy that guards the page and the API.
/// </summary>
public static class InspectionExportAccess
{
    public static readonly IReadOnlyList<string> Roles = [Account.Roles.Auditor, Account.Roles.SecurityManager, Account.Roles.Executive];

    /// <summary>
    /// Makes the given (fresh, unscoped) DI scope act for <paramref name="userId"/>. Returns the user's display name,
    /// or null (scope unchanged) when the user is missing, inactive, of another organization or without an allowed role.
    /// </summary>
    public static async Task<string?> ActAsExporterAsync(IServiceProvider scopedServices, Guid userId, Guid hospitalId, CancellationToken ct = default)
    {
        var tenant = scopedServices.GetRequiredService<ITenantContext>();
        if (tenant.OrganizationId is not null)
        {
            throw new InvalidOperationException("ActAsExporterAsync needs a scope without a user.");
        }
        var db = scopedServices.GetRequiredService<AppDbContext>();
        var user = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId && u.OrganizationId == hospitalId && u.IsActive)
            .Select(u => new { u.Id, u.DisplayName, u.Email })
            .SingleOrDefaultAsync(ct);
        var isHospital = await db.Organizations.AsNoTracking().AnyAsync(o => o.Id == hospitalId && o.Kind == OrganizationKind.Hospital, ct);
        if (user is null || !isHospital)
        {
            return null;
        }
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where ur.UserId == userId
                           select r.Name).ToListAsync(ct);
        if (!roles.Any(Roles.Contains))
        {
            return null;
        }
        var name = string.IsNullOrWhiteSpace(user.DisplayName) ? user.Email ?? user.Id.ToString() : user.DisplayName;
        scopedServices.GetRequiredService<ActingUser>().Set(hospitalId, OrganizationKind.Hospital, userId, name);
        return name;
    }
}

/// <summary>The scope a user may ask for. Pure; unit-tested.</summary>
public static class BundleScopeRules
{
    /// <summary>A date range may span at most this many days (about three 年度).</summary>
    public const int MaxRangeDays = 3 * 366;

    public const int MinYear = 2000;

    /// <summary>
    /// Resource keys of the problems with a requested scope (empty when valid): exactly one of a 年度 or a range;
    /// the range in order, not longer than <see cref="MaxRangeDays"/>; nothing starting after today.
    /// </summary>
    public static IReadOnlyList<string> Validate(int? fiscalYear, DateOnly? from, DateOnly? to, DateOnly today)
    {
        var problems = new List<string>();
        if (fiscalYear is not null && (from is not null || to is not null))
        {
            problems.Add("Inspection_Scope_Both");
            return problems;
        }
        if (fiscalYear is { } year)
        {
            if (year < MinYear || new FiscalYear(year).FirstDay > today)
            {
                problems.Add("Inspection_Scope_YearOutOfRange");
            }
            return problems;
        }
        if (from is null || to is null)
        {
            problems.Add("Inspection_Scope_Missing");
            return problems;
        }
        if (from > to)
        {
            problems.Add("Inspection_Scope_Reversed");
        }
        else if (to.Value.DayNumber - from.Value.DayNumber + 1 > MaxRangeDays)
        {
            problems.Add("Inspection_Scope_TooLong");
        }
        if (from.Value.Year < MinYear || from > today)
        {
            problems.Add("Inspection_Scope_StartOutOfRange");
        }
        return problems;
    }
}
