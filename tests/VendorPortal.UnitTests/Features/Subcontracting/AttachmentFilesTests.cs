using System.Text;
using VendorPortal.Features.Subcontracting;

namespace VendorPortal.UnitTests.Features.Subcontracting;

/// <summary>What this feature refuses; the recognition and name cleaning themselves are AttachmentRules' (DisclosureRulesTests).</summary>
public sealed class AttachmentFilesTests
{
    [Theory]
    [InlineData(new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2D, 0x31 }, "application/pdf")]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0 }, "image/png")]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, "image/jpeg")]
    public void Pdf_png_and_jpeg_are_recognised_by_their_first_bytes(byte[] bytes, string type)
    {
        Assert.Equal(type, VendorPortal.Infrastructure.Files.AttachmentRules.Sniff(bytes));
        Assert.Null(AttachmentFiles.Check(bytes));
    }

    [Theory]
    [InlineData("<html><script>alert(1)</script>")]
    [InlineData("GIF89a")]
    [InlineData("PK\u0003\u0004 a zip or an office file")]
    [InlineData(" %PDF- not at the start")]
    public void Anything_else_is_refused_whatever_it_is_called(string content)
        => Assert.Equal("AttachmentType", AttachmentFiles.Check(Encoding.UTF8.GetBytes(content)));

    [Fact]
    public void Empty_and_oversized_files_are_refused()
    {
        Assert.Equal("AttachmentEmpty", AttachmentFiles.Check([]));
        var big = new byte[AttachmentFiles.MaxBytes + 1];
        "%PDF-"u8.CopyTo(big);
        Assert.Equal("AttachmentTooLarge", AttachmentFiles.Check(big));
        Assert.Null(AttachmentFiles.Check(big.AsSpan(0, (int)AttachmentFiles.MaxBytes)));
    }
}
