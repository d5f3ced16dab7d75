using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using StockFlow.Reporting.Html;
using StockFlow.Reporting.Model;

namespace StockFlow.Reporting.Charts;

/// <summary>
/// Every symbol's price series, once: {"SYM":{"d":[dates],"p":[adj close],"m20":[..],"m50":[..],"m200":[..]}}.
/// The four traces share one date array, values are rounded to what a chart can show, and NULL moving
/// averages stay null (a gap), which keeps 500 symbols × 2 years at a few MB.
/// </summary>
internal static class PriceSeriesJson
{
    public static string Write(IReadOnlyList<PriceHistoryRow> rows)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.Default }))
        {
            json.WriteStartObject();
            foreach (var symbol in rows.GroupBy(r => r.Symbol, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                // Duplicate dates would draw a line backwards; the last row wins as in the cleaning rules.
                var days = symbol.GroupBy(r => r.TradeDate).Select(g => g.Last()).OrderBy(r => r.TradeDate).ToList();
                json.WriteStartObject(symbol.Key);
                json.WriteStartArray("d");
                foreach (var day in days)
                {
                    json.WriteStringValue(ReportFormat.Date(day.TradeDate));
                }

                json.WriteEndArray();
                WriteNumbers(json, "p", days.Select(d => (double?)d.AdjClose));
                WriteNumbers(json, "m20", days.Select(d => d.Ma20));
                WriteNumbers(json, "m50", days.Select(d => d.Ma50));
                WriteNumbers(json, "m200", days.Select(d => d.Ma200));
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteNumbers(Utf8JsonWriter json, string name, IEnumerable<double?> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            if (value is { } v)
            {
                // 4 decimals: invisible on a chart, and far shorter than round-trip doubles.
                json.WriteRawValue(Math.Round(v, 4).ToString("R", CultureInfo.InvariantCulture));
            }
            else
            {
                json.WriteNullValue();
            }
        }

        json.WriteEndArray();
    }
}
