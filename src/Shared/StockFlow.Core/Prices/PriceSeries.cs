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

    // Sorted input without repeated dates (the usual provider response) is already the answer.
    private static bool IsStrictlyAscending(List<DailyBar> bars)
    {
        for (var i = 1; i < bars.Count; i++)
        {
            if (bars[i - 1].Date >= bars[i].Date)
                return false;
        }
        return true;
    }

    /// <summary>One bar per date (the last one in input order), sorted by date.</summary>
    public static IReadOnlyList<DailyBar> Deduplicate(IEnumerable<DailyBar> bars)
    {
        ArgumentNullException.ThrowIfNull(bars);
        var list = bars.ToList();
        if (IsStrictlyAscending(list))
            return list;

        // Later bars overwrite earlier ones of the same date; then sort the survivors by date.
        var lastByDate = new Dictionary<DateOnly, DailyBar>(list.Count);
        foreach (var bar in list)
            lastByDate[bar.Date] = bar;
        var result = lastByDate.Values.ToList();
        result.Sort(static (a, b) => a.Date.CompareTo(b.Date));
        return result;
    }
}
