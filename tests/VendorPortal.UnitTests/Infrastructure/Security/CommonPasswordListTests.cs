using VendorPortal.Infrastructure.Security;

namespace VendorPortal.UnitTests.Infrastructure.Security;

public sealed class CommonPasswordListTests
{
    private static readonly CommonPasswordList List = new();

    [Fact]
    public void Loads_the_embedded_list()
    {
        Assert.True(List.Count > 100, $"only {List.Count} passwords loaded");
    }

    [Theory]
    [InlineData("password")]
    [InlineData("Password")]
    [InlineData("PASSWORD")]
    [InlineData("Password1!")]
    [InlineData("Password123!")]
    [InlineData("QWERTY123")]
    [InlineData("qwerty")]
    public void Common_passwords_are_recognised_whatever_the_case_and_trailing_digits(string password)
    {
        Assert.True(List.Contains(password));
    }

    [Theory]
    [InlineData("Demo-Portal-2026!")]
    [InlineData("correct horse battery staple")]
    [InlineData("1Password")]
    public void Uncommon_passwords_are_not(string password)
    {
        Assert.False(List.Contains(password));
    }

    [Fact]
    public void Comment_lines_are_not_passwords()
    {
        Assert.False(List.Contains("# A small bundled list: the portal must work offline. Extend it, one per line."));
    }

    [Fact]
    public void An_all_digit_common_password_is_matched_whole()
    {
        Assert.True(List.Contains("12345678"));
    }
}
