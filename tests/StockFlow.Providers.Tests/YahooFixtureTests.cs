using System.Globalization;
using StockFlow.Core.Prices;

namespace StockFlow.Providers.Tests;

/// <summary>Every recorded response in tests/fixtures/yahoo-chart parses to the rows its README lists.</summary>
public sealed class YahooFixtureTests : IDisposable
{
    private readonly Stub _stub = new();

    public void Dispose() => _stub.Dispose();

    private async Task<ProviderResult> Serve(string file, string symbol, DateOnly from, DateOnly to)
    {
        var (status, body) = RecordedFixtures.YahooChart(file);
        _stub.Respond($"/v8/finance/chart/{symbol}", status, body);
        return await _stub.Yahoo().FetchAsync(new PriceRequest(symbol, from, to), CancellationToken.None);
    }

    // The README rounds to 4 dp; we store 6 dp, so compare within half a unit of the 4th decimal.
    private const double FourDecimals = 0.00005 + 1e-9;

    private static void AssertRow(RawPriceRow row, string date, double open, double high, double low, double close, double adj, long volume)
    {
        var bar = PriceRowValidator.Validate(row).Bar ?? throw new Xunit.Sdk.XunitException($"row {row} was rejected");
        Assert.Equal(date, bar.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Assert.Equal(open, bar.Open, FourDecimals);
        Assert.Equal(high, bar.High, FourDecimals);
        Assert.Equal(low, bar.Low, FourDecimals);
        Assert.Equal(close, bar.Close, FourDecimals);
        Assert.Equal(adj, bar.AdjClose!.Value, FourDecimals);
        Assert.Equal(volume, bar.Volume);
    }

    [Fact]
    public async Task AAPL_has_49_bars_a_split_and_a_dividend_across_the_DST_change()
    {
        var result = await Serve("yahoo-chart-AAPL-2020-08-31_2020-11-07-split-dividend.json", "AAPL", new(2020, 8, 31), new(2020, 11, 7));
        Assert.Equal(49, result.Rows.Count);
        AssertRow(result.Rows[0], "2020-08-31", 127.58, 131.0, 126.0, 129.04, 125.8267, 225702700);
        AssertRow(result.Rows[^1], "2020-11-06", 118.32, 119.2, 116.13, 118.69, 115.9342, 114457900);
        Assert.Equal(
            [CorporateAction.Split(new(2020, 8, 31), 4, 1), CorporateAction.Dividend(new(2020, 11, 6), 0.205)],
            result.Events);
        Assert.Equal(new ProviderMetadata("USD", "America/New_York", "EQUITY"), result.Metadata);
        var dates = result.Rows.Select(r => DateOnly.Parse(r.Date!, CultureInfo.InvariantCulture)).ToList();
        var weekdays = Enumerable.Range(0, 69).Select(i => new DateOnly(2020, 8, 31).AddDays(i))
            .Where(d => d.DayOfWeek is not DayOfWeek.Saturday and not DayOfWeek.Sunday && d <= new DateOnly(2020, 11, 6));
        Assert.Equal([new DateOnly(2020, 9, 7)], weekdays.Except(dates));
        // Both sides of the EDT->EST switch (2020-11-01) map to their own dates.
        Assert.Contains(new DateOnly(2020, 10, 30), dates);
        Assert.Contains(new DateOnly(2020, 11, 2), dates);
        Assert.All(result.Rows, r => Assert.True(PriceRowValidator.Validate(r).IsValid));
    }

    [Fact]
    public async Task NVDA_has_a_full_NYSE_year_with_exactly_the_holidays_missing()
    {
        var result = await Serve("yahoo-chart-NVDA-2021-02-01_2022-01-31-split.json", "NVDA", new(2021, 2, 1), new(2022, 1, 31));
        Assert.Equal(252, result.Rows.Count);
        AssertRow(result.Rows[0], "2021-02-01", 13.0533, 13.2708, 12.9028, 13.237, 13.2035, 217204000);
        AssertRow(result.Rows[^1], "2022-01-28", 22.012, 22.858, 21.296, 22.84, 22.8021, 543774000);
        Assert.Equal([CorporateAction.Split(new(2021, 7, 20), 4, 1)], result.Events);
        var dates = result.Rows.Select(r => DateOnly.Parse(r.Date!, CultureInfo.InvariantCulture)).ToHashSet();
        var missing = Enumerable.Range(0, 365).Select(i => new DateOnly(2021, 2, 1).AddDays(i))
            .Where(d => d.DayOfWeek is not DayOfWeek.Saturday and not DayOfWeek.Sunday && d <= new DateOnly(2022, 1, 28) && !dates.Contains(d));
        Assert.Equal(
            new DateOnly[] { new(2021, 2, 15), new(2021, 4, 2), new(2021, 5, 31), new(2021, 7, 5), new(2021, 9, 6), new(2021, 11, 25), new(2021, 12, 24), new(2022, 1, 17) },
            missing);
    }

    [Fact]
    public async Task WSU_DE_bars_get_Berlin_dates_despite_a_winter_gmtoffset()
    {
        var result = await Serve("yahoo-chart-WSU.DE-2023-08-04_2023-08-09-germany.json", "WSU.DE", new(2023, 8, 4), new(2023, 8, 9));
        Assert.Equal(["2023-08-04", "2023-08-07", "2023-08-08"], result.Rows.Select(r => r.Date));
        AssertRow(result.Rows[0], "2023-08-04", 34.25, 34.55, 34.1, 34.45, 32.6325, 1251);
        AssertRow(result.Rows[^1], "2023-08-08", 34.05, 34.2, 32.9, 33.2, 31.4484, 10846);
        Assert.Empty(result.Events);
        Assert.Equal(new ProviderMetadata("EUR", "Europe/Berlin", "EQUITY"), result.Metadata);
    }

    [Fact]
    public async Task VXAPL_without_timestamps_is_an_empty_result_with_index_metadata()
    {
        var result = await Serve("yahoo-chart-VXAPL-index-2020-01-01_2020-01-03-no-data.json", "^VXAPL", new(2020, 1, 1), new(2020, 1, 3));
        Assert.Empty(result.Rows);
        Assert.Empty(result.Events);
        Assert.Equal("INDEX", result.Metadata.InstrumentType);
        Assert.Contains(_stub.Network.Requests, r => r.RequestUri!.AbsolutePath == "/v8/finance/chart/%5EVXAPL" || r.RequestUri!.OriginalString.Contains("%5EVXAPL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MDLY_404_is_a_symbol_not_found_and_is_not_retried()
    {
        var error = await Assert.ThrowsAsync<SymbolNotFoundException>(() =>
            Serve("yahoo-chart-MDLY-404-not-found.json", "MDLY", new(2020, 1, 1), new(2021, 1, 4)));
        Assert.Equal("MDLY", error.Symbol);
        Assert.Contains("No data found, symbol may be delisted", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, _stub.Calls("/v8/finance/chart/MDLY"));
    }

    [Fact]
    public async Task BEKE_400_data_does_not_exist_is_an_empty_range_not_an_error()
    {
        var result = await Serve("yahoo-chart-BEKE-400-bad-request.json", "BEKE", new(2020, 1, 1), new(2020, 1, 3));
        Assert.Empty(result.Rows);
        Assert.Equal(1, _stub.Calls("/v8/finance/chart/BEKE"));
    }

    [Fact]
    public async Task The_request_asks_for_daily_bars_with_events_from_exchange_local_midnights_with_over_fetch()
    {
        await Serve("yahoo-chart-WSU.DE-2023-08-04_2023-08-09-germany.json", "WSU.DE", new(2023, 8, 4), new(2023, 8, 9));
        // The zone is now known (Europe/Berlin), so the next request uses Berlin midnights.
        await _stub.Yahoo().FetchAsync(new PriceRequest("WSU.DE", new(2023, 8, 4), new(2023, 8, 9)), CancellationToken.None);
        var request = _stub.Network.Requests.Last();
        var query = System.Web.HttpUtility.ParseQueryString(request.RequestUri!.Query);
        Assert.Equal("1d", query["interval"]);
        Assert.Equal("div,splits", query["events"]);
        Assert.Equal("true", query["includeAdjustedClose"]);
        // 2023-08-02 00:00 Berlin (UTC+2) and 2023-08-12 00:00 Berlin: two days either side, end exclusive.
        Assert.Equal(new DateTimeOffset(2023, 8, 2, 0, 0, 0, TimeSpan.FromHours(2)).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), query["period1"]);
        Assert.Equal(new DateTimeOffset(2023, 8, 12, 0, 0, 0, TimeSpan.FromHours(2)).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), query["period2"]);
        Assert.Equal(ProviderOptions.DefaultUserAgent, request.Headers.UserAgent.ToString());
    }

    [Fact]
    public async Task A_narrower_request_is_filtered_to_its_dates()
    {
        var result = await Serve("yahoo-chart-AAPL-2020-08-31_2020-11-07-split-dividend.json", "AAPL", new(2020, 9, 1), new(2020, 9, 4));
        Assert.Equal(["2020-09-01", "2020-09-02", "2020-09-03", "2020-09-04"], result.Rows.Select(r => r.Date));
        Assert.Empty(result.Events);
    }
}
