using StockFlow.Core.Prices;
using StockFlow.Core.Sample;
using StockFlow.Core.Symbols;

namespace StockFlow.Core.Tests;

public class SampleMarketTests
{
    private static readonly DateOnly From = new(2019, 1, 1);
    private static readonly DateOnly To = new(2023, 12, 31);

    [Fact]
    public void The_same_symbol_and_range_always_give_the_same_bars()
    {
        var first = SampleMarket.Generate("ACMEX", From, To);
        var second = SampleMarket.Generate("acmex", From, To);
        Assert.Equal(first, second);
        Assert.NotEmpty(first);
    }

    [Fact]
    public void Values_are_pinned_so_a_change_of_algorithm_is_noticed()
    {
        // Pinned once from this implementation: the seed comes from a stable hash, not string.GetHashCode,
        // so these values are the same in every process and on every machine.
        var bar = SampleMarket.Generate("ACMEX", new DateOnly(2024, 1, 2), new DateOnly(2024, 1, 2)).Single();
        Assert.Equal(PinnedAcmex20240102, bar);
    }

    private static readonly DailyBar PinnedAcmex20240102 = new(new DateOnly(2024, 1, 2), 55.3739, 55.474, 55.1194, 55.1651, 52.0238, 10542198);

    [Fact]
    public void Any_sub_range_gives_the_same_values_as_the_full_range()
    {
        var full = SampleMarket.GenerateSeries("FJORD", From, To);
        var head = SampleMarket.GenerateSeries("FJORD", From, new DateOnly(2021, 6, 30));
        var tail = SampleMarket.GenerateSeries("FJORD", new DateOnly(2021, 7, 1), To);
        Assert.Equal(full.Bars, head.Bars.Concat(tail.Bars));
        Assert.Equal(full.Dividends, head.Dividends.Concat(tail.Dividends));

        var oneDay = SampleMarket.Generate("FJORD", new DateOnly(2022, 3, 15), new DateOnly(2022, 3, 15));
        Assert.Equal(full.Bars.Single(b => b.Date == new DateOnly(2022, 3, 15)), Assert.Single(oneDay));
    }

    [Fact]
    public void Only_weekdays_are_generated_every_weekday_once_in_order()
    {
        var bars = SampleMarket.Generate("CEDRA", new DateOnly(2024, 1, 1), new DateOnly(2024, 1, 31));
        Assert.All(bars, b => Assert.True(b.Date.DayOfWeek is not DayOfWeek.Saturday and not DayOfWeek.Sunday));
        Assert.Equal(23, bars.Count);
        Assert.Equal(bars.OrderBy(b => b.Date).Select(b => b.Date).Distinct(), bars.Select(b => b.Date));
    }

    [Fact]
    public void A_weekend_only_range_or_a_range_before_the_anchor_is_empty()
    {
        Assert.Empty(SampleMarket.Generate("CEDRA", new DateOnly(2024, 1, 6), new DateOnly(2024, 1, 7)));
        Assert.Empty(SampleMarket.Generate("CEDRA", new DateOnly(1990, 1, 1), new DateOnly(1999, 12, 31)));
        Assert.Equal(SampleMarket.AnchorDate, SampleMarket.Generate("CEDRA", new DateOnly(1990, 1, 1), new DateOnly(2000, 1, 3)).Single().Date);
    }

    [Fact]
    public void A_reversed_range_or_an_unsafe_symbol_is_refused()
    {
        Assert.Throws<ArgumentException>(() => SampleMarket.Generate("CEDRA", To, From));
        Assert.Throws<InvalidSymbolException>(() => SampleMarket.Generate("../etc", From, To));
    }

    [Fact]
    public void Every_bar_is_consistent_and_passes_the_cleaning_rules()
    {
        foreach (var symbol in SampleMarket.DefaultSymbols)
        {
            foreach (var bar in SampleMarket.Generate(symbol, From, To))
            {
                Assert.True(bar.Low > 0, $"{symbol} {bar.Date}: low {bar.Low}");
                Assert.True(bar.Low <= Math.Min(bar.Open, bar.Close), $"{symbol} {bar.Date}: low above open/close");
                Assert.True(bar.High >= Math.Max(bar.Open, bar.Close), $"{symbol} {bar.Date}: high below open/close");
                Assert.True(bar.Volume > 0);
                Assert.NotNull(bar.AdjClose);
                var raw = new RawPriceRow("sample", bar.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    Text(bar.Open), Text(bar.High), Text(bar.Low), Text(bar.Close), Text(bar.AdjClose!.Value), bar.Volume.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Assert.True(PriceRowValidator.Validate(raw).IsValid);
            }
        }
    }

    private static string Text(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Annualised_volatility_is_plausible_and_differs_between_symbols()
    {
        var vols = SampleMarket.DefaultSymbols.Select(s => AnnualisedVolatility(SampleMarket.Generate(s, From, To))).ToList();
        Assert.All(vols, v => Assert.InRange(v, 0.08, 0.80));
        Assert.True(vols.Max() - vols.Min() > 0.1, $"volatilities too alike: {string.Join(", ", vols)}");
    }

    [Fact]
    public void Volatility_clusters_absolute_returns_are_autocorrelated()
    {
        var returns = LogReturns(SampleMarket.Generate("GLACR", new DateOnly(2000, 1, 3), To)).Select(Math.Abs).ToArray();
        Assert.True(Autocorrelation(returns, 1) > 0.05, "GARCH should make |returns| positively autocorrelated");
    }

    [Fact]
    public void Volume_rises_with_the_size_of_the_move()
    {
        var bars = SampleMarket.Generate("HARBR", new DateOnly(2005, 1, 3), To);
        var absReturns = LogReturns(bars).Select(Math.Abs).ToArray();
        var logVolumes = bars.Skip(1).Select(b => Math.Log(b.Volume)).ToArray();
        Assert.True(Correlation(absReturns, logVolumes) > 0.2);
    }

    [Fact]
    public void Dividend_payers_have_an_adjusted_close_that_grows_relative_to_close_and_others_equal_close()
    {
        var payers = 0;
        foreach (var symbol in SampleMarket.DefaultSymbols)
        {
            var series = SampleMarket.GenerateSeries(symbol, From, To);
            if (series.Dividends.Count == 0)
            {
                Assert.All(series.Bars, b => Assert.Equal(b.Close, b.AdjClose));
                continue;
            }
            payers++;
            Assert.All(series.Dividends, d => Assert.InRange(d.Amount!.Value / series.Bars.First(b => b.Date == d.Date).Close, 0.0005, 0.02));
            var first = series.Bars[0];
            var last = series.Bars[^1];
            Assert.True(last.AdjClose / last.Close > first.AdjClose / first.Close);
        }
        Assert.InRange(payers, 1, SampleMarket.DefaultSymbols.Count - 1);
    }

    [Fact]
    public void Default_symbols_are_twenty_valid_distinct_tickers_labelled_synthetic()
    {
        Assert.Equal(20, SampleMarket.DefaultSymbols.Distinct().Count());
        Assert.All(SampleMarket.DefaultSymbols, s => Assert.Equal(s, SymbolValidator.Validate(s)));
        Assert.Equal("synthetic", SampleMarket.Label);
    }

    [Fact]
    public void Twenty_symbols_over_five_years_generate_every_weekday()
    {
        // How fast is for the benchmarks (bench/), not for a unit test on a shared machine.
        var count = SampleMarket.DefaultSymbols.Sum(s => SampleMarket.Generate(s, From, To).Count);
        Assert.True(count > 20 * 1200);
    }

    private static double[] LogReturns(IReadOnlyList<DailyBar> bars) =>
        bars.Zip(bars.Skip(1), (a, b) => Math.Log(b.AdjClose!.Value / a.AdjClose!.Value)).ToArray();

    private static double AnnualisedVolatility(IReadOnlyList<DailyBar> bars)
    {
        var r = LogReturns(bars);
        var mean = r.Average();
        return Math.Sqrt(r.Sum(x => (x - mean) * (x - mean)) / (r.Length - 1) * 252);
    }

    private static double Autocorrelation(double[] x, int lag) => Correlation(x[..^lag], x[lag..]);

    private static double Correlation(double[] a, double[] b)
    {
        var ma = a.Average();
        var mb = b.Average();
        var cov = a.Zip(b, (x, y) => (x - ma) * (y - mb)).Sum();
        return cov / Math.Sqrt(a.Sum(x => (x - ma) * (x - ma)) * b.Sum(y => (y - mb) * (y - mb)));
    }
}
