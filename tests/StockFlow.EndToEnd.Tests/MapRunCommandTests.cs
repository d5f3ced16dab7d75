using System.Diagnostics;
using System.Text.Json.Nodes;
using StockFlow.Runtime.Local;
using StockFlow.Runtime.Local.Executions;

namespace StockFlow.EndToEnd.Tests;

/// <summary>
/// Distributed Map runs through the CLI: `executions show` lists the map run with its counts and failed
/// items, and a run killed mid-map is redriven keeping the children that had finished.
/// </summary>
public sealed class MapRunCommandTests : IDisposable
{
    private readonly TestDataDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A Distributed Map over $.items; each child waits (1 s scaled by --wait-scale), items above 196 fail (5 are tolerated).</summary>
    private const string Definition = """
        {"StartAt":"Fan","States":{"Fan":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":4,"ToleratedFailureCount":5,
          "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"Wait",
            "States":{
              "Wait":{"Type":"Wait","Seconds":1,"Next":"Check"},
              "Check":{"Type":"Choice","Choices":[{"Variable":"$","NumericGreaterThan":196,"Next":"TooBig"}],"Default":"Done"},
              "TooBig":{"Type":"Fail","Error":"TooBig","Cause":"the item is over the limit"},
              "Done":{"Type":"Pass","End":true}}},
          "End":true}}}
        """;

    private string WriteDefinition()
    {
        var path = Path.Combine(_temp.Path, "fan.asl.json");
        File.WriteAllText(path, Definition);
        return path;
    }

    private static string Items(int n) => "{\"items\":[" + string.Join(',', Enumerable.Range(0, n)) + "]}";

    [Fact]
    public async Task Executions_show_lists_the_map_run_with_its_counts_and_failed_items()
    {
        var dataDir = Path.Combine(_temp.Path, "data");
        var run = await CliProcess.RunAsync("asl", "run", WriteDefinition(), "--input", Items(200), "--name", "fan-failed", "--data-dir", dataDir);
        Assert.True(run.ExitCode == 0, run.StdOut + run.StdErr); // 3 failed items are within the 5 tolerated

        var text = await CliProcess.RunAsync("executions", "show", "fan-failed", "--failed-items", "1", "--data-dir", dataDir);
        Assert.True(text.ExitCode == 0, text.StdOut + text.StdErr);
        Assert.Contains("Map run Fan", text.StdOut, StringComparison.Ordinal);
        Assert.Contains("197 succeeded, 3 failed", text.StdOut, StringComparison.Ordinal);
        Assert.Contains("TooBig", text.StdOut, StringComparison.Ordinal);
        Assert.Contains("and 2 more", text.StdOut, StringComparison.Ordinal);

        var json = await CliProcess.RunAsync("executions", "show", "fan-failed", "--json", "--data-dir", dataDir);
        var mapRun = JsonNode.Parse(json.StdOut)!["mapRuns"]!.AsArray().Single()!;
        Assert.Equal("SUCCEEDED", mapRun["status"]!.GetValue<string>());
        Assert.Equal(5, mapRun["toleratedFailureCount"]!.GetValue<long>());
        Assert.Equal(200, mapRun["itemCounts"]!["total"]!.GetValue<long>());
        Assert.Equal(3, mapRun["itemCounts"]!["failed"]!.GetValue<long>());
        Assert.Equal(4, mapRun["maxConcurrency"]!.GetValue<int>());
        Assert.Equal(3, mapRun["failedItemsTotal"]!.GetValue<long>());
        var failed = mapRun["failedItems"]!.AsArray();
        Assert.Equal(["197", "198", "199"], failed.Select(f => f!["input"]!.GetValue<string>()));
        Assert.All(failed, f => Assert.Equal("the item is over the limit", f!["cause"]!.GetValue<string>()));

        // The parent history has the Map Run's start and end, not 200 children's events.
        var history = await CliProcess.RunAsync("executions", "history", "fan-failed", "--json", "--data-dir", dataDir);
        Assert.True(JsonNode.Parse(history.StdOut)!["events"]!.AsArray().Count < 12, history.StdOut);
    }

    [Fact]
    public async Task A_run_killed_mid_map_is_redriven_keeping_the_children_that_had_finished()
    {
        var dataDir = Path.Combine(_temp.Path, "data");
        var directory = new DataDirectory(dataDir);
        // 190 items (none over the limit): 4 at a time, 100 ms each, about 5 s in all.
        using (var process = Process.Start(CliProcess.StartInfo(
            "asl", "run", WriteDefinition(), "--input", Items(190), "--name", "fan-killed", "--wait-scale", "0.1", "--data-dir", dataDir))!)
        {
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            await WaitForChildrenAsync(directory, 40, TimeSpan.FromMinutes(2));
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        HashSet<int> kept;
        string mapRunArn;
        using (var store = new ExecutionStore(directory.ExecutionsDatabase))
        {
            Assert.Single(store.FailOrphanedExecutions(DateTimeOffset.UtcNow));
            var execution = store.Find("fan-killed")!;
            var run = Assert.Single(store.ListMapRuns(execution.Summary.ExecutionArn));
            Assert.Equal("FAILED", run.Status);
            mapRunArn = run.MapRunArn;
            kept = store.GetChildren(mapRunArn).Where(c => c.IsSucceeded).Select(c => c.Index).ToHashSet();
            Assert.InRange(kept.Count, 40, 189);
        }

        var redriveStarted = DateTimeOffset.UtcNow;
        var redrive = await CliProcess.RunAsync("redrive", "fan-killed", "--data-dir", dataDir);
        Assert.True(redrive.ExitCode == 0, redrive.StdOut + redrive.StdErr);

        using (var store = new ExecutionStore(directory.ExecutionsDatabase))
        {
            var execution = store.Find("fan-killed")!;
            Assert.Equal("SUCCEEDED", execution.Summary.Status);
            var run = Assert.Single(store.ListMapRuns(execution.Summary.ExecutionArn));
            Assert.Equal(mapRunArn, run.MapRunArn);
            Assert.Equal("SUCCEEDED", run.Status);
            Assert.Equal(1, run.RedriveCount);
            Assert.Equal(190, run.ItemCounts.Succeeded);
            var children = store.GetChildren(mapRunArn);
            Assert.Equal(190, children.Count);
            // The children that had finished before the kill were not run again; all the others ran once.
            var rerun = children.Where(c => c.StartDate >= redriveStarted).Select(c => c.Index).ToHashSet();
            Assert.Empty(rerun.Intersect(kept));
            Assert.Equal(190 - kept.Count, rerun.Count);
            var output = JsonNode.Parse(execution.Output!)!.AsArray();
            Assert.Equal(Enumerable.Range(0, 190), output.Select(o => o!.GetValue<int>()));
        }
    }

    private static async Task WaitForChildrenAsync(DataDirectory directory, int count, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (File.Exists(directory.ExecutionsDatabase))
            {
                using var store = new ExecutionStore(directory.ExecutionsDatabase);
                if (store.List().FirstOrDefault() is { } execution
                    && store.ListMapRuns(execution.ExecutionArn).FirstOrDefault() is { } run
                    && run.ItemCounts.Succeeded >= count)
                {
                    return;
                }
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"Fewer than {count} children finished within {timeout}.");
    }
}
