using System.Text.Json.Nodes;

namespace StockFlow.Runtime.Local;

/// <summary>How a local execution ended, as <c>DescribeExecution</c> would tell it.</summary>
public sealed record ExecutionOutcome(
    string ExecutionArn,
    string Name,
    string Status,
    JsonNode? Output,
    string? Error,
    string? Cause,
    TimeSpan Elapsed)
{
    public bool Succeeded => Status == "SUCCEEDED";
}

/// <summary>
/// One history event as it happens, for progress output; or, with <see cref="MapRun"/> set (Type
/// <see cref="MapRunProgressType"/>, Id 0, not a history event), a Distributed Map run's counts, sent a few times a second.
/// </summary>
public sealed record ExecutionProgressEvent(long Id, long PreviousEventId, string Type, DateTimeOffset Timestamp, JsonObject Details)
{
    public const string MapRunProgressType = "MapRunProgress";

    public Asl.Distributed.MapRunRecord? MapRun { get; init; }

    public bool IsHistoryEvent => MapRun is null;
}

public sealed class LocalPipelineOptions
{
    /// <summary>A definition file to run instead of the shipped pipeline.asl.json.</summary>
    public string? DefinitionPath { get; init; }

    /// <summary>0 fast-forwards Wait states and retry back-offs; 1 is real time.</summary>
    public double WaitScale { get; init; }

    /// <summary>The clock executions see; tests pass a fake one.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Provider settings (base URLs, rate limits); null reads the environment and config file.</summary>
    public Providers.ProviderOptions? ProviderOptions { get; init; }

    /// <summary>Plan defaults: the ingest fan-out and request budget (configuration section <c>Pipeline</c>); null = built-in defaults.</summary>
    public Functions.Plan.PlanDefaults? Plan { get; init; }

    /// <summary>DuckDB memory limit of each local DuckDB database (transform, queries, crawler), e.g. "2GB"; null keeps DuckDB's default (80% of RAM).</summary>
    public string? DuckDbMemoryLimit { get; init; } = PipelineSettings.DefaultDuckDbMemoryLimit;
}
