using VendorPortal.Features.Ledger;
using VendorPortal.Features.Patches;
using VendorPortal.IntegrationTests.Support;

namespace VendorPortal.IntegrationTests.Patches;

/// <summary>Ledger rows and advisories for patch tests, written directly (the ledger UI is another feature).</summary>
public static class PatchData
{
    public sealed record Components(Guid Supplied, Guid Own, string SuppliedNumber, string OwnNumber);

    /// <summary>Two components of the tenant set's system: a server the vendor supplies, and a PC the hospital keeps itself.</summary>
    public static Task<Components> ComponentsAsync(PortalFactory factory, TenantSet t) => factory.WithDbAsync(async (db, _) =>
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var now = DateTimeOffset.UtcNow;
        var server = new SystemComponent
        {
            Id = Guid.NewGuid(), HospitalId = t.Hospital.Id, SystemId = t.System.Id, ManagementNumber = $"PT-SV-{tag}", Kind = ComponentKind.Server,
            Name = $"電子カルテサーバ-{tag}", Os = "Windows Server", OsVersion = "2019", SupplierVendorId = t.Vendor.Id, CreatedAt = now, UpdatedAt = now,
        };
        var pc = new SystemComponent
        {
            Id = Guid.NewGuid(), HospitalId = t.Hospital.Id, SystemId = t.System.Id, ManagementNumber = $"PT-PC-{tag}", Kind = ComponentKind.ClientPc,
            Name = $"診察室端末-{tag}", Os = "Windows 11", CreatedAt = now, UpdatedAt = now,
        };
        db.SystemComponents.AddRange(server, pc);
        await db.SaveChangesAsync();
        return new Components(server.Id, pc.Id, server.ManagementNumber, pc.ManagementNumber);
    });

    /// <summary>An advisory of the hospital on the given components, every status 未対応.</summary>
    public static Task<(Guid AdvisoryId, Guid[] StatusIds)> AdvisoryAsync(PortalFactory factory, TenantSet t, AdvisorySeverity severity, DateOnly releasedOn, params Guid[] componentIds)
        => factory.WithDbAsync(async (db, _) =>
        {
            var now = DateTimeOffset.UtcNow;
            var advisory = new SecurityAdvisory
            {
                Id = Guid.NewGuid(), HospitalId = t.Hospital.Id, Identifier = $"CVE-2024-{Random.Shared.Next(10000, 99999)}", Title = "テスト脆弱性",
                Severity = severity, ReleasedOn = releasedOn, CreatedByOrganizationId = t.Hospital.Id, CreatedByName = "テスト", CreatedAt = now,
            };
            db.SecurityAdvisories.Add(advisory);
            var statuses = componentIds.Select(c => new PatchStatus
            {
                Id = Guid.NewGuid(), HospitalId = t.Hospital.Id, AdvisoryId = advisory.Id, ComponentId = c, State = PatchState.Open, UpdatedAt = now, UpdatedByName = "テスト",
            }).ToArray();
            db.PatchStatuses.AddRange(statuses);
            await db.SaveChangesAsync();
            return (advisory.Id, statuses.Select(s => s.Id).ToArray());
        });

    /// <summary>Another tenant's advisory and status, for the route walk.</summary>
    public static async Task<(Guid AdvisoryId, Guid StatusId)> TheirsAsync(PortalFactory factory, TenantSet t)
    {
        var c = await ComponentsAsync(factory, t);
        var (advisory, statuses) = await AdvisoryAsync(factory, t, AdvisorySeverity.High, DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-3), c.Supplied);
        return (advisory, statuses[0]);
    }
}
