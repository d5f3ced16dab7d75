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
/// </summary>
public sealed class GlueJobBinding(DataDirectory directory, string jobName, TransformOptions transformOptions, TimeProvider clock) : IResourceBinding
{
    public const string StartJobRunSync = "arn:aws:states:::glue:startJobRun.sync";

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
            var result = await TransformJob.RunAsync(directory.BucketRoot, transformOptions, cancellationToken);
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
}
