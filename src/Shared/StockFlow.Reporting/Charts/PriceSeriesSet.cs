using StockFlow.Reporting.Model;

namespace StockFlow.Reporting.Charts;

/// <summary>One symbol's chart points in date order, one per date, and how densely they cover its trading days.</summary>
internal sealed record SymbolPriceSeries(string Symbol, ArraySegment<PriceHistoryRow> Days, PriceSampling Sampling);

/// <summary>
/// The price_history rows grouped per symbol in one pass. The query already returns them ordered by symbol and
/// date, so the common case costs a check and no sort; other input is sorted once (stably, so for a duplicated
/// date the row that came last wins, as in the cleaning rules).
/// </summary>
internal sealed class PriceSeriesSet
{
    private PriceSeriesSet(IReadOnlyList<SymbolPriceSeries> symbols) => Symbols = symbols;

    /// <summary>Symbols in the order the selector lists them (ordinal).</summary>
    public IReadOnlyList<SymbolPriceSeries> Symbols { get; }

    public bool AnySampled => Symbols.Any(s => s.Sampling.IsSampled);

    public static PriceSeriesSet From(IReadOnlyList<PriceHistoryRow> rows, IReadOnlyList<AverageReturnRow> averageReturns)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(averageReturns);
        var ordered = IsOrdered(rows) ? rows : rows.OrderBy(r => r.Symbol, StringComparer.Ordinal).ThenBy(r => r.TradeDate).ToList();

        // The trading days each symbol has in the period tell whether its points are every day or a sample.
        var tradingDays = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var row in averageReturns)
        {
            tradingDays[row.Symbol] = row.TradingDays;
        }

        var days = new PriceHistoryRow[ordered.Count];
        var kept = 0;
        var symbols = new List<SymbolPriceSeries>();
        var start = 0;
        for (var i = 0; i < ordered.Count; i++)
        {
            var row = ordered[i];
            if (kept > start && string.Equals(days[kept - 1].Symbol, row.Symbol, StringComparison.Ordinal))
            {
                if (days[kept - 1].TradeDate == row.TradeDate)
                {
                    days[kept - 1] = row; // duplicate date: the last row wins
                    continue;
                }
            }
            else if (kept > start)
            {
                symbols.Add(Series(days, start, kept, tradingDays));
                start = kept;
            }

            days[kept++] = row;
        }

        if (kept > start)
        {
            symbols.Add(Series(days, start, kept, tradingDays));
        }

        return new PriceSeriesSet(symbols);
    }

    private static SymbolPriceSeries Series(PriceHistoryRow[] days, int start, int end, Dictionary<string, long> tradingDays)
    {
        var segment = new ArraySegment<PriceHistoryRow>(days, start, end - start);
        var symbol = segment[0].Symbol;
        return new SymbolPriceSeries(
            symbol, segment, PriceSampling.Of(segment, tradingDays.TryGetValue(symbol, out var n) ? n : null));
    }

    private static bool IsOrdered(IReadOnlyList<PriceHistoryRow> rows)
    {
        for (var i = 1; i < rows.Count; i++)
        {
            var bySymbol = string.CompareOrdinal(rows[i - 1].Symbol, rows[i].Symbol);
            if (bySymbol > 0 || (bySymbol == 0 && rows[i - 1].TradeDate > rows[i].TradeDate))
            {
                return false;
            }
        }

        return true;
    }
}
