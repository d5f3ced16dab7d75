using System.Globalization;
using System.Text.Json.Nodes;
using NodaTime;
using StockFlow.Providers;
using StockFlow.Providers.Http;
using StockFlow.Runtime.Local;
using StockFlow.Testing;

namespace StockFlow.Functions.Tests.Pipeline;

/// <summary>
/// `stockflow run --provider yahoo` as the CLI runs it (the real pipeline.asl.json through LocalPipeline), against
/// a loopback WireMock serving the recorded Yahoo fixtures and the bad-input corpus. Good symbols must land with
/// the right rows, bad rows in quarantine, bad symbols as per-symbol failures, and the execution must succeed.
/// </summary>
public sealed class YahooPipelineTests : IDisposable
{
    private const string From = "2020-08-31";
    private const string To = "2023-08-07"; // WSU.DE's 2023-08-08 bar is one exchange-local day too late
    // Generous: a shared CI machine under load must not turn a normal answer into a timeout.
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(2);

    private readonly LoopbackStub _stub = new();
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "stockflow-yahoo-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        _stub.Dispose();
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    private static string Chart(string symbol) => $"/v8/finance/chart/{symbol}";

    private void ServeFixture(string symbol, string file)
    {
        var (status, body) = RecordedFixtures.YahooChart(file);
        _stub.Respond(Chart(symbol), status, body);
    }

    private void ServeCorpus()
    {
        ServeFixture("AAPL", "yahoo-chart-AAPL-2020-08-31_2020-11-07-split-dividend.json");
        ServeFixture("NVDA", "yahoo-chart-NVDA-2021-02-01_2022-01-31-split.json");
        ServeFixture("WSU.DE", "yahoo-chart-WSU.DE-2023-08-04_2023-08-09-germany.json");
        ServeFixture("MDLY", "yahoo-chart-MDLY-404-not-found.json");
        ServeFixture("BEKE", "yahoo-chart-BEKE-400-bad-request.json");

        long[] july = [ChartJson.NewYorkOpen(2023, 7, 5), ChartJson.NewYorkOpen(2023, 7, 6), ChartJson.NewYorkOpen(2023, 7, 7)];
        // Two 429s use up the provider's own retry; the state machine's Retry on ProviderThrottledException gets the data.
        _stub.Sequence(Chart("THROTTLED"),
            (429, "Too Many Requests", "text/plain"),
            (429, "Edge: Too Many Requests", "text/plain"),
            (200, ChartJson.Clean(july), "application/json"));
        _stub.Respond(Chart("BROKEN"), 500, "Internal Server Error", "text/plain");
        _stub.Respond(Chart("OUTAGE"), 200, "<!DOCTYPE html><html><head><title>Yahoo</title></head><body>Will be right back...</body></html>", "text/html");
        var full = ChartJson.Clean(july);
        _stub.Respond(Chart("TRUNC"), 200, full[..(full.Length * 2 / 3)]);
        _stub.Respond(Chart("SHORT"), 200, ChartJson.Bars(july, [10, 10, 10], [12, 12, 12], [9, 9, 9], [11, 11], [10.5, 10.5, 10.5], [1, 1, 1]));
        _stub.Respond(Chart("SLOW"), 200, full, delay: AttemptTimeout * 2);
        // 07-05 is clean, 07-06 has no open (quarantined), 07-07 is all null (dropped and counted, never written as 0).
        _stub.Respond(Chart("NULLY"), 200, ChartJson.Bars(july,
            [10, null, null], [12, 12, null], [9, 9, null], [11, 11, null], [10.5, 10.5, null], [1000, 1000, null]));
    }

    private async Task<ExecutionOutcome> RunAsync(params string[] symbols)
    {
        var options = new LocalPipelineOptions
        {
            WaitScale = 0, // the state machine's Retry back-offs (5 s, 10 s, ...) are fast-forwarded
            ProviderOptions = new ProviderOptions
            {
                YahooBaseUrl = _stub.BaseUrl,
                Http = new HttpResilienceSettings
                {
                    RequestsPerSecond = 500,
                    MaxConcurrency = 8,
                    MaxRetryAttempts = 2,
                    BaseDelay = TimeSpan.FromMilliseconds(5),
                    MaxDelay = TimeSpan.FromMilliseconds(20),
                    AttemptTimeout = AttemptTimeout,
                    TotalTimeout = TimeSpan.FromSeconds(30),
                },
            },
        };
        var input = new JsonObject
        {
            ["provider"] = "yahoo",
            ["from"] = From,
            ["to"] = To,
            ["symbols"] = new JsonArray(symbols.Select(s => (JsonNode?)s).ToArray()),
        };
        using var pipeline = LocalPipeline.Open(new DataDirectory(_dataDir), options);
        return await pipeline.StartAsync(input, null, CancellationToken.None);
    }

    /// <summary>Every symbol's outcome, from the summary object the run's summarize step wrote to the lake.</summary>
    private Dictionary<string, JsonObject> BySymbol(ExecutionOutcome outcome)
    {
        var key = outcome.Output!["ingest"]!["summaryKey"]!.GetValue<string>();
        return JsonNode.Parse(File.ReadAllText(new DataDirectory(_dataDir).PathOf(key)))!.AsArray().OfType<JsonObject>()
            .ToDictionary(i => i["symbol"]!.GetValue<string>(), StringComparer.Ordinal);
    }

    private List<string[]> Raw(string symbol, int year)
    {
        var path = new DataDirectory(_dataDir).PathOf($"raw/prices/symbol={symbol}/{symbol}_{year.ToString(CultureInfo.InvariantCulture)}.csv");
        return File.ReadAllLines(path).Skip(1).Select(l => l.Split(',')).ToList();
    }

    private static void AssertRow(string[] row, string date, double open, double high, double low, double close, double adjClose, long volume)
    {
        Assert.Equal(date, row[0]);
        double[] expected = [open, high, low, close, adjClose];
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(double.Parse(row[i + 1], CultureInfo.InvariantCulture) - expected[i]) < 6e-5, $"{date} column {i + 1}: {row[i + 1]} vs {expected[i]}");
        }

        Assert.Equal(volume.ToString(CultureInfo.InvariantCulture), row[6]);
    }

    [Fact]
    public async Task A_mixed_run_lands_good_symbols_quarantines_bad_rows_and_records_bad_symbols_as_failures()
    {
        ServeCorpus();

        var outcome = await RunAsync("AAPL", "NVDA", "WSU.DE", "MDLY", "BEKE", "THROTTLED", "BROKEN", "OUTAGE", "TRUNC", "SHORT", "SLOW", "NULLY");

        Assert.True(outcome.Succeeded, $"{outcome.Status} {outcome.Error}: {outcome.Cause}");
        var ingest = BySymbol(outcome);

        // Recorded fixtures: exchange-local dates, Yahoo's adjusted close kept beside the close.
        var aapl = Raw("AAPL", 2020);
        Assert.Equal(49, aapl.Count);
        AssertRow(aapl[0], "2020-08-31", 127.58, 131.00, 126.00, 129.04, 125.8267, 225702700);
        AssertRow(aapl[^1], "2020-11-06", 118.32, 119.20, 116.13, 118.69, 115.9342, 114457900);
        Assert.DoesNotContain(aapl, r => r[0] == "2020-09-07"); // Labor Day: no calendar filling

        var nvda = Raw("NVDA", 2021).Concat(Raw("NVDA", 2022)).ToList();
        Assert.Equal(252, nvda.Count);
        AssertRow(nvda[0], "2021-02-01", 13.0533, 13.2708, 12.9028, 13.2370, 13.2035, 217204000);
        AssertRow(nvda[^1], "2022-01-28", 22.0120, 22.8580, 21.2960, 22.8400, 22.8021, 543774000);
        var weekdays = Enumerable.Range(0, 400).Select(d => new DateOnly(2021, 2, 1).AddDays(d))
            .Where(d => d <= new DateOnly(2022, 1, 28) && d.DayOfWeek is not DayOfWeek.Saturday and not DayOfWeek.Sunday)
            .Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Assert.Equal(
            ["2021-02-15", "2021-04-02", "2021-05-31", "2021-07-05", "2021-09-06", "2021-11-25", "2021-12-24", "2022-01-17"],
            weekdays.Except(nvda.Select(r => r[0])));

        var wsu = Raw("WSU.DE", 2023);
        Assert.Equal(["2023-08-04", "2023-08-07"], wsu.Select(r => r[0]));
        AssertRow(wsu[0], "2023-08-04", 34.25, 34.55, 34.10, 34.45, 32.6325, 1251);

        // A valid symbol without data in the range (Yahoo 400 "Data doesn't exist") is an empty success.
        Assert.Equal(("ok", 0), (ingest["BEKE"]["status"]!.GetValue<string>(), ingest["BEKE"]["rowsAccepted"]!.GetValue<int>()));

        // 429, 429, then the data: the provider's HTTP client is the one layer that retries a request.
        Assert.Equal("ok", ingest["THROTTLED"]["status"]!.GetValue<string>());
        Assert.Equal(3, ingest["THROTTLED"]["rowsWritten"]!.GetValue<int>());
        Assert.Equal(3, _stub.Calls(Chart("THROTTLED")).Count);

        // Partial nulls are quarantined with a reason; an all-null bar is dropped and counted, never written.
        var nully = ingest["NULLY"];
        Assert.Equal(("ok", 1, 1, 1), (nully["status"]!.GetValue<string>(), nully["rowsAccepted"]!.GetValue<int>(),
            nully["rowsRejected"]!.GetValue<int>(), nully["droppedEmptyBars"]!.GetValue<int>()));
        Assert.Equal(["2023-07-05"], Raw("NULLY", 2023).Select(r => r[0]));
        var quarantine = File.ReadAllLines(new DataDirectory(_dataDir).PathOf(nully["rejectedKey"]!.GetValue<string>()));
        Assert.StartsWith("2023-07-06,,12,9,11,10.5,1000,open missing or non-numeric,yahoo:NULLY#1", quarantine[1], StringComparison.Ordinal);
        Assert.Equal(2, quarantine.Length);

        // Bad symbols end as failures with their error name and a message a user can act on.
        AssertFailed(ingest, "MDLY", "SymbolNotFoundException", "Yahoo does not know 'MDLY': No data found, symbol may be delisted");
        AssertFailed(ingest, "BROKEN", "ProviderUnavailableException", "(HTTP 500: Internal Server Error)");
        AssertFailed(ingest, "OUTAGE", "ProviderUnavailableException", "HTML page instead of JSON");
        AssertFailed(ingest, "TRUNC", "InvalidProviderResponseException", "is not valid JSON (truncated?)");
        AssertFailed(ingest, "SHORT", "InvalidProviderResponseException", "'close' array for 'SHORT' has 2 values for 3 timestamps");
        AssertFailed(ingest, "SLOW", "ProviderUnavailableException", "Yahoo could not be reached for 'SLOW'");
        Assert.Single(_stub.Calls(Chart("TRUNC"))); // a permanent error is not retried
        Assert.Equal(3, _stub.Calls(Chart("BROKEN")).Count); // 3 HTTP attempts, no second retry layer on top

        Assert.Equal(["AAPL", "BEKE", "NULLY", "NVDA", "THROTTLED", "WSU.DE"], ingest.Values.Where(i => i["status"]!.GetValue<string>() == "ok").Select(i => i["symbol"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal(["BROKEN", "MDLY", "OUTAGE", "SHORT", "SLOW", "TRUNC"], ingest.Values.Where(i => i["status"]!.GetValue<string>() == "failed").Select(i => i["symbol"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal((12, 6, 6), (outcome.Output!["ingest"]!["symbols"]!.GetValue<int>(), outcome.Output!["ingest"]!["succeeded"]!.GetValue<int>(), outcome.Output!["ingest"]!["failed"]!.GetValue<int>()));
    }

    [Fact]
    public async Task The_plans_dates_become_period1_and_period2_at_exchange_midnights_covering_the_whole_range()
    {
        ServeCorpus();

        var outcome = await RunAsync("AAPL");

        Assert.True(outcome.Succeeded, $"{outcome.Status} {outcome.Error}: {outcome.Cause}");
        var call = Assert.Single(_stub.Calls(Chart("AAPL")));
        var query = System.Web.HttpUtility.ParseQueryString(call.Query);
        var newYork = DateTimeZoneProviders.Tzdb["America/New_York"];
        long Midnight(int y, int m, int d) => new LocalDate(y, m, d).AtStartOfDayInZone(newYork).ToInstant().ToUnixTimeSeconds();
        // Two days of margin on each side (a wrong zone guess cannot lose a bar); rows are filtered to from..to after.
        Assert.Equal(Midnight(2020, 8, 29), long.Parse(query["period1"]!, CultureInfo.InvariantCulture));
        Assert.Equal(Midnight(2023, 8, 10), long.Parse(query["period2"]!, CultureInfo.InvariantCulture));
        Assert.Equal(("1d", "div,splits", "true"), (query["interval"], query["events"], query["includeAdjustedClose"]));
        var item = BySymbol(outcome)["AAPL"];
        Assert.Equal(("ok", "2020-08-31"), (item["status"]!.GetValue<string>(), item["firstDate"]!.GetValue<string>()));
    }

    private static void AssertFailed(Dictionary<string, JsonObject> ingest, string symbol, string error, string message)
    {
        var item = ingest[symbol];
        Assert.Equal("failed", item["status"]!.GetValue<string>());
        Assert.Equal(error, item["error"]!.GetValue<string>());
        Assert.Contains(message, item["cause"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
