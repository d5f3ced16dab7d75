using System.Globalization;
using StockFlow.Reporting.Html;
using StockFlow.Reporting.Model;

namespace StockFlow.Reporting.Charts;

/// <summary>
/// How a symbol's chart points cover its trading days. price_history keeps every k-th day of a long period (plus
/// the first), so the reader must be told the chart is not daily. The step is derived from the data: the symbol's
/// trading days in the period (average_return) against the points drawn; without that count, from the dates.
/// </summary>
internal readonly record struct PriceSampling(int Points, long? TradingDays, int Step, int? CalendarDaysPerPoint)
{
    /// <summary>Below this median gap between points (in calendar days) a series reads as daily bars.</summary>
    private const int DailyGapLimit = 4;

    public bool IsSampled => Step > 1 || CalendarDaysPerPoint is not null;

    public static PriceSampling Of(IReadOnlyList<PriceHistoryRow> days, long? tradingDays)
    {
        ArgumentNullException.ThrowIfNull(days);
        var points = days.Count;
        if (tradingDays is { } n)
        {
            // Every k-th day plus the first: (n - 1) days between the first and last point over (points - 1) gaps.
            var step = n > points && points > 1 ? Math.Max(2, (int)Math.Round((n - 1) / (double)(points - 1))) : 1;
            return new PriceSampling(points, n, step, null);
        }

        if (points < 3)
        {
            return new PriceSampling(points, null, 1, null);
        }

        var gaps = new int[points - 1];
        for (var i = 1; i < points; i++)
        {
            gaps[i - 1] = days[i].TradeDate.DayNumber - days[i - 1].TradeDate.DayNumber;
        }

        Array.Sort(gaps);
        var median = gaps[gaps.Length / 2];
        return new PriceSampling(points, null, 1, median > DailyGapLimit ? median : null);
    }

    /// <summary>E.g. "every 6th trading day (436 of 2,609 days)"; null when every trading day is drawn.</summary>
    public string? Describe() =>
        Step > 1 && TradingDays is { } n
            ? $"every {Ordinal(Step)} trading day ({ReportFormat.Integer(Points)} of {ReportFormat.Integer(n)} days)"
            : CalendarDaysPerPoint is { } gap
                ? $"one point per about {gap.ToString(CultureInfo.InvariantCulture)} calendar days"
                : null;

    /// <summary>The same, for all symbols at once: "every 6th trading day", or a range when the steps differ.</summary>
    public static string? DescribeAll(IReadOnlyList<PriceSampling> samplings)
    {
        ArgumentNullException.ThrowIfNull(samplings);
        var steps = samplings.Where(s => s.Step > 1).Select(s => s.Step).ToList();
        if (steps.Count > 0)
        {
            var (min, max) = (steps.Min(), steps.Max());
            var all = steps.Count == samplings.Count;
            return (min == max ? $"every {Ordinal(min)} trading day" : $"every {Ordinal(min)} to {Ordinal(max)} trading day")
                + (all ? string.Empty : " for some symbols");
        }

        return samplings.Any(s => s.CalendarDaysPerPoint is not null) ? "fewer points than trading days" : null;
    }

    /// <summary>2 → "2nd", 3 → "3rd", 11 → "11th", 21 → "21st".</summary>
    public static string Ordinal(int n)
    {
        var suffix = (n % 100) is 11 or 12 or 13 ? "th" : (n % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" };
        return n.ToString(CultureInfo.InvariantCulture) + suffix;
    }
}
