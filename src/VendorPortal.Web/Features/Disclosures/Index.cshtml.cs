using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using VendorPortal.Infrastructure.Authorization;

namespace VendorPortal.Features.Disclosures;

/// <summary>The vendor's products and services, each with its MDS/SDS and the review state at every hospital it goes to.</summary>
[Authorize(Policy = Policies.VendorStaff)]
public sealed class IndexModel(DisclosureService disclosures) : PageModel
{
    public List<ProductRow> Rows { get; private set; } = [];

    public async Task OnGetAsync() => Rows = await disclosures.ProductRowsAsync();
}
