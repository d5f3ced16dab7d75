using StockFlow.Functions.Plan;
using System.Text.Json.Nodes;
using StockFlow.Providers;
using StockFlow.Providers.Http;
using StockFlow.Runtime.Local;

namespace StockFlow.Functions.Tests.Pipeline;

/// <summary>
/// `--provider stooq` through the real pipeline against a loopback stub. Stooq reports every failure with HTTP 200
/// and a non-CSV body; each must become a clear per-symbol failure while the good symbol lands.
/// </summary>
public sealed class StooqPipelineTests : IDisposable
{
    private readonly LoopbackStub _stub = new();
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "stockflow-stooq-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        _stub.Dispose();
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Good_csv_lands_and_no_data_quota_and_html_bodies_with_200_become_clear_symbol_failures()
    {
        const string path = "/q/d/l/";
        _stub.RespondToParam(path, "s", "aapl.us", 200,
            "Date,Open,High,Low,Close,Volume\n2024-01-02,187.15,188.44,183.885,185.64,82488674\n2024-01-03,184.22,185.88,183.43,184.25,58414460\n2024-01-04,182.15,183.0872,180.88,181.91,71983570\n",
            "text/csv");
        _stub.RespondToParam(path, "s", "zzzz.us", 200, "No data", "text/plain");
        _stub.RespondToParam(path, "s", "msft.us", 200, "Exceeded the daily hits limit", "text/plain");
        _stub.RespondToParam(path, "s", "ibm.us", 200,
            "<!DOCTYPE html><html><body>Get your API key: https://stooq.com/q/d/?s=spy.us&amp;get_apikey</body></html>", "text/html");
        _stub.RespondToParam(path, "s", "ko.us", 200, "<html><body>Checking your browser (proof of work)...</body></html>", "text/html");

        var options = new LocalPipelineOptions
        {
            WaitScale = 0,
            ProviderOptions = new ProviderOptions
            {
                StooqBaseUrl = _stub.BaseUrl,
                Http = new HttpResilienceSettings { RequestsPerSecond = 500, MaxConcurrency = 8, MaxRetryAttempts = 1, BaseDelay = TimeSpan.FromMilliseconds(5) },
            },
            // One symbol per batch, every failed batch tolerated: each failure reaches the summary through the
            // ingest Map's FAILED results (the throttled symbol) or a failed batch's saved outcomes (the others).
            Plan = new PlanDefaults { FanOut = new IngestFanOut(MaxConcurrency: 8, BatchSize: 1, ToleratedFailurePercentage: 100) },
        };
        var input = JsonNode.Parse("""{"provider":"stooq","symbols":["AAPL","ZZZZ","MSFT","IBM","KO"],"from":"2024-01-02","to":"2024-01-04"}""");
        ExecutionOutcome outcome;
        using (var pipeline = LocalPipeline.Open(new DataDirectory(_dataDir), options))
        {
            outcome = await pipeline.StartAsync(input, null, CancellationToken.None);
        }

        Assert.True(outcome.Succeeded, $"{outcome.Status} {outcome.Error}: {outcome.Cause}");
        var summaryKey = outcome.Output!["ingest"]!["summaryKey"]!.GetValue<string>();
        var ingest = JsonNode.Parse(File.ReadAllText(new DataDirectory(_dataDir).PathOf(summaryKey)))!.AsArray().OfType<JsonObject>()
            .ToDictionary(i => i["symbol"]!.GetValue<string>(), StringComparer.Ordinal);

        // Stooq has no adjusted close: the column stays empty (adj_close = close downstream).
        var raw = File.ReadAllLines(new DataDirectory(_dataDir).PathOf("raw/prices/symbol=AAPL/AAPL_2024.csv"));
        Assert.Equal(
            ["Date,Open,High,Low,Close,Adj Close,Volume", "2024-01-02,187.15,188.44,183.885,185.64,,82488674",
             "2024-01-03,184.22,185.88,183.43,184.25,,58414460", "2024-01-04,182.15,183.0872,180.88,181.91,,71983570"],
            raw);
        Assert.Equal("ok", ingest["AAPL"]["status"]!.GetValue<string>());

        AssertFailed(ingest["ZZZZ"], "SymbolNotFoundException", "Stooq has no data for 'ZZZZ' (as 'zzzz.us')");
        AssertFailed(ingest["MSFT"], "ProviderThrottledException", "daily hits limit is exceeded");
        AssertFailed(ingest["IBM"], "ProviderUnavailableException", "set STOCKFLOW_STOOQ_API_KEY");
        AssertFailed(ingest["KO"], "ProviderUnavailableException", "answered an HTML page for 'KO'");
        Assert.Equal((5, 1, 4), (outcome.Output!["ingest"]!["symbols"]!.GetValue<int>(), outcome.Output!["ingest"]!["succeeded"]!.GetValue<int>(), outcome.Output!["ingest"]!["failed"]!.GetValue<int>()));
    }

    private static void AssertFailed(JsonObject item, string error, string message)
    {
        Assert.Equal("failed", item["status"]!.GetValue<string>());
        Assert.Equal(error, item["error"]!.GetValue<string>());
        Assert.Contains(message, item["cause"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
