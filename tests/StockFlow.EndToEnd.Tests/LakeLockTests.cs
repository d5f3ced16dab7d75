using System.Text.Json.Nodes;
using StockFlow.Core.Lake;
using StockFlow.Functions.Locking;
using StockFlow.Runtime.Local;
using StockFlow.Storage;

namespace StockFlow.EndToEnd.Tests;

/// <summary>
/// One run per lake, as the shipped definition does it on AWS: AcquireLake takes the lock object with a conditional
/// write, LakeBusyException is retried with back-off (the execution waits), ReleaseLake and ReleaseLakeAfterFailure
/// give it back, a stale lock is taken over. These run the real statemachine/pipeline.asl.json on the local bindings,
/// without the local file lock, so two executions meet in the definition as a schedule and an upload do on AWS.
/// </summary>
public sealed class LakeLockTests : IDisposable
{
    private const string Csv = "Date,Open,High,Low,Close,Adj Close,Volume\n2024-01-02,1,2,1,1.5,1.5,10\n2024-01-03,1,2,1,1.6,1.6,10\n";

    private readonly TestDataDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_lock_is_stale_exactly_when_its_holder_would_have_timed_out()
    {
        var definition = JsonNode.Parse(LocalPipeline.ShippedDefinition())!;
        var acquire = definition["States"]!["AcquireLake"]!;

        Assert.Equal("AcquireLake", definition["StartAt"]!.GetValue<string>());
        Assert.Equal(definition["TimeoutSeconds"]!.GetValue<int>(), acquire["Parameters"]!["Payload"]!["staleAfterSeconds"]!.GetValue<int>());
        Assert.Equal("ReleaseLake", definition["States"]!["Report"]!["Next"]!.GetValue<string>());
        Assert.Equal("ReleaseLakeAfterFailure", definition["States"]!["NotifyFailure"]!["Next"]!.GetValue<string>());
        Assert.Equal("FailOrResume", definition["States"]!["ReleaseLakeAfterFailure"]!["Next"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_failed_execution_is_redriven_from_the_state_it_failed_at_taking_the_lake_back_first()
    {
        var (directory, pipeline) = Open();
        using var owned = pipeline;
        // Analyze cannot write its results while 'results' is a file: the run fails after ingest and transform.
        var results = Path.Combine(directory.BucketRoot, "results");
        await File.WriteAllTextAsync(results, "in the way");
        var failed = await pipeline.StartAsync(JsonNode.Parse("""{"provider":"csv","symbols":["GOOD"]}"""), null, CancellationToken.None);
        Assert.Equal("FAILED", failed.Status);
        Assert.Equal("Analyze", LastEntered(pipeline, failed.ExecutionArn, before: "NotifyFailure"));
        Assert.Equal("FailOrResume", LastEntered(pipeline, failed.ExecutionArn, before: null));
        Assert.Null(await pipeline.LakeHolderAsync(CancellationToken.None)); // the lake is free for other runs meanwhile

        // Another run holds the lake: the redrive waits for it (retried), then fails the same way a blocked start does.
        var locks = new LakeLockHandler(pipeline.ObjectStore, TimeProvider.System);
        await locks.AcquireAsync(new LakeLockRequest(LakeLockHandler.Acquire, directory.Bucket, "run-holder", DateTimeOffset.UtcNow, 43200), CancellationToken.None);
        var blocked = await pipeline.RedriveAsync(failed.Name, null, CancellationToken.None);
        Assert.Equal("LakeBusyForRedriveException", blocked.Error);
        Assert.Contains("in use by execution run-holder", blocked.Cause, StringComparison.Ordinal);
        Assert.Equal("run-holder", (await pipeline.LakeHolderAsync(CancellationToken.None))?.Execution);

        // Once the lake is free and the cause is fixed, a redrive takes the lake and goes on at Analyze.
        await locks.ReleaseAsync(new LakeLockRequest(LakeLockHandler.Release, directory.Bucket, "run-holder"), CancellationToken.None);
        File.Delete(results);
        var redriven = await pipeline.RedriveAsync(failed.Name, null, CancellationToken.None);

        Assert.True(redriven.Succeeded, $"{redriven.Error}: {redriven.Cause}");
        var events = pipeline.Store.GetEvents(failed.ExecutionArn);
        var lastRedrive = events.Last(e => e.Type == "ExecutionRedriven").Id;
        var entered = events.Where(e => e.Id > lastRedrive && e.Type.EndsWith("StateEntered", StringComparison.Ordinal))
            .Select(e => JsonNode.Parse(e.DetailsJson)!["stateEnteredEventDetails"]!["name"]!.GetValue<string>())
            .Distinct()
            .ToList();
        Assert.Equal(["FailOrResume", "ResumeAtFailedState", "Analyze", "RunQuery", "Report", "ReleaseLake", "Summarize"], entered);
        Assert.Null(await pipeline.LakeHolderAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Two_executions_on_one_lake_run_one_after_the_other_the_second_waiting_for_the_first()
    {
        var (directory, pipeline) = Open();
        using var owned = pipeline;
        var engine = Engine(pipeline, directory, waitScale: 0.02);
        var input = JsonNode.Parse("""{"provider":"csv","symbols":["GOOD"]}""");

        var first = engine.StartAsync(pipeline.LocalDefinition(), input, "run-first", null, CancellationToken.None);
        var second = engine.StartAsync(pipeline.LocalDefinition(), input?.DeepClone(), "run-second", null, CancellationToken.None);
        var outcomes = await Task.WhenAll(first, second);

        Assert.All(outcomes, o => Assert.True(o.Succeeded, $"{o.Name}: {o.Error} {o.Cause}"));
        // One of them found the lake busy, waited (retried) and went on; the busy message names the other.
        var waited = outcomes.Single(o => BusyCauses(pipeline, o.ExecutionArn).Count > 0);
        var other = outcomes.Single(o => o != waited);
        Assert.Contains($"in use by execution {other.Name}", BusyCauses(pipeline, waited.ExecutionArn)[0], StringComparison.Ordinal);
        Assert.Empty(BusyCauses(pipeline, other.ExecutionArn));
        // The waiting one took the lake only after the other gave it back.
        Assert.True(Exited(pipeline, other.ExecutionArn, "ReleaseLake") > DateTimeOffset.MinValue);
        Assert.True(
            Exited(pipeline, waited.ExecutionArn, "AcquireLake") >= Exited(pipeline, other.ExecutionArn, "ReleaseLake"),
            "the second execution acquired the lake before the first released it");
        Assert.Null(await pipeline.LakeHolderAsync(CancellationToken.None));
    }

    [Fact]
    public async Task An_execution_that_cannot_get_the_lake_fails_naming_the_holder_and_leaves_its_lock_alone()
    {
        var (directory, pipeline) = Open();
        using var owned = pipeline;
        var locks = new LakeLockHandler(pipeline.ObjectStore, TimeProvider.System);
        await locks.AcquireAsync(new LakeLockRequest(LakeLockHandler.Acquire, directory.Bucket, "run-holder", DateTimeOffset.UtcNow, 43200), CancellationToken.None);

        var outcome = await Engine(pipeline, directory, waitScale: 0).StartAsync(
            pipeline.LocalDefinition(), JsonNode.Parse("""{"provider":"csv","symbols":["GOOD"]}"""), "run-blocked", null, CancellationToken.None);

        Assert.Equal("FAILED", outcome.Status);
        Assert.Equal("LakeBusyException", outcome.Error);
        Assert.Contains("in use by execution run-holder", outcome.Cause, StringComparison.Ordinal);
        Assert.Contains("stockflow stop run-holder", outcome.Cause, StringComparison.Ordinal);
        // Ten retries with back-off before giving up, then the failure path, whose release does not touch another's lock
        // and whose last state raises the error once more, not retried.
        Assert.Equal(11 + 1, BusyCauses(pipeline, outcome.ExecutionArn).Count);
        Assert.Equal("run-holder", (await pipeline.LakeHolderAsync(CancellationToken.None))?.Execution);
        Assert.False(Directory.Exists(Path.Combine(directory.BucketRoot, "raw")), "the blocked execution must not ingest");
    }

    [Fact]
    public async Task A_failed_execution_gives_the_lake_back()
    {
        var (directory, pipeline) = Open();
        using var owned = pipeline;

        var outcome = await pipeline.StartAsync(JsonNode.Parse("""{"provider":"csv","symbols":["NOPE"]}"""), null, CancellationToken.None);

        Assert.Equal("StockFlow.NoDataIngested", outcome.Error);
        Assert.True(Exited(pipeline, outcome.ExecutionArn, "ReleaseLakeAfterFailure") > DateTimeOffset.MinValue);
        Assert.Null(await pipeline.LakeHolderAsync(CancellationToken.None));
        var next = await pipeline.StartAsync(JsonNode.Parse("""{"provider":"csv","symbols":["GOOD"]}"""), null, CancellationToken.None);
        Assert.True(next.Succeeded, next.Cause);
    }

    [Fact]
    public async Task A_stale_lock_is_taken_over_and_released_at_the_end()
    {
        var (directory, pipeline) = Open();
        using var owned = pipeline;
        var past = DateTimeOffset.UtcNow.AddDays(-2);
        await pipeline.ObjectStore.PutTextAsync(directory.Bucket, LakeKeys.PipelineLock,
            $$"""{"execution":"run-crashed","acquiredAt":"{{past:O}}","expiresAt":"{{past.AddHours(12):O}}"}""");

        var outcome = await pipeline.StartAsync(JsonNode.Parse("""{"provider":"csv","symbols":["GOOD"]}"""), null, CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Cause);
        var acquired = pipeline.Store.GetEvents(outcome.ExecutionArn).Single(e => e.Type == "TaskSucceeded" && e.DetailsJson.Contains("takenOverFrom", StringComparison.Ordinal));
        Assert.Contains("run-crashed", acquired.DetailsJson, StringComparison.Ordinal);
        Assert.Null(await pipeline.LakeHolderAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_stopped_execution_gives_the_lake_back_as_the_abandoned_run_rule_does_on_AWS()
    {
        var (directory, pipeline) = Open();
        using var owned = pipeline;
        var locks = new LakeLockHandler(pipeline.ObjectStore, TimeProvider.System);
        await locks.AcquireAsync(new LakeLockRequest(LakeLockHandler.Acquire, directory.Bucket, "run-holder", DateTimeOffset.UtcNow, 43200), CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var engine = Engine(pipeline, directory, waitScale: 1);

        // While it waits for run-holder, the lake passes to it (as its next attempt would take it), then it is stopped.
        var running = engine.StartAsync(pipeline.LocalDefinition(), JsonNode.Parse("""{"provider":"csv","symbols":["GOOD"]}"""), "run-stopped", null, stop.Token);
        await WaitUntilAsync(() => BusyCauses(pipeline, LocalResourceNamesArn("run-stopped")).Count > 0);
        await pipeline.ObjectStore.PutTextAsync(directory.Bucket, LakeKeys.PipelineLock,
            $$"""{"execution":"run-stopped","acquiredAt":"{{DateTimeOffset.UtcNow:O}}","expiresAt":"{{DateTimeOffset.UtcNow.AddHours(12):O}}"}""");
        await stop.CancelAsync();
        var outcome = await running;

        Assert.Equal("ABORTED", outcome.Status);
        Assert.Null(await pipeline.LakeHolderAsync(CancellationToken.None));
    }

    private (DataDirectory Directory, LocalPipeline Pipeline) Open()
    {
        var directory = new DataDirectory(_temp.Path).EnsureCreated();
        var landing = Path.Combine(directory.BucketRoot, "landing");
        Directory.CreateDirectory(landing);
        File.WriteAllText(Path.Combine(landing, "GOOD.csv"), Csv);
        return (directory, LocalPipeline.Open(directory));
    }

    // The pipeline's own engine set-up without the process-wide file lock, as the console runs executions.
    private static LocalExecutionEngine Engine(LocalPipeline pipeline, DataDirectory directory, double waitScale) =>
        new(pipeline.Invoker, pipeline.Store, new ExecutionDefaults
        {
            WaitScale = waitScale,
            DataDir = directory.Root,
            ItemStore = new StockFlow.Runtime.Local.Bindings.ObjectStoreItemReader(pipeline.ObjectStore),
            OnEnded = pipeline.OnExecutionEnded,
        });

    private static string LocalResourceNamesArn(string name) =>
        StockFlow.Runtime.Local.Definitions.LocalResourceNames.ExecutionArn(StockFlow.Runtime.Local.Definitions.LocalResourceNames.StateMachineName, name);

    private static List<string> BusyCauses(LocalPipeline pipeline, string executionArn) =>
        pipeline.Store.GetEvents(executionArn)
            .Where(e => e.Type == "TaskFailed" && e.DetailsJson.Contains("LakeBusyException", StringComparison.Ordinal))
            .Select(e => JsonNode.Parse(e.DetailsJson)!.ToJsonString())
            .ToList();

    private static DateTimeOffset Exited(LocalPipeline pipeline, string executionArn, string state) =>
        pipeline.Store.GetEvents(executionArn)
            .Where(e => e.Type.EndsWith("StateExited", StringComparison.Ordinal) && JsonNode.Parse(e.DetailsJson)!["stateExitedEventDetails"]?["name"]?.GetValue<string>() == state)
            .Select(e => e.Timestamp)
            .DefaultIfEmpty(DateTimeOffset.MinValue)
            .Max();

    private static string LastEntered(LocalPipeline pipeline, string executionArn, string? before)
    {
        var names = pipeline.Store.GetEvents(executionArn)
            .Where(e => e.Type.EndsWith("StateEntered", StringComparison.Ordinal))
            .Select(e => JsonNode.Parse(e.DetailsJson)!["stateEnteredEventDetails"]!["name"]!.GetValue<string>())
            .Where(n => n != "RunQuery")
            .ToList();
        return before is null ? names[^1] : names[names.IndexOf(before) - 1];
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            await Task.Delay(50);
        }
    }
}
