using StockFlow.ControlPlane.Executions;
using StockFlow.ControlPlane.StateMachines;
using StockFlow.Runtime.Local;

namespace StockFlow.ControlPlane.Scheduling;

/// <summary>
/// Starts the pipeline with the csv provider when CSV files land in the local lake's <c>landing/</c>
/// prefix; files landing together (within a short quiet period) start one execution.
/// </summary>
public sealed class LandingWatcher : IDisposable
{
    private readonly FileSystemWatcher _watcher;
    private readonly Timer _debounce;
    private readonly StateMachineRegistry _machines;
    private readonly ExecutionLauncher _launcher;
    private readonly TimeSpan _quiet;

    public LandingWatcher(DataDirectory directory, StateMachineRegistry machines, ExecutionLauncher launcher, TimeSpan quiet)
    {
        ArgumentNullException.ThrowIfNull(directory);
        _machines = machines;
        _launcher = launcher;
        _quiet = quiet;
        var landing = Path.Combine(directory.BucketRoot, "landing");
        Directory.CreateDirectory(landing);
        _debounce = new Timer(_ => Fire(), null, Timeout.Infinite, Timeout.Infinite);
        _watcher = new FileSystemWatcher(landing, "*.csv") { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size };
        _watcher.Created += OnChange;
        _watcher.Changed += OnChange;
        _watcher.Renamed += OnChange;
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>The last execution the watcher started (the schedules page shows it).</summary>
    public string? LastExecutionArn { get; private set; }

    public DateTimeOffset? LastFired { get; private set; }

    private void OnChange(object sender, FileSystemEventArgs e) => _debounce.Change(_quiet, Timeout.InfiniteTimeSpan);

    private void Fire()
    {
        try
        {
            var started = _launcher.StartAsync(_machines.Pipeline, null, """{"provider":"csv"}""", CancellationToken.None).GetAwaiter().GetResult();
            LastExecutionArn = started.ExecutionArn;
            LastFired = DateTimeOffset.UtcNow;
        }
        catch (Api.StepFunctionsApiException)
        {
            // The start was refused (e.g. a name clash); the next landing tries again.
        }
    }

    public void Dispose()
    {
        _watcher.Dispose();
        _debounce.Dispose();
    }
}
