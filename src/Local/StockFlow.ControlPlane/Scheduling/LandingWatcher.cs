using System.Text.Json.Nodes;
using StockFlow.ControlPlane.Executions;
using StockFlow.ControlPlane.StateMachines;
using StockFlow.Core.Lake;
using StockFlow.Runtime.Local;
using StockFlow.Providers;

namespace StockFlow.ControlPlane.Scheduling;

/// <summary>
/// Starts the pipeline with the csv provider when CSV files land in the local lake's <c>landing/</c>
/// prefix; files landing together (within a short quiet period) start one execution, which imports those
/// files only (<c>landingKeys</c>, what the AWS deployment's landing-upload rule sends for an upload).
/// </summary>
internal sealed class LandingWatcher : IDisposable
{
    private readonly FileSystemWatcher _watcher;
    private readonly Timer _debounce;
    private readonly StateMachineRegistry _machines;
    private readonly ExecutionLauncher _launcher;
    private readonly TimeSpan _quiet;
    private readonly SortedSet<string> _landed = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private volatile bool _disposed;

    public LandingWatcher(DataDirectory directory, StateMachineRegistry machines, ExecutionLauncher launcher, TimeSpan quiet)
    {
        ArgumentNullException.ThrowIfNull(directory);
        _machines = machines;
        _launcher = launcher;
        _quiet = quiet;
        var landing = Path.Combine(directory.BucketRoot, "landing");
        Directory.CreateDirectory(landing);
        _debounce = new Timer(_ => Fire(), null, Timeout.Infinite, Timeout.Infinite);
        _watcher = new FileSystemWatcher(landing, "*.csv") { IncludeSubdirectories = false, NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size };
        _watcher.Created += OnChange;
        _watcher.Changed += OnChange;
        _watcher.Renamed += OnChange;
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>The last execution the watcher started (the schedules page shows it).</summary>
    public string? LastExecutionArn { get; private set; }

    public DateTimeOffset? LastFired { get; private set; }

    /// <summary>The execution input for files that landed: the csv provider, the landed keys.</summary>
    public static string InputFor(IEnumerable<string> fileNames)
    {
        ArgumentNullException.ThrowIfNull(fileNames);
        var keys = new JsonArray(fileNames.Order(StringComparer.Ordinal).Select(name => (JsonNode?)JsonValue.Create(LakeKeys.LandingPrefix + name)).ToArray());
        return new JsonObject { ["provider"] = PriceProviders.Csv, ["landingKeys"] = keys }.ToJsonString();
    }

    private void OnChange(object sender, FileSystemEventArgs e)
    {
        // A file renamed away from landing/ or to a name that is not a CSV is not an upload.
        if (!e.Name!.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || !File.Exists(e.FullPath))
        {
            return;
        }

        lock (_gate)
        {
            _landed.Add(e.Name);
        }

        _debounce.Change(_quiet, Timeout.InfiniteTimeSpan);
    }

    private void Fire()
    {
        string[] landed;
        lock (_gate)
        {
            landed = [.. _landed];
            _landed.Clear();
        }

        if (landed.Length == 0 || _disposed)
        {
            return;
        }

        try
        {
            var started = _launcher.StartAsync(_machines.Pipeline, null, InputFor(landed), CancellationToken.None).GetAwaiter().GetResult();
            LastExecutionArn = started.ExecutionArn;
            LastFired = DateTimeOffset.UtcNow;
        }
        catch (Api.StepFunctionsApiException)
        {
            // The start was refused (e.g. a name clash); the next landing tries again.
        }
        catch (ObjectDisposedException) when (_disposed)
        {
            // The server is shutting down: a timer callback already under way finds the launcher gone.
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _watcher.Dispose();
        _debounce.Dispose();
    }
}
