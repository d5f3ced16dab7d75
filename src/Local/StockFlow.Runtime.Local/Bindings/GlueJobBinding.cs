using System.Diagnostics;
using System.Text.Json.Nodes;
using StockFlow.GlueAthena.Local.Catalog;
using StockFlow.GlueAthena.Local.Transform;
using StockFlow.Asl;
using StockFlow.Functions.Hosting;
using StockFlow.Functions.Lake;

namespace StockFlow.Runtime.Local.Bindings;

/// <summary>
/// <c>glue:startJobRun.sync</c>: runs the transform job (the shared SQL on DuckDB) to completion
/// and answers with Glue's JobRun shape, as the .sync integration does. A failed job fails the
/// state with <c>States.TaskFailed</c> and the JobRun (with its ErrorMessage) as the cause, which
/// is what Step Functions reports for a failed Glue job.
/// The job runs incrementally once a curated table and its manifest exist, and in full otherwise;
/// <paramref name="forceFullRebuild"/> or the job argument <c>--full_rebuild true</c> forces a full rebuild.
/// Incrementally, it compares every symbol's raw files with the manifest of the last transform (sizes and times
/// of one listing), so a symbol an earlier failed run left behind is caught up too. The symbols the ingest changed
/// come as a lake key (<c>--changed_symbols_key</c>, what the Glue job overwrites on AWS); here they are checked to
/// exist and counted in the job's statistics.
/// </summary>
public sealed class GlueJobBinding(DataDirectory directory, string jobName, TransformOptions transformOptions, TimeProvider clock, bool forceFullRebuild = false) : IResourceBinding
{
    /// <summary>Runs a job and waits for it (the <c>.sync</c> integration).</summary>
    public const string StartJobRunSync = "arn:aws:states:::glue:startJobRun.sync";

    /// <summary>Job argument: lake key of the JSON array of symbols whose raw prices this execution changed.</summary>
    public const string ChangedSymbolsKeyArgument = "--changed_symbols_key";

    /// <summary>Job argument: the execution the job runs for; its statistics go under that run's keys.</summary>
    public const string ExecutionNameArgument = "--execution_name";

    /// <summary>Job argument: "true" recomputes every symbol from all raw files.</summary>
    public const string FullRebuildArgument = "--full_rebuild";

    /// <inheritdoc/>
    public IReadOnlyCollection<string> Resources { get; } = [StartJobRunSync];

    /// <inheritdoc/>
    public async Task<JsonNode?> InvokeAsync(TaskInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var requested = AwsShapes.RequiredString(invocation.Parameters, "JobName", invocation.Resource);
        if (!string.Equals(requested, jobName, StringComparison.Ordinal))
        {
            throw new StatesErrorException("Glue.EntityNotFoundException", $"Job {requested} not found (local job: {jobName}).");
        }

        var started = clock.GetUtcNow();
        var runId = "jr_" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        var stopwatch = Stopwatch.StartNew();
        var jobRun = new JsonObject
        {
            ["Id"] = runId,
            ["Attempt"] = 0,
            ["JobName"] = jobName,
            ["JobMode"] = "SCRIPT",
            ["StartedOn"] = AwsShapes.Timestamp(started),
            ["Arguments"] = invocation.Parameters?["Arguments"]?.DeepClone() ?? new JsonObject(),
            ["GlueVersion"] = "5.0",
            ["WorkerType"] = "G.1X",
            ["NumberOfWorkers"] = 2,
        };
        try
        {
            var arguments = invocation.Parameters?["Arguments"] as JsonObject;
            var changed = ChangedSymbols(Argument(arguments, ChangedSymbolsKeyArgument));
            var result = await TransformJob.RunAsync(directory.BucketRoot, OptionsFor(arguments), cancellationToken);
            var catalogStarted = stopwatch.Elapsed;
            // Glue jobs update the catalog as they write (enableUpdateCatalog); so does this one.
            await LocalCrawler.CrawlAsync(directory.BucketRoot, directory.CatalogDirectory, [CrawlerTarget.DailyMetrics],
                clock: clock, cancellationToken: cancellationToken, writtenFiles: CuratedCatalogFiles.Of(directory.BucketRoot));
            await WriteStatisticsAsync(Argument(arguments, ExecutionNameArgument), result, cancellationToken);
            Complete("SUCCEEDED");
            jobRun["ExecutionTime"] = (int)Math.Ceiling(stopwatch.Elapsed.TotalSeconds);
            // Not in Glue's JobRun: what the local job did, for the history and the run summary.
            jobRun["LocalStatistics"] = new JsonObject
            {
                ["RowsRead"] = result.RowsRead,
                ["RowsWritten"] = result.RowsWritten,
                ["RowsExcluded"] = result.RowsExcluded,
                ["Symbols"] = result.Symbols.Count,
                ["SymbolsChangedByIngest"] = changed?.Length,
                ["Mode"] = result.Mode.ToString(),
                ["FullRebuildReason"] = result.FullRebuildReason,
                ["SymbolsAppended"] = result.AppendedSymbols.Count,
                ["SymbolsRebuilt"] = result.RebuiltSymbols.Count,
                ["SymbolsCompacted"] = result.CompactedSymbols.Count,
                ["SymbolsRemoved"] = result.RemovedSymbols.Count,
                // Where the job's time went (seconds per stage), for the benchmarks and anyone asking why a run was slow.
                ["StageSeconds"] = StageSeconds(result, stopwatch.Elapsed - catalogStarted),
            };
            return jobRun;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Complete("FAILED");
            jobRun["ErrorMessage"] = ex.Message;
            throw new StatesErrorException(StatesErrors.TaskFailed, jobRun.ToJsonString(), ex);
        }

        void Complete(string state)
        {
            var now = clock.GetUtcNow();
            jobRun["JobRunState"] = state;
            jobRun["CompletedOn"] = AwsShapes.Timestamp(now);
            jobRun["LastModifiedOn"] = AwsShapes.Timestamp(now);
            jobRun["ExecutionTime"] = (int)Math.Ceiling(stopwatch.Elapsed.TotalSeconds);
        }
    }

    private static JsonObject StageSeconds(TransformResult result, TimeSpan catalog)
    {
        var stages = new JsonObject();
        foreach (var (stage, elapsed) in result.StageTimings)
        {
            stages[stage] = Math.Round(elapsed.TotalSeconds, 3);
        }

        stages["catalog"] = Math.Round(catalog.TotalSeconds, 3);
        return stages;
    }

    /// <summary>The job's counts where the report reads them, as the Glue job writes them on AWS (same key, same fields).</summary>
    private async Task WriteStatisticsAsync(string? executionName, TransformResult result, CancellationToken cancellationToken)
    {
        if (executionName is null)
        {
            return;
        }

        var statistics = new TransformJobStatistics(
            ExecutionNames.Validate(executionName),
            result.Mode.ToString().ToLowerInvariant(),
            result.Symbols,
            result.RowsRead,
            result.RowsWritten,
            result.RowsExcluded,
            result.ExcludedByReason);
        var path = directory.PathOf(TransformJobStatistics.Key(statistics.ExecutionName));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(statistics, HandlerJson.TypeInfo<TransformJobStatistics>()), cancellationToken);
    }

    /// <summary>Incremental over every symbol unless a full rebuild is asked for.</summary>
    private TransformOptions OptionsFor(JsonObject? arguments)
    {
        // The cleaning rules' latest trade date follows the run's clock, as the ingest's does.
        var options = transformOptions with { Clock = clock };
        var full = forceFullRebuild || string.Equals(Argument(arguments, FullRebuildArgument), "true", StringComparison.OrdinalIgnoreCase);
        return options with { Mode = full ? TransformMode.Full : TransformMode.Incremental, Symbols = null };
    }

    private static string? Argument(JsonObject? arguments, string name) =>
        arguments?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>The changed symbols the ingest wrote to the lake (a JSON array of strings), or null without the argument.</summary>
    private string[]? ChangedSymbols(string? key)
    {
        if (key is null)
        {
            return null;
        }

        var path = directory.PathOf(key);
        if (!File.Exists(path))
        {
            throw new ArgumentException($"Job argument {ChangedSymbolsKeyArgument} names {key}, which is not in the lake.");
        }

        try
        {
            return JsonNode.Parse(File.ReadAllBytes(path)) is JsonArray array
                ? array.Select(n => n is JsonValue v && v.TryGetValue<string>(out var symbol) ? symbol : throw new FormatException($"not a symbol: {n?.ToJsonString()}")).ToArray()
                : throw new FormatException("not a JSON array");
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException)
        {
            throw new ArgumentException($"{key} (job argument {ChangedSymbolsKeyArgument}) must hold a JSON array of symbols: {e.Message}", e);
        }
    }
}
