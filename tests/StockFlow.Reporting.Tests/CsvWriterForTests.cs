using System.Globalization;
using StockFlow.Reporting.Model;

namespace StockFlow.Reporting.Tests;

/// <summary>Writes query results the way Athena does (every field quoted, NULL as an empty field).</summary>
internal static class CsvWriterForTests
{
    public static void WriteResults(string directory, ReportQueryResults results)
    {
        Write(directory, "average_return",
            ["symbol", "first_date", "last_date", "trading_days", "avg_daily_return", "annualized_return", "cumulative_return"],
            results.AverageReturns.Select(r => new object?[] { r.Symbol, r.FirstDate, r.LastDate, r.TradingDays, r.AvgDailyReturn, r.AnnualizedReturn, r.CumulativeReturn }));
        Write(directory, "volatility_ranking", ["symbol", "annualized_volatility", "rank"],
            results.VolatilityRanking.Select(r => new object?[] { r.Symbol, r.AnnualizedVolatility, r.Rank }));
        Write(directory, "market_trend", ["trade_date", "symbols", "index_return", "index_level", "pct_above_ma50"],
            results.MarketTrend.Select(r => new object?[] { r.TradeDate, r.Symbols, r.IndexReturn, r.IndexLevel, r.PctAboveMa50 }));
        Write(directory, "price_history", ["symbol", "trade_date", "adj_close", "ma_20", "ma_50", "ma_200"],
            results.PriceHistory.Select(r => new object?[] { r.Symbol, r.TradeDate, r.AdjClose, r.Ma20, r.Ma50, r.Ma200 }));
    }

    private static void Write(string directory, string query, string[] header, IEnumerable<object?[]> rows)
    {
        var lines = new List<string> { string.Join(",", header.Select(h => $"\"{h}\"")) };
        lines.AddRange(rows.Select(row => string.Join(",", row.Select(Field))));
        File.WriteAllText(Path.Combine(directory, query + ".csv"), string.Join("\n", lines) + "\n");
    }

    private static string Field(object? value) => value switch
    {
        null => string.Empty,
        DateOnly d => $"\"{d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}\"",
        double d => $"\"{d.ToString("R", CultureInfo.InvariantCulture)}\"",
        IFormattable f => $"\"{f.ToString(null, CultureInfo.InvariantCulture)}\"",
        _ => $"\"{value.ToString()!.Replace("\"", "\"\"", StringComparison.Ordinal)}\"",
    };
}
