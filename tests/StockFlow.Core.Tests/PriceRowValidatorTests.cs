using StockFlow.Core.Prices;

namespace StockFlow.Core.Tests;

public class PriceRowValidatorTests
{
    private static RawPriceRow Row(
        string? date = "2024-01-02", string? open = "10", string? high = "12", string? low = "9",
        string? close = "11", string? adj = "10.5", string? volume = "1000") =>
        new("test.csv:2", date, open, high, low, close, adj, volume);

    private static string RejectReason(RawPriceRow row)
    {
        var result = PriceRowValidator.Validate(row);
        Assert.False(result.IsValid, "expected the row to be rejected");
        Assert.Same(row, result.Rejection.Row);
        return result.Rejection.Reason;
    }

    [Fact]
    public void A_complete_row_becomes_a_bar()
    {
        var result = PriceRowValidator.Validate(Row());
        Assert.True(result.IsValid);
        Assert.Equal(new DailyBar(new DateOnly(2024, 1, 2), 10, 12, 9, 11, 10.5, 1000), result.Bar);
        Assert.Null(result.Rejection);
    }

    [Theory]
    [InlineData("2024-13-01")]
    [InlineData("02/01/2024")]
    [InlineData("yesterday")]
    [InlineData("2024-1-2x")]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("null")]
    public void A_date_that_is_missing_or_does_not_parse_is_rejected(string? date) =>
        Assert.Equal("date missing or does not parse", RejectReason(Row(date: date)));

    [Theory]
    [InlineData("1899-12-29")]
    [InlineData("2024-06-08")]
    [InlineData("2099-01-01")]
    public void A_date_before_1900_or_after_the_last_completed_weekday_is_out_of_range(string date)
    {
        // Saturday 2024-06-08, 10:00 UTC: the last completed weekday is Friday 2024-06-07.
        var validator = PriceRowValidator.At(new FixedClock(new DateTimeOffset(2024, 6, 8, 10, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new DateOnly(2024, 6, 7), validator.LastTradeDate);
        Assert.Equal("date out of range", validator.Check(Row(date: date)).Rejection!.Reason);
        Assert.True(validator.Check(Row(date: "2024-06-07")).IsValid);
        Assert.True(validator.Check(Row(date: "1900-01-01")).IsValid);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Theory]
    [InlineData("2024-01-02", 2024, 1, 2)]
    [InlineData("2024-01-02 00:00:00-05:00", 2024, 1, 2)]
    [InlineData("2024-01-02 00:00:00+09:00", 2024, 1, 2)]
    [InlineData("2024-01-02T00:00:00", 2024, 1, 2)]
    [InlineData("Jan 2, 2024", 2024, 1, 2)]
    [InlineData(" 2024-01-02 ", 2024, 1, 2)]
    public void Dates_in_the_layouts_Yahoo_files_really_use_parse_to_the_written_calendar_date(string text, int y, int m, int d)
    {
        var result = PriceRowValidator.Validate(Row(date: text));
        Assert.True(result.IsValid, result.Rejection?.Reason);
        Assert.Equal(new DateOnly(y, m, d), result.Bar.Date);
    }

    public static TheoryData<string, string?, string> BadPrices => new()
    {
        { "open", null, "open missing or non-numeric" },
        { "open", "", "open missing or non-numeric" },
        { "high", "null", "high missing or non-numeric" },
        { "low", "NULL", "low missing or non-numeric" },
        { "close", "  ", "close missing or non-numeric" },
        { "open", "abc", "open missing or non-numeric" },
        { "close", "1,234.5", "close missing or non-numeric" },
        { "close", "12,5", "close missing or non-numeric" },
        { "high", "NaN", "high missing or non-numeric" },
        { "high", "Infinity", "high missing or non-numeric" },
        { "high", "1e999", "high missing or non-numeric" },
        { "open", "0", "open <= 0" },
        { "low", "-1", "low <= 0" },
        { "close", "-0.01", "close <= 0" },
        { "open", "1e308", "open out of range" },
        { "close", "1000000000.5", "close out of range" },
        { "close", "0.0000009", "close out of range" },
        { "adj", "x", "adj close non-numeric" },
        { "adj", "0", "adj close <= 0" },
        { "adj", "1e308", "adj close out of range" },
    };

    [Theory]
    [MemberData(nameof(BadPrices))]
    public void Missing_non_numeric_or_non_positive_prices_are_rejected(string column, string? value, string reason)
    {
        var row = column switch
        {
            "open" => Row(open: value),
            "high" => Row(high: value, low: "0.001"),
            "low" => Row(low: value),
            "close" => Row(close: value),
            _ => Row(adj: value),
        };
        Assert.Equal(reason, RejectReason(row));
    }

    [Fact]
    public void High_below_low_is_rejected() =>
        Assert.Equal("high < low", RejectReason(Row(high: "9", low: "9.5", open: "9.2", close: "9.2")));

    [Fact]
    public void High_equal_to_low_is_accepted() =>
        Assert.True(PriceRowValidator.Validate(Row(open: "5", high: "5", low: "5", close: "5")).IsValid);

    [Theory]
    [InlineData("-5", "volume negative")]
    [InlineData("many", "volume non-numeric")]
    [InlineData("12.5", "volume not a whole number")]
    [InlineData("1,000", "volume non-numeric")]
    [InlineData("9223372036854775807", "volume out of range")]
    [InlineData("9007199254740992", "volume out of range")]
    [InlineData("1e30", "volume out of range")]
    public void Negative_non_numeric_fractional_or_huge_volume_is_rejected(string volume, string reason) =>
        Assert.Equal(reason, RejectReason(Row(volume: volume)));

    [Fact]
    public void The_largest_volume_is_two_to_the_53_minus_one() =>
        Assert.Equal(9007199254740991L, PriceRowValidator.Validate(Row(volume: "9007199254740991")).Bar!.Volume);

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("135480400", 135480400L)]
    [InlineData("1200.0", 1200L)]
    [InlineData("1.5E6", 1500000L)]
    public void Whole_volumes_parse(string volume, long expected) =>
        Assert.Equal(expected, PriceRowValidator.Validate(Row(volume: volume)).Bar!.Volume);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("null")]
    public void Missing_volume_is_accepted_as_zero(string? volume)
    {
        var result = PriceRowValidator.Validate(Row(volume: volume));
        Assert.True(result.IsValid);
        Assert.Equal(0, result.Bar.Volume);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("null")]
    public void Empty_or_null_adj_close_stays_null_and_falls_back_to_close(string? adj)
    {
        var bar = PriceRowValidator.Validate(Row(adj: adj)).Bar!;
        Assert.Null(bar.AdjClose);
        Assert.Equal(11, bar.EffectiveAdjClose);
    }

    [Fact]
    public void Numbers_are_parsed_with_the_invariant_culture_whatever_the_current_culture()
    {
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            var bar = PriceRowValidator.Validate(Row(open: "74.059998", close: "1.5e1", high: "75.150002", low: "1.0")).Bar!;
            Assert.Equal(74.059998, bar.Open);
            Assert.Equal(15, bar.Close);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Old_Yahoo_csv_rows_of_null_are_rejected_with_a_reason_not_dropped()
    {
        var all = PriceRowValidator.At(TimeProvider.System).CheckAll(
        [
            Row(),
            new RawPriceRow("EURGBP.csv:3", "2004-01-05", "null", "null", "null", "null", "null", "null"),
            Row(date: "2024-01-03"),
        ]);
        Assert.Equal(2, all.Bars.Count);
        var rejection = Assert.Single(all.Rejections);
        Assert.Equal("open missing or non-numeric", rejection.Reason);
        Assert.Equal("EURGBP.csv:3", rejection.Row.Source);
    }
}
