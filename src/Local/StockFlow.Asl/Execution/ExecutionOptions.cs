using StockFlow.Asl.Distributed;
using StockFlow.Asl.History;

namespace StockFlow.Asl.Execution;

/// <summary>How one execution runs: task bindings, clock, speed, identity for the context object, event sink, limits.
/// A new instance holds the defaults each property names (real-time waits, AWS's limits, an account of example IDs).</summary>
public sealed class ExecutionOptions
{
    /// <summary>AWS's cap on events in one execution history.</summary>
    public const int AwsMaxHistoryEvents = 25_000;

    /// <summary>Runs the Task states. Default null: a Task state then fails with <c>States.Runtime</c> (machines without tasks need none).</summary>
    public ITaskInvoker? TaskInvoker { get; init; }

    /// <summary>The clock for timestamps, Wait states, retry delays and timeouts. Default <see cref="TimeProvider.System"/>; tests pass a fake one.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Multiplies Wait durations and retry back-offs: 1 = real time (the default), 0 = fast-forward.</summary>
    public double WaitScale { get; init; } = 1.0;

    /// <summary><c>$$.Execution.Name</c> and the last part of the execution ARN. Default: a new GUID (32 hex digits).</summary>
    public string ExecutionName { get; init; } = Guid.NewGuid().ToString("N");

    /// <summary><c>$$.Execution.Id</c>. Default null: <c>arn:aws:states:{Region}:{AccountId}:execution:{StateMachineName}:{ExecutionName}</c>.</summary>
    public string? ExecutionArn { get; init; }

    /// <summary><c>$$.StateMachine.Name</c>, and part of the ARNs built when none are given. Default <c>StateMachine</c>.</summary>
    public string StateMachineName { get; init; } = "StateMachine";

    /// <summary><c>$$.StateMachine.Id</c>. Default null: <c>arn:aws:states:{Region}:{AccountId}:stateMachine:{StateMachineName}</c>.</summary>
    public string? StateMachineArn { get; init; }

    /// <summary><c>$$.Execution.RoleArn</c> and the ExecutionStarted event's roleArn. Default null: <c>arn:aws:iam::{AccountId}:role/StepFunctionsRole</c> in the context object.</summary>
    public string? RoleArn { get; init; }

    /// <summary>The region in built ARNs and TaskScheduled events (unless the resource names one). Default <c>us-east-1</c>.</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>The account in built ARNs. Default <c>123456789012</c> (AWS's documentation account).</summary>
    public string AccountId { get; init; } = "123456789012";

    /// <summary>Receives each history event as it is recorded (for live output or a store). Default null: events are only in the <see cref="ExecutionResult"/>.</summary>
    public IExecutionEventSink? EventSink { get; init; }

    /// <summary>
    /// The recorded events of a FAILED, TIMED_OUT, ABORTED or interrupted (no terminal event) execution of the
    /// same definition: the run resumes it (redrive) instead of starting afresh. Default null: a new execution.
    /// </summary>
    public IReadOnlyList<HistoryEvent>? RedriveFrom { get; init; }

    /// <summary>Upper bound on iterations/branches running at once (Map MaxConcurrency 0 means "up to this"). Default 40.</summary>
    public int MaxConcurrency { get; init; } = 40;

    /// <summary>
    /// The history cap (default <see cref="AwsMaxHistoryEvents"/>): AWS fails an execution whose history reaches 25,000
    /// events, and so does this interpreter (with <c>States.Runtime</c>).
    /// </summary>
    public int MaxHistoryEvents { get; init; } = AwsMaxHistoryEvents;

    /// <summary>Object store behind Distributed Map ItemReader/ResultWriter. Default null: a Map that reads or writes the store fails.</summary>
    public IItemReaderStore? ItemStore { get; init; }

    /// <summary>
    /// Where Distributed Map runs and their child executions are recorded (live counts, failed items, redrive
    /// of only the unsuccessful children). Null keeps nothing: a redrive then runs the whole Map Run again.
    /// </summary>
    public IMapRunStore? MapRunStore { get; init; }

    /// <summary>Source of jitter for JitterStrategy FULL; fixed in tests. Default null: <see cref="System.Random.Shared"/>.</summary>
    public Random? Random { get; init; }

    internal string ResolvedStateMachineArn =>
        StateMachineArn ?? $"arn:aws:states:{Region}:{AccountId}:stateMachine:{StateMachineName}";

    internal string ResolvedExecutionArn =>
        ExecutionArn ?? $"arn:aws:states:{Region}:{AccountId}:execution:{StateMachineName}:{ExecutionName}";
}
