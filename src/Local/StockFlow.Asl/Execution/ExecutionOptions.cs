using StockFlow.Asl.Distributed;
using StockFlow.Asl.History;

namespace StockFlow.Asl.Execution;

/// <summary>How one execution runs: task bindings, clock, speed, identity for the context object, event sink, limits.</summary>
public sealed class ExecutionOptions
{
    /// <summary>AWS's cap on events in one execution history.</summary>
    public const int AwsMaxHistoryEvents = 25_000;

    public ITaskInvoker? TaskInvoker { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Multiplies Wait durations and retry back-offs: 1 = real time, 0 = fast-forward.</summary>
    public double WaitScale { get; init; } = 1.0;

    public string ExecutionName { get; init; } = Guid.NewGuid().ToString("N");

    /// <summary>Defaults to an ARN built from <see cref="StateMachineArn"/> and <see cref="ExecutionName"/>.</summary>
    public string? ExecutionArn { get; init; }

    public string StateMachineName { get; init; } = "StateMachine";

    public string? StateMachineArn { get; init; }

    public string? RoleArn { get; init; }

    public string Region { get; init; } = "us-east-1";

    public string AccountId { get; init; } = "123456789012";

    public IExecutionEventSink? EventSink { get; init; }

    /// <summary>
    /// The recorded events of a FAILED, TIMED_OUT, ABORTED or interrupted (no terminal event) execution of the
    /// same definition: the run resumes it (redrive) instead of starting afresh.
    /// </summary>
    public IReadOnlyList<HistoryEvent>? RedriveFrom { get; init; }

    /// <summary>Upper bound on iterations/branches running at once (Map MaxConcurrency 0 means "up to this").</summary>
    public int MaxConcurrency { get; init; } = 40;

    /// <summary>The history cap; AWS fails an execution whose history reaches 25,000 events.</summary>
    public int MaxHistoryEvents { get; init; } = AwsMaxHistoryEvents;

    /// <summary>Object store behind Distributed Map ItemReader/ResultWriter.</summary>
    public IItemReaderStore? ItemStore { get; init; }

    /// <summary>
    /// Where Distributed Map runs and their child executions are recorded (live counts, failed items, redrive
    /// of only the unsuccessful children). Null keeps nothing: a redrive then runs the whole Map Run again.
    /// </summary>
    public IMapRunStore? MapRunStore { get; init; }

    /// <summary>Source of jitter for JitterStrategy FULL; fixed in tests.</summary>
    public Random? Random { get; init; }

    internal string ResolvedStateMachineArn =>
        StateMachineArn ?? $"arn:aws:states:{Region}:{AccountId}:stateMachine:{StateMachineName}";

    internal string ResolvedExecutionArn =>
        ExecutionArn ?? $"arn:aws:states:{Region}:{AccountId}:execution:{StateMachineName}:{ExecutionName}";
}
