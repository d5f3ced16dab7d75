using StockFlow.Functions.Hosting;
using StockFlow.Runtime.Local;

namespace StockFlow.Runtime.Local.Tests;

public sealed class RunLockTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "stockflow-lock-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void A_second_run_on_the_same_lake_fails_at_once_naming_the_first_and_can_start_once_it_ends()
    {
        var directory = new DataDirectory(_root).EnsureCreated();
        using (RunLock.Acquire(directory, "a run", TimeProvider.System))
        {
            var busy = Assert.Throws<LakeBusyException>(() => RunLock.Acquire(directory, "a rerun of x", TimeProvider.System));
            Assert.Contains("a run, process " + Environment.ProcessId, busy.Message, StringComparison.Ordinal);
            Assert.Contains("Wait for it to finish", busy.Message, StringComparison.Ordinal);
        }

        using var next = RunLock.Acquire(directory, "the next run", TimeProvider.System);
        var again = Assert.Throws<LakeBusyException>(() => RunLock.Acquire(directory, "a third run", TimeProvider.System));
        Assert.Contains("the next run", again.Message, StringComparison.Ordinal);
    }
}
