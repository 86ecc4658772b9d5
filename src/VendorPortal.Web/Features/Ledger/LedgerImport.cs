using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Forms.Workbooks;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.Infrastructure.Data;

namespace VendorPortal.Features.Ledger;

public sealed record LedgerImportResult(bool Succeeded, IReadOnlyList<WorkbookProblem> Problems, int Rows = 0, int Created = 0, int Updated = 0, int Unchanged = 0,
    string? ErrorCode = null);

/// <summary>
/// The ledger's Excel round trip. Export: every component the caller sees plus the systems sheet. Import (hospital
/// editors): every row of 「構成機器」 is upserted by 管理番号 — new numbers create components, known ones update them;
/// the system is named by its exact name and must exist; the vendor by its name and must be engaged for that system.
/// Every row is checked first and every problem listed by cell; only a file without problems is saved, in one
/// SaveChangesAsync (one transaction). One ledger.imported_xlsx audit event carries the counts and the file's SHA-256;
/// the automatic entity events remain for the rows that actually changed (an unchanged row writes nothing).
/// </summary>
public sealed class LedgerImport(AppDbContext db, LedgerService ledger, AuditLog audit)
{
    public async Task<byte[]> ExportAsync(Guid hospitalId, string hospitalName)
    {
        var (bytes, components, systems) = await BuildAsync(hospitalId, hospitalName);
        audit.Record(AuditActions.LedgerExported, "system_components", hospitalId.ToString(), new { hospitalId, components, systems }, hospitalId);
        await db.SaveChangesAsync();
        return bytes;
    }

    /// <summary>
    /// The ledger workbook without recording anything (the inspection bundle records its own export): 作成日 and the
    /// engaged vendors as of <paramref name="asOf"/> (default today). Components by 管理番号, systems by name.
    /// </summary>
    public async Task<(byte[] Bytes, int Components, int Systems)> BuildAsync(Guid hospitalId, string hospitalName, DateOnly? asOf = null)
    {
        var day = asOf ?? ledger.Today;
        var components = await ledger.ComponentsAsync(hospitalId);
        var systems = await ledger.SystemsAsync(hospitalId, day);
        var visibleSystems = systems.OrderBy(s => s.System.Name, StringComparer.Ordinal).ThenBy(s => s.System.Id)
            .Select(s => new LedgerExportSystem(s.System, [.. s.Vendors.Select(v => v.Name)], s.Components)).ToList();
        var ordered = components.OrderBy(c => c.Component.ManagementNumber, StringComparer.Ordinal).ThenBy(c => c.Component.Id).ToList();
        return (LedgerWorkbook.Write(hospitalName, day, ordered, visibleSystems), components.Count, systems.Count);
    }

    public async Task<LedgerImportResult> ImportAsync(LedgerActor actor, Guid hospitalId, Stream upload, string? fileName, CancellationToken ct = default)
    {
        if (!actor.CanEdit || actor.OrganizationId != hospitalId)
        {
            return new LedgerImportResult(false, [], ErrorCode: "Forbidden");
        }
        byte[] bytes;
        LedgerSheet sheet;
        try
        {
            bytes = await XlsxSafety.ReadUploadAsync(upload, ct);
            using var package = XlsxSafety.Open(bytes);
            sheet = LedgerWorkbook.Read(package);
        }
        catch (WorkbookException ex)
        {
            return new LedgerImportResult(false, [ex.Problem]);
        }
        var problems = sheet.Problems.ToList();
        if (sheet.Rows.Count == 0)
        {
            return new LedgerImportResult(false, problems);
        }

        var systems = await db.MedicalSystems.Where(s => s.HospitalId == hospitalId).Select(s => new { s.Id, s.Name }).ToListAsync(ct);
        var systemByName = systems.GroupBy(s => s.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Id, StringComparer.Ordinal);
        var engaged = await ledger.EngagedVendorsAsync(hospitalId);
        var existing = await db.SystemComponents.Where(c => c.HospitalId == hospitalId).ToDictionaryAsync(c => c.ManagementNumber, StringComparer.Ordinal, ct);
        var today = ledger.Today;
        var firstRowOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var accepted = new List<(SystemComponent? Existing, ComponentValues Values)>();

        foreach (var row in sheet.Rows)
        {
            var v = row.Values;
            if (row.SystemName is { } sn)
            {
                if (systemByName.TryGetValue(sn, out var sid)) { v.SystemId = sid; }
                else { problems.Add(new WorkbookProblem(sheet.Cell(nameof(ComponentValues.SystemId), row.Row), "Ledger_SystemUnknownName", sn)); }
            }
            if (row.VendorName is { } vn)
            {
                var vendor = v.SystemId != Guid.Empty && engaged.TryGetValue(v.SystemId, out var vs) ? vs.FirstOrDefault(x => x.Name == vn) : null;
                if (vendor is not null) { v.SupplierVendorId = vendor.Id; }
                else if (v.SystemId != Guid.Empty) { problems.Add(new WorkbookProblem(sheet.Cell(nameof(ComponentValues.SupplierVendorId), row.Row), "Ledger_VendorNotEngagedName", vn)); }
            }
            var number = LedgerRules.Clean(v.ManagementNumber);
            if (number is not null && !firstRowOf.TryAdd(number, row.Row))
            {
                problems.Add(new WorkbookProblem(sheet.Cell(nameof(ComponentValues.ManagementNumber), row.Row), "Ledger_DuplicateNumber", number, firstRowOf[number]));
                continue;
            }
            var current = number is not null && existing.TryGetValue(number, out var c) ? c : null;
            var ruleProblems = LedgerRules.ValidateComponent(v, today)
                .Where(p => !(p.Field == nameof(ComponentValues.SystemId) && row.SystemName is not null)) // named but unknown: said above
                .Concat(row.VendorName is not null && v.SupplierVendorId is null ? [] : LedgerService.CheckSupplier(current, v, engaged));
            problems.AddRange(ruleProblems.Select(p => new WorkbookProblem(sheet.Cell(p.Field, row.Row), "Ledger_" + p.Code, p.Args)));
            accepted.Add((current, v));
        }
        if (problems.Count > 0)
        {
            return new LedgerImportResult(false, problems, sheet.Rows.Count);
        }

        int created = 0, updated = 0, unchanged = 0;
        foreach (var (current, values) in accepted)
        {
            var revision = current?.Revision;
            ledger.Apply(hospitalId, current, values);
            if (current is null) { created++; }
            else if (current.Revision != revision) { updated++; }
            else { unchanged++; }
        }
        audit.Record(AuditActions.LedgerImported, "system_components", hospitalId.ToString(), new
        {
            hospitalId, file = Path.GetFileName(fileName ?? ""), sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            rows = sheet.Rows.Count, created, updated, unchanged,
        }, hospitalId);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new LedgerImportResult(false, [], sheet.Rows.Count, ErrorCode: "Conflict");
        }
        return new LedgerImportResult(true, [], sheet.Rows.Count, created, updated, unchanged);
    }
}
