using System.Text.Json;
using NodaTime;

namespace StockFlow.Functions.Tests.Pipeline;

/// <summary>Builds Yahoo v8 chart bodies for the bad-input corpus (the recorded fixtures cover the good cases).</summary>
public static class ChartJson
{
    public static long NewYorkOpen(int year, int month, int day) =>
        new LocalDateTime(year, month, day, 9, 30).InZoneStrictly(DateTimeZoneProviders.Tzdb["America/New_York"]).ToInstant().ToUnixTimeSeconds();

    /// <summary>One bar per timestamp; a null in a column stays null in the JSON.</summary>
    public static string Bars(IReadOnlyList<long> timestamps, double?[] open, double?[] high, double?[] low, double?[] close, double?[] adjClose, long?[] volume) =>
        JsonSerializer.Serialize(new
        {
            chart = new
            {
                result = new[]
                {
                    new
                    {
                        meta = new { currency = "USD", exchangeTimezoneName = "America/New_York", instrumentType = "EQUITY" },
                        timestamp = timestamps,
                        indicators = new
                        {
                            quote = new[] { new { open, high, low, close, volume } },
                            adjclose = new[] { new { adjclose = adjClose } },
                        },
                    },
                },
                error = (object?)null,
            },
        });

    /// <summary>Clean bars with open 10, high 12, low 9, close 11, adjusted close 10.5, volume 1000.</summary>
    public static string Clean(params long[] timestamps)
    {
        var n = timestamps.Length;
        return Bars(timestamps, Fill(10, n), Fill(12, n), Fill(9, n), Fill(11, n), Fill(10.5, n), Enumerable.Repeat((long?)1000, n).ToArray());
    }

    private static double?[] Fill(double value, int n) => Enumerable.Repeat((double?)value, n).ToArray();
}
