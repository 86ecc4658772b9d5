namespace VendorPortal.Infrastructure.Localization;

/// <summary>
/// Marker for the portal's one set of UI strings: Resources/Infrastructure.Localization.SharedResource.resx
/// (Japanese, the neutral culture) and .en.resx (English).
/// </summary>
public sealed class SharedResource;
