using System.Text.Json.Nodes;

namespace StockFlow.Runtime.Local;

/// <summary>How a local execution ended, as <c>DescribeExecution</c> would tell it.</summary>
/// <param name="ExecutionArn">The execution's ARN.</param>
/// <param name="Name">The execution name.</param>
/// <param name="Status"><c>SUCCEEDED</c>, <c>FAILED</c>, <c>TIMED_OUT</c> or <c>ABORTED</c>.</param>
/// <param name="Output">The output of a succeeded execution; null otherwise.</param>
/// <param name="Error">The error name when it did not succeed; null otherwise.</param>
/// <param name="Cause">The cause that goes with <paramref name="Error"/>.</param>
/// <param name="Elapsed">Wall-clock time this process spent running it.</param>
public sealed record ExecutionOutcome(
    string ExecutionArn,
    string Name,
    string Status,
    JsonNode? Output,
    string? Error,
    string? Cause,
    TimeSpan Elapsed)
{
    /// <summary>True when <c>Status</c> is <c>SUCCEEDED</c>.</summary>
    public bool Succeeded => Status == "SUCCEEDED";
}

/// <summary>
/// One history event as it happens, for progress output; or, with <see cref="MapRun"/> set (Type
/// <see cref="MapRunProgressType"/>, Id 0, not a history event), a Distributed Map run's counts, sent a few times a second.
/// </summary>
/// <param name="Id">The history event id; 0 for Map progress.</param>
/// <param name="PreviousEventId">The event this one follows; 0 for the first event and for Map progress.</param>
/// <param name="Type">The event type, e.g. <c>TaskStateEntered</c>, or <see cref="MapRunProgressType"/>.</param>
/// <param name="Timestamp">When it happened.</param>
/// <param name="Details">The event's details, as GetExecutionHistory gives them.</param>
public sealed record ExecutionProgressEvent(long Id, long PreviousEventId, string Type, DateTimeOffset Timestamp, JsonObject Details)
{
    /// <summary>The <c>Type</c> of a progress event that carries <see cref="MapRun"/> counts.</summary>
    public const string MapRunProgressType = "MapRunProgress";

    /// <summary>A Distributed Map run's counts; null for a history event.</summary>
    public Asl.Distributed.MapRunRecord? MapRun { get; init; }

    /// <summary>True for a history event (recorded, shown by <c>--history</c>); false for Map progress.</summary>
    public bool IsHistoryEvent => MapRun is null;
}

/// <summary>
/// How <see cref="LocalPipeline"/> runs the pipeline (<c>stockflow run</c>, <c>rerun</c>, <c>redrive</c>): which definition,
/// at what speed, with which provider and fan-out settings. A new instance holds the defaults each property names.
/// </summary>
public sealed class LocalPipelineOptions
{
    /// <summary>A definition file to run instead of the shipped <c>statemachine/pipeline.asl.json</c> (embedded in this
    /// assembly). Default null: the shipped definition.</summary>
    public string? DefinitionPath { get; init; }

    /// <summary>Multiplies every Wait state and retry back-off: 0 fast-forwards them, 1 is real time. Default 0, so a
    /// local run never sleeps (the CLI's <c>--wait-scale</c> sets it).</summary>
    public double WaitScale { get; init; }

    /// <summary>The clock executions, the lake lock and the handlers read. Default <see cref="TimeProvider.System"/>;
    /// tests pass a fake one.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Provider settings (base URLs, API keys, rate limits, retries). Default null: the built-in defaults and
    /// the <c>STOCKFLOW_*</c> environment variables, without a configuration file (the CLI passes what
    /// <see cref="StockFlowConfiguration.Load"/> read from <c>--config</c>).</summary>
    public Providers.ProviderOptions? ProviderOptions { get; init; }

    /// <summary>Plan defaults: the provider, the history of a new symbol, the ingest fan-out and the request budget
    /// (configuration section <c>Pipeline</c>). Default null: a new <see cref="Functions.Plan.PlanDefaults"/> (8 batches
    /// at once, 50 symbols a batch, 10 % failed batches tolerated, 2 requests/s).</summary>
    public Functions.Plan.PlanDefaults? Plan { get; init; }

    /// <summary>Memory limit of each local DuckDB database (transform, analysis queries, crawler schema reader), as
    /// DuckDB writes sizes ("512MB", "2GB", "1.5GiB"); beyond it the transform spills to <c>&lt;data-dir&gt;/tmp</c>.
    /// Default <see cref="PipelineSettings.DefaultDuckDbMemoryLimit"/> ("2GB"); null keeps DuckDB's own default (80 % of
    /// the machine's RAM).</summary>
    public string? DuckDbMemoryLimit { get; init; } = PipelineSettings.DefaultDuckDbMemoryLimit;
}
