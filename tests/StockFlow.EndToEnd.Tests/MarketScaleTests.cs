using System.Text.Json.Nodes;
using StockFlow.Runtime.Local;
using StockFlow.Runtime.Local.Executions;

namespace StockFlow.EndToEnd.Tests;

/// <summary>
/// The definition's payloads and parent history do not grow with the number of symbols: a run of a
/// thousand symbols keeps every state's input and output small and the parent's history short.
/// </summary>
public sealed class MarketScaleTests : IDisposable
{
    private readonly TestDataDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_thousand_symbols_keep_every_payload_under_32_KiB_and_the_parent_history_short()
    {
        var directory = new DataDirectory(_temp.Path).EnsureCreated();
        var symbols = string.Join(',', Enumerable.Range(0, 1_000).Select(i => "M" + i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)));
        var input = new JsonObject { ["provider"] = "sample", ["from"] = "2024-06-24", ["to"] = "2024-06-28" };
        SymbolLists.AddTo(input, symbols, directory);
        Assert.StartsWith("symbol-lists/", input["symbolsKey"]!.GetValue<string>(), StringComparison.Ordinal); // not inline

        ExecutionOutcome outcome;
        using (var pipeline = LocalPipeline.Open(directory))
        {
            outcome = await pipeline.StartAsync(input, null, CancellationToken.None);
        }

        Assert.True(outcome.Succeeded, $"{outcome.Status} {outcome.Error}: {outcome.Cause}");
        Assert.Equal((1_000, 1_000), (outcome.Output!["ingest"]!["symbols"]!.GetValue<int>(), outcome.Output!["ingest"]!["succeeded"]!.GetValue<int>()));
        using var store = new ExecutionStore(directory.ExecutionsDatabase);
        var events = store.GetEvents(store.Find(outcome.Name)!.Summary.ExecutionArn);
        Assert.InRange(events.Count, 1, 999);
        var largest = events.MaxBy(e => e.DetailsJson.Length)!;
        Assert.True(largest.DetailsJson.Length < 32 * 1024, $"event #{largest.Id} ({largest.Type}) holds {largest.DetailsJson.Length} bytes");
    }
}
