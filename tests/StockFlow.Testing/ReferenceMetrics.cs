namespace StockFlow.Testing;

/// <summary>One daily_metrics row, as computed by the straightforward reference below.</summary>
public sealed record MetricsRow(
    string Symbol, DateOnly TradeDate, double Open, double High, double Low, double Close, double AdjClose, long Volume,
    double? DailyReturn, double? LogReturn, double? Ma20, double? Ma50, double? Ma200, double? Volatility20,
    double CumulativeReturn, double Drawdown);

public sealed record PriceInput(string Symbol, DateOnly Date, double Open, double High, double Low, double Close, double? AdjClose, long Volume);

/// <summary>An independent, loop-based implementation of the definitions in docs/architecture.md ("The metrics"), to check the SQL against.</summary>
public static class ReferenceMetrics
{
    /// <param name="rowsInIngestOrder">Clean rows in ingest order: the last one for a (symbol, date) wins.</param>
    public static List<MetricsRow> Compute(IEnumerable<PriceInput> rowsInIngestOrder)
    {
        var latest = new Dictionary<(string, DateOnly), PriceInput>();
        foreach (var row in rowsInIngestOrder)
        {
            latest[(row.Symbol, row.Date)] = row;
        }

        var result = new List<MetricsRow>();
        foreach (var group in latest.Values.GroupBy(r => r.Symbol).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var rows = group.OrderBy(r => r.Date).ToList();
            var px = rows.Select(r => r.AdjClose ?? r.Close).ToArray();
            var returns = new double?[px.Length];
            var runningMax = double.MinValue;
            for (var i = 0; i < rows.Count; i++)
            {
                returns[i] = i == 0 ? null : px[i] / px[i - 1] - 1;
                runningMax = Math.Max(runningMax, px[i]);
                var r = rows[i];
                result.Add(new MetricsRow(
                    r.Symbol, r.Date, r.Open, r.High, r.Low, r.Close, px[i], r.Volume,
                    returns[i],
                    i == 0 ? null : Math.Log(px[i] / px[i - 1]),
                    MovingAverage(px, i, 20), MovingAverage(px, i, 50), MovingAverage(px, i, 200),
                    Volatility20(returns, i),
                    px[i] / px[0] - 1,
                    px[i] / runningMax - 1));
            }
        }

        return result;
    }

    private static double? MovingAverage(double[] px, int index, int n)
    {
        if (index + 1 < n)
        {
            return null;
        }

        var sum = 0.0;
        for (var k = index - n + 1; k <= index; k++)
        {
            sum += px[k];
        }

        return sum / n;
    }

    private static double? Volatility20(double?[] returns, int index)
    {
        if (index < 19)
        {
            return null;
        }

        var window = new List<double>();
        for (var k = index - 19; k <= index; k++)
        {
            if (returns[k] is double value)
            {
                window.Add(value);
            }
        }

        if (window.Count < 20)
        {
            return null;
        }

        var mean = window.Average();
        var variance = window.Sum(v => (v - mean) * (v - mean)) / (window.Count - 1);
        return Math.Sqrt(variance) * Math.Sqrt(252);
    }
}
