using VendorPortal.Features.ApiKeys;

namespace VendorPortal.UnitTests.Features.ApiKeys;

public sealed class ApiKeyFormatTests
{
    [Fact]
    public void Generate_gives_marker_eight_character_prefix_and_secret()
    {
        var (key, prefix, _) = ApiKeyFormat.Generate();

        Assert.Matches("^vpk_[A-Za-z0-9_-]{8}_[A-Za-z0-9_-]{43}$", key);
        Assert.Equal(8, prefix.Length);
        Assert.StartsWith($"vpk_{prefix}_", key, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_stores_only_the_hash_of_the_secret()
    {
        var (key, prefix, secretHash) = ApiKeyFormat.Generate();
        var secret = key[$"vpk_{prefix}_".Length..];

        Assert.Equal(ApiKeyFormat.Hash(secret), secretHash);
        Assert.DoesNotContain(secret, secretHash, StringComparison.Ordinal);
    }

    [Fact]
    public void Generated_keys_are_unique()
    {
        var keys = Enumerable.Range(0, 200).Select(_ => ApiKeyFormat.Generate()).ToList();

        Assert.Equal(keys.Count, keys.Select(k => k.Key).Distinct().Count());
        Assert.Equal(keys.Count, keys.Select(k => k.Prefix).Distinct().Count());
    }

    [Fact]
    public void Generated_keys_parse_back_to_their_prefix_and_a_matching_secret()
    {
        for (var i = 0; i < 200; i++)
        {
            var (key, prefix, secretHash) = ApiKeyFormat.Generate();

            Assert.True(ApiKeyFormat.TryParse(key, out var parsedPrefix, out var secret), key);
            Assert.Equal(prefix, parsedPrefix);
            Assert.True(ApiKeyFormat.Matches(secret, secretHash), key);
        }
    }

    [Theory]
    [InlineData("vpk_abcdEFGH_secret", "abcdEFGH", "secret")]
    [InlineData("vpk_ab_d-F_H_se_cr-et", "ab_d-F_H", "se_cr-et")]
    [InlineData("vpk_" + "________" + "_x", "________", "x")]
    [InlineData("vpk_abcdefgh_-_-_", "abcdefgh", "-_-_")]
    public void TryParse_splits_at_the_fixed_prefix_length_even_when_parts_contain_separators(string raw, string prefix, string secret)
    {
        Assert.True(ApiKeyFormat.TryParse(raw, out var parsedPrefix, out var parsedSecret));
        Assert.Equal(prefix, parsedPrefix);
        Assert.Equal(secret, parsedSecret);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abcdefgh_secret")]
    [InlineData("VPK_abcdefgh_secret")]
    [InlineData("xvpk_abcdefgh_secret")]
    [InlineData("vpk_")]
    [InlineData("vpk_abcdefgh")]
    [InlineData("vpk_abcdefgh_")]
    [InlineData("vpk_abcdefg_secret")]
    [InlineData("vpk_abcdefghXsecret")]
    [InlineData("vpk_abcdefghi_secret")]
    public void TryParse_rejects_malformed_keys(string raw)
    {
        Assert.False(ApiKeyFormat.TryParse(raw, out _, out _));
    }

    [Fact]
    public void TryParse_leaves_empty_outputs_on_failure()
    {
        ApiKeyFormat.TryParse("nonsense", out var prefix, out var secret);

        Assert.Equal("", prefix);
        Assert.Equal("", secret);
    }

    [Fact]
    public void Matches_the_secret_it_was_hashed_from()
    {
        Assert.True(ApiKeyFormat.Matches("s3cr3t_-x", ApiKeyFormat.Hash("s3cr3t_-x")));
    }

    [Theory]
    [InlineData("s3cr3t_-y")]
    [InlineData("S3cr3t_-x")]
    [InlineData("s3cr3t_-x ")]
    [InlineData("")]
    public void Does_not_match_a_changed_secret(string other)
    {
        Assert.False(ApiKeyFormat.Matches(other, ApiKeyFormat.Hash("s3cr3t_-x")));
    }

    [Fact]
    public void Does_not_match_a_truncated_or_empty_stored_hash()
    {
        var hash = ApiKeyFormat.Hash("secret");

        Assert.False(ApiKeyFormat.Matches("secret", hash[..63]));
        Assert.False(ApiKeyFormat.Matches("secret", ""));
    }

    [Fact]
    public void Hash_is_64_lower_case_hex_characters()
    {
        Assert.Matches("^[0-9a-f]{64}$", ApiKeyFormat.Hash("secret"));
    }

    [Fact]
    public void Hash_is_sha256_of_the_utf8_secret()
    {
        Assert.Equal("2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b", ApiKeyFormat.Hash("secret"));
    }
}
