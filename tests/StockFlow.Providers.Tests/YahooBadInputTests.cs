using System.Globalization;
using System.Text.Json;
using StockFlow.Core.Prices;

namespace StockFlow.Providers.Tests;

/// <summary>Our own corpus of bad answers: each ends in a clear error or a row validation can quarantine.</summary>
public sealed class YahooBadInputTests : IDisposable
{
    private readonly Stub _stub = new();

    public void Dispose() => _stub.Dispose();

    private static long Ts(int y, int m, int d, int hour, int minute, string zone = "America/New_York")
    {
        var tz = NodaTime.DateTimeZoneProviders.Tzdb[zone];
        return new NodaTime.LocalDateTime(y, m, d, hour, minute).InZoneLeniently(tz).ToInstant().ToUnixTimeSeconds();
    }

    private static string Chart(IReadOnlyList<long> ts, object?[]? open = null, object?[]? close = null, object?[]? volume = null,
        object?[]? adj = null, string zone = "America/New_York", long? sessionEnd = null)
    {
        object?[] Fill(double v) => ts.Select(_ => (object?)v).ToArray();
        var body = new
        {
            chart = new
            {
                result = new[]
                {
                    new
                    {
                        meta = new { currency = "USD", exchangeTimezoneName = zone, instrumentType = "EQUITY",
                            currentTradingPeriod = new { regular = new { end = sessionEnd ?? 0 } } },
                        timestamp = ts,
                        indicators = new
                        {
                            quote = new[] { new { open = open ?? Fill(10), high = Fill(12), low = Fill(9), close = close ?? Fill(11), volume = volume ?? Fill(100) } },
                            adjclose = new[] { new { adjclose = adj ?? Fill(10.5) } },
                        },
                    },
                },
                error = (object?)null,
            },
        };
        return JsonSerializer.Serialize(body);
    }

    private async Task<ProviderResult> Fetch(string symbol, int status, string body, DateOnly from, DateOnly to, TimeProvider? clock = null, string contentType = "application/json")
    {
        _stub.Respond($"/v8/finance/chart/{symbol}", status, body, contentType);
        return await _stub.Yahoo(clock: clock).FetchAsync(new PriceRequest(symbol, from, to), CancellationToken.None);
    }

    [Fact]
    public async Task An_HTML_outage_page_with_200_is_unavailable()
    {
        var error = await Assert.ThrowsAsync<ProviderUnavailableException>(() => Fetch("HTML", 200,
            "<!DOCTYPE html><html><body><h1>Will be right back...</h1></body></html>", new(2024, 1, 2), new(2024, 1, 5), contentType: "text/html"));
        Assert.Contains("HTML page", error.Message, StringComparison.Ordinal);
        Assert.Equal("HTML", error.Symbol);
    }

    [Fact]
    public async Task Truncated_JSON_is_an_invalid_response()
    {
        var full = Chart([Ts(2024, 1, 2, 9, 30)]);
        var error = await Assert.ThrowsAsync<InvalidProviderResponseException>(() => Fetch("TRUNC", 200, full[..(full.Length / 2)], new(2024, 1, 2), new(2024, 1, 5)));
        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Arrays_shorter_than_the_timestamps_are_an_invalid_response()
    {
        var body = Chart([Ts(2024, 1, 2, 9, 30), Ts(2024, 1, 3, 9, 30)], close: [11.0]);
        var error = await Assert.ThrowsAsync<InvalidProviderResponseException>(() => Fetch("SHORT", 200, body, new(2024, 1, 2), new(2024, 1, 5)));
        Assert.Contains("'close' array for 'SHORT' has 1 values for 2 timestamps", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_string_inside_a_price_array_is_an_invalid_response()
    {
        var body = Chart([Ts(2024, 1, 2, 9, 30)], close: ["11.0"]);
        await Assert.ThrowsAsync<InvalidProviderResponseException>(() => Fetch("STR", 200, body, new(2024, 1, 2), new(2024, 1, 5)));
    }

    [Fact]
    public async Task All_null_bars_are_dropped_and_counted_partial_nulls_become_empty_fields_that_validation_rejects()
    {
        long[] ts = [Ts(2024, 1, 2, 9, 30), Ts(2024, 1, 3, 9, 30), Ts(2024, 1, 4, 9, 30)];
        var body = JsonSerializer.Serialize(new
        {
            chart = new
            {
                result = new[]
                {
                    new
                    {
                        meta = new { exchangeTimezoneName = "America/New_York" },
                        timestamp = ts,
                        indicators = new
                        {
                            quote = new[] { new { open = new double?[] { 10, null, null }, high = new double?[] { 12, null, 12 }, low = new double?[] { 9, null, 9 }, close = new double?[] { 11, null, 11 }, volume = new long?[] { 100, null, 5 } } },
                            adjclose = new[] { new { adjclose = new double?[] { 10.5, null, 10.5 } } },
                        },
                    },
                },
            },
        });
        var result = await Fetch("NULLS", 200, body, new(2024, 1, 2), new(2024, 1, 5));
        Assert.Equal(1, result.DroppedEmptyBars);
        Assert.Equal(["2024-01-02", "2024-01-04"], result.Rows.Select(r => r.Date));
        Assert.Equal("", result.Rows[1].Open);
        var rejection = PriceRowValidator.Validate(result.Rows[1]).Rejection;
        Assert.Equal("open missing or non-numeric", rejection!.Reason);
        Assert.Equal("yahoo:NULLS#2", rejection.Row.Source);
    }

    [Fact]
    public async Task Duplicate_timestamps_and_a_second_bar_for_one_date_keep_the_last()
    {
        long[] ts = [Ts(2024, 1, 2, 9, 30), Ts(2024, 1, 2, 9, 30), Ts(2024, 1, 2, 15, 59)];
        var result = await Fetch("DUP", 200, Chart(ts, close: [11.0, 11.5, 11.75]), new(2024, 1, 2), new(2024, 1, 5));
        var row = Assert.Single(result.Rows);
        Assert.Equal("11.75", row.Close);
        Assert.Equal(2, result.DuplicateBars);
    }

    [Fact]
    public async Task DST_quirk_bars_stamped_22_or_23_on_the_previous_day_move_to_the_next_day()
    {
        // Around the 2024-03-10 US DST change: a normal 09:30 bar, then two bars stamped 23:00 and 22:00 local the evening before.
        long[] ts = [Ts(2024, 3, 8, 9, 30), Ts(2024, 3, 10, 23, 0), Ts(2024, 3, 11, 22, 0)];
        var result = await Fetch("DST", 200, Chart(ts), new(2024, 3, 1), new(2024, 3, 15));
        Assert.Equal(["2024-03-08", "2024-03-11", "2024-03-12"], result.Rows.Select(r => r.Date));
    }

    [Fact]
    public async Task Asia_Pacific_bars_opening_on_the_previous_UTC_day_get_their_local_date()
    {
        // Sydney opens at 10:00 local = 23:00 UTC the day before.
        long[] ts = [Ts(2024, 1, 2, 10, 0, "Australia/Sydney"), Ts(2024, 1, 3, 10, 0, "Australia/Sydney")];
        var result = await Fetch("QAN.AX", 200, Chart(ts, zone: "Australia/Sydney"), new(2024, 1, 2), new(2024, 1, 3));
        Assert.Equal(["2024-01-02", "2024-01-03"], result.Rows.Select(r => r.Date));
    }

    [Fact]
    public async Task Todays_bar_is_left_out_until_the_session_has_closed()
    {
        long[] ts = [Ts(2024, 1, 2, 9, 30), Ts(2024, 1, 3, 13, 46)];
        var close = Ts(2024, 1, 3, 16, 0);
        var during = Stub.Clock(DateTimeOffset.FromUnixTimeSeconds(Ts(2024, 1, 3, 13, 47)));
        var live = await Fetch("LIVE", 200, Chart(ts, sessionEnd: close), new(2024, 1, 1), new(2024, 1, 5), during);
        Assert.Equal(["2024-01-02"], live.Rows.Select(r => r.Date));
        Assert.Equal(1, live.DroppedLiveBars);

        var after = Stub.Clock(DateTimeOffset.FromUnixTimeSeconds(close + 60));
        var done = await _stub.Yahoo(clock: after).FetchAsync(new PriceRequest("LIVE", new(2024, 1, 1), new(2024, 1, 5)), CancellationToken.None);
        Assert.Equal(["2024-01-02", "2024-01-03"], done.Rows.Select(r => r.Date));
    }

    [Fact]
    public async Task Float32_noise_is_rounded_to_six_decimals_and_volumes_stay_integers()
    {
        var result = await Fetch("NOISE", 200, Chart([Ts(2024, 1, 2, 9, 30)], close: [129.0399932861328], volume: [225702700.0]), new(2024, 1, 2), new(2024, 1, 2));
        Assert.Equal("129.039993", result.Rows[0].Close);
        Assert.Equal("225702700", result.Rows[0].Volume);
    }

    [Fact]
    public async Task An_empty_result_array_or_missing_chart_is_an_invalid_response()
    {
        await Assert.ThrowsAsync<InvalidProviderResponseException>(() => Fetch("EMPTYR", 200, "{\"chart\":{\"result\":[],\"error\":null}}", new(2024, 1, 2), new(2024, 1, 5)));
        await Assert.ThrowsAsync<InvalidProviderResponseException>(() => Fetch("NOCHART", 200, "{\"finance\":{}}", new(2024, 1, 2), new(2024, 1, 5)));
    }

    [Fact]
    public async Task A_bar_without_a_time_zone_cannot_be_dated_and_is_an_invalid_response()
    {
        var body = Chart([Ts(2024, 1, 2, 9, 30)]).Replace("\"exchangeTimezoneName\":\"America/New_York\",", "", StringComparison.Ordinal);
        var error = await Assert.ThrowsAsync<InvalidProviderResponseException>(() => Fetch("NOTZ", 200, body, new(2024, 1, 2), new(2024, 1, 5)));
        Assert.Contains("exchangeTimezoneName", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Thirty_years_of_bars_parse()
    {
        var start = new DateOnly(1994, 1, 3);
        var days = Enumerable.Range(0, 30 * 366).Select(start.AddDays).Where(d => d.DayOfWeek is not DayOfWeek.Saturday and not DayOfWeek.Sunday).ToList();
        var ts = days.Select(d => Ts(d.Year, d.Month, d.Day, 9, 30)).ToList();
        var result = await Fetch("BIG", 200, Chart(ts), start, days[^1]);
        Assert.Equal(days.Count, result.Rows.Count);
        Assert.Equal(days[^1].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), result.Rows[^1].Date);
    }

    [Fact]
    public async Task An_unsafe_symbol_never_reaches_the_network()
    {
        await Assert.ThrowsAsync<Core.Symbols.InvalidSymbolException>(() =>
            _stub.Yahoo().FetchAsync(new PriceRequest("../admin", new(2024, 1, 2), new(2024, 1, 5)), CancellationToken.None));
        Assert.Empty(_stub.Network.Requests);
    }
}
