using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
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

    /// <summary>
    /// The page's multipart form: the antiforgery field first (the form puts it before the file input), validated as
    /// the header would be, then the first file field. No form buffering, so an 8 GB upload goes straight to disk.
    /// </summary>
    public static async Task<BundleUploadResult> FromMultipartAsync(HttpContext http, IAntiforgery antiforgery, long maxBytes, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
        {
            return new BundleUploadResult(BundleUploadStatus.BadRequest, null, null);
        }
        var reader = new MultipartReader(boundary, http.Request.Body);
        var tokenChecked = false;
        while (await reader.ReadNextSectionAsync(ct) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
            {
                continue;
            }
            if (disposition.IsFileDisposition())
            {
                if (!tokenChecked)
                {
                    return new BundleUploadResult(BundleUploadStatus.BadRequest, null, null);
                }
                var name = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                if (string.IsNullOrEmpty(name))
                {
                    return new BundleUploadResult(BundleUploadStatus.NoFile, null, null);
                }
                var result = await VerifyStreamAsync(section.Body, maxBytes, ct);
                return result with { FileName = Path.GetFileName(name) };
            }
            if (disposition.IsFormDisposition() && HeaderUtilities.RemoveQuotes(disposition.Name).Value == "__RequestVerificationToken")
            {
                using var text = new StreamReader(section.Body);
                var buffer = new char[4096];
                var read = await text.ReadBlockAsync(buffer, ct);
                http.Request.Headers["RequestVerificationToken"] = new string(buffer, 0, read);
                if (!await antiforgery.IsRequestValidAsync(http))
                {
                    return new BundleUploadResult(BundleUploadStatus.BadRequest, null, null);
                }
                tokenChecked = true;
            }
        }
        return new BundleUploadResult(tokenChecked ? BundleUploadStatus.NoFile : BundleUploadStatus.BadRequest, null, null);
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
