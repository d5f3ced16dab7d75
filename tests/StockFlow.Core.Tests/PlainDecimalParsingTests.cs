using System.Globalization;
using System.Text;
using StockFlow.Core.Prices;

namespace StockFlow.Core.Tests;

/// <summary>The fast path must return exactly what double.Parse returns, or decline.</summary>
public class PlainDecimalParsingTests
{
    [Theory]
    [InlineData("113.5831", 113.5831)]
    [InlineData("0.1", 0.1)]
    [InlineData("-0.3", -0.3)]
    [InlineData("7", 7.0)]
    [InlineData("7.", 7.0)]
    [InlineData(".5", 0.5)]
    [InlineData("000123.450", 123.45)]
    [InlineData("999999999999999", 999999999999999.0)]
    [InlineData("0.00000000000001", 1e-14)]
    public void Plain_decimals_parse_to_the_same_double_as_double_Parse(string text, double expected)
    {
        Assert.True(PriceFieldParser.TryParsePlainDecimal(text, out var fromChars));
        Assert.True(PriceFieldParser.TryParsePlainDecimal(Encoding.UTF8.GetBytes(text), out var fromBytes));
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(fromChars));
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(fromBytes));
    }

    [Fact]
    public void Negative_zero_keeps_its_sign_like_double_Parse()
    {
        Assert.True(PriceFieldParser.TryParsePlainDecimal("-0.0", out var value));
        Assert.True(double.IsNegative(value));
        Assert.True(double.IsNegative(double.Parse("-0.0", CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData(".")]
    [InlineData("1.2.3")]
    [InlineData("+1.5")]
    [InlineData(" 1.5")]
    [InlineData("1.5 ")]
    [InlineData("1e5")]
    [InlineData("1,5")]
    [InlineData("NaN")]
    [InlineData("--1")]
    [InlineData("1-")]
    // 16 digits: the digits may not form an exact double any more, so the general parser decides.
    [InlineData("150.8800048828125")]
    [InlineData("1234567890123456")]
    public void Anything_else_is_declined_for_the_general_parser(string text)
    {
        Assert.False(PriceFieldParser.TryParsePlainDecimal(text, out _));
        Assert.False(PriceFieldParser.TryParsePlainDecimal(Encoding.UTF8.GetBytes(text), out _));
    }

    [Fact]
    public void Random_plain_decimals_match_double_Parse_bit_for_bit()
    {
        var random = new Random(20261128);
        for (var n = 0; n < 200_000; n++)
        {
            var text = RandomDecimal(random);
            var accepted = PriceFieldParser.TryParsePlainDecimal(text, out var fast);
            var digits = text.Count(char.IsAsciiDigit);
            Assert.Equal(digits is > 0 and <= 15, accepted);
            if (accepted)
            {
                var expected = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
                Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(fast), $"'{text}': {fast:R} vs {expected:R}");
            }
        }
    }

    [Fact]
    public void TryParseNumber_gives_the_same_values_with_or_without_the_fast_path()
    {
        foreach (var text in new[] { "113.5831", " 42.25 ", "-0.5", "1e3", "150.8800048828125", "null", "abc", "1.7976931348623157E+309" })
        {
            var general = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var expected) && double.IsFinite(expected);
            Assert.Equal(general, PriceFieldParser.TryParseNumber(text, out var actual));
            if (general)
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(actual));
            }
        }
    }

    private static string RandomDecimal(Random random)
    {
        var builder = new StringBuilder();
        if (random.Next(4) == 0)
        {
            builder.Append('-');
        }

        var integerDigits = random.Next(0, 12);
        var fractionDigits = random.Next(0, 12);
        for (var i = 0; i < integerDigits; i++)
        {
            builder.Append((char)('0' + random.Next(10)));
        }

        if (fractionDigits > 0 || random.Next(8) == 0)
        {
            builder.Append('.');
        }

        for (var i = 0; i < fractionDigits; i++)
        {
            builder.Append((char)('0' + random.Next(10)));
        }

        return builder.ToString();
    }
}
