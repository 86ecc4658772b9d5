using VendorPortal.Infrastructure.Security;

namespace VendorPortal.UnitTests.Infrastructure.Security;

public sealed class PasswordRulesTests
{
    [Theory]
    [InlineData("aaaaaaaaaaaaa")]
    [InlineData("1111111111111")]
    [InlineData("             ")]
    [InlineData("あいうえおかきくけこさしす")]
    public void Thirteen_characters_of_any_kind_are_enough(string password)
    {
        Assert.Equal(13, password.Length);
        Assert.True(PasswordRules.IsStrongEnough(password));
    }

    [Theory]
    [InlineData("aaaaaaaaaaaa", false)]
    [InlineData("aaaaaaaa1111", false)]
    [InlineData("AAAAaaaa1111", true)]
    public void Twelve_characters_still_need_three_classes(string password, bool expected)
    {
        Assert.Equal(12, password.Length);
        Assert.Equal(expected, PasswordRules.IsStrongEnough(password));
    }

    [Theory]
    [InlineData("Abcdefg1")]
    [InlineData("abcdefg1!")]
    [InlineData("ABCDEFG1!")]
    [InlineData("Abcdefg!")]
    [InlineData("Abcdefghij1!")]
    public void Eight_to_twelve_characters_with_three_classes_are_enough(string password)
    {
        Assert.True(PasswordRules.IsStrongEnough(password));
    }

    [Theory]
    [InlineData("abcdefgh")]
    [InlineData("abcdefg1")]
    [InlineData("ABCDEFG!")]
    [InlineData("12345678!")]
    [InlineData("abcdefghijkl")]
    [InlineData("Abcdefghijkl")]
    public void Eight_to_twelve_characters_with_fewer_than_three_classes_are_not(string password)
    {
        Assert.False(PasswordRules.IsStrongEnough(password));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Ab1!")]
    [InlineData("Abc12!x")]
    public void Seven_characters_or_fewer_are_never_enough(string password)
    {
        Assert.True(password.Length <= 7);
        Assert.False(PasswordRules.IsStrongEnough(password));
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("abc", 1)]
    [InlineData("ABC", 1)]
    [InlineData("123", 1)]
    [InlineData("!-_", 1)]
    [InlineData("aB", 2)]
    [InlineData("aB3", 3)]
    [InlineData("aB3 ", 4)]
    [InlineData("aB3!", 4)]
    public void CharacterClasses_counts_upper_lower_digits_and_symbols(string password, int expected)
    {
        Assert.Equal(expected, PasswordRules.CharacterClasses(password));
    }
}
