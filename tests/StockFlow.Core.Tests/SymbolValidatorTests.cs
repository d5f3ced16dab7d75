using StockFlow.Core.Symbols;

namespace StockFlow.Core.Tests;

public class SymbolValidatorTests
{
    [Theory]
    [InlineData("AAPL", "AAPL")]
    [InlineData("BRK-B", "BRK-B")]
    [InlineData("^GSPC", "^GSPC")]
    [InlineData("RDSA.AS", "RDSA.AS")]
    [InlineData("7203.T", "7203.T")]
    [InlineData("EURUSD=X", "EURUSD=X")]
    [InlineData("GC=F", "GC=F")]
    [InlineData("BTC-USD", "BTC-USD")]
    [InlineData("wsu.de", "WSU.DE")]
    [InlineData("brk-b", "BRK-B")]
    [InlineData("A", "A")]
    [InlineData("ABCDEFGHIJKLMNOPQRST", "ABCDEFGHIJKLMNOPQRST")]
    public void Real_ticker_shapes_are_accepted_and_upper_cased(string symbol, string expected) =>
        Assert.Equal(expected, SymbolValidator.Validate(symbol));

    [Theory]
    [InlineData(null, "must not be empty")]
    [InlineData("", "must not be empty")]
    [InlineData(" ", "U+0020 (whitespace)")]
    [InlineData("AA PL", "U+0020 (whitespace)")]
    [InlineData(" AAPL", "U+0020 (whitespace)")]
    [InlineData("AAPL\t", "U+0009")]
    [InlineData("../x", "found '/'")]
    [InlineData("a/b", "found '/'")]
    [InlineData("\\", "found '\\'")]
    [InlineData("a\\b", "found '\\'")]
    [InlineData("..", "starts with a letter, a digit or '^'")]
    [InlineData("A..B", "must not contain '..'")]
    [InlineData("AAPL.", "must not end with '.'")]
    [InlineData("AB\0C", "U+0000 (control character)")]
    [InlineData("AB\nC", "U+000A")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTU", "at most 20 characters")]
    [InlineData("A%2FB", "found '%'")]
    [InlineData("A&B", "found '&'")]
    [InlineData("A?x=1", "found '?'")]
    [InlineData("ÄPFEL", "non-ASCII")]
    [InlineData("-A", "starts with a letter")]
    [InlineData("A^B", "'^' may only be the first character")]
    [InlineData("^", "'^' alone is not a symbol")]
    public void Unsafe_symbols_are_refused_naming_the_symbol_and_the_rule(string? symbol, string rule)
    {
        var error = Assert.Throws<InvalidSymbolException>(() => SymbolValidator.Validate(symbol));
        Assert.Contains(rule, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("Symbol '", error.Message, StringComparison.Ordinal);
        Assert.Equal(symbol, error.Symbol);
        Assert.DoesNotContain("\0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryValidate_reports_without_throwing()
    {
        Assert.False(SymbolValidator.TryValidate("a/b", out _, out var error));
        Assert.Contains("'/'", error, StringComparison.Ordinal);
        Assert.True(SymbolValidator.TryValidate("msft", out var normalized, out _));
        Assert.Equal("MSFT", normalized);
    }
}
