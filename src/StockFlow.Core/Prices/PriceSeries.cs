namespace StockFlow.Core.Prices;

/// <summary>Operations on one symbol's series of daily bars.</summary>
public static class PriceSeries
{
    /// <summary>
    /// Merges newly ingested bars into stored ones: one bar per date, the last ingested bar wins
    /// (incoming over existing, and a later duplicate over an earlier one within either list).
    /// Inputs may be unsorted; the result is sorted by date.
    /// </summary>
    public static IReadOnlyList<DailyBar> Merge(IEnumerable<DailyBar> existing, IEnumerable<DailyBar> incoming)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(incoming);
        return Deduplicate(existing.Concat(incoming));
    }

    /// <summary>One bar per date (the last one in input order), sorted by date.</summary>
    public static IReadOnlyList<DailyBar> Deduplicate(IEnumerable<DailyBar> bars)
    {
        ArgumentNullException.ThrowIfNull(bars);
        var byDate = new SortedDictionary<DateOnly, DailyBar>();
        foreach (var bar in bars)
            byDate[bar.Date] = bar;
        return [.. byDate.Values];
    }
}
