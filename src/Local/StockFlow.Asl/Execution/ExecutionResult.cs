using System.Text.Json.Nodes;
using StockFlow.Asl.History;

namespace StockFlow.Asl.Execution;

/// <summary>How an execution ended (see <see cref="ExecutionResult.StatusName"/> for AWS's spelling).</summary>
public enum ExecutionStatus
{
    /// <summary>The machine reached a Succeed state or an End; <see cref="ExecutionResult.Output"/> holds its output.</summary>
    Succeeded,
    /// <summary>An error no Catch handled; <see cref="ExecutionResult.Error"/> and <see cref="ExecutionResult.Cause"/> say which.</summary>
    Failed,
    /// <summary>The execution ran longer than the machine's TimeoutSeconds (error <c>States.Timeout</c>).</summary>
    TimedOut,
    /// <summary>The execution was stopped (cancelled) before it ended.</summary>
    Aborted,
}

/// <summary>How an execution ended and its full event history (earlier runs included after a redrive).</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Output">The output when <see cref="ExecutionStatus.Succeeded"/>; null otherwise.</param>
/// <param name="Error">The error name when it failed or timed out; null when it succeeded or was aborted, and when a Fail state gave none.</param>
/// <param name="Cause">The cause that goes with <paramref name="Error"/>; null when there is none.</param>
/// <param name="Events">Every event in id order, the terminal one last.</param>
/// <param name="RedriveCount">How often the execution has been redriven (0 for a first run).</param>
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
