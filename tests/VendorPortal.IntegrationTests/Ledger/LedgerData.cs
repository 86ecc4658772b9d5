using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VendorPortal.Features.Ledger;
using VendorPortal.Features.Organizations;
using VendorPortal.IntegrationTests.Support;

namespace VendorPortal.IntegrationTests.Ledger;

/// <summary>Ledger records of a tenant set, made directly in the database, and helpers for the ledger tests.</summary>
public static class LedgerData
{
    public sealed record Records(Guid SystemId, Guid ComponentId, Guid UnsuppliedComponentId, Guid SupportDateId, Guid ProposalId);

    /// <summary>
    /// Two components of the tenant set's system (one supplied by its vendor, one by nobody), an EOS date on the supplied
    /// one and a pending proposal from the vendor.
    /// </summary>
    public static async Task<Records> SeedAsync(PortalFactory factory, TenantSet t)
    {
        var now = DateTimeOffset.UtcNow;
        var supplied = Component(t, "S-" + Guid.NewGuid().ToString("N")[..6], t.Vendor.Id);
        var unsupplied = Component(t, "U-" + Guid.NewGuid().ToString("N")[..6], null);
        var date = new ComponentSupportDate
        {
            Id = Guid.NewGuid(), HospitalId = t.Hospital.Id, ComponentId = supplied.Id, Kind = SupportKind.Os, Subject = "Windows Server 2016",
            EndsOn = new DateOnly(2027, 1, 12), Source = "Microsoft", EnteredByOrganizationId = t.Hospital.Id, EnteredByName = "テスト", EnteredAt = now,
        };
        var values = ComponentValues.Of(supplied);
        values.Firmware = "2.0";
        var proposal = new ComponentProposal
        {
            Id = Guid.NewGuid(), HospitalId = t.Hospital.Id, SystemId = t.System.Id, ComponentId = supplied.Id, VendorId = t.Vendor.Id,
            ProposedValues = JsonSerializer.Serialize(values, LedgerService.ValuesJson), BaseRevision = 1, State = ProposalState.Pending,
            ProposedByName = "テスト事業者", ProposedAt = now, Revision = 1,
        };
        await factory.WithDbAsync(async (db, _) =>
        {
            db.SystemComponents.AddRange(supplied, unsupplied);
            db.ComponentSupportDates.Add(date);
            db.ComponentProposals.Add(proposal);
            await db.SaveChangesAsync();
        });
        return new Records(t.System.Id, supplied.Id, unsupplied.Id, date.Id, proposal.Id);
    }

    public static SystemComponent Component(TenantSet t, string number, Guid? supplier) => new()
    {
        Id = Guid.NewGuid(), HospitalId = t.Hospital.Id, SystemId = t.System.Id, ManagementNumber = number, Kind = ComponentKind.Server,
        Name = "サーバ " + number, Os = "Windows Server 2016", IpAddress = "10.0.0.1", SupplierVendorId = supplier, Revision = 1,
        CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
    };

    public static object Body(TenantSet t, string number, int? revision = null, string? ip = "10.1.10.11") => new
    {
        systemId = t.System.Id, managementNumber = number, kind = "Server", name = "電子カルテ DBサーバ", os = "Windows Server 2016 Standard",
        ipAddress = ip, supplierVendorId = t.Vendor.Id, usesRemoteMaintenance = false, networkSegment = "診療系", confidentiality = "A",
        integrity = "A", availability = "B", revision,
    };

    public static async Task<Guid> CreatedIdAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>A ledger workbook as exported, with <paramref name="rows"/> components of the tenant set's system.</summary>
    public static byte[] Workbook(TenantSet t, int rows, string prefix, Action<int, SystemComponent>? change = null)
    {
        var list = new List<ComponentRow>();
        for (var i = 1; i <= rows; i++)
        {
            var c = Component(t, $"{prefix}-{i:D4}", t.Vendor.Id);
            c.IpAddress = $"10.2.{i / 250}.{i % 250 + 1}";
            c.RegisteredOn = new DateOnly(2024, 4, 1);
            change?.Invoke(i, c);
            list.Add(new ComponentRow(c, t.System.Name, c.SupplierVendorId is null ? null : t.Vendor.Name, null));
        }
        return LedgerWorkbook.Write(t.Hospital.Name, new DateOnly(2026, 11, 21), list, []);
    }
}
