using System.Collections;
using System.Globalization;
using System.Resources;
using VendorPortal.Infrastructure.Localization;

namespace VendorPortal.UnitTests.Infrastructure.Localization;

/// <summary>Every UI string exists in Japanese and in English.</summary>
public sealed class ResourceParityTests
{
    private static HashSet<string> Keys(CultureInfo culture)
    {
        var assembly = typeof(SharedResource).Assembly;
        var baseName = assembly.GetManifestResourceNames().Single(n => n.EndsWith("SharedResource.resources", StringComparison.Ordinal))[..^".resources".Length];
        var set = new ResourceManager(baseName, assembly).GetResourceSet(culture, createIfNotExists: true, tryParents: false)
            ?? throw new InvalidOperationException($"No resources for {culture.Name}");
        return [.. set.Cast<DictionaryEntry>().Select(e => (string)e.Key)];
    }

    [Fact]
    public void Japanese_and_English_have_the_same_keys()
    {
        var japanese = Keys(CultureInfo.InvariantCulture);
        var english = Keys(new CultureInfo("en"));
        Assert.Empty(japanese.Except(english).Order());
        Assert.Empty(english.Except(japanese).Order());
    }
}
