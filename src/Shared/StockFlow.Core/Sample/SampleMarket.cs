using StockFlow.Core.Prices;
using StockFlow.Core.Symbols;

namespace StockFlow.Core.Sample;

/// <summary>
/// The offline default market: deterministic synthetic daily bars for any symbol. Not real data — anything
/// showing it must carry <see cref="Label"/>.
/// <para>
/// Model: geometric Brownian motion whose daily variance follows GARCH(1,1) (volatility clusters), one bar per
/// weekday (Mon-Fri, no holiday calendar), opens gapping from the previous close, highs and lows beyond the
/// open/close, log-normal volume that rises with the size of the day's move, and quarterly dividends for
/// about 60 % of symbols. Each symbol draws its own start price, drift, volatility and volume level from a
/// seed that is a stable hash (FNV-1a) of its upper-cased name.
/// </para>
/// <para>
/// Every series starts at <see cref="AnchorDate"/> and is always simulated from there, so the bar of a given
/// date is the same whatever range is asked for (an incremental fetch agrees with a full one). Adj Close is
/// dividend-adjusted like Yahoo's (below Close before dividends), but relative to the fixed
/// <see cref="AdjustmentReferenceDate"/> instead of "today", so it never rewrites past values: the simulation
/// always runs at least to that date. Dates before the anchor have no bars.
/// </para>
/// </summary>
public static class SampleMarket
{
    /// <summary>The label every display of generated data must carry.</summary>
    public const string Label = "synthetic";

    /// <summary>The first simulated trading day (a Monday).</summary>
    public static readonly DateOnly AnchorDate = new(2000, 1, 3);

    /// <summary>The day on which Adj Close equals Close; earlier days are scaled down by later dividends.</summary>
    public static readonly DateOnly AdjustmentReferenceDate = new(2025, 12, 31);

    /// <summary>Invented tickers for the default offline run.</summary>
    public static IReadOnlyList<string> DefaultSymbols { get; } =
    [
        "ACMEX", "BRNZE", "CEDRA", "DUNEQ", "EMBRA", "FJORD", "GLACR", "HARBR", "IRONW", "JUNPR",
        "KESTR", "LARKS", "MAPLX", "NOVAQ", "ORBTX", "PINEX", "QUILX", "RIVTX", "SOLRX", "TUNDR",
    ];

    private const double GarchAlpha = 0.08;
    private const double GarchBeta = 0.90;
    private const int DividendEveryBusinessDays = 63;

    /// <summary>Bars of <paramref name="symbol"/> for the weekdays in [from, to] (inclusive).</summary>
    public static IReadOnlyList<DailyBar> Generate(string symbol, DateOnly from, DateOnly to) =>
        GenerateSeries(symbol, from, to).Bars;

    /// <summary>Bars and dividends of <paramref name="symbol"/> in [from, to] (inclusive).</summary>
    public static SampleSeries GenerateSeries(string symbol, DateOnly from, DateOnly to)
    {
        var normalized = SymbolValidator.Validate(symbol);
        if (to < from)
            throw new ArgumentException($"The range {from:yyyy-MM-dd}..{to:yyyy-MM-dd} ends before it starts.", nameof(to));

        var random = new DeterministicRandom(StableHash.Of(normalized));
        var profile = SymbolProfile.Draw(random);
        var dividendOffset = (int)(random.NextUInt64() % DividendEveryBusinessDays);
        var cosmeticSeed = random.NextUInt64();

        var longRunVariance = profile.AnnualVolatility * profile.AnnualVolatility / 252.0;
        var omega = longRunVariance * (1 - GarchAlpha - GarchBeta);
        var dailyDrift = profile.AnnualDrift / 252.0;

        var bars = new List<(DailyBar Bar, double Factor)>();
        var dividends = new List<CorporateAction>();
        var variance = longRunVariance;
        var previousShock = 0.0;
        var previousClose = profile.StartPrice;
        var totalReturnFactor = 1.0;
        var index = 0;

        var referenceFactor = 1.0;
        var simulateTo = to > AdjustmentReferenceDate ? to : AdjustmentReferenceDate;
        for (var date = AnchorDate; date <= simulateTo; date = NextWeekday(date), index++)
        {
            // The path draws one number per day, emitted or not, so a day's values never depend on the range.
            // The day's cosmetic numbers (gap, range, volume) come from their own per-day stream, so days
            // before the range skip them without shifting anything.
            var z = random.NextNormal();

            variance = omega + (GarchAlpha * previousShock * previousShock) + (GarchBeta * variance);
            var sigma = Math.Sqrt(variance);
            var shock = sigma * z;
            previousShock = shock;

            var dividend = 0.0;
            if (profile.PaysDividends && index > 0 && index % DividendEveryBusinessDays == dividendOffset)
                dividend = Round(previousClose * profile.QuarterlyYield, 4);

            var basis = previousClose - dividend;
            var close = Round(Math.Max(basis * Math.Exp(dailyDrift - (0.5 * variance) + shock), 0.01), 4);
            if (dividend > 0)
                totalReturnFactor *= (close + dividend) / close;
            if (date <= AdjustmentReferenceDate)
                referenceFactor = totalReturnFactor;
            if (date < from || date > to)
            {
                previousClose = close;
                continue;
            }

            var day = new DeterministicRandom(cosmeticSeed + ((ulong)index * 0x9E3779B97F4A7C15UL));
            var gapZ = day.NextNormal();
            var highZ = day.NextNormal();
            var lowZ = day.NextNormal();
            var volumeZ = day.NextNormal();
            var open = Round(basis * Math.Exp(0.25 * sigma * gapZ), 4);
            var high = Math.Max(Math.Max(open, close), Ceiling4(Math.Max(open, close) * Math.Exp(Math.Abs(highZ) * 0.6 * sigma)));
            var low = Math.Min(Math.Min(open, close), Floor4(Math.Min(open, close) * Math.Exp(-Math.Abs(lowZ) * 0.6 * sigma)));
            low = Math.Max(low, 0.0001);

            var logVolume = profile.LogVolumeMean + (0.35 * volumeZ) + (0.6 * (Math.Abs(z) - 0.8));
            var volume = (long)Math.Round(Math.Exp(logVolume));

            bars.Add((new DailyBar(date, open, high, low, close, null, volume), totalReturnFactor));
            if (dividend > 0)
                dividends.Add(CorporateAction.Dividend(date, dividend));
            previousClose = close;
        }
        var adjusted = bars.Select(b => b.Bar with { AdjClose = Round(b.Bar.Close * b.Factor / referenceFactor, 4) }).ToList();
        return new SampleSeries(normalized, adjusted, dividends);
    }

    private static DateOnly NextWeekday(DateOnly date)
    {
        var next = date.AddDays(1);
        while (next.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            next = next.AddDays(1);
        return next;
    }

    private static double Round(double value, int digits) => Math.Round(value, digits, MidpointRounding.AwayFromZero);

    private static double Ceiling4(double value) => Math.Ceiling(value * 10_000) / 10_000;

    private static double Floor4(double value) => Math.Floor(value * 10_000) / 10_000;
}
