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
    public void A_date_that_does_not_parse_is_rejected(string date) =>
        Assert.Contains($"date '{date}' does not parse", RejectReason(Row(date: date)), StringComparison.Ordinal);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("null")]
    public void A_missing_date_is_rejected(string? date) =>
        Assert.Equal("date is missing", RejectReason(Row(date: date)));

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
        { "open", null, "open is missing" },
        { "open", "", "open is missing" },
        { "high", "null", "high is missing" },
        { "low", "NULL", "low is missing" },
        { "close", "  ", "close is missing" },
        { "open", "abc", "open 'abc' is not a number" },
        { "close", "1,234.5", "close '1,234.5' is not a number" },
        { "close", "12,5", "close '12,5' is not a number" },
        { "high", "NaN", "high 'NaN' is not a number" },
        { "high", "Infinity", "high 'Infinity' is not a number" },
        { "open", "0", "open 0 is not positive" },
        { "low", "-1", "low -1 is not positive" },
        { "close", "-0.01", "close -0.01 is not positive" },
        { "adj", "x", "adj close 'x' is not a number" },
        { "adj", "0", "adj close 0 is not positive" },
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
        Assert.Equal("high 9 is below low 9.5", RejectReason(Row(high: "9", low: "9.5", open: "9.2", close: "9.2")));

    [Fact]
    public void High_equal_to_low_is_accepted() =>
        Assert.True(PriceRowValidator.Validate(Row(open: "5", high: "5", low: "5", close: "5")).IsValid);

    [Theory]
    [InlineData("-5", "volume -5 is negative")]
    [InlineData("many", "volume 'many' is not a whole number")]
    [InlineData("12.5", "volume '12.5' is not a whole number")]
    [InlineData("1,000", "volume '1,000' is not a whole number")]
    public void Negative_or_non_numeric_volume_is_rejected(string volume, string reason) =>
        Assert.Equal(reason, RejectReason(Row(volume: volume)));

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
    public void Missing_volume_is_accepted_as_zero_by_default(string? volume)
    {
        var result = PriceRowValidator.Validate(Row(volume: volume));
        Assert.True(result.IsValid);
        Assert.Equal(0, result.Bar.Volume);
    }

    [Fact]
    public void Missing_volume_is_rejected_when_the_policy_says_so()
    {
        var result = new PriceRowValidator(MissingVolumePolicy.Reject).Check(Row(volume: "null"));
        Assert.False(result.IsValid);
        Assert.Equal("volume is missing", result.Rejection.Reason);
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
        var all = new PriceRowValidator().CheckAll(
        [
            Row(),
            new RawPriceRow("EURGBP.csv:3", "2004-01-05", "null", "null", "null", "null", "null", "null"),
            Row(date: "2024-01-03"),
        ]);
        Assert.Equal(2, all.Bars.Count);
        var rejection = Assert.Single(all.Rejections);
        Assert.Equal("open is missing", rejection.Reason);
        Assert.Equal("EURGBP.csv:3", rejection.Row.Source);
    }
}
