using System.Reflection;
using System.Text.Json.Nodes;
using StockFlow.GlueAthena.Local.Catalog;
using StockFlow.GlueAthena.Local.DuckDb;
using StockFlow.GlueAthena.Local.Transform;
using StockFlow.Functions;
using StockFlow.Functions.Ingest;
using StockFlow.Functions.Locking;
using StockFlow.Providers;
using StockFlow.Runtime.Local.Bindings;
using StockFlow.Runtime.Local.Definitions;
using StockFlow.Runtime.Local.Executions;
using StockFlow.Storage;

namespace StockFlow.Runtime.Local;

/// <summary>
/// StockFlow on one machine: the pipeline definition with every Task resource bound to its
/// local stand-in (handlers in-process, the local crawler, DuckDB for Glue and Athena, a log
/// for SNS), executions recorded in the data directory's SQLite store.
/// </summary>
public sealed class LocalPipeline : IDisposable
{
    private readonly DataDirectory _directory;
    private readonly LocalPipelineOptions _options;
    private readonly ExecutionStore _store;
    private readonly LocalExecutionEngine _engine;
    private readonly LakeLockHandler _lakeLock;
    private readonly PriceProviderSource _providers;

    private LocalPipeline(DataDirectory directory, LocalPipelineOptions options)
    {
        _directory = directory.EnsureCreated();
        _options = options;
        _store = new ExecutionStore(directory.ExecutionsDatabase);
        ObjectStore = new FileSystemObjectStore(directory.LakeRoot);
        _lakeLock = new LakeLockHandler(ObjectStore, options.Clock);
        _providers = new PriceProviderSource(() => options.ProviderOptions ?? ProviderOptions.Load(), ObjectStore, directory.Bucket);
        foreach (var orphan in _store.FailOrphanedExecutions(options.Clock.GetUtcNow()))
        {
            // Its process died (kill -9): like a stopped execution on AWS, it gives the lake lock back.
            ReleaseLakeOf(orphan[(orphan.LastIndexOf(':') + 1)..], CancellationToken.None).GetAwaiter().GetResult();
        }

        Invoker = CreateInvoker(directory, ObjectStore, options, _providers.Lease);
        _engine = new LocalExecutionEngine(Invoker, _store, new ExecutionDefaults
        {
            Clock = options.Clock,
            WaitScale = options.WaitScale,
            DataDir = directory.Root,
            ItemStore = new ObjectStoreItemReader(ObjectStore),
            OnEnded = OnExecutionEnded,
        });
    }

    /// <summary>
    /// What the abandoned-run EventBridge rule of infra/ does on AWS: a stopped or timed-out execution ended without the
    /// definition's release states, so its lake lock is given back (only if it still holds it).
    /// </summary>
    public Task OnExecutionEnded(ExecutionOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return outcome.Status is "ABORTED" or "TIMED_OUT" ? ReleaseLakeOf(outcome.Name, cancellationToken) : Task.CompletedTask;
    }

    /// <summary>The execution holding the lake lock, or null when the lake is free.</summary>
    public Task<LakeLockDocument?> LakeHolderAsync(CancellationToken cancellationToken) => _lakeLock.HolderAsync(_directory.Bucket, cancellationToken);

    private async Task ReleaseLakeOf(string executionName, CancellationToken cancellationToken)
    {
        if (Directory.Exists(_directory.BucketRoot))
        {
            await _lakeLock.ReleaseAsync(new LakeLockRequest(LakeLockHandler.Release, _directory.Bucket, executionName), cancellationToken);
        }
    }

    /// <summary>
    /// Opens (creating it if needed) the data directory's lake and history. Executions an earlier process left
    /// <c>RUNNING</c> are marked <c>FAILED</c> and give the lake lock back, so they can be redriven.
    /// </summary>
    /// <param name="directory">The data directory.</param>
    /// <param name="options">Clock, wait scale, providers and limits; null uses the defaults.</param>
    /// <exception cref="DataDirectoryException">The data directory cannot be created.</exception>
    /// <exception cref="ExecutionHistoryCorruptException">The execution history is not an SQLite database.</exception>
    public static LocalPipeline Open(DataDirectory directory, LocalPipelineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return new LocalPipeline(directory, options ?? new LocalPipelineOptions());
    }

    /// <summary>The lake, as an object store over <see cref="DataDirectory.LakeRoot"/>.</summary>
    public IObjectStore ObjectStore { get; }

    /// <summary>What the pipeline's Task states call.</summary>
    public LocalTaskInvoker Invoker { get; }

    /// <summary>The execution history.</summary>
    public ExecutionStore Store => _store;

    /// <summary>The pipeline definition shipped with StockFlow (statemachine/pipeline.asl.json), before substitution.</summary>
    public static string ShippedDefinition()
    {
        using var stream = typeof(LocalPipeline).Assembly.GetManifestResourceStream("statemachine/pipeline.asl.json")
            ?? throw new InvalidOperationException("pipeline.asl.json is not embedded in StockFlow.Runtime.Local.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The definition as it runs here: placeholders replaced by the local resource names.</summary>
    public string LocalDefinition()
    {
        var template = _options.DefinitionPath is null ? ShippedDefinition() : File.ReadAllText(_options.DefinitionPath);
        return DefinitionTemplate.Substitute(template, LocalResourceNames.Substitutions(_directory.Bucket));
    }

    /// <summary>Runs a new execution of <see cref="LocalDefinition"/> to its end.</summary>
    /// <param name="input">The execution input (symbols, dates, provider); may be null.</param>
    /// <param name="onEvent">Called with each history event and Distributed Map progress; may be called from several threads.</param>
    /// <param name="cancellationToken">Aborts the execution.</param>
    /// <exception cref="Functions.Hosting.LakeBusyException">Another run holds the data directory.</exception>
    public async Task<ExecutionOutcome> StartAsync(JsonNode? input, Action<ExecutionProgressEvent>? onEvent, CancellationToken cancellationToken)
    {
        using var held = RunLock.Acquire(_directory, "a run", _options.Clock);
        return await _engine.StartAsync(LocalDefinition(), input, null, onEvent, cancellationToken);
    }

    /// <summary>A new execution with the same definition and input (or an edited input).</summary>
    /// <param name="id">The earlier execution's ARN, name or unique name prefix.</param>
    /// <param name="input">The new input; null reuses the earlier one.</param>
    /// <param name="onEvent">Called with each history event and Distributed Map progress.</param>
    /// <param name="cancellationToken">Aborts the execution.</param>
    /// <exception cref="ExecutionNotFoundException">No execution matches <paramref name="id"/>.</exception>
    /// <exception cref="Functions.Hosting.LakeBusyException">Another run holds the data directory.</exception>
    public Task<ExecutionOutcome> RerunAsync(string id, JsonNode? input, Action<ExecutionProgressEvent>? onEvent, CancellationToken cancellationToken)
    {
        var previous = Find(id);
        var rerunInput = input ?? (previous.Input is null ? null : JsonNode.Parse(previous.Input));
        return RerunLockedAsync(previous.Definition, rerunInput, id, onEvent, cancellationToken);
    }

    private async Task<ExecutionOutcome> RerunLockedAsync(string definition, JsonNode? input, string id, Action<ExecutionProgressEvent>? onEvent, CancellationToken cancellationToken)
    {
        using var held = RunLock.Acquire(_directory, $"a rerun of {id}", _options.Clock);
        return await _engine.StartAsync(definition, input, null, onEvent, cancellationToken);
    }

    /// <summary>Resumes a failed execution from the state that failed, keeping completed work.</summary>
    /// <param name="id">The execution's ARN, name or unique name prefix.</param>
    /// <param name="onEvent">Called with each new history event and Distributed Map progress.</param>
    /// <param name="cancellationToken">Aborts the execution.</param>
    /// <exception cref="ExecutionNotFoundException">No execution matches <paramref name="id"/>.</exception>
    /// <exception cref="ExecutionNotRedrivableException">The execution succeeded or is running.</exception>
    /// <exception cref="Functions.Hosting.LakeBusyException">Another run holds the data directory.</exception>
    public async Task<ExecutionOutcome> RedriveAsync(string id, Action<ExecutionProgressEvent>? onEvent, CancellationToken cancellationToken)
    {
        var execution = Find(id);
        using var held = RunLock.Acquire(_directory, $"a redrive of {id}", _options.Clock);
        return await _engine.RedriveAsync(execution, onEvent, cancellationToken);
    }

    /// <summary>Releases the bindings (DuckDB), the history database and the provider clients.</summary>
    public void Dispose()
    {
        Invoker.Dispose();
        _store.Dispose();
        _providers.Dispose();
    }

    /// <summary>Every local binding of the pipeline's resources, over one data directory.</summary>
    public static LocalTaskInvoker CreateInvoker(DataDirectory directory, IObjectStore objectStore, LocalPipelineOptions options, PriceProviderFactory providers)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(options);
        var duckDb = new DuckDbOptions { TempDirectory = directory.DuckDbTempDirectory, MemoryLimit = options.DuckDbMemoryLimit };
        return new LocalTaskInvoker(
        [
            new LambdaBinding(FunctionHandlers.CreateAll(new HandlerServices(objectStore, options.Clock, providers, options.Plan)), objectStore as FileSystemObjectStore),
            new GlueCrawlerBinding(directory, LocalResourceNames.RawCrawler, LocalResourceNames.GlueDatabase,
                [CrawlerTarget.RawPrices, CrawlerTarget.RejectedRows], options.Clock, TimeSpan.FromSeconds(2)),
            new GlueJobBinding(directory, LocalResourceNames.TransformJob, new TransformOptions { DuckDb = duckDb }, options.Clock),
            new AthenaBinding(directory, LocalResourceNames.AthenaWorkGroup, duckDb, options.Clock),
            new SnsBinding(directory.NotificationsLog, options.Clock),
        ]);
    }

    private ExecutionDetails Find(string id) =>
        _store.Find(id) ?? throw new ExecutionNotFoundException($"No execution named '{id}' in {_directory.Root}. `stockflow executions list` shows them.");
}
