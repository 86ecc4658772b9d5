namespace VendorPortal.Infrastructure.Seeding;

/// <summary>
/// Finds a path under the repository's (or the published output's) <c>seed-data/</c> folder: from the content root,
/// then from the binaries' folder, each and every folder above it. Form templates, the 責任分界表 row template, the
/// authority list of the 連絡体制図 and the demo data are all found this way.
/// </summary>
public static class SeedData
{
    /// <summary>The full path of <paramref name="relativePath"/> (e.g. "seed-data/forms", a file or a folder), or null when there is none.</summary>
    public static string? Find(string contentRoot, string relativePath)
    {
        foreach (var start in new[] { contentRoot, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, relativePath);
                if (File.Exists(candidate) || Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        return null;
    }
}
