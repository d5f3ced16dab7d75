using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using StockFlow.Asl;
using StockFlow.Asl.Distributed;
using StockFlow.Asl.Execution;
using StockFlow.Asl.History;
using static StockFlow.Asl.Tests.Interpreter.Asl;

namespace StockFlow.Asl.Tests.Interpreter;

/// <summary>A Map Run store in memory that also keeps every save, to check what a reader would have seen.</summary>
internal sealed class MemoryMapRunStore : IMapRunStore
{
    private readonly ConcurrentDictionary<string, MapRunRecord> runs = new();
    private readonly ConcurrentDictionary<(string Arn, int Index), ChildExecutionRecord> children = new();

    public ConcurrentQueue<MapRunRecord> Saves { get; } = new();

    public int ChildWrites;

    public IReadOnlyList<MapRunRecord> Runs => runs.Values.OrderBy(r => r.StartDate).ToList();

    public void SaveMapRun(MapRunRecord run)
    {
        runs[run.MapRunArn] = run;
        Saves.Enqueue(run);
    }

    public void SaveChildren(string mapRunArn, IReadOnlyList<ChildExecutionRecord> batch)
    {
        Interlocked.Increment(ref ChildWrites);
        foreach (var c in batch) children[(mapRunArn, c.Index)] = c;
    }

    public MapRunRecord? FindMapRun(string mapRunArn) => runs.TryGetValue(mapRunArn, out var r) ? r : null;

    public IReadOnlyList<ChildExecutionRecord> GetChildren(string mapRunArn) =>
        children.Where(c => c.Key.Arn == mapRunArn).Select(c => c.Value).OrderBy(c => c.Index).ToList();
}

public class MapRunTests
{
    /// <summary>A Distributed Map over $.items whose child calls the "work" task; extra Map fields spliced in.</summary>
    private static string Definition(string mapFields = "") => $$$$"""
        {"StartAt":"Fan","States":{"Fan":{"Type":"Map","ItemsPath":"$.items"{{{{mapFields}}}},
          "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
            "StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:work","End":true}}},
          "End":true}}}
        """;

    private static string Items(int n) => "{\"items\":[" + string.Join(',', Enumerable.Range(0, n)) + "]}";

    /// <summary>Counts calls per item; items in <paramref name="broken"/> fail with Broken.</summary>
    private sealed class Worker(ISet<int> broken, int delayMs = 0) : ITaskInvoker
    {
        private int running;

        public ConcurrentDictionary<int, int> Calls { get; } = new();

        public int MaxRunning;

        public int TotalCalls => Calls.Values.Sum();

        public async Task<JsonNode?> InvokeAsync(TaskInvocation invocation, CancellationToken cancellationToken)
        {
            var items = invocation.Parameters is JsonObject o && o["Items"] is JsonArray batch
                ? batch.Select(i => i!.GetValue<int>()).ToArray()
                : [invocation.Parameters!.GetValue<int>()];
            foreach (var i in items) Calls.AddOrUpdate(i, 1, (_, n) => n + 1);
            var now = Interlocked.Increment(ref running);
            int seen;
            while ((seen = Volatile.Read(ref MaxRunning)) < now && Interlocked.CompareExchange(ref MaxRunning, now, seen) != seen)
            {
            }

            try
            {
                if (delayMs > 0) await Task.Delay(delayMs, cancellationToken);
                lock (broken)
                {
                    if (items.Any(broken.Contains)) throw new StatesErrorException("Broken", $"item {items[0]} is broken");
                }

                return JsonValue.Create(items.Sum() * 10);
            }
            finally
            {
                Interlocked.Decrement(ref running);
            }
        }
    }

    private static ExecutionOptions Options(ITaskInvoker invoker, MemoryMapRunStore runs, IReadOnlyList<HistoryEvent>? redriveFrom = null, MemoryStore? objects = null) =>
        new() { TaskInvoker = invoker, MapRunStore = runs, RedriveFrom = redriveFrom, ItemStore = objects ?? new MemoryStore(), WaitScale = 0 };

    [Fact]
    public async Task The_parent_history_does_not_grow_with_the_item_count()
    {
        var worker = new Worker(new HashSet<int>());
        var small = await Run(Definition(), Items(10), worker, Options(worker, new MemoryMapRunStore()));
        var large = await Run(Definition(), Items(10_000), worker, Options(worker, new MemoryMapRunStore()));
        AssertSucceeded(small);
        AssertSucceeded(large);
        Assert.Equal(10_000, large.Output!.AsArray().Count);
        Assert.True(large.Events.Count < 12, Types(large));
        Assert.Equal(Types(small), Types(large));
        Assert.Equal(
            "ExecutionStarted,MapStateEntered,MapStateStarted,MapRunStarted,MapRunSucceeded,MapStateSucceeded,MapStateExited,ExecutionSucceeded",
            Types(large));
    }

    [Fact]
    public async Task The_map_run_and_every_child_are_recorded_with_counts_and_failed_children_keep_their_history()
    {
        var runs = new MemoryMapRunStore();
        var worker = new Worker(new HashSet<int> { 3, 50, 97 });
        var r = await Run(Definition(",\"ToleratedFailureCount\":5,\"MaxConcurrency\":4"), Items(100), worker, Options(worker, runs));
        AssertSucceeded(r);
        var run = Assert.Single(runs.Runs);
        Assert.Equal(MapRunRecord.Succeeded, run.Status);
        Assert.Equal(r.Events.Single(e => e.Type == "MapRunStarted").Field("mapRunArn"), run.MapRunArn);
        Assert.Equal("Fan", run.StateName);
        Assert.Equal(4, run.MaxConcurrency);
        Assert.Equal(5, run.ToleratedFailureCount);
        Assert.NotNull(run.StopDate);
        Assert.Equal(new MapRunCounts(0, 0, 97, 3, 0, 0, 100, 0, 0, 0), run.ItemCounts);
        Assert.Equal(run.ItemCounts, run.ExecutionCounts);

        var children = runs.GetChildren(run.MapRunArn);
        Assert.Equal(100, children.Count);
        Assert.All(children.Where(c => c.IsSucceeded), c => Assert.Null(c.HistoryJson));
        var failed = children.Where(c => !c.IsSucceeded).ToList();
        Assert.Equal([3, 50, 97], failed.Select(c => c.Index));
        var broken = failed[1];
        Assert.Equal("Broken", broken.Error);
        Assert.Equal("item 50 is broken", broken.Cause);
        Assert.Equal("50", broken.Input);
        var history = J(broken.HistoryJson!)!.AsArray();
        Assert.Equal("ExecutionStarted", history[0]!["type"]!.GetValue<string>());
        Assert.Contains(history, e => e!["type"]!.GetValue<string>() == "TaskFailed");
        Assert.Equal("ExecutionFailed", history[^1]!["type"]!.GetValue<string>());
        Assert.Equal("510", children[51].Output);
    }

    [Fact]
    public async Task Children_are_written_in_batches_not_one_by_one()
    {
        var runs = new MemoryMapRunStore();
        var worker = new Worker(new HashSet<int>());
        AssertSucceeded(await Run(Definition(), Items(10_000), worker, Options(worker, runs)));
        Assert.Equal(10_000, runs.GetChildren(runs.Runs[0].MapRunArn).Count);
        Assert.True(runs.ChildWrites < 100, $"{runs.ChildWrites} writes for 10,000 children");
    }

    [Fact]
    public async Task Redrive_reruns_only_the_failed_children_and_ResultWriter_covers_every_item()
    {
        const int n = 10_000;
        var broken = new HashSet<int>(Enumerable.Range(n - 10, 10));
        var worker = new Worker(broken);
        var runs = new MemoryMapRunStore();
        var objects = new MemoryStore();
        var definition = Definition("""
            ,"ToleratedFailureCount":9,"MaxConcurrency":1,
            "ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"lake","Prefix":"results"}}
            """);
        var first = await Run(definition, Items(n), worker, Options(worker, runs, objects: objects));
        Assert.Equal("States.ExceedToleratedFailureThreshold", first.Error);
        Assert.Equal(n, worker.TotalCalls);
        var failedRun = Assert.Single(runs.Runs);
        Assert.Equal(MapRunRecord.Failed, failedRun.Status);
        Assert.Equal("States.ExceedToleratedFailureThreshold", failedRun.Error);
        Assert.Equal(10, failedRun.ItemCounts.Failed);
        Assert.Equal(n - 10, failedRun.ItemCounts.Succeeded);

        // The provider is fixed: the redrive runs the 10 failed children and nothing else.
        lock (broken) broken.Clear();
        worker.Calls.Clear();
        var redriven = await Run(definition, Items(n), worker, Options(worker, runs, first.Events, objects));
        AssertSucceeded(redriven);
        Assert.Equal(10, worker.TotalCalls);
        Assert.Equal(Enumerable.Range(n - 10, 10), worker.Calls.Keys.Order());

        var run = Assert.Single(runs.Runs);
        Assert.Equal(failedRun.MapRunArn, run.MapRunArn);
        Assert.Equal(MapRunRecord.Succeeded, run.Status);
        Assert.Equal(1, run.RedriveCount);
        Assert.NotNull(run.RedriveDate);
        Assert.Equal(n, run.ItemCounts.Succeeded);
        Assert.Equal(0, run.ItemCounts.Failed);
        var redrivenEvent = redriven.Events.Single(e => e.Type == "MapRunRedriven");
        Assert.Equal(run.MapRunArn, redrivenEvent.Field("mapRunArn"));
        Assert.Equal(1, redrivenEvent.Body!["redriveCount"]!.GetValue<int>());
        Assert.True(redriven.Events.Count < 30, Types(redriven));

        // ResultWriter wrote the whole run again: every item succeeded, with its output.
        var manifest = J(objects.Text("lake", redriven.Output!["ResultWriterDetails"]!["Key"]!.GetValue<string>()))!;
        Assert.Empty(manifest["ResultFiles"]!["FAILED"]!.AsArray());
        var succeeded = J(objects.Text("lake", manifest["ResultFiles"]!["SUCCEEDED"]![0]!["Key"]!.GetValue<string>()))!.AsArray();
        Assert.Equal(n, succeeded.Count);
        Assert.Equal(
            Enumerable.Range(0, n).Select(i => (i * 10).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            succeeded.Select(s => s!["Output"]!.GetValue<string>()).OrderBy(o => int.Parse(o, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Redrive_without_ResultWriter_returns_kept_and_new_outputs_in_item_order()
    {
        var broken = new HashSet<int> { 1, 4 };
        var worker = new Worker(broken);
        var runs = new MemoryMapRunStore();
        var definition = Definition(",\"ToleratedFailureCount\":1,\"MaxConcurrency\":1");
        var first = await Run(definition, Items(6), worker, Options(worker, runs));
        Assert.Equal("States.ExceedToleratedFailureThreshold", first.Error);
        lock (broken) broken.Clear();
        worker.Calls.Clear();
        var redriven = await Run(definition, Items(6), worker, Options(worker, runs, first.Events));
        AssertSucceeded(redriven);
        AssertJson("[0,10,20,30,40,50]", redriven.Output);
        // 5 never started: the threshold stopped the run at item 4.
        Assert.Equal([1, 4, 5], worker.Calls.Keys.Order());
    }

    [Fact]
    public async Task An_aborted_run_keeps_its_finished_children_and_the_redrive_runs_the_rest_once()
    {
        const int n = 400;
        var worker = new Worker(new HashSet<int>(), delayMs: 2);
        var runs = new MemoryMapRunStore();
        using var stop = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (worker.Calls.Count < 100) await Task.Delay(1);
            await stop.CancelAsync();
        });
        var definition = Definition(",\"MaxConcurrency\":8");
        var first = await Run(definition, Items(n), worker, Options(worker, runs), stop.Token);
        await watcher;
        Assert.Equal("ABORTED", first.StatusName);
        var aborted = Assert.Single(runs.Runs);
        Assert.Equal(MapRunRecord.Aborted, aborted.Status);
        var kept = runs.GetChildren(aborted.MapRunArn).Where(c => c.IsSucceeded).Select(c => c.Index).ToHashSet();
        Assert.True(kept.Count >= 90, $"{kept.Count} kept");
        Assert.True(aborted.ItemCounts.Aborted > 0 || aborted.ItemCounts.Pending > 0);

        worker.Calls.Clear();
        var redriven = await Run(definition, Items(n), worker, Options(worker, runs, first.Events));
        AssertSucceeded(redriven);
        Assert.Equal(n - kept.Count, worker.TotalCalls);
        Assert.DoesNotContain(worker.Calls.Keys, kept.Contains);
        Assert.Equal(n, redriven.Output!.AsArray().Count);
        Assert.Equal(n, runs.Runs[0].ItemCounts.Succeeded);
    }

    [Fact]
    public async Task MaxConcurrencyPath_bounds_the_children_running_at_once_exactly()
    {
        var worker = new Worker(new HashSet<int>(), delayMs: 20);
        var runs = new MemoryMapRunStore();
        var r = await Run(Definition(",\"MaxConcurrencyPath\":\"$.limit\""), "{\"limit\":3,\"items\":[" + string.Join(',', Enumerable.Range(0, 30)) + "]}", worker, Options(worker, runs));
        AssertSucceeded(r);
        Assert.Equal(3, worker.MaxRunning);
        Assert.Equal(3, runs.Runs[0].MaxConcurrency);
    }

    [Fact]
    public async Task Tolerated_failures_are_counted_in_items_with_ItemBatcher()
    {
        // 10 items in batches of 2; the batch holding item 5 fails: 2 items of 10 = 20%.
        var definition = Definition(",\"ItemBatcher\":{\"MaxItemsPerBatch\":2},\"ToleratedFailurePercentagePath\":\"$.tolerated\",\"MaxConcurrency\":1");
        var runs = new MemoryMapRunStore();
        var worker = new Worker(new HashSet<int> { 5 });
        var ok = await Run(definition, "{\"tolerated\":20,\"items\":[0,1,2,3,4,5,6,7,8,9]}", worker, Options(worker, runs));
        AssertSucceeded(ok);
        var run = runs.Runs[0];
        Assert.Equal(new MapRunCounts(0, 0, 8, 2, 0, 0, 10, 0, 0, 0), run.ItemCounts);
        Assert.Equal(new MapRunCounts(0, 0, 4, 1, 0, 0, 5, 0, 0, 0), run.ExecutionCounts);
        Assert.Equal(20, run.ToleratedFailurePercentage);
    }

    [Theory]
    [InlineData(100, 10, true)] // 2 of 10 items is 20%: over the percentage, under the count
    [InlineData(1, 50, true)] // over the count, under the percentage
    [InlineData(2, 20, false)] // at both: tolerated
    public async Task With_both_a_count_and_a_percentage_exceeding_either_fails_the_run(int count, int percentage, bool fails)
    {
        var definition = Definition($",\"ToleratedFailureCount\":{count},\"ToleratedFailurePercentage\":{percentage},\"MaxConcurrency\":1");
        var worker = new Worker(new HashSet<int> { 3, 7 });
        var r = await Run(definition, Items(10), worker, Options(worker, new MemoryMapRunStore()));
        Assert.Equal(fails ? "FAILED" : "SUCCEEDED", r.StatusName);
        if (fails) Assert.Equal("States.ExceedToleratedFailureThreshold", r.Error);
    }

    [Fact]
    public async Task Past_the_threshold_the_rest_never_starts_and_ResultWriter_still_writes_them_as_pending()
    {
        var definition = Definition("""
            ,"ItemBatcher":{"MaxItemsPerBatch":2},"ToleratedFailurePercentage":10,"MaxConcurrency":1,
            "ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"lake","Prefix":"out"}}
            """);
        var runs = new MemoryMapRunStore();
        var objects = new MemoryStore();
        var worker = new Worker(new HashSet<int> { 2 });
        var r = await Run(definition, "{\"items\":[0,1,2,3,4,5,6,7,8,9]}", worker, Options(worker, runs, objects: objects));
        Assert.Equal("States.ExceedToleratedFailureThreshold", r.Error);
        Assert.Equal([0, 1, 2, 3], worker.Calls.Keys.Order());
        var run = runs.Runs[0];
        Assert.Equal(MapRunRecord.Failed, run.Status);
        Assert.Equal(new MapRunCounts(6, 0, 2, 2, 0, 0, 10, 4, 0, 0), run.ItemCounts);
        var manifestKey = Assert.Single(objects.Objects.Keys, k => k.Key.EndsWith("manifest.json", StringComparison.Ordinal)).Key;
        var manifest = J(objects.Text("lake", manifestKey))!;
        var pending = J(objects.Text("lake", manifest["ResultFiles"]!["PENDING"]![0]!["Key"]!.GetValue<string>()))!.AsArray();
        Assert.Equal(3, pending.Count);
        Assert.Contains(r.Events, e => e.Type == "MapRunFailed");
    }

    [Fact]
    public async Task Progress_is_saved_while_the_run_goes_on()
    {
        var runs = new MemoryMapRunStore();
        var worker = new Worker(new HashSet<int>(), delayMs: 3);
        AssertSucceeded(await Run(Definition(",\"MaxConcurrency\":4"), Items(600), worker, Options(worker, runs)));
        var saves = runs.Saves.ToList();
        Assert.Equal(MapRunRecord.Running, saves[0].Status);
        Assert.Equal(600, saves[0].ItemCounts.Pending);
        Assert.Contains(saves, s => s.Status == MapRunRecord.Running && s.ItemCounts.Succeeded is > 0 and < 600);
        Assert.Equal(MapRunRecord.Succeeded, saves[^1].Status);
        Assert.True(saves.Count < 100, $"{saves.Count} saves");
    }

    [Fact]
    public async Task Without_a_store_a_redrive_runs_the_whole_map_run_again()
    {
        var broken = new HashSet<int> { 2 };
        var worker = new Worker(broken);
        var definition = Definition(",\"MaxConcurrency\":1");
        var first = await Run(definition, Items(4), worker, new ExecutionOptions { TaskInvoker = worker, WaitScale = 0 });
        Assert.Equal("States.ExceedToleratedFailureThreshold", first.Error);
        lock (broken) broken.Clear();
        worker.Calls.Clear();
        var redriven = await Run(definition, Items(4), worker, new ExecutionOptions { TaskInvoker = worker, WaitScale = 0, RedriveFrom = first.Events });
        AssertSucceeded(redriven);
        Assert.Equal(4, worker.TotalCalls);
        Assert.Contains(redriven.Events, e => e.Type == "MapRunStarted" && e.Id > first.Events.Count);
    }
}
