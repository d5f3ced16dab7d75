using StockFlow.Asl.Distributed;
using StockFlow.Asl.History;

namespace StockFlow.Asl.Execution;

/// <summary>How one execution runs: task bindings, clock, speed, identity for the context object, event sink, limits.
/// A new instance holds the defaults each property names (real-time waits, AWS's limits, an account of example IDs).</summary>
public sealed class ExecutionOptions
{
    /// <summary>AWS's cap on events in one execution history.</summary>
    public const int AwsMaxHistoryEvents = 25_000;

    /// <summary>Runs the Task states' resources. Default null: a Task state fails with <c>States.Runtime</c>.</summary>
    public ITaskInvoker? TaskInvoker { get; init; }

    /// <summary>The clock of Wait states, timeouts, timestamps and the context object. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Multiplies Wait durations and retry back-offs: 1 = real time, 0 = fast-forward. Default 1.</summary>
    public double WaitScale { get; init; } = 1.0;

    /// <summary>The execution's name (<c>$$.Execution.Name</c>). Default a new GUID's 32 hex digits.</summary>
    public string ExecutionName { get; init; } = Guid.NewGuid().ToString("N");

    /// <summary>Defaults to an ARN built from <see cref="StateMachineArn"/> and <see cref="ExecutionName"/>.</summary>
    public string? ExecutionArn { get; init; }

    /// <summary>The state machine's name (<c>$$.StateMachine.Name</c>). Default <c>"StateMachine"</c>.</summary>
    public string StateMachineName { get; init; } = "StateMachine";

    /// <summary>Default null: an ARN built from <see cref="Region"/>, <see cref="AccountId"/> and <see cref="StateMachineName"/>.</summary>
    public string? StateMachineArn { get; init; }

    /// <summary>The execution role's ARN (<c>$$.Execution.RoleArn</c>). Default null.</summary>
    public string? RoleArn { get; init; }

    /// <summary>The region in the ARNs built by default. Default <c>"us-east-1"</c>.</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>The account in the ARNs built by default. Default <c>"123456789012"</c>, AWS's documentation example.</summary>
    public string AccountId { get; init; } = "123456789012";

    /// <summary>Receives every history event as it is recorded (progress output, the console). Default null: none.</summary>
    public IExecutionEventSink? EventSink { get; init; }

    /// <summary>
    /// The recorded events of a FAILED, TIMED_OUT, ABORTED or interrupted (no terminal event) execution of the
    /// same definition: the run resumes it (redrive) instead of starting afresh.
    /// </summary>
    public IReadOnlyList<HistoryEvent>? RedriveFrom { get; init; }

    /// <summary>Upper bound on iterations/branches running at once (Map MaxConcurrency 0 means "up to this"). Default 40.</summary>
    public int MaxConcurrency { get; init; } = 40;

    /// <summary>The history cap, in events; AWS fails an execution whose history reaches 25,000 events. Default
    /// <see cref="AwsMaxHistoryEvents"/>.</summary>
    public int MaxHistoryEvents { get; init; } = AwsMaxHistoryEvents;

    /// <summary>Object store behind Distributed Map ItemReader/ResultWriter. Default null: a Map state that reads or
    /// writes one fails.</summary>
    public IItemReaderStore? ItemStore { get; init; }

    /// <summary>
    /// Where Distributed Map runs and their child executions are recorded (live counts, failed items, redrive
    /// of only the unsuccessful children). Null keeps nothing: a redrive then runs the whole Map Run again.
    /// </summary>
    public IMapRunStore? MapRunStore { get; init; }

    /// <summary>Source of jitter for JitterStrategy FULL; fixed in tests. Default null: a shared random source.</summary>
    public Random? Random { get; init; }

    internal string ResolvedStateMachineArn =>
        StateMachineArn ?? $"arn:aws:states:{Region}:{AccountId}:stateMachine:{StateMachineName}";

    internal string ResolvedExecutionArn =>
        ExecutionArn ?? $"arn:aws:states:{Region}:{AccountId}:execution:{StateMachineName}:{ExecutionName}";
}
