using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;

namespace VendorPortal.Infrastructure.Data;

/// <summary>
/// Stores the Data Protection key ring in PostgreSQL so that every instance behind a load balancer
/// can read the others' cookies and tokens. (Microsoft.AspNetCore.DataProtection.EntityFrameworkCore
/// is not in the package registry here; this is its few lines.)
/// </summary>
public sealed class DatabaseXmlRepository(IServiceScopeFactory scopes) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return db.DataProtectionKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml).ToList()
            .Select(x => XElement.Parse(x)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.DataProtectionKeys.Add(new DataProtectionKeyRecord { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        // Data Protection calls this synchronously; no audit events are pending in this scope.
        db.SaveChangesAsync().GetAwaiter().GetResult();
    }
}
