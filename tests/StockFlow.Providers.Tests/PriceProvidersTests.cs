namespace StockFlow.Providers.Tests;

public sealed class PriceProvidersTests
{
    [Theory]
    [InlineData("sample", "sample")]
    [InlineData(" Yahoo ", "yahoo")]
    [InlineData("STOOQ", "stooq")]
    [InlineData("csv", "csv")]
    public void A_name_as_people_write_it_is_the_providers_name(string text, string expected)
    {
        Assert.True(PriceProviders.TryNormalize(text, out var name));
        Assert.Equal(expected, name);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("yahooo")]
    [InlineData("file")]
    public void Anything_else_names_no_provider(string? text) => Assert.False(PriceProviders.TryNormalize(text, out _));

    [Fact]
    public void The_listed_names_are_the_names() => Assert.Equal("sample, yahoo, stooq or csv", PriceProviders.Listed);
}
