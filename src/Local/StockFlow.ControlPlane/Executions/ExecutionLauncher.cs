using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using StockFlow.ControlPlane.Api;
using StockFlow.ControlPlane.StateMachines;
using StockFlow.Runtime.Local;
using StockFlow.Runtime.Local.Bindings;
using StockFlow.Runtime.Local.Definitions;
using StockFlow.Runtime.Local.Executions;

namespace StockFlow.ControlPlane.Executions;

/// <summary>An execution that has been recorded and is running in the background.</summary>
/// <param name="ExecutionArn">The execution's ARN.</param>
/// <param name="Name">The execution name (given or generated).</param>
/// <param name="StartDate">When it started, as recorded.</param>
public sealed record StartedExecution(string ExecutionArn, string Name, DateTimeOffset StartDate);

/// <summary>
/// Starts, stops and redrives executions in the server process: each runs in the background on
/// the pipeline's local bindings and store; the call returns once the execution is recorded, so a
/// DescribeExecution right after a StartExecution finds it.
/// </summary>
public sealed class ExecutionLauncher : IAsyncDisposable
{
    private readonly LocalPipeline _pipeline;
    private readonly DataDirectory _directory;
    private readonly double _waitScale;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<string, Running> _running = new(StringComparer.Ordinal);
    private readonly Lock _startGate = new();
    private readonly Lock _holdGate = new();
    private RunLock? _lakeHold;
    private int _lakeHolders;

    /// <summary>Runs executions on <paramref name="pipeline"/>'s bindings and store.</summary>
    /// <param name="pipeline">The pipeline whose invoker, store and lake lock release the executions use.</param>
    /// <param name="directory">The data directory (its run lock and bucket).</param>
    /// <param name="waitScale">Factor applied to Wait states and retry back-offs: 0 fast-forwards them, 1 is real time.</param>
    /// <param name="clock">The clock executions see.</param>
    public ExecutionLauncher(LocalPipeline pipeline, DataDirectory directory, double waitScale, TimeProvider clock)
    {
        _pipeline = pipeline;
        _directory = directory;
        _waitScale = waitScale;
        _clock = clock;
    }

    /// <summary>The execution history of the data directory.</summary>
    public ExecutionStore Store => _pipeline.Store;

    /// <summary>Fires whenever an execution started here records an event, starts or ends (the console's live updates).</summary>
    public ExecutionChanges Changes { get; } = new();

    /// <summary>How many executions this process is running now.</summary>
    public int RunningCount => _running.Count;

    /// <summary>The local bindings Task states call.</summary>
    public Asl.ITaskInvoker Invoker => _pipeline.Invoker;

    /// <summary>
    /// Records a new execution of <paramref name="machine"/> and runs it in the background, as <c>StartExecution</c> does.
    /// Starting again with the same name and input while it runs returns the running one (AWS's idempotency).
    /// </summary>
    /// <param name="machine">The state machine.</param>
    /// <param name="name">The execution name; null generates one.</param>
    /// <param name="input">The input JSON (at most 256 KiB); null is <c>{}</c>.</param>
    /// <param name="cancellationToken">Stops waiting for the execution to be recorded; the execution itself runs on.</param>
    /// <exception cref="StepFunctionsApiException">
    /// <c>InvalidName</c>, <c>InvalidExecutionInput</c>, or <c>ExecutionAlreadyExists</c> when the name is taken by an
    /// execution that ended or had another input.
    /// </exception>
    public async Task<StartedExecution> StartAsync(StateMachineRecord machine, string? name, string? input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(machine);
        var inputNode = ParseInput(input);
        var executionName = name is null ? LocalExecutionEngine.NewExecutionName(_clock) : ResourceArns.RequireName(name, "execution");
        var arn = LocalResourceNames.ExecutionArn(machine.Name, executionName);
        Running running;
        lock (_startGate)
        {
            // Names are unique per state machine; the same name and input again is the same start (AWS's idempotency).
            if (Store.FindByArn(arn) is { } existing && existing.Summary.ExecutionArn == arn)
            {
                return existing.Summary.Status == "RUNNING" && SameJson(existing.Input, input)
                    ? new StartedExecution(arn, executionName, existing.Summary.StartDate)
                    : throw new StepFunctionsApiException("ExecutionAlreadyExists", $"Execution Already Exists: '{arn}'");
            }

            var engine = EngineFor(machine.Name, machine.RoleArn);
            var definition = DefinitionFor(machine);
            running = Launch(arn, token => engine.StartAsync(definition, inputNode, executionName, OnEvent(arn), token));
        }

        await running.Recorded.Task.WaitAsync(cancellationToken);
        var started = Store.FindByArn(arn) ?? throw new InvalidOperationException($"Execution {arn} was not recorded.");
        return new StartedExecution(arn, executionName, started.Summary.StartDate);
    }

    /// <summary>Resumes a FAILED, TIMED_OUT or ABORTED execution from where it stopped.</summary>
    public async Task<DateTimeOffset> RedriveAsync(ExecutionDetails execution, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(execution);
        var arn = execution.Summary.ExecutionArn;
        if (execution.Summary.Status is "SUCCEEDED" or "RUNNING")
        {
            throw new StepFunctionsApiException("ExecutionNotRedrivable",
                $"Execution is {execution.Summary.Status} and cannot be redriven: '{arn}'");
        }

        var machineName = ResourceArns.StateMachineName(execution.Summary.StateMachine);
        var redriveDate = _clock.GetUtcNow();
        Running running;
        lock (_startGate)
        {
            if (_running.ContainsKey(arn))
            {
                throw new StepFunctionsApiException("ExecutionNotRedrivable", $"Execution is already being redriven: '{arn}'");
            }

            var engine = EngineFor(machineName);
            running = Launch(arn, token => engine.RedriveAsync(execution, OnEvent(arn), token));
        }

        await running.Recorded.Task.WaitAsync(cancellationToken);
        return redriveDate;
    }

    /// <summary>Stops a running execution (it ends ABORTED, with the error and cause given here); false when it is not running.</summary>
    public bool Stop(string executionArn, string? error = null, string? cause = null)
    {
        var requested = Store.RequestStop(executionArn, error, cause);
        if (_running.TryGetValue(executionArn, out var running))
        {
            running.StopReason = (error, cause);
            try
            {
                running.Cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // It ended between the lookup and the cancel.
            }

            return true;
        }

        return requested;
    }

    /// <summary>Stops an execution and waits (up to 10 s) until it is recorded as ABORTED, as StopExecution answers.</summary>
    public async Task StopAsync(string executionArn, string? error, string? cause)
    {
        Stop(executionArn, error, cause);
        await WaitAsync(executionArn).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>Waits for an execution started here to end (tests and the scheduler use it).</summary>
    public Task WaitAsync(string executionArn) =>
        _running.TryGetValue(executionArn, out var running) ? running.Completion : Task.CompletedTask;

    /// <summary>Aborts the running executions and waits up to 10 seconds for them to end.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var running in _running.Values)
        {
            await running.Cancellation.CancelAsync();
        }

        await Task.WhenAll(_running.Values.Select(r => r.Completion)).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>A definition as it runs here: the pipeline's own local names substituted when every placeholder is known.</summary>
    public string DefinitionFor(StateMachineRecord machine)
    {
        ArgumentNullException.ThrowIfNull(machine);
        var substitutions = LocalResourceNames.Substitutions(_directory.Bucket);
        return DefinitionTemplate.PlaceholdersIn(machine.Definition).Count > 0
            && DefinitionTemplate.PlaceholdersIn(machine.Definition).All(substitutions.ContainsKey)
            ? DefinitionTemplate.Substitute(machine.Definition, substitutions)
            : machine.Definition;
    }

    /// <summary>
    /// While the console runs executions it holds the data directory's run lock, so a `stockflow run`, `rerun` or
    /// `redrive` started meanwhile fails at once naming the console instead of racing it. The executions themselves
    /// take turns on the lake in the definition's AcquireLake state (a second one waits there), exactly as on AWS.
    /// When a CLI run holds the lock already, the console's execution waits for that run's lake lock in AcquireLake.
    /// </summary>
    private void HoldLake(string arn)
    {
        lock (_holdGate)
        {
            if (_lakeHolders++ == 0)
            {
                try
                {
                    _lakeHold = RunLock.Acquire(_directory, $"stockflow serve, from execution {arn[(arn.LastIndexOf(':') + 1)..]}", _clock);
                }
                catch (Functions.Hosting.LakeBusyException)
                {
                    _lakeHold = null;
                }
            }
        }
    }

    private void UnholdLake()
    {
        lock (_holdGate)
        {
            if (--_lakeHolders == 0)
            {
                _lakeHold?.Dispose();
                _lakeHold = null;
            }
        }
    }

    private Running Launch(string arn, Func<CancellationToken, Task<ExecutionOutcome>> run)
    {
        var running = new Running();
        _running[arn] = running;
        HoldLake(arn);
        running.Completion = Task.Run(async () =>
        {
            try
            {
                var outcome = await run(running.Cancellation.Token);
                if (outcome.Status == "ABORTED" && running.StopReason is { } reason && (reason.Error is not null || reason.Cause is not null))
                {
                    // StopExecution's error and cause are what DescribeExecution reports for the aborted execution.
                    Store.Complete(arn, outcome.Status, null, reason.Error, reason.Cause, Store.FindByArn(arn)?.Summary.StopDate ?? _clock.GetUtcNow());
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or Asl.Model.AslDefinitionException or OperationCanceledException)
            {
                running.Recorded.TrySetException(new StepFunctionsApiException("ExecutionFailedToStart", ex.Message));
            }
            finally
            {
                running.Recorded.TrySetResult();
                _running.TryRemove(arn, out _);
                running.Cancellation.Dispose();
                UnholdLake();
                Changes.Notify();
            }
        }, CancellationToken.None);
        return running;
    }

    private Action<ExecutionProgressEvent> OnEvent(string arn) => _ =>
    {
        if (_running.TryGetValue(arn, out var running))
        {
            running.Recorded.TrySetResult();
        }

        Changes.Notify();
    };

    private LocalExecutionEngine EngineFor(string machineName, string? roleArn = null) => new(_pipeline.Invoker, _pipeline.Store, new ExecutionDefaults
    {
        Clock = _clock,
        WaitScale = _waitScale,
        StateMachineName = machineName,
        RoleArn = roleArn,
        DataDir = _directory.Root,
        ItemStore = new ObjectStoreItemReader(_pipeline.ObjectStore),
        OnEnded = _pipeline.OnExecutionEnded,
    });

    private static JsonNode? ParseInput(string? input)
    {
        if (input is null)
        {
            return new JsonObject();
        }

        if (input.Length > 256 * 1024)
        {
            throw new StepFunctionsApiException("InvalidExecutionInput", "The input is larger than 256 KiB.");
        }

        try
        {
            return JsonNode.Parse(input);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new StepFunctionsApiException("InvalidExecutionInput", $"Invalid State Machine Execution Input: '{ex.Message}'");
        }
    }

    private static bool SameJson(string? a, string? b) =>
        JsonNode.DeepEquals(a is null ? new JsonObject() : JsonNode.Parse(a), b is null ? new JsonObject() : JsonNode.Parse(b));

    private sealed class Running
    {
        public TaskCompletionSource Recorded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenSource Cancellation { get; } = new();

        public Task Completion { get; set; } = Task.CompletedTask;

        public (string? Error, string? Cause)? StopReason { get; set; }
    }
}
