using Microsoft.AspNetCore.Http.Features;
using VendorPortal.Features.Inspection.Bundle;
using VendorPortal.Features.Inspection.Export;

namespace VendorPortal.Features.Inspection;

public enum BundleUploadStatus { Ok, NoFile, TooLarge, BadRequest }

public sealed record BundleUploadResult(BundleUploadStatus Status, BundleVerification? Verification, string? FileName);

/// <summary>
/// A ZIP posted for verification, streamed to a temporary file (never buffered in memory or by the form reader) and
/// checked with <see cref="BundleVerifier"/>; the file is deleted afterwards. The request-size limit is raised to
/// <c>Inspection:MaxVerifyBytes</c> for these requests only.
/// </summary>
public static class BundleUpload
{
    /// <summary>Lifts Kestrel's request body limit for this request (before anything reads the body).</summary>
    public static void AllowLargeBody(HttpContext http, long maxBytes)
    {
        var feature = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
        {
            feature.MaxRequestBodySize = maxBytes + (1 << 20);
        }
    }

    /// <summary>Copies <paramref name="body"/> (at most <paramref name="maxBytes"/>) to a temp file, verifies it, deletes it.</summary>
    public static async Task<BundleUploadResult> VerifyStreamAsync(Stream body, long maxBytes, CancellationToken ct)
    {
        var path = await InspectionExportService.CopyToTempAsync(body, maxBytes, ct);
        if (path is null)
        {
            return new BundleUploadResult(BundleUploadStatus.TooLarge, null, null);
        }
        try
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            if (file.Length == 0)
            {
                return new BundleUploadResult(BundleUploadStatus.NoFile, null, null);
            }
            return new BundleUploadResult(BundleUploadStatus.Ok, await BundleVerifier.VerifyAsync(file, cancellationToken: ct), null);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

/// <summary>
/// Raises the request-size and multipart limits to <c>Inspection:MaxVerifyBytes</c> for the verify page only. It runs
/// as the first authorization filter, before the antiforgery check reads the form (the form reader spools a large
/// file to a temporary file on disk, never to memory).
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class VerifyUploadLimitsAttribute : Attribute, Microsoft.AspNetCore.Mvc.Filters.IAuthorizationFilter, Microsoft.AspNetCore.Mvc.Filters.IOrderedFilter
{
    public int Order => int.MinValue;

    public void OnAuthorization(Microsoft.AspNetCore.Mvc.Filters.AuthorizationFilterContext context)
    {
        var http = context.HttpContext;
        var max = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<InspectionExportOptions>>().Value.MaxVerifyBytes;
        BundleUpload.AllowLargeBody(http, max);
        if (http.Features.Get<IFormFeature>()?.Form is null)
        {
            http.Features.Set<IFormFeature>(new FormFeature(http.Request, new Microsoft.AspNetCore.Http.Features.FormOptions
            {
                MultipartBodyLengthLimit = max + (1 << 20),
                ValueCountLimit = 16,
            }));
        }
    }
}
