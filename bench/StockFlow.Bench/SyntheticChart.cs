using System.Globalization;
using System.Text;

namespace StockFlow.Bench;

/// <summary>A year of plausible daily bars per symbol in Yahoo v8 chart JSON (New York 09:30 opens, weekdays).</summary>
internal static class SyntheticChart
{
    public static string Year(string symbol, int year)
    {
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var days = Enumerable.Range(0, DateTime.IsLeapYear(year) ? 366 : 365)
            .Select(d => new DateTime(year, 1, 1).AddDays(d))
            .Where(d => d.DayOfWeek is not DayOfWeek.Saturday and not DayOfWeek.Sunday)
            .ToList();
        var seed = symbol.Aggregate(17, (h, c) => unchecked((h * 31) + c));
        var random = new Random(seed);
        double price = 50 + (seed & 0xff);
        var ts = new List<long>();
        var open = new List<double>();
        var high = new List<double>();
        var low = new List<double>();
        var close = new List<double>();
        var volume = new List<long>();
        foreach (var day in days)
        {
            var openAt = TimeZoneInfo.ConvertTimeToUtc(day.AddHours(9.5), newYork);
            ts.Add(new DateTimeOffset(openAt, TimeSpan.Zero).ToUnixTimeSeconds());
            var o = price;
            var c = Math.Max(1, o * (1 + ((random.NextDouble() - 0.5) * 0.04)));
            open.Add(Math.Round(o, 4));
            close.Add(Math.Round(c, 4));
            high.Add(Math.Round(Math.Max(o, c) * 1.01, 4));
            low.Add(Math.Round(Math.Min(o, c) * 0.99, 4));
            volume.Add(1_000_000 + random.Next(1_000_000));
            price = c;
        }

        var json = new StringBuilder(64 * 1024);
        json.Append(CultureInfo.InvariantCulture, $$"""{"chart":{"result":[{"meta":{"currency":"USD","symbol":"{{symbol}}","exchangeTimezoneName":"America/New_York","instrumentType":"EQUITY"},"timestamp":[""");
        json.AppendJoin(',', ts);
        json.Append("""],"indicators":{"quote":[{"open":[""").AppendJoin(',', open.Select(N));
        json.Append("""],"high":[""").AppendJoin(',', high.Select(N));
        json.Append("""],"low":[""").AppendJoin(',', low.Select(N));
        json.Append("""],"close":[""").AppendJoin(',', close.Select(N));
        json.Append("""],"volume":[""").AppendJoin(',', volume.Select(v => v.ToString(CultureInfo.InvariantCulture)));
        json.Append("""]}],"adjclose":[{"adjclose":[""").AppendJoin(',', close.Select(c => N(c * 0.98)));
        json.Append("]}]}}],\"error\":null}}");
        return json.ToString();
    }

    private static string N(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
