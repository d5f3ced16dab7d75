using System.Text.Json.Nodes;
using StockFlow.Runtime.Local;

namespace StockFlow.EndToEnd.Tests;

/// <summary>The definition's error routes: per-symbol Catch, the no-data Choice, the catch-all notification.</summary>
public sealed class FailureRouteTests : IDisposable
{
    private readonly TestDataDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task An_unknown_symbol_is_recorded_and_the_others_finish()
    {
        var directory = new DataDirectory(_temp.Path).EnsureCreated();
        WriteLanding(directory, "GOOD", "Date,Open,High,Low,Close,Adj Close,Volume\n2024-01-02,1,2,1,1.5,1.5,10\n2024-01-03,1,2,1,1.6,1.6,10\n");
        using var pipeline = LocalPipeline.Open(directory);
        var outcome = await pipeline.StartAsync(JsonNode.Parse("""{"provider":"csv","symbols":["GOOD","MISSING"]}"""), null, CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Cause);
        var failed = outcome.Output!["ingest"]!["failures"]!.AsArray().Single(i => i!["symbol"]!.GetValue<string>() == "MISSING")!;
        Assert.Equal("SymbolNotFoundException", failed["error"]!.GetValue<string>());
        Assert.Contains("MISSING", failed["cause"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_ingested_fails_with_a_clear_cause_after_notifying()
    {
        var directory = new DataDirectory(_temp.Path).EnsureCreated();
        using var pipeline = LocalPipeline.Open(directory);
        var outcome = await pipeline.StartAsync(JsonNode.Parse("""{"provider":"csv","symbols":["NOPE"]}"""), null, CancellationToken.None);

        Assert.Equal("FAILED", outcome.Status);
        Assert.Equal("StockFlow.NoDataIngested", outcome.Error);
        Assert.Contains("NOPE", outcome.Cause, StringComparison.Ordinal);
        var notification = JsonNode.Parse(Assert.Single(File.ReadAllLines(directory.NotificationsLog)))!;
        Assert.Contains("StockFlow.NoDataIngested", notification["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_fails_the_plan_with_the_reason_and_writes_nothing()
    {
        var directory = new DataDirectory(_temp.Path).EnsureCreated();
        using var pipeline = LocalPipeline.Open(directory);
        var outcome = await pipeline.StartAsync(JsonNode.Parse("""{"symbols":["AAPL","../etc"]}"""), null, CancellationToken.None);

        Assert.Equal("FAILED", outcome.Status);
        Assert.Equal("InvalidSymbolException", outcome.Error);
        Assert.Contains("../etc", outcome.Cause, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(directory.BucketRoot, "raw")));
    }

    private static void WriteLanding(DataDirectory directory, string symbol, string csv)
    {
        var landing = Path.Combine(directory.BucketRoot, "landing");
        Directory.CreateDirectory(landing);
        File.WriteAllText(Path.Combine(landing, symbol + ".csv"), csv);
    }
}
