using System.Diagnostics;
using System.Text.Json.Nodes;
using StockFlow.Runtime.Local;
using StockFlow.Runtime.Local.Executions;

namespace StockFlow.EndToEnd.Tests;

/// <summary>
/// A run killed with SIGKILL in the middle of ingestion is marked failed on the next start,
/// and `stockflow redrive` completes it without duplicated rows; the ingest Map Run's child executions
/// that had finished before the kill are kept, not run again.
/// </summary>
public sealed class KillAndRedriveTests : IDisposable
{
    private readonly TestDataDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Killed_run_is_redriven_to_completion_without_duplicates()
    {
        var dataDir = Path.Combine(_temp.Path, "data");
        var directory = new DataDirectory(dataDir);
        var symbols = string.Join(',', Enumerable.Range(0, 12).Select(i => "SYM" + i));
        // One symbol per batch, two at a time: the kill lands while the ingest Map has batches left.
        var config = Path.Combine(_temp.Path, "stockflow.json");
        File.WriteAllText(config, """{ "Pipeline": { "IngestBatchSize": 1, "IngestMaxConcurrency": 2 } }""");
        using (var process = Process.Start(CliProcess.StartInfo("run", "--symbols", symbols, "--from", "2020-01-01", "--to", "2024-12-31", "--data-dir", dataDir, "--config", config))!)
        {
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            await WaitForEventAsync(directory, "MapRunStarted", TimeSpan.FromMinutes(3));
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        string name;
        Dictionary<int, DateTimeOffset> kept;
        using (var store = new ExecutionStore(directory.ExecutionsDatabase))
        {
            Assert.Single(store.FailOrphanedExecutions(DateTimeOffset.UtcNow));
            var killed = Assert.Single(store.List());
            Assert.Equal("FAILED", killed.Status);
            Assert.Equal("StockFlow.ExecutionInterrupted", killed.Error);
            name = killed.Name;
            var ingestRun = Assert.Single(store.ListMapRuns(killed.ExecutionArn));
            kept = store.GetChildren(ingestRun.MapRunArn).Where(c => c.IsSucceeded).ToDictionary(c => c.Index, c => c.StartDate);
        }

        var redrive = await CliProcess.RunAsync("redrive", name, "--data-dir", dataDir);
        Assert.True(redrive.ExitCode == 0, redrive.StdOut + redrive.StdErr);

        using (var store = new ExecutionStore(directory.ExecutionsDatabase))
        {
            var execution = store.Find(name)!;
            Assert.Equal("SUCCEEDED", execution.Summary.Status);
            Assert.Equal(1, execution.Summary.RedriveCount);
            var events = store.GetEvents(execution.Summary.ExecutionArn);
            Assert.Contains(events, e => e.Type == "ExecutionRedriven");
            Assert.Equal(events.Select(e => e.Id), Enumerable.Range(1, events.Count).Select(i => (long)i));
            var ingestRun = Assert.Single(store.ListMapRuns(execution.Summary.ExecutionArn));
            Assert.Equal(12, ingestRun.ItemCounts.Succeeded);
            var children = store.GetChildren(ingestRun.MapRunArn).ToDictionary(c => c.Index);
            // A batch that had finished before the kill kept its record: it was not ingested again.
            Assert.All(kept, k => Assert.Equal(k.Value, children[k.Key].StartDate));
        }

        var counts = await Lake.QueryAsync(directory, "SELECT count(*), count(DISTINCT symbol || '|' || CAST(trade_date AS VARCHAR)), count(DISTINCT symbol) FROM daily_metrics");
        Assert.Equal(counts.Rows[0][0], counts.Rows[0][1]);
        Assert.Equal(12L, Convert.ToInt64(counts.Rows[0][2], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(12L * 1305, Convert.ToInt64(counts.Rows[0][0], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task WaitForEventAsync(DataDirectory directory, string type, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (File.Exists(directory.ExecutionsDatabase))
            {
                using var store = new ExecutionStore(directory.ExecutionsDatabase);
                if (store.List().FirstOrDefault() is { } execution && store.GetEvents(execution.ExecutionArn).Any(e => e.Type == type))
                {
                    return;
                }
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"No {type} event within {timeout}.");
    }
}
