using System.Text.Json.Nodes;
using StockFlow.Core.Lake;
using StockFlow.Functions.Hosting;
using StockFlow.Functions.Locking;
using StockFlow.Functions.Tests.Lake;
using StockFlow.Storage;
using StockFlow.Storage.Tests;

namespace StockFlow.Functions.Tests.Handlers;

/// <summary>The lock function's rules, once per real store (the local lake and S3 on s3rver, whose conditional requests it needs).</summary>
public abstract class LakeLockHandlerTests : IAsyncLifetime
{
    private TestLake? _lake;

    private TestLake Lake => _lake ?? throw new InvalidOperationException("The lake is created in InitializeAsync.");

    protected abstract Task<TestLake> CreateLakeAsync();

    public async Task InitializeAsync() => _lake = await CreateLakeAsync();

    public async Task DisposeAsync()
    {
        if (_lake is not null)
        {
            await _lake.DisposeAsync();
        }
    }

    private LakeLockHandler Handler() => new(Lake.Store, Lake.Clock);

    private JsonNode Acquire(string execution, DateTimeOffset? start = null) => JsonNode.Parse($$"""
        {"action":"acquire","bucket":"{{Lake.Bucket}}","executionName":"{{execution}}",
         "executionStartTime":"{{(start ?? Lake.Clock.GetUtcNow()):O}}","staleAfterSeconds":3600}
        """)!;

    private JsonNode Release(string execution) =>
        JsonNode.Parse($$"""{"action":"release","bucket":"{{Lake.Bucket}}","executionName":"{{execution}}"}""")!;

    [Fact]
    public async Task The_first_execution_gets_the_lake_a_second_is_refused_by_name_until_the_first_releases()
    {
        var acquired = await Handler().HandleAsync(Acquire("run-a"), CancellationToken.None);
        Assert.Equal("run-a", acquired!["holder"]!.GetValue<string>());

        var busy = await Assert.ThrowsAsync<LakeBusyException>(() => Handler().HandleAsync(Acquire("run-b"), CancellationToken.None));
        Assert.Contains("in use by execution run-a", busy.Message, StringComparison.Ordinal);
        Assert.Contains("taken over after", busy.Message, StringComparison.Ordinal);

        // Only the holder can release: run-b's release is a no-op naming the holder.
        var notMine = await Handler().HandleAsync(Release("run-b"), CancellationToken.None);
        Assert.False(notMine!["released"]!.GetValue<bool>());
        Assert.Equal("run-a", notMine["heldBy"]!.GetValue<string>());

        Assert.True((await Handler().HandleAsync(Release("run-a"), CancellationToken.None))!["released"]!.GetValue<bool>());
        Assert.Equal("run-b", (await Handler().HandleAsync(Acquire("run-b"), CancellationToken.None))!["holder"]!.GetValue<string>());
    }

    private JsonNode FailOrResume(string execution, string failedState, int failedAtRedrive, int redriveCount, string cause) =>
        new JsonObject
        {
            ["action"] = "failOrResume",
            ["bucket"] = Lake.Bucket,
            ["executionName"] = execution,
            ["staleAfterSeconds"] = 3600,
            ["error"] = new JsonObject { ["Error"] = "SymbolNotFoundException", ["Cause"] = cause },
            ["failedState"] = failedState,
            ["failedAtRedrive"] = failedAtRedrive,
            ["redriveCount"] = redriveCount,
        };

    [Fact]
    public async Task Fail_or_resume_raises_the_caught_error_under_its_own_name_in_the_pass_that_failed()
    {
        var lambdaCause = """{"errorMessage":"No prices for ZZZZ.","errorType":"SymbolNotFoundException","stackTrace":["at X"]}""";

        var failed = await Assert.ThrowsAsync<PipelineFailedException>(() => Handler().HandleAsync(FailOrResume("run-a", "Transform", 0, 0, lambdaCause), CancellationToken.None));

        Assert.Equal("SymbolNotFoundException", FunctionErrorNames.Of(failed));
        Assert.Equal("No prices for ZZZZ.", failed.Message); // unwrapped, not a document inside a document
        Assert.Null(await Handler().HolderAsync(Lake.Bucket, CancellationToken.None));
        var plain = await Assert.ThrowsAsync<PipelineFailedException>(() => Handler().HandleAsync(FailOrResume("run-a", "Transform", 1, 1, "{not json"), CancellationToken.None));
        Assert.Equal("{not json", plain.Message);
    }

    [Fact]
    public async Task Fail_or_resume_in_a_redrive_takes_the_lake_back_and_names_the_state_to_resume_at()
    {
        var resumed = await Handler().HandleAsync(FailOrResume("run-a", "Transform", 0, 1, "boom"), CancellationToken.None);

        Assert.Equal("Transform", resumed!["resumeAt"]!.GetValue<string>());
        Assert.Equal("run-a", (await Handler().HolderAsync(Lake.Bucket, CancellationToken.None))?.Execution);
        // While another execution holds the lake, the redrive waits (the definition retries LakeBusyException).
        await Handler().HandleAsync(Release("run-a"), CancellationToken.None);
        await Handler().HandleAsync(Acquire("run-b"), CancellationToken.None);
        await Assert.ThrowsAsync<LakeBusyForRedriveException>(() => Handler().HandleAsync(FailOrResume("run-a", "Transform", 1, 2, "boom"), CancellationToken.None));
    }

    [Fact]
    public async Task Fail_or_resume_without_a_state_to_resume_at_fails_again_in_every_redrive()
    {
        var again = await Assert.ThrowsAsync<PipelineFailedException>(() => Handler().HandleAsync(FailOrResume("run-a", "", 0, 3, "nothing to redo"), CancellationToken.None));

        Assert.Equal("SymbolNotFoundException", again.ErrorName);
        Assert.Null(await Handler().HolderAsync(Lake.Bucket, CancellationToken.None));
    }

    [Fact]
    public async Task Acquiring_again_as_the_holder_succeeds_as_after_a_lost_answer_or_a_redrive()
    {
        await Handler().HandleAsync(Acquire("run-a"), CancellationToken.None);

        var again = await Handler().HandleAsync(Acquire("run-a"), CancellationToken.None);

        Assert.Equal("run-a", again!["holder"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_lock_past_its_holders_timeout_or_unreadable_is_taken_over()
    {
        await Handler().HandleAsync(Acquire("run-old", Lake.Clock.GetUtcNow().AddHours(-2)), CancellationToken.None);

        var taken = await Handler().HandleAsync(Acquire("run-new"), CancellationToken.None);
        Assert.Equal("run-old", taken!["takenOverFrom"]!.GetValue<string>());

        await Lake.Store.DeleteAsync(Lake.Bucket, LakeKeys.PipelineLock);
        await Lake.Store.PutTextAsync(Lake.Bucket, LakeKeys.PipelineLock, "{ not json");
        var fromGarbage = await Handler().HandleAsync(Acquire("run-next"), CancellationToken.None);
        Assert.Equal("an unreadable lock", fromGarbage!["takenOverFrom"]!.GetValue<string>());
    }

    [Fact]
    public async Task Releasing_a_free_lake_is_a_no_op_and_bad_payloads_are_named()
    {
        Assert.False((await Handler().HandleAsync(Release("run-a"), CancellationToken.None))!["released"]!.GetValue<bool>());
        await Assert.ThrowsAsync<InvalidPayloadException>(() => Handler().HandleAsync(
            JsonNode.Parse($$"""{"action":"grab","bucket":"{{Lake.Bucket}}","executionName":"run-a"}"""), CancellationToken.None));
        await Assert.ThrowsAsync<InvalidPayloadException>(() => Handler().HandleAsync(
            JsonNode.Parse($$"""{"action":"acquire","bucket":"{{Lake.Bucket}}","executionName":"run-a"}"""), CancellationToken.None));
        await Assert.ThrowsAsync<InvalidExecutionNameException>(() => Handler().HandleAsync(
            JsonNode.Parse($$"""{"action":"release","bucket":"{{Lake.Bucket}}","executionName":"../x"}"""), CancellationToken.None));
    }
}

public sealed class FileSystemLakeLockHandlerTests : LakeLockHandlerTests
{
    protected override Task<TestLake> CreateLakeAsync() => TestLake.FileSystemAsync();
}

[Collection(S3ServerCollection.Name)]
public sealed class S3LakeLockHandlerTests(S3ServerFixture server) : LakeLockHandlerTests
{
    protected override Task<TestLake> CreateLakeAsync() => TestLake.S3Async(server);
}
