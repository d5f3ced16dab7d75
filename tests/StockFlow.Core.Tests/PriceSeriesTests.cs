using StockFlow.Core.Prices;

namespace StockFlow.Core.Tests;

public class PriceSeriesTests
{
    private static DailyBar Bar(int day, double close) => new(new DateOnly(2024, 3, day), close, close, close, close, null, 100);

    [Fact]
    public void Incoming_rows_replace_existing_rows_of_the_same_date()
    {
        var merged = PriceSeries.Merge([Bar(4, 1), Bar(5, 2)], [Bar(5, 20), Bar(6, 30)]);
        Assert.Equal([Bar(4, 1), Bar(5, 20), Bar(6, 30)], merged);
    }

    [Fact]
    public void Within_one_batch_the_last_duplicate_wins()
    {
        var merged = PriceSeries.Merge([Bar(4, 1), Bar(4, 2)], [Bar(7, 1), Bar(7, 3), Bar(7, 2)]);
        Assert.Equal([Bar(4, 2), Bar(7, 2)], merged);
    }

    [Fact]
    public void Unsorted_input_gives_sorted_output()
    {
        var merged = PriceSeries.Merge([Bar(20, 1), Bar(3, 1)], [Bar(11, 1), Bar(1, 1)]);
        Assert.Equal([1, 3, 11, 20], merged.Select(b => b.Date.Day));
    }

    [Fact]
    public void Merging_empty_lists_gives_an_empty_series()
    {
        Assert.Empty(PriceSeries.Merge([], []));
        Assert.Equal([Bar(1, 1)], PriceSeries.Merge([], [Bar(1, 1)]));
    }

    [Fact]
    public void Merging_the_same_rows_again_is_idempotent()
    {
        DailyBar[] rows = [Bar(1, 1), Bar(2, 2), Bar(3, 3)];
        var once = PriceSeries.Merge([], rows);
        Assert.Equal(once, PriceSeries.Merge(once, rows));
    }
}
