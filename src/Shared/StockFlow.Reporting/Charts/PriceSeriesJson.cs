using System.Text.Encodings.Web;
using System.Text.Json;
using StockFlow.Reporting.Html;

namespace StockFlow.Reporting.Charts;

/// <summary>
/// Every symbol's price series, once:
/// {"SYM":{"d0":"2016-01-04","dd":[1,1,3,..],"p":[adj close],"m20":[..],"m50":[..],"m200":[..],"s":"every 6th trading day (..)"}}.
/// The four traces share one date axis, stored as the first date and the day gaps after it (a date string per
/// point was a quarter of the page); values are rounded to what the chart can show (<see cref="ChartPrecision"/>); NULL moving averages stay null
/// (a gap); "s" says how the points are sampled and is absent when every trading day is drawn.
/// </summary>
internal static class PriceSeriesJson
{
    /// <summary>
    /// The default encoder escapes &lt; &gt; &amp; ' and every non-ASCII character (U+2028/2029 included), so the
    /// output can go inside &lt;script type="application/json"&gt; as it is, without another escaping pass.
    /// </summary>
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.Default };

    public static void Write(Stream output, PriceSeriesSet series)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(series);
        using var json = new Utf8JsonWriter(output, Options);
        json.WriteStartObject();
        foreach (var symbol in series.Symbols)
        {
            var days = symbol.Days;
            json.WriteStartObject(symbol.Symbol);
            json.WriteString("d0", ReportFormat.Date(days[0].TradeDate));
            json.WriteStartArray("dd");
            for (var i = 1; i < days.Count; i++)
            {
                json.WriteNumberValue(days[i].TradeDate.DayNumber - days[i - 1].TradeDate.DayNumber);
            }

            json.WriteEndArray();
            json.WriteStartArray("p");
            foreach (var day in days)
            {
                WriteNumber(json, day.AdjClose);
            }

            json.WriteEndArray();
            WriteNumbers(json, "m20", days, d => d.Ma20);
            WriteNumbers(json, "m50", days, d => d.Ma50);
            WriteNumbers(json, "m200", days, d => d.Ma200);
            if (symbol.Sampling.Describe() is { } sampling)
            {
                json.WriteString("s", sampling);
            }

            json.WriteEndObject();
            if (json.BytesPending > 1 << 16)
            {
                json.Flush(); // keep the writer's buffer small; the output stream takes the bytes
            }
        }

        json.WriteEndObject();
    }

    private static void WriteNumbers(
        Utf8JsonWriter json, string name, ArraySegment<Model.PriceHistoryRow> days, Func<Model.PriceHistoryRow, double?> value)
    {
        json.WriteStartArray(name);
        foreach (var day in days)
        {
            if (value(day) is { } v)
            {
                WriteNumber(json, v);
            }
            else
            {
                json.WriteNullValue();
            }
        }

        json.WriteEndArray();
    }

    private static void WriteNumber(Utf8JsonWriter json, double value) => json.WriteNumberValue(ChartPrecision(value));

    /// <summary>
    /// Rounds to what the chart can show: at least the 2 decimals its hover prints, and 5 significant digits for
    /// smaller prices (at most 4 decimals). Far shorter than round-trip doubles; a third of the page's size.
    /// </summary>
    internal static double ChartPrecision(double value)
    {
        var magnitude = Math.Abs(value);
        return Math.Round(value, magnitude >= 100 ? 2 : magnitude >= 10 ? 3 : 4);
    }
}
