using Microsoft.Extensions.Localization;

// Resource names are VendorPortal.Resources.<type path>, not VendorPortal.Web.Resources…
[assembly: RootNamespace("VendorPortal")]
