using System.Text.Json.Nodes;
using StockFlow.Runtime.Local.Executions;

namespace StockFlow.ControlPlane.Pages;

/// <summary>One history event with the state it belongs to (found through its previousEventId chain).</summary>
internal sealed record AttributedEvent(StoredEvent Event, string? State, JsonObject? Body)
{
    public string? Field(string name) => Body?[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}

/// <summary>A state's time span in the Gantt chart (one per entry of the state).</summary>
internal sealed record StateSpan(string State, DateTimeOffset Start, DateTimeOffset? End, string Outcome);

/// <summary>One attempt of a Task state: its scheduling, end and error.</summary>
internal sealed record TaskAttempt(string State, int Attempt, DateTimeOffset Start, DateTimeOffset? End, string Outcome, string? Error, string? Cause);

/// <summary>A Map state's run: its items and how each ended.</summary>
internal sealed record MapRunView(string State, int? Length, IReadOnlyList<(int Index, string Status)> Items, string? MapRunArn);

/// <summary>What the execution page reads from a history: statuses per state, spans, attempts, map runs.</summary>
internal sealed class ExecutionAnalysis
{
    private static readonly HashSet<string> FailureTypes = new(StringComparer.Ordinal)
    {
        "TaskFailed", "TaskTimedOut", "TaskStartFailed", "TaskSubmitFailed", "LambdaFunctionFailed", "LambdaFunctionTimedOut",
        "LambdaFunctionStartFailed", "LambdaFunctionScheduleFailed", "MapStateFailed", "ParallelStateFailed", "ExecutionFailed",
        "ExecutionTimedOut", "MapRunFailed", "FailStateEntered", "ExecutionAborted", "MapIterationFailed",
    };

    public ExecutionAnalysis(IReadOnlyList<StoredEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var stateOf = new Dictionary<long, string?>();
        var attributed = new List<AttributedEvent>(events.Count);
        foreach (var e in events)
        {
            var body = JsonNode.Parse(e.DetailsJson) is JsonObject d && d.Count > 0 ? d.First().Value as JsonObject : null;
            string? state;
            if (e.Type.EndsWith("StateEntered", StringComparison.Ordinal) || e.Type.EndsWith("StateExited", StringComparison.Ordinal))
            {
                state = body?["name"]?.GetValue<string>();
            }
            else
            {
                stateOf.TryGetValue(e.PreviousEventId, out state);
            }

            // After a state exits, the events that follow belong to the next state, not to it.
            stateOf[e.Id] = e.Type.EndsWith("StateExited", StringComparison.Ordinal) ? null : state;
            attributed.Add(new AttributedEvent(e, state, body));
        }

        Events = attributed;
        StateStatus = ComputeStatuses(attributed);
        Spans = ComputeSpans(attributed);
        Attempts = ComputeAttempts(attributed);
        MapRuns = ComputeMapRuns(attributed);
    }

    public IReadOnlyList<AttributedEvent> Events { get; }

    /// <summary>succeeded, failed, running or caught per state name; states never entered are absent.</summary>
    public IReadOnlyDictionary<string, string> StateStatus { get; }

    public IReadOnlyList<StateSpan> Spans { get; }

    public IReadOnlyList<TaskAttempt> Attempts { get; }

    public IReadOnlyList<MapRunView> MapRuns { get; }

    private static Dictionary<string, string> ComputeStatuses(List<AttributedEvent> events)
    {
        var status = new Dictionary<string, string>(StringComparer.Ordinal);
        var failedNow = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            var type = e.Event.Type;
            if (type == "ExecutionRedriven")
            {
                failedNow.Clear();
            }

            if (e.State is null)
            {
                continue;
            }

            if (type.EndsWith("StateEntered", StringComparison.Ordinal))
            {
                if (!(status.TryGetValue(e.State, out var before) && before == "succeeded"))
                {
                    status[e.State] = type == "FailStateEntered" ? "failed" : "running";
                }
            }
            else if (type.EndsWith("StateExited", StringComparison.Ordinal))
            {
                status[e.State] = failedNow.Remove(e.State) ? "caught" : "succeeded";
            }
            else if (FailureTypes.Contains(type))
            {
                status[e.State] = "failed";
                failedNow.Add(e.State);
            }
        }

        return status;
    }

    private static List<StateSpan> ComputeSpans(List<AttributedEvent> events)
    {
        var open = new Dictionary<string, Queue<(DateTimeOffset Start, bool Failed)>>(StringComparer.Ordinal);
        var spans = new List<StateSpan>();
        var failed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (e.State is null)
            {
                continue;
            }

            if (e.Event.Type.EndsWith("StateEntered", StringComparison.Ordinal))
            {
                if (!open.TryGetValue(e.State, out var queue))
                {
                    open[e.State] = queue = new Queue<(DateTimeOffset, bool)>();
                }

                queue.Enqueue((e.Event.Timestamp, false));
            }
            else if (e.Event.Type.EndsWith("StateExited", StringComparison.Ordinal) && open.TryGetValue(e.State, out var queue) && queue.Count > 0)
            {
                var (start, _) = queue.Dequeue();
                spans.Add(new StateSpan(e.State, start, e.Event.Timestamp, failed.Remove(e.State) ? "caught" : "succeeded"));
            }
            else if (FailureTypes.Contains(e.Event.Type))
            {
                failed.Add(e.State);
            }
        }

        foreach (var (state, queue) in open)
        {
            foreach (var (start, _) in queue)
            {
                spans.Add(new StateSpan(state, start, null, failed.Contains(state) ? "failed" : "running"));
            }
        }

        return spans.OrderBy(s => s.Start).ToList();
    }

    private static List<TaskAttempt> ComputeAttempts(List<AttributedEvent> events)
    {
        var attempts = new List<TaskAttempt>();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var pending = new Dictionary<string, (int Attempt, DateTimeOffset Start)>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (e.State is null)
            {
                continue;
            }

            var type = e.Event.Type;
            if (type is "TaskScheduled" or "LambdaFunctionScheduled")
            {
                var n = counts[e.State] = counts.GetValueOrDefault(e.State) + 1;
                pending[e.State] = (n, e.Event.Timestamp);
            }
            else if (pending.TryGetValue(e.State, out var p) && (type.StartsWith("Task", StringComparison.Ordinal) || type.StartsWith("LambdaFunction", StringComparison.Ordinal))
                     && (type.EndsWith("Succeeded", StringComparison.Ordinal) || FailureTypes.Contains(type)))
            {
                pending.Remove(e.State);
                attempts.Add(new TaskAttempt(e.State, p.Attempt, p.Start, e.Event.Timestamp,
                    type.EndsWith("Succeeded", StringComparison.Ordinal) ? "succeeded" : "failed", e.Field("error"), e.Field("cause")));
            }
        }

        attempts.AddRange(pending.Select(p => new TaskAttempt(p.Key, p.Value.Attempt, p.Value.Start, null, "running", null, null)));
        return attempts;
    }

    private static List<MapRunView> ComputeMapRuns(List<AttributedEvent> events)
    {
        var runs = new List<MapRunView>();
        var items = new Dictionary<string, SortedDictionary<int, string>>(StringComparer.Ordinal);
        var lengths = new Dictionary<string, int?>(StringComparer.Ordinal);
        var arns = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            var type = e.Event.Type;
            if (type == "MapStateStarted" && e.State is not null)
            {
                lengths[e.State] = e.Body?["length"]?.GetValue<int>();
                items[e.State] = [];
            }
            else if (type == "MapRunStarted" && e.State is not null)
            {
                arns[e.State] = e.Field("mapRunArn");
                items.TryAdd(e.State, []);
            }
            else if (type.StartsWith("MapIteration", StringComparison.Ordinal) && e.Body?["name"]?.GetValue<string>() is { } mapName
                     && e.Body["index"] is JsonValue indexValue && indexValue.TryGetValue<int>(out var index))
            {
                if (!items.TryGetValue(mapName, out var list))
                {
                    items[mapName] = list = [];
                }

                list[index] = type["MapIteration".Length..].ToLowerInvariant();
            }
        }

        foreach (var (state, list) in items)
        {
            runs.Add(new MapRunView(state, lengths.GetValueOrDefault(state), list.Select(kv => (kv.Key, kv.Value)).ToList(), arns.GetValueOrDefault(state)));
        }

        return runs;
    }
}
