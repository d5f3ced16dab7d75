using System.Text.Json.Nodes;
using StockFlow.Asl;
using StockFlow.Asl.History;
using StockFlow.Providers;
using StockFlow.Runtime.Local.Bindings;
using StockFlow.Runtime.Local.Definitions;
using StockFlow.Runtime.Local.Executions;
using StockFlow.Storage;

namespace StockFlow.Runtime.Local;

/// <summary>How <see cref="AslRunner"/> runs any definition (<c>stockflow asl run</c>, <c>asl test-state</c>). A new
/// instance holds the defaults each property names.</summary>
public sealed record AslRunnerOptions
{
    /// <summary>Record history here and bind tasks to this lake. Default null: nothing is recorded, and a task that
    /// needs a lake gets a throwaway one in the temp folder, deleted with the runner.</summary>
    public string? DataDir { get; init; }

    /// <summary>The state machine's name in the execution's ARN and context object, and the machine a mock
    /// configuration's test case is looked up under. Default <c>"StateMachine"</c>.</summary>
    public string StateMachineName { get; init; } = "StateMachine";

    /// <summary>Multiplies every Wait state and retry back-off: 0 fast-forwards them, 1 is real time. Default 0.</summary>
    public double WaitScale { get; init; }

    /// <summary>A Step Functions Local mock configuration file (JSON) whose <see cref="TestCase"/> answers Task states
    /// in front of the local bindings. Default null: no mocks, every Task runs its local binding.</summary>
    public string? MockConfigPath { get; init; }

    /// <summary>The test case of <see cref="MockConfigPath"/> to apply. Default null (needed only with a mock
    /// configuration).</summary>
    public string? TestCase { get; init; }

    /// <summary>The clock executions read. Default <see cref="TimeProvider.System"/>; tests pass a fake one.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}

/// <summary>The outcome of <c>stockflow asl run</c>, with the events for <c>--history</c>.</summary>
/// <param name="Status">The execution status: <c>SUCCEEDED</c>, <c>FAILED</c>, <c>TIMED_OUT</c> or <c>ABORTED</c>.</param>
/// <param name="Output">The execution's output; null unless it succeeded.</param>
/// <param name="Error">The error name of a failed execution (e.g. <c>States.TaskFailed</c>); null otherwise.</param>
/// <param name="Cause">The cause of a failed execution; null otherwise.</param>
/// <param name="Events">The execution's history events, in event id order.</param>
public sealed record AslRunResult(string Status, JsonNode? Output, string? Error, string? Cause, IReadOnlyList<HistoryEvent> Events)
{
    /// <summary>True when <see cref="Status"/> is <c>SUCCEEDED</c>.</summary>
    public bool Succeeded => Status == "SUCCEEDED";
}

/// <summary>
/// Runs any ASL definition with the local bindings (and, optionally, Step Functions Local mocks
/// in front of them). Without a data directory nothing is persisted and no lake is created
/// unless a task writes to one, so many runs can go in parallel and start fast.
/// </summary>
public sealed class AslRunner : IDisposable
{
    private readonly AslRunnerOptions _options;
    private readonly ExecutionStore? _store;
    private readonly string? _scratch;
    private readonly IObjectStore _objectStore;
    private readonly LocalTaskInvoker _local;
    private readonly PriceProviderSource _providers;

    private AslRunner(AslRunnerOptions options)
    {
        _options = options;
        DataDirectory directory;
        if (options.DataDir is null)
        {
            _scratch = Path.Combine(Path.GetTempPath(), "stockflow-asl-" + Guid.NewGuid().ToString("N"));
            directory = new DataDirectory(_scratch);
        }
        else
        {
            directory = new DataDirectory(options.DataDir).EnsureCreated();
            _store = new ExecutionStore(directory.ExecutionsDatabase);
            _store.FailOrphanedExecutions(options.Clock.GetUtcNow());
        }

        Directory = directory;
        _objectStore = new FileSystemObjectStore(directory.LakeRoot);
        var pipelineOptions = new LocalPipelineOptions { Clock = options.Clock, WaitScale = options.WaitScale };
        _providers = new PriceProviderSource(() => ProviderOptions.Load(), _objectStore, directory.Bucket);
        _local = LocalPipeline.CreateInvoker(directory, _objectStore, pipelineOptions, _providers.Lease);
        Invoker = options.MockConfigPath is null
            ? _local
            : Bindings.MockInvokers.Create(File.ReadAllText(options.MockConfigPath), options.StateMachineName, options.TestCase, _local);
    }

    /// <summary>Opens the data directory (or a scratch lake) and binds the local resources.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">A mock configuration is given without a test case.</exception>
    public static AslRunner Create(AslRunnerOptions options) => new(options ?? throw new ArgumentNullException(nameof(options)));

    /// <summary>The lake tasks read and write: <see cref="AslRunnerOptions.DataDir"/>, or a scratch folder deleted on <see cref="Dispose"/>.</summary>
    public DataDirectory Directory { get; }

    /// <summary>What Task states call: the local bindings, behind the mock configuration when one is given.</summary>
    public ITaskInvoker Invoker { get; }

    /// <summary>
    /// Runs <paramref name="definitionJson"/> to its end. <c>${Name}</c> placeholders of StockFlow's own definitions are
    /// replaced by the local resource names when every placeholder in the definition has one; other definitions run as given.
    /// </summary>
    /// <param name="definitionJson">The ASL definition.</param>
    /// <param name="input">The execution input; may be null.</param>
    /// <param name="executionName">The execution name; null generates <c>run-yyyyMMdd-HHmmss-xxxxxx</c>.</param>
    /// <param name="cancellationToken">Stops the execution.</param>
    public async Task<AslRunResult> RunAsync(string definitionJson, JsonNode? input, string? executionName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definitionJson);
        var substitutions = LocalResourceNames.Substitutions(Directory.Bucket);
        // Our own definitions carry ${Name} placeholders; substitute them when every one is known.
        if (DefinitionTemplate.PlaceholdersIn(definitionJson).All(substitutions.ContainsKey))
        {
            definitionJson = DefinitionTemplate.Substitute(definitionJson, substitutions);
        }

        var events = new List<HistoryEvent>();
        var engine = new LocalExecutionEngine(Invoker, _store, new ExecutionDefaults
        {
            Clock = _options.Clock,
            WaitScale = _options.WaitScale,
            StateMachineName = _options.StateMachineName,
            DataDir = _options.DataDir is null ? null : Directory.Root,
            ItemStore = new ObjectStoreItemReader(_objectStore),
        });
        var outcome = await engine.StartAsync(definitionJson, input, executionName,
            e =>
            {
                if (!e.IsHistoryEvent)
                {
                    return;
                }

                lock (events)
                {
                    events.Add(new HistoryEvent(e.Id, e.PreviousEventId, e.Type, e.Timestamp, e.Details));
                }
            },
            cancellationToken);
        events.Sort((a, b) => a.Id.CompareTo(b.Id));
        return new AslRunResult(outcome.Status, outcome.Output, outcome.Error, outcome.Cause, events);
    }

    /// <summary>Releases the bindings and the history database and deletes a scratch lake.</summary>
    public void Dispose()
    {
        _local.Dispose();
        _store?.Dispose();
        _providers.Dispose();
        if (_scratch is not null && System.IO.Directory.Exists(_scratch))
        {
            System.IO.Directory.Delete(_scratch, recursive: true);
        }
    }
}
