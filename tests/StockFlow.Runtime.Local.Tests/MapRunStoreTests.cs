using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using StockFlow.Asl;
using StockFlow.Asl.Distributed;
using StockFlow.Runtime.Local.Executions;

namespace StockFlow.Runtime.Local.Tests;

/// <summary>Map Runs and their child executions in the SQLite execution store, and a redrive through the local engine.</summary>
public sealed class MapRunStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "stockflow-mapruns-" + Guid.NewGuid().ToString("N"));

    public MapRunStoreTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private string Database => Path.Combine(_folder, "executions.db");

    private static MapRunRecord Run(string arn, string status, MapRunCounts counts) => new()
    {
        MapRunArn = arn,
        ExecutionArn = "arn:aws:states:us-east-1:000000000000:execution:sm:e1",
        StateName = "IngestSymbols",
        Status = status,
        StartDate = T0,
        MaxConcurrency = 8,
        ToleratedFailurePercentage = 5,
        ItemCounts = counts,
        ExecutionCounts = counts,
    };

    private static ChildExecutionRecord Child(int index, string status, string? error = null) => new()
    {
        Index = index,
        Name = $"run1:{index}",
        Status = status,
        Input = $"{{\"i\":{index}}}",
        Output = status == "SUCCEEDED" ? $"{{\"o\":{index}}}" : null,
        Error = error,
        Cause = error is null ? null : $"item {index} failed",
        StartDate = T0,
        StopDate = T0.AddSeconds(1),
        ItemCount = 2,
        HistoryJson = status == "SUCCEEDED" ? null : """[{"id":1,"type":"ExecutionStarted"}]""",
    };

    [Fact]
    public void Map_runs_and_children_round_trip_and_a_second_connection_sees_live_counts()
    {
        const string arn = "arn:aws:states:us-east-1:000000000000:mapRun:sm/IngestSymbols:run1";
        using var writer = new ExecutionStore(Database);
        using var reader = new ExecutionStore(Database);
        writer.SaveMapRun(Run(arn, MapRunRecord.Running, new MapRunCounts(8, 2, 0, 0, 0, 0, 10, 0, 0, 0)));
        Assert.Equal(2, reader.FindMapRun(arn)!.ItemCounts.Running);

        writer.SaveChildren(arn, [Child(0, "SUCCEEDED"), Child(1, "FAILED", "Boom"), Child(2, "SUCCEEDED"), Child(3, "ABORTED"), Child(4, "FAILED", "Boom")]);
        writer.SaveMapRun(Run(arn, MapRunRecord.Running, new MapRunCounts(5, 0, 2, 2, 0, 1, 10, 0, 0, 0)));
        var live = reader.FindMapRun(arn)!;
        Assert.Equal(MapRunRecord.Running, live.Status);
        Assert.Equal(new MapRunCounts(5, 0, 2, 2, 0, 1, 10, 0, 0, 0), live.ItemCounts);
        Assert.Equal(8, live.MaxConcurrency);
        Assert.Equal(5, live.ToleratedFailurePercentage);

        var children = reader.GetChildren(arn);
        Assert.Equal([0, 1, 2, 3, 4], children.Select(c => c.Index));
        Assert.Equal("{\"o\":0}", children[0].Output);
        Assert.Null(children[1].HistoryJson); // the full list (redrive) leaves the histories out
        var (failed, total) = reader.GetUnsuccessfulChildren(arn, 2);
        Assert.Equal(3, total);
        Assert.Equal([1, 3], failed.Select(c => c.Index));
        Assert.Equal("Boom", failed[0].Error);
        Assert.Equal("item 1 failed", failed[0].Cause);
        Assert.Equal(2, failed[0].ItemCount);
        Assert.Contains("ExecutionStarted", failed[0].HistoryJson, StringComparison.Ordinal);

        // A redriven child replaces its earlier row.
        writer.SaveChildren(arn, [Child(1, "SUCCEEDED")]);
        Assert.Equal(2, reader.GetUnsuccessfulChildren(arn, 10).Total);

        var byName = reader.FindChildExecution("run1:4");
        Assert.NotNull(byName);
        Assert.Equal(arn, byName.Value.MapRun.MapRunArn);
        Assert.Equal("FAILED", byName.Value.Child.Status);
        var byArn = reader.FindChildExecution("arn:aws:states:us-east-1:000000000000:execution:sm/IngestSymbols:run1:4");
        Assert.Equal(4, byArn!.Value.Child.Index);
        Assert.Null(reader.FindChildExecution("run1:99"));

        Assert.Equal([arn], reader.ListMapRuns("arn:aws:states:us-east-1:000000000000:execution:sm:e1").Select(r => r.MapRunArn));
        Assert.Empty(reader.ListMapRuns("arn:aws:states:us-east-1:000000000000:execution:sm:other"));
    }

    [Fact]
    public void An_orphaned_execution_fails_its_running_map_run_and_counts_its_running_children_as_aborted()
    {
        const string arn = "arn:aws:states:us-east-1:000000000000:mapRun:sm/IngestSymbols:run1";
        using (var store = new ExecutionStore(Database))
        {
            store.CreateExecution(new ExecutionRecord("arn:aws:states:us-east-1:000000000000:execution:sm:e1", "e1", "sm", "{}", "{}", T0));
            store.SaveMapRun(Run(arn, MapRunRecord.Running, new MapRunCounts(5, 3, 2, 0, 0, 0, 10, 0, 0, 0)));
        }

        // The process that ran it is gone (a pid that cannot exist).
        using (var connection = new SqliteConnection($"Data Source={Database};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE executions SET owner_pid=2147483000";
            command.ExecuteNonQuery();
        }

        using (var store = new ExecutionStore(Database))
        {
            Assert.Single(store.FailOrphanedExecutions(T0.AddMinutes(1)));
            var run = store.FindMapRun(arn)!;
            Assert.Equal(MapRunRecord.Failed, run.Status);
            Assert.Equal(T0.AddMinutes(1), run.StopDate);
            Assert.Equal("StockFlow.ExecutionInterrupted", run.Error);
            Assert.Equal(new MapRunCounts(5, 0, 2, 0, 0, 3, 10, 0, 0, 0), run.ItemCounts);
        }
    }

    private const string Definition = """
        {"StartAt":"Fan","States":{"Fan":{"Type":"Map","ItemsPath":"$.items","ToleratedFailureCount":9,"MaxConcurrency":1,
          "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
            "StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:000000000000:function:work","End":true}}},
          "End":true}}}
        """;

    /// <summary>Counts calls per item; items in Broken fail.</summary>
    private sealed class Worker : ITaskInvoker
    {
        public ConcurrentDictionary<int, int> Calls { get; } = new();

        public HashSet<int> Broken { get; } = [];

        public Task<JsonNode?> InvokeAsync(TaskInvocation invocation, CancellationToken cancellationToken)
        {
            var i = invocation.Parameters!.GetValue<int>();
            Calls.AddOrUpdate(i, 1, (_, n) => n + 1);
            lock (Broken)
            {
                if (Broken.Contains(i)) throw new StatesErrorException("Broken", $"item {i} is broken");
            }

            return Task.FromResult<JsonNode?>(JsonValue.Create(i + 1));
        }
    }

    [Fact]
    public async Task A_redrive_through_the_engine_reruns_only_the_ten_failed_children_of_ten_thousand()
    {
        const int n = 10_000;
        var worker = new Worker();
        for (var i = n - 10; i < n; i++) worker.Broken.Add(i);
        var input = JsonNode.Parse("{\"items\":[" + string.Join(',', Enumerable.Range(0, n)) + "]}");
        var progress = new ConcurrentQueue<ExecutionProgressEvent>();
        using var store = new ExecutionStore(Database);
        var engine = new LocalExecutionEngine(worker, store, new ExecutionDefaults { StateMachineName = "sm" });
        var first = await engine.StartAsync(Definition, input, "e1", progress.Enqueue, CancellationToken.None);
        Assert.Equal("FAILED", first.Status);
        Assert.Equal("States.ExceedToleratedFailureThreshold", first.Error);
        Assert.Contains(progress, e => e.MapRun is { Status: MapRunRecord.Failed });
        var execution = store.Find("e1")!;
        Assert.True(execution.Summary.EventCount < 12, $"{execution.Summary.EventCount} parent events");
        var failedRun = Assert.Single(store.ListMapRuns(execution.Summary.ExecutionArn));
        Assert.Equal(10, failedRun.ItemCounts.Failed);
        Assert.Equal(n - 10, failedRun.ItemCounts.Succeeded);

        lock (worker.Broken) worker.Broken.Clear();
        worker.Calls.Clear();
        var redriven = await engine.RedriveAsync(store.Find("e1")!, null, CancellationToken.None);
        Assert.True(redriven.Succeeded, $"{redriven.Status} {redriven.Error}: {redriven.Cause}");
        Assert.Equal(Enumerable.Range(n - 10, 10), worker.Calls.Keys.Order());
        Assert.All(worker.Calls.Values, c => Assert.Equal(1, c));
        Assert.Equal(Enumerable.Range(1, n), redriven.Output!.AsArray().Select(o => o!.GetValue<int>()));

        var run = Assert.Single(store.ListMapRuns(execution.Summary.ExecutionArn));
        Assert.Equal(MapRunRecord.Succeeded, run.Status);
        Assert.Equal(1, run.RedriveCount);
        Assert.Equal(n, run.ItemCounts.Succeeded);
        Assert.Equal(0, store.GetUnsuccessfulChildren(run.MapRunArn, 10).Total);
        Assert.True(store.Find("e1")!.Summary.EventCount < 25);
    }
}
