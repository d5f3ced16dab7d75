using System.Text.Json.Nodes;

namespace StockFlow.Asl.History;

/// <summary>Numbers events, timestamps them, enforces the per-execution cap and forwards them to the sink.</summary>
internal sealed class HistoryRecorder
{
    private readonly object gate = new();
    private readonly List<HistoryEvent> events;
    private readonly TimeProvider clock;
    private readonly IExecutionEventSink? sink;
    private readonly int maxEvents;

    public HistoryRecorder(TimeProvider clock, IExecutionEventSink? sink, int maxEvents, IReadOnlyList<HistoryEvent>? previous)
    {
        this.clock = clock;
        this.sink = sink;
        this.maxEvents = maxEvents;
        events = previous is null ? new List<HistoryEvent>(16) : new List<HistoryEvent>(previous);
    }

    public IReadOnlyList<HistoryEvent> Snapshot()
    {
        lock (gate) return events.ToArray();
    }

    public long LastId
    {
        get
        {
            lock (gate) return events.Count == 0 ? 0 : events[^1].Id;
        }
    }

    /// <summary>Records an event; terminal events are always accepted so a capped history still ends properly.</summary>
    public long Emit(long previousId, string type, Func<JsonObject> details, bool terminal = false)
    {
        HistoryEvent e;
        lock (gate)
        {
            if (!terminal && events.Count >= maxEvents - 1) throw new HistoryLimitExceededException(maxEvents);
            var id = events.Count == 0 ? 1 : events[^1].Id + 1;
            e = new HistoryEvent(id, previousId, type, clock.GetUtcNow(), details);
            events.Add(e);
            sink?.OnEvent(e);
        }

        return e.Id;
    }
}

/// <summary>The execution reached the history cap; it fails with States.Runtime and cannot be caught.</summary>
internal sealed class HistoryLimitExceededException(int max)
    : Exception($"The execution reached the maximum number of history events ({max.ToString(System.Globalization.CultureInfo.InvariantCulture)}) and was failed.");
