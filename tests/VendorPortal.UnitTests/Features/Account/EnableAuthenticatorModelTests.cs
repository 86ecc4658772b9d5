using VendorPortal.Features.Account;

namespace VendorPortal.UnitTests.Features.Account;

public sealed class EnableAuthenticatorModelTests
{
    [Fact]
    public void AuthenticatorUri_is_a_totp_uri_with_secret_issuer_and_six_digits()
    {
        var uri = EnableAuthenticatorModel.AuthenticatorUri("alice@example.jp", "JBSWY3DPEHPK3PXP");

        Assert.Equal("otpauth://totp/VendorPortal:alice%40example.jp?secret=JBSWY3DPEHPK3PXP&issuer=VendorPortal&digits=6", uri);
    }

    [Fact]
    public void AuthenticatorUri_escapes_the_email()
    {
        var uri = EnableAuthenticatorModel.AuthenticatorUri("a+b c&d=e@example.jp", "KEY");

        Assert.StartsWith("otpauth://totp/VendorPortal:a%2Bb%20c%26d%3De%40example.jp?", uri, StringComparison.Ordinal);
        Assert.Equal("VendorPortal", ParseQuery(uri)["issuer"]);
    }

    [Fact]
    public void AuthenticatorUri_parses_as_a_uri()
    {
        var uri = new Uri(EnableAuthenticatorModel.AuthenticatorUri("alice@example.jp", "ABCD"));
        var query = ParseQuery(uri.OriginalString);

        Assert.Equal("otpauth", uri.Scheme);
        Assert.Equal("totp", uri.Host);
        Assert.Equal("ABCD", query["secret"]);
        Assert.Equal("6", query["digits"]);
    }

    [Theory]
    [InlineData("JBSWY3DPEHPK3PXP", "jbsw y3dp ehpk 3pxp")]
    [InlineData("ABCDEFGHIJ", "abcd efgh ij")]
    [InlineData("ABCD", "abcd")]
    [InlineData("ABC", "abc")]
    [InlineData("", "")]
    public void FormatKey_groups_by_four_in_lower_case(string key, string expected)
    {
        Assert.Equal(expected, EnableAuthenticatorModel.FormatKey(key));
    }

    [Fact]
    public void FormatKey_keeps_every_character_of_a_real_length_key()
    {
        const string key = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

        var formatted = EnableAuthenticatorModel.FormatKey(key);

        Assert.Equal(key.ToLowerInvariant(), formatted.Replace(" ", "", StringComparison.Ordinal));
        Assert.All(formatted.Split(' '), group => Assert.Equal(4, group.Length));
    }

    private static Dictionary<string, string> ParseQuery(string uri)
        => uri[(uri.IndexOf('?', StringComparison.Ordinal) + 1)..]
            .Split('&')
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
}
