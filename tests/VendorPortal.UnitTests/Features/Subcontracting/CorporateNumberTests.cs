using VendorPortal.Features.Organizations;

namespace VendorPortal.UnitTests.Features.Subcontracting;

public sealed class CorporateNumberTests
{
    [Theory]
    [InlineData("7000012050002")] // 国税庁
    [InlineData("1180301018771")]
    [InlineData("7010601012345")]
    public void Published_and_demo_numbers_check(string number) => Assert.True(CorporateNumber.IsValid(number));

    [Theory]
    [InlineData("8000012050002")]
    [InlineData("1010001000001")]
    [InlineData("700001205000")]
    [InlineData("70000120500021")]
    [InlineData("70000120500O2")]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_else_does_not(string? number) => Assert.False(CorporateNumber.IsValid(number));

    [Fact]
    public void The_check_digit_follows_the_national_tax_agencys_formula()
    {
        Assert.Equal(7, CorporateNumber.CheckDigit("000012050002"));
        Assert.Equal(1, CorporateNumber.CheckDigit("180301018771"));
        Assert.Throws<ArgumentException>(() => CorporateNumber.CheckDigit("12345"));
    }

    [Fact]
    public void Numbers_are_normalised_as_people_type_them()
    {
        Assert.Equal("7000012050002", CorporateNumber.Normalize(" ７０００-０１２０-５０００２ "));
        Assert.Null(CorporateNumber.Normalize("  "));
    }
}
