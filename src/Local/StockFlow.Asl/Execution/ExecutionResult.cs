using System.Text.Json.Nodes;
using StockFlow.Asl.History;

namespace StockFlow.Asl.Execution;

public enum ExecutionStatus
{
    Succeeded,
    Failed,
    TimedOut,
    Aborted,
}

/// <summary>How an execution ended and its full event history (earlier runs included after a redrive).</summary>
public sealed record ExecutionResult(
    ExecutionStatus Status,
    JsonNode? Output,
    string? Error,
    string? Cause,
    IReadOnlyList<HistoryEvent> Events,
    int RedriveCount)
{
    /// <summary>AWS's spelling: SUCCEEDED, FAILED, TIMED_OUT, ABORTED.</summary>
    public string StatusName => Status switch
    {
        ExecutionStatus.Succeeded => "SUCCEEDED",
        ExecutionStatus.Failed => "FAILED",
        ExecutionStatus.TimedOut => "TIMED_OUT",
        _ => "ABORTED",
    };
}
