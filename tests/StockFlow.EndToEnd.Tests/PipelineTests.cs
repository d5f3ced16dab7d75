using System.Text.Json.Nodes;
using StockFlow.GlueAthena.Local.Results;
using StockFlow.Runtime.Local;
using StockFlow.Testing;

namespace StockFlow.EndToEnd.Tests;

/// <summary>The real statemachine/pipeline.asl.json, run offline end to end on small data.</summary>
public sealed class PipelineTests : IDisposable
{
    private readonly TestDataDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Sample_run_fills_every_table_result_and_the_report()
    {
        var directory = new DataDirectory(_temp.Path);
        var events = new List<ExecutionProgressEvent>();
        ExecutionOutcome outcome;
        using (var pipeline = LocalPipeline.Open(directory))
        {
            outcome = await pipeline.StartAsync(
                JsonNode.Parse("""{"provider":"sample","symbols":["ALPHA","BETA","GAMMA"],"from":"2023-01-02","to":"2024-06-28"}"""),
                e =>
                {
                    if (!e.IsHistoryEvent)
                    {
                        return; // map-run progress, not a history event
                    }

                    lock (events)
                    {
                        events.Add(e);
                    }
                },
                CancellationToken.None);
        }

        Assert.True(outcome.Succeeded, $"{outcome.Status} {outcome.Error}: {outcome.Cause}");
        var output = outcome.Output!.AsObject();
        Assert.Equal((3, 3, 0, 3), (output["ingest"]!["symbols"]!.GetValue<int>(), output["ingest"]!["succeeded"]!.GetValue<int>(),
            output["ingest"]!["failed"]!.GetValue<int>(), output["ingest"]!["changedSymbols"]!.GetValue<int>()));

        // daily_metrics holds exactly what the definitions give for the raw rows.
        var raw = Lake.RawPrices(directory);
        Assert.Equal(3 * 390, raw.Count); // business days 2023-01-02 .. 2024-06-28
        var expected = ReferenceMetrics.Compute(raw);
        var actual = await Lake.QueryAsync(directory, "SELECT * FROM daily_metrics ORDER BY symbol, trade_date");
        Lake.AssertMatchesReference(expected, ToRows(actual));

        // Every analysis query wrote its result under the stable key.
        var results = Path.Combine(directory.BucketRoot, "results", outcome.Name);
        foreach (var query in new[] { "average_return", "volatility_ranking", "market_trend", "price_history" })
        {
            Assert.True(File.Exists(Path.Combine(results, query + ".csv")), $"missing result {query}.csv");
        }

        var averages = Lake.ParseCsv(await File.ReadAllTextAsync(Path.Combine(results, "average_return.csv")));
        Assert.Equal(3, averages.Count);
        Assert.Equal("390", averages[0]["trading_days"]);

        // The report is there, offline, labelled synthetic.
        var report = await File.ReadAllTextAsync(directory.PathOf($"reports/{outcome.Name}/index.html"));
        Assert.Contains("synthetic", report, StringComparison.Ordinal);
        Assert.DoesNotMatch("<script[^>]+src=\"https?:", report);
        Assert.Contains("Plotly", report, StringComparison.Ordinal);

        // The history reads as Step Functions' would.
        var types = events.OrderBy(e => e.Id).Select(e => e.Type).ToList();
        Assert.Equal("ExecutionStarted", types[0]);
        Assert.Equal("ExecutionSucceeded", types[^1]);
        Assert.Equal(4, types.Count(t => t == "MapIterationSucceeded")); // the Analyze Map's; the ingest Map's batches run as child executions
        Assert.Contains("MapRunSucceeded", types);
        Assert.Contains("TaskSucceeded", types);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Id).Order());
    }

    [Fact]
    public async Task A_second_run_fetches_only_new_days_and_never_duplicates_rows()
    {
        var directory = new DataDirectory(_temp.Path);
        using var pipeline = LocalPipeline.Open(directory);
        var first = await pipeline.StartAsync(JsonNode.Parse("""{"symbols":["ALPHA"],"to":"2024-06-27"}"""), null, CancellationToken.None);
        Assert.True(first.Succeeded, first.Cause);
        var second = await pipeline.StartAsync(JsonNode.Parse("""{"symbols":["ALPHA"],"to":"2024-06-28"}"""), null, CancellationToken.None);
        Assert.True(second.Succeeded, second.Cause);

        var ingest = second.Output!["ingest"]!;
        Assert.Equal(("2024-06-28", "2024-06-28"), (ingest["firstDate"]!.GetValue<string>(), ingest["lastDate"]!.GetValue<string>()));
        Assert.Equal(1, ingest["rowsWritten"]!.GetValue<int>());

        var counts = await Lake.QueryAsync(directory, "SELECT count(*) AS n, count(DISTINCT trade_date) AS d, max(trade_date) AS last FROM daily_metrics");
        Assert.Equal(counts.Rows[0][0], counts.Rows[0][1]);
        Assert.Equal("2024-06-28", ValueText.Format(counts.Rows[0][2]));

        // Re-running the same execution input rewrites the same keys: still no duplicates.
        var rerun = await pipeline.RerunAsync(second.Name, null, null, CancellationToken.None);
        Assert.True(rerun.Succeeded, rerun.Cause);
        var again = await Lake.QueryAsync(directory, "SELECT count(*), count(DISTINCT trade_date) FROM daily_metrics");
        Assert.Equal(counts.Rows[0][0], again.Rows[0][0]);
        Assert.Equal(again.Rows[0][0], again.Rows[0][1]);
    }

    internal static List<Dictionary<string, string>> ToRows(ResultSet result) =>
        result.Rows
            .Select(row => result.Columns.Select((c, i) => (c.Name, Value: ValueText.Format(row[i]))).ToDictionary(p => p.Name, p => p.Value))
            .ToList();
}
