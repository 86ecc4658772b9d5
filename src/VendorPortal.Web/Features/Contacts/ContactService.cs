using Microsoft.EntityFrameworkCore;
using VendorPortal.Features.Account;
using VendorPortal.Infrastructure.Auditing;
using VendorPortal.Infrastructure.Data;
using VendorPortal.Infrastructure.Time;

namespace VendorPortal.Features.Contacts;

/// <summary>A vendor's contacts with their last confirmation.</summary>
public sealed record VendorContactSheet(Guid VendorId, string VendorName, IReadOnlyList<VendorContact> Contacts, DateTimeOffset? ConfirmedAt, string? ConfirmedByName);

/// <summary>One role of the hospital's chart, stored or (authorities) prefilled from the versioned list.</summary>
public sealed record HospitalChartRow(HospitalContactRole Role, string Name, string? Phone, string? PhoneOutOfHours, string? Email, string? Note, bool Stored, bool Local);

/// <summary>Everything the 連絡体制図 shows for one hospital.</summary>
public sealed record HospitalChart(Guid HospitalId, IReadOnlyList<HospitalChartRow> Internal, IReadOnlyList<HospitalChartRow> Authorities,
    IReadOnlyList<VendorContactSheet> Vendors, string AuthoritySource);

/// <summary>
/// Reads and saves the 連絡体制図 data through the tenant filters (a vendor reaches only its own contacts, a hospital only its
/// roles and the contacts of vendors it actively engages). Each save is one SaveChanges with its audit event.
/// </summary>
public sealed class ContactService(AppDbContext db, AuditLog audit, TimeProvider time, AuthorityList authorities)
{
    public static readonly string[] VendorEditorRoles = [Roles.VendorAdmin];
    public static readonly string[] HospitalEditorRoles = [Roles.TenantAdmin, Roles.SecurityManager];

    public async Task<VendorContactSheet> VendorAsync(Guid vendorId, CancellationToken ct = default)
    {
        var name = await db.Organizations.AsNoTracking().Where(o => o.Id == vendorId).Select(o => o.Name).SingleAsync(ct);
        var contacts = await db.VendorContacts.AsNoTracking().Where(c => c.VendorId == vendorId).OrderBy(c => c.Position).ToListAsync(ct);
        var confirmation = await db.VendorContactConfirmations.AsNoTracking().SingleOrDefaultAsync(c => c.VendorId == vendorId, ct);
        return new VendorContactSheet(vendorId, name, contacts, confirmation?.ConfirmedAt, confirmation?.ConfirmedByName);
    }

    /// <summary>Replaces the vendor's contacts (validated first; nothing saved on errors) and confirms them.</summary>
    public async Task<List<ContactError>> ReplaceVendorAsync(Guid vendorId, IEnumerable<VendorContactInput> input, string actorName, CancellationToken ct = default)
    {
        var (rows, errors) = ContactRules.ValidateVendor(input);
        if (errors.Count > 0)
        {
            return errors;
        }
        db.VendorContacts.RemoveRange(await db.VendorContacts.Where(c => c.VendorId == vendorId).ToListAsync(ct));
        db.VendorContacts.AddRange(rows.Select((r, i) => new VendorContact
        {
            VendorId = vendorId, Position = i, RoleLabel = r.RoleLabel!, Name = r.Name!, Phone24h = r.Phone24h, OtherChannel = r.OtherChannel!,
            Email = r.Email, Hours = r.Hours,
        }));
        await StampConfirmationAsync(vendorId, actorName, ct);
        audit.Record(AuditActions.ContactsUpdated, "vendor_contacts", vendorId.ToString(), new { count = rows.Count });
        await db.SaveChangesAsync(ct);
        return [];
    }

    /// <summary>Confirms the contacts unchanged (what keeps them current). False when there is nothing to confirm.</summary>
    public async Task<bool> ConfirmVendorAsync(Guid vendorId, string actorName, CancellationToken ct = default)
    {
        var count = await db.VendorContacts.CountAsync(c => c.VendorId == vendorId, ct);
        if (count == 0)
        {
            return false;
        }
        await StampConfirmationAsync(vendorId, actorName, ct);
        audit.Record(AuditActions.ContactsConfirmed, "vendor_contacts", vendorId.ToString(), new { count });
        await db.SaveChangesAsync(ct);
        return true;
    }

    private async Task StampConfirmationAsync(Guid vendorId, string actorName, CancellationToken ct)
    {
        var row = await db.VendorContactConfirmations.SingleOrDefaultAsync(c => c.VendorId == vendorId, ct);
        if (row is null)
        {
            row = new VendorContactConfirmation { VendorId = vendorId };
            db.VendorContactConfirmations.Add(row);
        }
        row.ConfirmedAt = time.GetUtcNow();
        row.ConfirmedByName = actorName;
    }

    /// <summary>
    /// The chart of a hospital: its roles, the authorities (stored, else prefilled) and the actively engaged vendors' contacts.
    /// <paramref name="engagedFrom"/>/<paramref name="engagedTo"/> (JST days, inclusive; both default to today) widen
    /// the vendors to those engaged at any time in that range (the inspection bundle's period). Vendors are ordered by
    /// name, then id.
    /// </summary>
    public async Task<HospitalChart> HospitalAsync(Guid hospitalId, CancellationToken ct = default, DateOnly? engagedFrom = null, DateOnly? engagedTo = null)
    {
        var stored = await db.HospitalContacts.AsNoTracking().Where(c => c.HospitalId == hospitalId).ToDictionaryAsync(c => c.Role, ct);
        HospitalChartRow Row(HospitalContactRole role, AuthorityDefault? d) => stored.TryGetValue(role, out var c)
            ? new(role, c.Name, c.Phone, c.PhoneOutOfHours, c.Email, c.Note, true, d?.Local ?? false)
            : new(role, d?.Name ?? "", d?.Phone, null, d?.Email, null, false, d?.Local ?? false);
        var today = JapanTime.TodayInJapan(time);
        var from = engagedFrom ?? today;
        var to = engagedTo ?? today;
        var vendors = await db.Engagements.AsNoTracking()
            .Where(e => e.HospitalId == hospitalId && e.StartsOn <= to && (e.EndsOn == null || e.EndsOn >= from))
            .Select(e => new { e.VendorId, e.Vendor!.Name }).Distinct().ToListAsync(ct);
        var ids = vendors.Select(v => v.VendorId).ToList();
        var contacts = (await db.VendorContacts.AsNoTracking().Where(c => ids.Contains(c.VendorId)).OrderBy(c => c.Position).ToListAsync(ct)).ToLookup(c => c.VendorId);
        var confirmations = await db.VendorContactConfirmations.AsNoTracking().Where(c => ids.Contains(c.VendorId)).ToDictionaryAsync(c => c.VendorId, ct);
        return new HospitalChart(hospitalId,
            [.. ContactRules.InternalRoles.Select(r => Row(r, null))],
            [.. authorities.Authorities.Select(a => Row(a.Role, a))],
            [.. vendors.OrderBy(v => v.Name, StringComparer.Ordinal).ThenBy(v => v.VendorId).Select(v => new VendorContactSheet(v.VendorId, v.Name, [.. contacts[v.VendorId]],
                confirmations.GetValueOrDefault(v.VendorId)?.ConfirmedAt, confirmations.GetValueOrDefault(v.VendorId)?.ConfirmedByName))],
            authorities.Source);
    }

    /// <summary>Saves the given roles of the hospital's chart (others untouched); validated first, one SaveChanges.</summary>
    public async Task<List<ContactError>> SaveHospitalAsync(Guid hospitalId, IEnumerable<HospitalContactInput> input, string actorName, CancellationToken ct = default)
    {
        var (rows, errors) = ContactRules.ValidateHospital(input);
        if (errors.Count > 0)
        {
            return errors;
        }
        var stored = await db.HospitalContacts.Where(c => c.HospitalId == hospitalId).ToDictionaryAsync(c => c.Role, ct);
        var now = time.GetUtcNow();
        foreach (var r in rows)
        {
            if (!stored.TryGetValue(r.Role, out var c))
            {
                c = new HospitalContact { HospitalId = hospitalId, Role = r.Role };
                db.HospitalContacts.Add(c);
            }
            (c.Name, c.Phone, c.PhoneOutOfHours, c.Email, c.Note) = (r.Name ?? "", r.Phone, r.PhoneOutOfHours, r.Email, r.Note);
            (c.UpdatedAt, c.UpdatedByName) = (now, actorName);
        }
        audit.Record(AuditActions.HospitalContactsUpdated, "hospital_contacts", hospitalId.ToString(),
            new { roles = rows.Where(r => r.Name is not null).Select(r => r.Role.ToString()).ToArray() });
        await db.SaveChangesAsync(ct);
        return [];
    }

    /// <summary>The gap rules' view, set-based: one query for the engaged vendors' counts and confirmations, one for the hospital's roles.</summary>
    public static async Task<GapContacts> GapDataAsync(AppDbContext db, Guid hospitalId, DateOnly today, CancellationToken ct)
    {
        var vendors = await (from e in db.Engagements.AsNoTracking()
                             where e.HospitalId == hospitalId && e.StartsOn <= today && (e.EndsOn == null || e.EndsOn >= today)
                             group e by new { e.VendorId, e.Vendor!.Name } into g
                             select new
                             {
                                 g.Key.VendorId, g.Key.Name, Since = g.Min(e => e.StartsOn),
                                 Count = db.VendorContacts.Count(c => c.VendorId == g.Key.VendorId),
                                 Has24h = db.VendorContacts.Any(c => c.VendorId == g.Key.VendorId && c.Phone24h != null),
                                 Confirmed = db.VendorContactConfirmations.Where(c => c.VendorId == g.Key.VendorId).Select(c => (DateTimeOffset?)c.ConfirmedAt).FirstOrDefault(),
                             }).ToListAsync(ct);
        var hospital = await db.HospitalContacts.AsNoTracking().Where(c => c.HospitalId == hospitalId)
            .Select(c => new GapHospitalContact(c.Role, c.Name != "", c.Phone != null, c.PhoneOutOfHours != null)).ToListAsync(ct);
        return new GapContacts(
            [.. vendors.Select(v => new GapVendorContacts(v.VendorId, v.Name, v.Since, v.Count, v.Has24h,
                v.Confirmed is { } c ? DateOnly.FromDateTime(JapanTime.ToJst(c).DateTime) : null))],
            hospital);
    }
}
