using VendorPortal.Infrastructure.Data;

namespace VendorPortal.UnitTests.Infrastructure.Data;

public sealed class SnakeCaseNamesTests
{
    [Theory]
    [InlineData("OrganizationId", "organization_id")]
    [InlineData("IPAddress", "ip_address")]
    [InlineData("IpAddress", "ip_address")]
    [InlineData("Sequence", "sequence")]
    [InlineData("TwoFactorEnabled", "two_factor_enabled")]
    [InlineData("HTMLParser", "html_parser")]
    [InlineData("Id", "id")]
    [InlineData("ID", "id")]
    [InlineData("UserID", "user_id")]
    [InlineData("Sha256Hash", "sha256_hash")]
    [InlineData("already_snake", "already_snake")]
    [InlineData("lowerCamel", "lower_camel")]
    [InlineData("A", "a")]
    [InlineData("", "")]
    public void ToSnakeCase_splits_words_and_acronyms(string name, string expected)
    {
        Assert.Equal(expected, SnakeCaseNames.ToSnakeCase(name));
    }
}
