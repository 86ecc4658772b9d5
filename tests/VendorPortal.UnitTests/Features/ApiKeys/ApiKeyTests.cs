using VendorPortal.Features.ApiKeys;

namespace VendorPortal.UnitTests.Features.ApiKeys;

public sealed class ApiKeyTests
{
    private static readonly DateTimeOffset Now = new(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);

    private static ApiKey Key() => new()
    {
        Name = "CI",
        Prefix = "abcdEFGH",
        SecretHash = new string('0', 64),
        CreatedAt = Now.AddDays(-30),
        ExpiresAt = Now.AddDays(60),
    };

    [Fact]
    public void An_unrevoked_unexpired_key_is_usable()
    {
        Assert.True(Key().IsUsable(Now));
    }

    [Fact]
    public void A_key_is_not_usable_from_the_moment_it_expires()
    {
        var key = Key();

        Assert.True(key.IsUsable(key.ExpiresAt.AddTicks(-1)));
        Assert.False(key.IsUsable(key.ExpiresAt));
        Assert.False(key.IsUsable(key.ExpiresAt.AddDays(1)));
    }

    [Fact]
    public void A_revoked_key_is_not_usable_even_before_it_expires()
    {
        var key = Key();
        key.RevokedAt = Now.AddMinutes(-1);

        Assert.False(key.IsUsable(Now));
    }

    [Fact]
    public void Having_been_used_does_not_affect_usability()
    {
        var key = Key();
        key.LastUsedAt = Now.AddMinutes(-1);

        Assert.True(key.IsUsable(Now));
    }
}
