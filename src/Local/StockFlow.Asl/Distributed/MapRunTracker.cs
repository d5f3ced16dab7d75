using System.Collections.Concurrent;

namespace StockFlow.Asl.Distributed;

/// <summary>
/// Keeps a Map Run's counts as its children start and finish, and hands finished children and the counts
/// to the store in batches: at most every <see cref="FlushInterval"/> (or every <see cref="FlushBatch"/>
/// children), so 10,000 Pass children cost a handful of writes, not 10,000.
/// </summary>
internal sealed class MapRunTracker
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(250);
    public const int FlushBatch = 2_000;

    private readonly IMapRunStore? store;
    private readonly TimeProvider clock;
    private readonly int[] itemsOf;
    private readonly bool[] pendingRedrive;
    private readonly ConcurrentQueue<ChildExecutionRecord> unsaved = new();
    private readonly Lock flushGate = new();
    private readonly Counts executions = new();
    private readonly Counts items = new();
    private MapRunRecord run;
    private long lastFlush = Environment.TickCount64;

    /// <param name="store">Where the run and its children are saved; null keeps nothing (the counts are still kept).</param>
    /// <param name="clock">Gives the run's stop time.</param>
    /// <param name="run">The run as it starts (ARN, state, tolerance); its counts are replaced by the tracker's.</param>
    /// <param name="itemsOf">Items each child execution carries, by index (1 each without ItemBatcher).</param>
    /// <param name="seeded">Children kept from an earlier attempt of this Map Run (redrive), by index; null = not run yet.</param>
    /// <param name="unsuccessful">Indexes whose earlier attempt failed, timed out or was aborted (they count as pendingRedrive until restarted).</param>
    public MapRunTracker(IMapRunStore? store, TimeProvider clock, MapRunRecord run, int[] itemsOf, ChildExecutionRecord?[] seeded, ISet<int> unsuccessful)
    {
        this.store = store;
        this.clock = clock;
        this.run = run;
        this.itemsOf = itemsOf;
        pendingRedrive = new bool[itemsOf.Length];
        executions.Total = itemsOf.Length;
        items.Total = itemsOf.Sum(n => (long)n);
        for (var i = 0; i < seeded.Length; i++)
        {
            if (seeded[i] is { IsSucceeded: true })
            {
                executions.Succeeded++;
                items.Succeeded += itemsOf[i];
            }
            else if (unsuccessful.Contains(i))
            {
                pendingRedrive[i] = true;
                executions.PendingRedrive++;
                items.PendingRedrive += itemsOf[i];
            }
        }
    }

    public string MapRunArn => run.MapRunArn;

    /// <summary>Failed and timed-out items so far: what ToleratedFailureCount/Percentage are measured against.</summary>
    public long FailedItems => Interlocked.Read(ref items.Failed) + Interlocked.Read(ref items.TimedOut);

    public long TotalItems => items.Total;

    public void Begin() => Save(run with { Status = MapRunRecord.Running, StopDate = null, ItemCounts = items.Snapshot(), ExecutionCounts = executions.Snapshot() }, []);

    public void Started(int index)
    {
        Interlocked.Increment(ref executions.Running);
        Interlocked.Add(ref items.Running, itemsOf[index]);
        if (pendingRedrive[index])
        {
            Interlocked.Decrement(ref executions.PendingRedrive);
            Interlocked.Add(ref items.PendingRedrive, -itemsOf[index]);
        }
    }

    public void Finished(ChildExecutionRecord child)
    {
        var n = itemsOf[child.Index];
        Interlocked.Decrement(ref executions.Running);
        Interlocked.Add(ref items.Running, -n);
        switch (child.Status)
        {
            case MapRunRecord.Succeeded:
                Interlocked.Increment(ref executions.Succeeded);
                Interlocked.Add(ref items.Succeeded, n);
                break;
            case "TIMED_OUT":
                Interlocked.Increment(ref executions.TimedOut);
                Interlocked.Add(ref items.TimedOut, n);
                break;
            case MapRunRecord.Aborted:
                Interlocked.Increment(ref executions.Aborted);
                Interlocked.Add(ref items.Aborted, n);
                break;
            default:
                Interlocked.Increment(ref executions.Failed);
                Interlocked.Add(ref items.Failed, n);
                break;
        }

        if (store is null) return;
        unsaved.Enqueue(child);
        if (unsaved.Count >= FlushBatch || Environment.TickCount64 - Interlocked.Read(ref lastFlush) >= FlushInterval.TotalMilliseconds)
            Flush(wait: false);
    }

    /// <summary>After ResultWriter: every finished child (and its items) had its result written.</summary>
    public void ResultsWritten()
    {
        executions.ResultsWritten = executions.Done;
        items.ResultsWritten = items.Done;
    }

    /// <summary>Saves the remaining children and the final status and counts.</summary>
    public MapRunRecord End(string status, string? error, string? cause)
    {
        lock (flushGate)
        {
            run = run with { Status = status, StopDate = clock.GetUtcNow(), Error = error, Cause = cause };
        }

        Flush(wait: true);
        return Current();
    }

    public MapRunRecord Current() => run with { ItemCounts = items.Snapshot(), ExecutionCounts = executions.Snapshot() };

    private void Flush(bool wait)
    {
        if (store is null) return;
        if (wait) flushGate.Enter();
        else if (!flushGate.TryEnter()) return;
        try
        {
            var batch = new List<ChildExecutionRecord>(unsaved.Count);
            while (unsaved.TryDequeue(out var c)) batch.Add(c);
            Save(Current(), batch);
            Interlocked.Exchange(ref lastFlush, Environment.TickCount64);
        }
        finally
        {
            flushGate.Exit();
        }
    }

    private void Save(MapRunRecord record, List<ChildExecutionRecord> children)
    {
        if (store is null) return;
        if (children.Count > 0) store.SaveChildren(record.MapRunArn, children);
        store.SaveMapRun(record);
    }

    /// <summary>One set of counters (executions or items); fields so Interlocked can update them.</summary>
    private sealed class Counts
    {
        public long Running;
        public long Succeeded;
        public long Failed;
        public long TimedOut;
        public long Aborted;
        public long Total;
        public long ResultsWritten;
        public long PendingRedrive;

        public long Done => Interlocked.Read(ref Succeeded) + Interlocked.Read(ref Failed) + Interlocked.Read(ref TimedOut) + Interlocked.Read(ref Aborted);

        public MapRunCounts Snapshot()
        {
            var running = Interlocked.Read(ref Running);
            var done = Done;
            return new MapRunCounts(
                Pending: Math.Max(0, Total - running - done),
                Running: running,
                Succeeded: Interlocked.Read(ref Succeeded),
                Failed: Interlocked.Read(ref Failed),
                TimedOut: Interlocked.Read(ref TimedOut),
                Aborted: Interlocked.Read(ref Aborted),
                Total: Total,
                ResultsWritten: Interlocked.Read(ref ResultsWritten),
                FailuresNotRedrivable: 0,
                PendingRedrive: Interlocked.Read(ref PendingRedrive));
        }
    }
}
