using System.Text;
using Microsoft.EntityFrameworkCore;

namespace VendorPortal.Infrastructure.Data;

/// <summary>
/// snake_case names for columns, keys and indexes so the SQL migrations read naturally.
/// EFCore.NamingConventions would do this, but no version for EF Core 10 is in the package registry
/// here (docs/architecture.md); this is the small seam that replaces it.
/// </summary>
public static class SnakeCaseNames
{
    public static void Apply(ModelBuilder builder)
    {
        foreach (var entity in builder.Model.GetEntityTypes())
        {
            var table = entity.GetTableName();
            if (table is null)
            {
                continue;
            }
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(ToSnakeCase(property.Name));
            }
            foreach (var key in entity.GetKeys())
            {
                key.SetName(key.IsPrimaryKey() ? $"pk_{table}" : $"ak_{table}_{string.Join("_", key.Properties.Select(p => ToSnakeCase(p.Name)))}");
            }
            foreach (var fk in entity.GetForeignKeys())
            {
                var principal = fk.PrincipalEntityType.GetTableName();
                fk.SetConstraintName(Identifier($"fk_{table}_{principal}_{string.Join("_", fk.Properties.Select(p => ToSnakeCase(p.Name)))}"));
            }
            foreach (var index in entity.GetIndexes())
            {
                index.SetDatabaseName(Identifier($"ix_{table}_{string.Join("_", index.Properties.Select(p => ToSnakeCase(p.Name)))}"));
            }
        }
    }

    /// <summary>PostgreSQL cuts identifiers at 63 bytes; cut the model's names the same way so both agree.</summary>
    public static string Identifier(string name) => name.Length <= 63 ? name : name[..63];

    public static string ToSnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                var prevIsLowerOrDigit = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]));
                var nextIsLower = i + 1 < name.Length && char.IsLower(name[i + 1]);
                if (i > 0 && (prevIsLowerOrDigit || (nextIsLower && char.IsUpper(name[i - 1]))))
                {
                    sb.Append('_');
                }
                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }
}
