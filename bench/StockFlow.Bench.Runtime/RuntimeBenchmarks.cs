using System.Text.Json.Nodes;
using StockFlow.Asl;
using StockFlow.Asl.Distributed;
using StockFlow.Asl.Execution;
using StockFlow.Asl.Model;
using StockFlow.Runtime.Local;
using StockFlow.Runtime.Local.Executions;

namespace StockFlow.Bench.Runtime;

/// <summary>The workloads: each returns after checking that the run did what it should, so a broken run is never timed as fast.</summary>
internal static class RuntimeBenchmarks
{
    public const int MapItems = 10_000;
    public const int SequentialExecutions = 1_000;

    /// <summary>A Map of one Pass state with Parameters (items stay under AWS's 256 KiB payload quota); DISTRIBUTED as AWS allows at this size (inline would pass the 25,000-event history cap).</summary>
    public static string MapOfPass(int maxConcurrency) => $$$$"""
        {"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":{{{{maxConcurrency}}}},
          "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},
            "StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"v.$":"$.v"},"End":true}}},"End":true}}}
        """;

    public const string SmallSequential = """
        {"StartAt":"A","States":{
          "A":{"Type":"Pass","Parameters":{"n.$":"$.n","tag":"x"},"Next":"B"},
          "B":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThanEquals":0,"Next":"C"}],"Default":"C"},
          "C":{"Type":"Pass","Result":"done","ResultPath":"$.status","End":true}}}
        """;

    public static JsonArray Items() =>
        new(Enumerable.Range(0, MapItems).Select(i => (JsonNode?)new JsonObject { ["v"] = i, ["k"] = i % 7 }).ToArray());

    public static async Task<ExecutionResult> RunMapAsync(StateMachineDefinition definition, JsonArray items, IMapRunStore? mapRuns = null)
    {
        var result = await AslExecutor.RunAsync(definition, items, new ExecutionOptions { WaitScale = 0, MapRunStore = mapRuns });
        if (result.Status != ExecutionStatus.Succeeded || result.Output is not JsonArray { Count: MapItems })
            throw new InvalidOperationException($"map run ended {result.StatusName} {result.Error}: {result.Cause}");
        return result;
    }

    /// <summary>The same Map with its Map Run and all 10,000 child executions recorded in a fresh SQLite ExecutionStore.</summary>
    public static async Task RunMapPersistedAsync(StateMachineDefinition definition, JsonArray items, string databaseFolder)
    {
        if (Directory.Exists(databaseFolder)) Directory.Delete(databaseFolder, recursive: true);
        Directory.CreateDirectory(databaseFolder);
        using var store = new ExecutionStore(Path.Combine(databaseFolder, "executions.db"));
        var result = await RunMapAsync(definition, items, store);
        var mapRunArn = result.Events.Single(e => e.Type == "MapRunStarted").Field("mapRunArn")!;
        if (store.FindMapRun(mapRunArn) is not { Status: MapRunRecord.Succeeded } run || run.ItemCounts.Succeeded != MapItems
            || store.GetChildren(mapRunArn).Count != MapItems)
            throw new InvalidOperationException("the store does not hold the map run and every child");
    }

    /// <summary>The same per-item JSON work without the interpreter: select one field into a new object, collect the array.</summary>
    public static Task RunPlainLoopAsync(JsonArray items)
    {
        var output = new JsonArray();
        foreach (var item in items)
        {
            var o = item!.AsObject();
            output.Add(new JsonObject { ["v"] = o["v"]!.DeepClone() });
        }

        if (output.Count != MapItems) throw new InvalidOperationException("plain loop lost items");
        return Task.CompletedTask;
    }

    /// <summary>1,000 executions one after another through the local engine; with a store, every event goes to SQLite.</summary>
    public static async Task RunSequentialAsync(string? databaseFolder)
    {
        ExecutionStore? store = null;
        if (databaseFolder is not null)
        {
            if (Directory.Exists(databaseFolder)) Directory.Delete(databaseFolder, recursive: true);
            Directory.CreateDirectory(databaseFolder);
            store = new ExecutionStore(Path.Combine(databaseFolder, "executions.db"));
        }

        try
        {
            var engine = new LocalExecutionEngine(new NoTasks(), store, new ExecutionDefaults { WaitScale = 0, StateMachineName = "bench" });
            for (var i = 0; i < SequentialExecutions; i++)
            {
                var outcome = await engine.StartAsync(SmallSequential, new JsonObject { ["n"] = i }, "run-" + i, null, CancellationToken.None);
                if (outcome.Status != "SUCCEEDED") throw new InvalidOperationException($"execution {i} ended {outcome.Status}: {outcome.Cause}");
            }

            if (store is not null && store.List(limit: SequentialExecutions + 1).Count != SequentialExecutions)
                throw new InvalidOperationException("the store does not hold every execution");
        }
        finally
        {
            store?.Dispose();
        }
    }

    private sealed class NoTasks : ITaskInvoker
    {
        public Task<JsonNode?> InvokeAsync(TaskInvocation invocation, CancellationToken cancellationToken) =>
            throw new StatesErrorException(StatesErrors.Runtime, "the benchmark definitions have no tasks");
    }
}
