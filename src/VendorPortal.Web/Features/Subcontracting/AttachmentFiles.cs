using VendorPortal.Infrastructure.Files;

namespace VendorPortal.Features.Subcontracting;

/// <summary>
/// Whether a document may be attached to a 再委託 request: the shared <see cref="AttachmentRules"/> decide what a
/// file is (PDF, PNG or JPEG by its first bytes, never by its name or the browser's claim) and clean its name;
/// this names the refusal in this feature's terms (resource key Subcontract_{code}).
/// </summary>
public static class AttachmentFiles
{
    public const long MaxBytes = AttachmentRules.MaxBytes;

    /// <summary>Refusal code for a file, or null when it is accepted.</summary>
    public static string? Check(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0)
        {
            return "AttachmentEmpty";
        }
        if (bytes.Length > MaxBytes)
        {
            return "AttachmentTooLarge";
        }
        return AttachmentRules.Sniff(bytes) is null ? "AttachmentType" : null;
    }
}
