using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using StockFlow.Asl;
using StockFlow.Asl.Distributed;
using StockFlow.Asl.Execution;
using StockFlow.Asl.History;
using StockFlow.Asl.Model;
using StockFlow.Runtime.Local.Definitions;
using StockFlow.Runtime.Local.Executions;

namespace StockFlow.Runtime.Local;

/// <summary>
/// Runs an ASL definition with the local bindings and, when a store is given, persists the
/// execution and each history event as it happens (so `executions`, `redrive` and the console
/// see it, and a killed process leaves a redrivable history). Stop requests from another
/// process are honoured by polling the store.
/// </summary>
public sealed class LocalExecutionEngine(ITaskInvoker invoker, ExecutionStore? store, ExecutionDefaults defaults)
{
    /// <summary>Starts a new execution of <paramref name="definitionJson"/> and runs it to its end.</summary>
    /// <param name="definitionJson">The ASL definition, placeholders already substituted.</param>
    /// <param name="input">The execution input; may be null.</param>
    /// <param name="executionName">The execution name; null generates one with <see cref="NewExecutionName"/>.</param>
    /// <param name="onEvent">Called with each history event as it is recorded and with Distributed Map progress; may be called from several threads.</param>
    /// <param name="cancellationToken">Aborts the execution (recorded as <c>ABORTED</c>).</param>
    public async Task<ExecutionOutcome> StartAsync(
        string definitionJson,
        JsonNode? input,
        string? executionName,
        Action<ExecutionProgressEvent>? onEvent,
        CancellationToken cancellationToken)
    {
        var definition = StateMachineDefinition.Parse(definitionJson);
        var name = executionName ?? NewExecutionName(defaults.Clock);
        var executionArn = LocalResourceNames.ExecutionArn(defaults.StateMachineName, name);
        store?.CreateExecution(new ExecutionRecord(
            executionArn, name, LocalResourceNames.StateMachineArn(defaults.StateMachineName), definitionJson,
            input?.ToJsonString(), defaults.Clock.GetUtcNow(), defaults.DataDir));
        return await ExecuteAsync(definition, input, name, executionArn, null, onEvent, cancellationToken);
    }

    /// <summary>
    /// Redrives a failed, timed-out or aborted execution as <c>RedriveExecution</c> does: states that succeeded keep their
    /// results, the execution resumes at the states that did not finish, and the redrive count goes up by one.
    /// </summary>
    /// <param name="execution">The recorded execution, from <see cref="ExecutionStore.Find"/>.</param>
    /// <param name="onEvent">Called with each new history event and with Distributed Map progress.</param>
    /// <param name="cancellationToken">Aborts the execution.</param>
    /// <exception cref="InvalidOperationException">The engine has no execution store.</exception>
    /// <exception cref="ExecutionNotRedrivableException">The execution succeeded or is still running.</exception>
    public async Task<ExecutionOutcome> RedriveAsync(ExecutionDetails execution, Action<ExecutionProgressEvent>? onEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(execution);
        if (store is null)
        {
            throw new InvalidOperationException("Redrive needs the execution store (--data-dir).");
        }

        if (execution.Summary.Status is "SUCCEEDED" or "RUNNING")
        {
            throw new ExecutionNotRedrivableException(
                $"Execution {execution.Summary.Name} is {execution.Summary.Status}; only FAILED, TIMED_OUT or ABORTED executions can be redriven.");
        }

        var definition = StateMachineDefinition.Parse(execution.Definition);
        var events = store.GetEvents(execution.Summary.ExecutionArn)
            .Select(e => new HistoryEvent(e.Id, e.PreviousEventId, e.Type, e.Timestamp, JsonNode.Parse(e.DetailsJson) as JsonObject ?? []))
            .ToList();
        store.MarkRedriven(execution.Summary.ExecutionArn, execution.Summary.RedriveCount + 1);
        var input = execution.Input is null ? null : JsonNode.Parse(execution.Input);
        return await ExecuteAsync(definition, input, execution.Summary.Name, execution.Summary.ExecutionArn, events, onEvent, cancellationToken);
    }

    private async Task<ExecutionOutcome> ExecuteAsync(
        StateMachineDefinition definition,
        JsonNode? input,
        string name,
        string executionArn,
        IReadOnlyList<HistoryEvent>? redriveFrom,
        Action<ExecutionProgressEvent>? onEvent,
        CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stopWatcher = store is null ? null : WatchForStop(executionArn, stop);
        var stopwatch = Stopwatch.StartNew();
        var options = new ExecutionOptions
        {
            TaskInvoker = invoker,
            TimeProvider = defaults.Clock,
            WaitScale = defaults.WaitScale,
            ExecutionName = name,
            ExecutionArn = executionArn,
            StateMachineName = defaults.StateMachineName,
            StateMachineArn = LocalResourceNames.StateMachineArn(defaults.StateMachineName),
            Region = LocalResourceNames.Region,
            AccountId = LocalResourceNames.Account,
            RoleArn = defaults.RoleArn ?? $"arn:aws:iam::{LocalResourceNames.Account}:role/{defaults.StateMachineName}-role",
            EventSink = new Sink(store, executionArn, onEvent),
            MapRunStore = store is null && onEvent is null ? null : new MapRuns(store, onEvent, defaults.Clock),
            RedriveFrom = redriveFrom,
            ItemStore = defaults.ItemStore,
        };
        var result = await AslExecutor.RunAsync(definition, input, options, stop.Token);
        store?.Complete(executionArn, result.StatusName, result.Output?.ToJsonString(), result.Error, result.Cause, defaults.Clock.GetUtcNow());
        var outcome = new ExecutionOutcome(executionArn, name, result.StatusName, result.Output, result.Error, result.Cause, stopwatch.Elapsed);
        if (defaults.OnEnded is { } onEnded)
        {
            await onEnded(outcome, CancellationToken.None);
        }

        return outcome;
    }

    private Timer WatchForStop(string executionArn, CancellationTokenSource stop) =>
        new(_ =>
        {
            try
            {
                if (store!.IsStopRequested(executionArn))
                {
                    stop.Cancel();
                }
            }
            catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException)
            {
                // The execution ended (or its store was closed) while the timer fired.
            }
        }, null, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500));

    /// <summary>Readable, sortable and valid as a Step Functions execution name.</summary>
    public static string NewExecutionName(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var now = clock.GetUtcNow();
        return "run-" + now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6];
    }

    /// <summary>Map Runs go to the store (live counts for other processes, redrive) and, as progress, to the caller.</summary>
    private sealed class MapRuns(ExecutionStore? store, Action<ExecutionProgressEvent>? onEvent, TimeProvider clock) : IMapRunStore
    {
        public void SaveMapRun(MapRunRecord run)
        {
            store?.SaveMapRun(run);
            onEvent?.Invoke(new ExecutionProgressEvent(0, 0, ExecutionProgressEvent.MapRunProgressType, clock.GetUtcNow(), []) { MapRun = run });
        }

        public void SaveChildren(string mapRunArn, IReadOnlyList<ChildExecutionRecord> children) => store?.SaveChildren(mapRunArn, children);

        public MapRunRecord? FindMapRun(string mapRunArn) => store?.FindMapRun(mapRunArn);

        public IReadOnlyList<ChildExecutionRecord> GetChildren(string mapRunArn) => store?.GetChildren(mapRunArn) ?? [];
    }

    private sealed class Sink(ExecutionStore? store, string executionArn, Action<ExecutionProgressEvent>? onEvent) : IExecutionEventSink
    {
        public void OnEvent(HistoryEvent historyEvent)
        {
            if (historyEvent.Type == "ExecutionAborted" && store?.StopReason(executionArn) is { } reason)
            {
                // The interpreter only sees a cancellation; StopExecution's error and cause belong in the event, as on AWS.
                SetIfGiven(historyEvent.Details, "executionAbortedEventDetails", "error", reason.Error);
                SetIfGiven(historyEvent.Details, "executionAbortedEventDetails", "cause", reason.Cause);
            }

            store?.AppendEvent(executionArn, new StoredEvent(
                historyEvent.Id, historyEvent.PreviousEventId, historyEvent.Type, historyEvent.Timestamp, historyEvent.Details.ToJsonString()));
            onEvent?.Invoke(new ExecutionProgressEvent(
                historyEvent.Id, historyEvent.PreviousEventId, historyEvent.Type, historyEvent.Timestamp, historyEvent.Details));
        }

        private static void SetIfGiven(JsonObject details, string field, string key, string? value)
        {
            if (value is not null && details[field] is JsonObject body)
            {
                body[key] = value;
            }
        }
    }
}

/// <summary>What every execution of a <see cref="LocalExecutionEngine"/> shares. A new instance holds the defaults each
/// property names.</summary>
public sealed record ExecutionDefaults
{
    /// <summary>The clock executions read. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Multiplies every Wait state and retry back-off: 0 fast-forwards them, 1 is real time. Default 0.</summary>
    public double WaitScale { get; init; }

    /// <summary>The state machine the executions belong to (their ARNs). Default
    /// <see cref="LocalResourceNames.StateMachineName"/> (<c>stockflow-pipeline</c>).</summary>
    public string StateMachineName { get; init; } = LocalResourceNames.StateMachineName;

    /// <summary>The role the state machine was created with (ExecutionStarted's roleArn); by default one named after the machine.</summary>
    public string? RoleArn { get; init; }

    /// <summary>The data directory recorded with each execution (the console shows it). Default null: none recorded.</summary>
    public string? DataDir { get; init; }

    /// <summary>The object store behind Distributed Map ItemReader and ResultWriter. Default null: a definition with
    /// either fails its Map state.</summary>
    public IItemReaderStore? ItemStore { get; init; }

    /// <summary>
    /// Runs after an execution has ended and been recorded: what an EventBridge rule on the execution's status change
    /// does on AWS (the pipeline gives back the lake lock of a stopped or timed-out execution).
    /// </summary>
    public Func<ExecutionOutcome, CancellationToken, Task>? OnEnded { get; init; }
}
