using VendorPortal.Features.Audit;

namespace VendorPortal.UnitTests.Features.Audit;

public sealed class CsvTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("日本語のテキスト", "日本語のテキスト")]
    [InlineData("", "")]
    [InlineData(null, "")]
    [InlineData("a=b", "a=b")]
    [InlineData("1-2", "1-2")]
    public void Ordinary_values_are_written_as_they_are(string? value, string expected)
    {
        Assert.Equal(expected, Csv.Field(value));
    }

    [Theory]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("\"", "\"\"\"\"")]
    [InlineData("line1\nline2", "\"line1\nline2\"")]
    [InlineData("line1\r\nline2", "\"line1\r\nline2\"")]
    public void Commas_quotes_and_line_breaks_are_quoted(string value, string expected)
    {
        Assert.Equal(expected, Csv.Field(value));
    }

    [Theory]
    [InlineData("=SUM(A1:A2)", "'=SUM(A1:A2)")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "'-1")]
    [InlineData("@cmd", "'@cmd")]
    [InlineData("\tx", "'\tx")]
    public void Values_a_spreadsheet_would_run_as_a_formula_get_an_apostrophe(string value, string expected)
    {
        Assert.Equal(expected, Csv.Field(value));
    }

    [Fact]
    public void A_leading_carriage_return_is_neutralised_and_quoted()
    {
        Assert.Equal("\"'\rx\"", Csv.Field("\rx"));
    }

    [Fact]
    public void A_formula_with_a_comma_is_neutralised_then_quoted()
    {
        Assert.Equal("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"", Csv.Field("=HYPERLINK(\"http://x\",\"y\")"));
    }

    [Fact]
    public void Only_the_first_character_decides()
    {
        Assert.Equal(" =1", Csv.Field(" =1"));
    }
}
