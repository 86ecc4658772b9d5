using VendorPortal.Features.Account;

namespace VendorPortal.UnitTests.Features.Account;

public sealed class PortalUserStoreTests
{
    private static readonly byte[] Salt = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();
    private static readonly byte[] OtherSalt = Enumerable.Range(101, 16).Select(i => (byte)i).ToArray();

    [Fact]
    public void Recovery_code_hash_is_deterministic_for_the_same_salt()
    {
        Assert.Equal(PortalUserStore.Hash("ABCDE-12345", Salt), PortalUserStore.Hash("ABCDE-12345", Salt));
    }

    [Fact]
    public void Recovery_code_hash_differs_for_a_different_salt()
    {
        Assert.NotEqual(PortalUserStore.Hash("ABCDE-12345", Salt), PortalUserStore.Hash("ABCDE-12345", OtherSalt));
    }

    [Fact]
    public void Recovery_code_hash_differs_for_a_different_code()
    {
        Assert.NotEqual(PortalUserStore.Hash("ABCDE-12345", Salt), PortalUserStore.Hash("ABCDE-12346", Salt));
    }

    [Theory]
    [InlineData("abcde-12345")]
    [InlineData("AbCdE-12345")]
    [InlineData("  ABCDE-12345  ")]
    [InlineData("\tabcde-12345\n")]
    public void Recovery_code_hash_ignores_case_and_surrounding_spaces(string typed)
    {
        Assert.Equal(PortalUserStore.Hash("ABCDE-12345", Salt), PortalUserStore.Hash(typed, Salt));
    }

    [Fact]
    public void Recovery_code_hash_is_a_32_byte_base64_value_without_separators()
    {
        var hash = PortalUserStore.Hash("ABCDE-12345", Salt);

        Assert.Equal(32, Convert.FromBase64String(hash).Length);
        Assert.DoesNotContain(',', hash);
        Assert.DoesNotContain(':', hash);
    }
}
