using StockFlow.Reporting.Model;

namespace StockFlow.Reporting.Tests;

/// <summary>
/// Plausible data for a report: geometric random walks per symbol over business days, with every query result
/// computed the way docs/architecture.md ("The metrics") defines it. Used by tests and to render the report for a screenshot.
/// </summary>
public static class SampleReportData
{
    public static readonly DateOnly From = new(2023, 1, 2);
    public static readonly DateOnly To = new(2024, 12, 31);

    private static readonly string[] Tickers =
        ["AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "META", "JPM", "XOM", "KO", "PFE", "TSLA", "BRK.B"];

    public static ReportData Create(int symbolCount = 10, int seed = 42, DateOnly? from = null, DateOnly? to = null)
    {
        var random = new Random(seed);
        var symbols = Enumerable.Range(0, symbolCount)
            .Select(i => i < Tickers.Length ? Tickers[i] : $"S{i:D3}")
            .ToList();
        var days = BusinessDays(from ?? From, to ?? To);

        var history = new List<PriceHistoryRow>();
        var returnsBySymbol = new Dictionary<string, List<(DateOnly Date, double? Return, double Px, double? Ma50)>>();
        foreach (var symbol in symbols)
        {
            var drift = (random.NextDouble() - 0.35) * 0.0016;
            var sigma = 0.008 + (random.NextDouble() * 0.025);
            var px = 20 + (random.NextDouble() * 400);
            var prices = new List<double>();
            var series = new List<(DateOnly, double?, double, double?)>();
            foreach (var day in days)
            {
                double? dailyReturn = null;
                if (prices.Count > 0)
                {
                    var next = px * Math.Exp(drift + (sigma * Gaussian(random)));
                    dailyReturn = (next / px) - 1;
                    px = next;
                }

                px = Math.Round(px, 4);
                prices.Add(px);
                var ma20 = MovingAverage(prices, 20);
                var ma50 = MovingAverage(prices, 50);
                history.Add(new PriceHistoryRow(symbol, day, px, ma20, ma50, MovingAverage(prices, 200)));
                series.Add((day, dailyReturn, px, ma50));
            }

            returnsBySymbol[symbol] = series;
        }

        var averages = symbols.Select(s =>
        {
            var series = returnsBySymbol[s];
            var returns = series.Where(r => r.Return is not null).Select(r => r.Return!.Value).ToList();
            double? avg = returns.Count > 0 ? returns.Average() : null;
            return new AverageReturnRow(
                s, series[0].Date, series[^1].Date, series.Count, avg, avg * 252, (series[^1].Px / series[0].Px) - 1);
        }).ToList();

        var volatility = symbols
            .Select(s => (Symbol: s, Vol: StdDev(returnsBySymbol[s].Where(r => r.Return is not null).Select(r => r.Return!.Value).ToList()) * Math.Sqrt(252)))
            .OrderByDescending(v => v.Vol)
            .Select((v, i) => new VolatilityRankingRow(v.Symbol, v.Vol, i + 1))
            .ToList();

        var trend = new List<MarketTrendRow>();
        var level = 1.0;
        for (var d = 0; d < days.Count; d++)
        {
            var dayRows = symbols.Select(s => returnsBySymbol[s][d]).ToList();
            var dayReturns = dayRows.Where(r => r.Return is not null).Select(r => r.Return!.Value).ToList();
            double? indexReturn = dayReturns.Count > 0 ? dayReturns.Average() : null;
            if (d > 0 && indexReturn is { } ir)
            {
                level *= 1 + ir;
            }

            var withMa = dayRows.Where(r => r.Ma50 is not null).ToList();
            double? breadth = withMa.Count > 0 ? withMa.Count(r => r.Px > r.Ma50) / (double)withMa.Count : null;
            trend.Add(new MarketTrendRow(days[d], symbols.Count, indexReturn, level, breadth));
        }

        var ingestion = symbols
            .Select((s, i) => new IngestionSummaryRow(s, days.Count, i % 4 == 1 ? i : 0, "succeeded"))
            .Append(new IngestionSummaryRow("ZZZZ", 0, 0, "failed", "Unknown symbol 'ZZZZ': the provider returned HTTP 404."))
            .ToList();

        return new ReportData
        {
            ExecutionId = "exec-2025-01-02T06-00-00Z-3f9c",
            PeriodFrom = days[0],
            PeriodTo = days[^1],
            GeneratedAt = new DateTimeOffset(2025, 1, 2, 6, 4, 31, TimeSpan.Zero),
            DataLabel = "synthetic sample data",
            Symbols = [.. symbols, "ZZZZ"],
            Ingestion = ingestion,
            Results = new ReportQueryResults(averages, volatility, trend, history),
        };
    }

    /// <summary>
    /// The price history as sql/queries/price_history.sql returns it: a symbol with more than
    /// <paramref name="maxPoints"/> days keeps every k-th day counted back from its last (k = ceil(n / maxPoints)) and its first.
    /// </summary>
    public static ReportData SampledLikePriceHistory(ReportData data, int maxPoints = 520)
    {
        var sampled = new List<PriceHistoryRow>();
        foreach (var symbol in data.Results.PriceHistory.GroupBy(r => r.Symbol, StringComparer.Ordinal))
        {
            var days = symbol.ToList();
            var step = (int)Math.Ceiling(days.Count / (double)maxPoints);
            sampled.AddRange(days.Where((_, i) => days.Count <= maxPoints || i == 0 || (days.Count - 1 - i) % step == 0));
        }

        return data with { Results = data.Results with { PriceHistory = sampled } };
    }

    private static List<DateOnly> BusinessDays(DateOnly from, DateOnly to)
    {
        var days = new List<DateOnly>();
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            if (day.DayOfWeek is not DayOfWeek.Saturday and not DayOfWeek.Sunday)
            {
                days.Add(day);
            }
        }

        return days;
    }

    private static double? MovingAverage(List<double> prices, int window) =>
        prices.Count >= window ? prices.Skip(prices.Count - window).Average() : null;

    private static double? StdDev(List<double> values)
    {
        if (values.Count < 2)
        {
            return null;
        }

        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
