using System.Globalization;
using NodaTime;
using StockFlow.Core.Prices;

namespace StockFlow.Providers.Yahoo;

/// <summary>
/// Turns parsed columns into the rows of one request: trading dates in the exchange zone, all-null bars dropped
/// (counted), partially null bars kept with empty fields so validation quarantines them (never null → 0),
/// today's unfinished bar left out, one row per date (the last wins), only dates inside the request,
/// float32 noise rounded away.
/// </summary>
internal static class YahooRowBuilder
{
    public static ProviderResult Build(string symbol, YahooChart chart, DateOnly from, DateOnly to, Instant now, int decimals)
    {
        var metadata = new ProviderMetadata(chart.Currency, chart.ExchangeTimeZone, chart.InstrumentType);
        if (chart.Timestamps.Count == 0)
            return new ProviderResult(symbol, [], metadata, []);

        var zone = YahooTradingDates.Zone(symbol, chart.ExchangeTimeZone!);
        var today = YahooTradingDates.Today(now, zone);
        var sessionClosed = chart.RegularSessionEnd is { } end
            && YahooTradingDates.TradingDate(end, zone) == today
            && now >= Instant.FromUnixTimeSeconds(end);

        var byDate = new SortedDictionary<DateOnly, RawPriceRow>();
        int empty = 0, live = 0, duplicates = 0;
        for (var i = 0; i < chart.Timestamps.Count; i++)
        {
            var adj = chart.AdjClose?[i];
            if (chart.Open[i] is null && chart.High[i] is null && chart.Low[i] is null && chart.Close[i] is null
                && chart.Volume[i] is null && adj is null)
            {
                empty++;
                continue;
            }
            var date = YahooTradingDates.TradingDate(chart.Timestamps[i], zone);
            if (date > today || (date == today && !sessionClosed))
            {
                live++;
                continue;
            }
            if (date < from || date > to)
                continue;
            var row = new RawPriceRow(
                $"yahoo:{symbol}#{i}",
                RequestChecks.Iso(date),
                Price(chart.Open[i], decimals),
                Price(chart.High[i], decimals),
                Price(chart.Low[i], decimals),
                Price(chart.Close[i], decimals),
                Price(adj, decimals),
                Volume(chart.Volume[i]));
            if (byDate.ContainsKey(date))
                duplicates++;
            byDate[date] = row;
        }

        var events = new List<CorporateAction>();
        foreach (var dividend in chart.Dividends)
        {
            var date = YahooTradingDates.TradingDate(dividend.Timestamp, zone);
            if (date >= from && date <= to)
                events.Add(CorporateAction.Dividend(date, Math.Round(dividend.Amount, decimals)));
        }
        foreach (var split in chart.Splits)
        {
            var date = YahooTradingDates.TradingDate(split.Timestamp, zone);
            if (date >= from && date <= to)
                events.Add(CorporateAction.Split(date, split.Numerator, split.Denominator));
        }
        events.Sort((a, b) => a.Date.CompareTo(b.Date));

        return new ProviderResult(symbol, [.. byDate.Values], metadata, events)
        {
            DroppedEmptyBars = empty,
            DroppedLiveBars = live,
            DuplicateBars = duplicates,
        };
    }

    private static string Price(double? value, int decimals) =>
        value is { } v ? Math.Round(v, decimals, MidpointRounding.AwayFromZero).ToString("R", CultureInfo.InvariantCulture) : string.Empty;

    private static string Volume(double? value)
    {
        if (value is not { } v)
            return string.Empty;
        return Math.Floor(v) == v && Math.Abs(v) < 9e18
            ? ((long)v).ToString(CultureInfo.InvariantCulture)
            : v.ToString("R", CultureInfo.InvariantCulture);
    }
}
