namespace VendorPortal.Features.Subcontracting;

/// <summary>
/// The countries a subcontractor may work in or store data in (ISO 3166-1 alpha-2). A fixed list, named in
/// both resource files (Country_XX), so pages and the API accept the same codes and every name is translated.
/// Add a code here and its two resource strings to allow another country.
/// </summary>
public static class SubcontractCountries
{
    public const string Japan = "JP";

    public static readonly IReadOnlyList<string> All =
    [
        Japan, "US", "CA", "GB", "IE", "DE", "FR", "NL", "SE", "FI", "CH", "IL", "IN", "CN", "HK", "TW", "KR",
        "SG", "MY", "TH", "VN", "PH", "ID", "AU", "NZ",
    ];

    public static bool IsKnown(string? code) => code is not null && All.Contains(code);
}
