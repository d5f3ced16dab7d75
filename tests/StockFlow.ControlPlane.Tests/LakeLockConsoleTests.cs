using System.Text.Json.Nodes;
using StockFlow.ControlPlane.Hosting;
using StockFlow.Functions.Hosting;
using StockFlow.Functions.Locking;
using StockFlow.Runtime.Local;

namespace StockFlow.ControlPlane.Tests;

/// <summary>
/// The console starts pipeline executions (the start form, StartExecution, schedules, landing uploads) that respect the
/// lake lock: a second one waits in AcquireLake until the first has released the lake, and a CLI run started meanwhile
/// fails at once naming the console.
/// </summary>
public sealed class LakeLockConsoleTests : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "stockflow-console-lock-" + Guid.NewGuid().ToString("N"));
    private ControlPlaneServer? _server;

    private ControlPlaneServer Server => _server ?? throw new InvalidOperationException("started in each test");

    public Task InitializeAsync()
    {
        var landing = Path.Combine(new DataDirectory(_dataDir).EnsureCreated().BucketRoot, "landing");
        Directory.CreateDirectory(landing);
        File.WriteAllText(Path.Combine(landing, "GOOD.csv"), "Date,Open,High,Low,Close,Adj Close,Volume\n2024-01-02,1,2,1,1.5,1.5,10\n2024-01-03,1,2,1,1.6,1.6,10\n");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // A finishing execution may still hold a file; the temp folder is cleaned by the OS.
        }
    }

    [Fact]
    public async Task A_second_start_while_one_runs_waits_for_the_lake_and_then_runs()
    {
        _server = await ControlPlaneServer.StartAsync(new ControlPlaneOptions { DataDir = _dataDir, Port = 0, WaitScale = 0.02, WatchLanding = false });
        var launcher = Server.Launcher;

        var first = await launcher.StartAsync(Server.Machines.Pipeline, "console-first", """{"provider":"csv","symbols":["GOOD"]}""", CancellationToken.None);
        var second = await launcher.StartAsync(Server.Machines.Pipeline, "console-second", """{"provider":"csv","symbols":["GOOD"]}""", CancellationToken.None);
        await Task.WhenAll(launcher.WaitAsync(first.ExecutionArn), launcher.WaitAsync(second.ExecutionArn));

        Assert.Equal("SUCCEEDED", launcher.Store.FindByArn(first.ExecutionArn)!.Summary.Status);
        Assert.Equal("SUCCEEDED", launcher.Store.FindByArn(second.ExecutionArn)!.Summary.Status);
        // Whichever reached AcquireLake second (usually the second start) waited there, told who held the lake.
        List<string> Busy(string arn) => launcher.Store.GetEvents(arn)
            .Where(e => e.Type == "TaskFailed" && e.DetailsJson.Contains("LakeBusyException", StringComparison.Ordinal)).Select(e => e.DetailsJson).ToList();
        var (waited, other) = Busy(second.ExecutionArn).Count > 0 ? (second, first) : (first, second);
        Assert.NotEmpty(Busy(waited.ExecutionArn));
        Assert.Empty(Busy(other.ExecutionArn));
        Assert.Contains($"in use by execution {other.Name}", Busy(waited.ExecutionArn)[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cli_run_while_the_console_runs_an_execution_fails_at_once_naming_the_console_and_a_stop_frees_the_lake()
    {
        _server = await ControlPlaneServer.StartAsync(new ControlPlaneOptions { DataDir = _dataDir, Port = 0, WaitScale = 1, WatchLanding = false });
        var launcher = Server.Launcher;
        var directory = new DataDirectory(_dataDir);
        // Another execution holds the lake, so the console's execution waits in AcquireLake (30 s between attempts).
        var locks = new LakeLockHandler(new StockFlow.Storage.FileSystemObjectStore(directory.LakeRoot), TimeProvider.System);
        await locks.AcquireAsync(new LakeLockRequest(LakeLockHandler.Acquire, directory.Bucket, "run-elsewhere", DateTimeOffset.UtcNow, 43200), CancellationToken.None);

        var waiting = await launcher.StartAsync(Server.Machines.Pipeline, "console-waiting", """{"provider":"csv","symbols":["GOOD"]}""", CancellationToken.None);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!launcher.Store.GetEvents(waiting.ExecutionArn).Any(e => e.Type == "TaskFailed"))
        {
            Assert.True(DateTime.UtcNow < deadline, "the console's execution never tried the lake");
            await Task.Delay(50);
        }

        var cli = Assert.Throws<LakeBusyException>(() => RunLock.Acquire(directory, "a run", TimeProvider.System));
        Assert.Contains("stockflow serve, from execution console-waiting", cli.Message, StringComparison.Ordinal);
        Assert.Equal("RUNNING", launcher.Store.FindByArn(waiting.ExecutionArn)!.Summary.Status);

        await launcher.StopAsync(waiting.ExecutionArn, null, null);
        Assert.Equal("ABORTED", launcher.Store.FindByArn(waiting.ExecutionArn)!.Summary.Status);
        using var free = RunLock.Acquire(directory, "a run", TimeProvider.System);
        Assert.Equal("run-elsewhere", (await locks.HolderAsync(directory.Bucket, CancellationToken.None))?.Execution);
    }
}
