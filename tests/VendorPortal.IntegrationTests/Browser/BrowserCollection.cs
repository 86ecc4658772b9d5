namespace VendorPortal.IntegrationTests.Browser;

/// <summary>
/// The browser test classes run one after another, not in parallel: each starts Kestrel and a Chromium, and four
/// of them at once on a two-core machine made page loads slow enough to hit Playwright's timeouts.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection
{
    public const string Name = "Browser";
}
