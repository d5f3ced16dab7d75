using System.Diagnostics;
using System.Text.Json.Nodes;
using StockFlow.Analytics.Catalog;
using StockFlow.Analytics.Transform;
using StockFlow.Asl;

namespace StockFlow.Runtime.Local.Bindings;

/// <summary>
/// <c>glue:startJobRun.sync</c>: runs the transform job (the shared SQL on DuckDB) to completion
/// and answers with Glue's JobRun shape, as the .sync integration does. A failed job fails the
/// state with <c>States.TaskFailed</c> and the JobRun (with its ErrorMessage) as the cause, which
/// is what Step Functions reports for a failed Glue job.
/// The job runs incrementally (only the symbols in the <c>--symbols</c> argument, only their new days) once a curated
/// table and its manifest exist, and in full otherwise; <paramref name="forceFullRebuild"/> or the job argument
/// <c>--full_rebuild true</c> forces a full rebuild.
/// </summary>
public sealed class GlueJobBinding(DataDirectory directory, string jobName, TransformOptions transformOptions, TimeProvider clock, bool forceFullRebuild = false) : IResourceBinding
{
    public const string StartJobRunSync = "arn:aws:states:::glue:startJobRun.sync";

    /// <summary>Job argument: JSON array of the symbols ingested by this execution.</summary>
    public const string SymbolsArgument = "--symbols";

    /// <summary>Job argument: "true" recomputes every symbol from all raw files.</summary>
    public const string FullRebuildArgument = "--full_rebuild";

    public IReadOnlyCollection<string> Resources { get; } = [StartJobRunSync];

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
            var result = await TransformJob.RunAsync(directory.BucketRoot, OptionsFor(invocation.Parameters?["Arguments"] as JsonObject), cancellationToken);
            // Glue jobs update the catalog as they write (enableUpdateCatalog); so does this one.
            await LocalCrawler.CrawlAsync(directory.BucketRoot, directory.CatalogDirectory, [CrawlerTarget.DailyMetrics],
                clock: clock, cancellationToken: cancellationToken);
            Complete("SUCCEEDED");
            jobRun["ExecutionTime"] = (int)Math.Ceiling(stopwatch.Elapsed.TotalSeconds);
            // Not in Glue's JobRun: what the local job did, for the history and the run summary.
            jobRun["LocalStatistics"] = new JsonObject
            {
                ["RowsRead"] = result.RowsRead,
                ["RowsWritten"] = result.RowsWritten,
                ["RowsExcluded"] = result.RowsExcluded,
                ["Symbols"] = result.Symbols.Count,
                ["Mode"] = result.Mode.ToString(),
                ["FullRebuildReason"] = result.FullRebuildReason,
                ["SymbolsAppended"] = result.AppendedSymbols.Count,
                ["SymbolsRebuilt"] = result.RebuiltSymbols.Count,
                ["SymbolsCompacted"] = result.CompactedSymbols.Count,
                ["SymbolsRemoved"] = result.RemovedSymbols.Count,
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

    /// <summary>Incremental over the ingested symbols unless a full rebuild is asked for.</summary>
    private TransformOptions OptionsFor(JsonObject? arguments)
    {
        // The cleaning rules' latest trade date follows the run's clock, as the ingest's does.
        var options = transformOptions with { Clock = clock };
        var full = forceFullRebuild || string.Equals(Argument(arguments, FullRebuildArgument), "true", StringComparison.OrdinalIgnoreCase);
        if (full)
        {
            return options with { Mode = TransformMode.Full };
        }

        return options with { Mode = TransformMode.Incremental, Symbols = ParseSymbols(Argument(arguments, SymbolsArgument)) };
    }

    private static string? Argument(JsonObject? arguments, string name) =>
        arguments?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>Glue job arguments are strings: the state machine passes the symbols as a JSON array text.</summary>
    private static string[]? ParseSymbols(string? json)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(json) is JsonArray array
                ? array.Select(n => n is JsonValue v && v.TryGetValue<string>(out var symbol) ? symbol : throw new FormatException($"not a symbol: {n?.ToJsonString()}")).ToArray()
                : throw new FormatException("not a JSON array");
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException)
        {
            throw new ArgumentException($"Job argument {SymbolsArgument} must be a JSON array of symbols such as [\"AAPL\",\"MSFT\"]; got '{json}' ({e.Message}).", e);
        }
    }
}
