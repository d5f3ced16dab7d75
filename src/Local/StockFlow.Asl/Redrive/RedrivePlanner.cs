using System.Text.Json;
using System.Text.Json.Nodes;
using StockFlow.Asl.Execution;
using StockFlow.Asl.History;
using StockFlow.Asl.Model;

namespace StockFlow.Asl.Redrive;

/// <summary>What a redrive starts from, worked out from the recorded events.</summary>
internal sealed record RedrivePlan(JsonNode? Input, DateTimeOffset StartTime, int RedriveCount, BlockResume? Root, CompletedRun? CompletedOutput);

/// <summary>The events show the last state finished but the run never recorded its end.</summary>
internal sealed record CompletedRun(JsonNode? Output);

/// <summary>
/// Rebuilds, from a flat event list, which branch/iteration each event belongs to (by following
/// PreviousEventId), then where each of them stopped: the state it was in, its input, its variables,
/// and which iterations/branches had already finished with which output.
/// </summary>
internal static class RedrivePlanner
{
    public static RedrivePlan Plan(StateMachineDefinition definition, IReadOnlyList<HistoryEvent> events)
    {
        if (events.Count == 0 || events[0].Type != "ExecutionStarted")
            throw new InvalidOperationException("Cannot redrive: the history does not start with ExecutionStarted.");
        for (var i = 1; i < events.Count; i++)
        {
            if (events[i].Id <= events[i - 1].Id)
                throw new InvalidOperationException("Cannot redrive: the events are not in increasing id order.");
        }

        var last = events[^1].Type;
        if (last == "ExecutionSucceeded")
            throw new InvalidOperationException("Cannot redrive: the execution succeeded.");

        var input = ParseJson(events[0].Field("input"));
        var redriveCount = events.Count(e => e.Type == "ExecutionRedriven") + 1;
        var root = new Scope(definition, null);
        var scopeOf = new Dictionary<long, Scope>();
        var byId = new Dictionary<long, HistoryEvent>();
        foreach (var e in events)
        {
            byId[e.Id] = e;
            var parent = scopeOf.TryGetValue(e.PreviousEventId, out var p) ? p : root;
            var scope = parent;
            if (e.Type == "MapIterationStarted")
            {
                scope = parent.Iteration(e.Body?["index"]?.GetValue<int>() ?? throw Bad(e, "index"));
            }
            else if (byId.TryGetValue(e.PreviousEventId, out var prev) && prev.Type == "ParallelStateStarted" && e.Type.EndsWith("StateEntered", StringComparison.Ordinal))
            {
                scope = parent.Branch(e.Field("name") ?? throw Bad(e, "name"));
            }

            scopeOf[e.Id] = scope;
            scope.Apply(e);
        }

        var resume = root.Resume();
        if (root.FinishedOutput is { } finished) return new RedrivePlan(input, events[0].Timestamp, redriveCount, null, new CompletedRun(finished.Value));
        return new RedrivePlan(input, events[0].Timestamp, redriveCount, resume, null);
    }

    private static InvalidOperationException Bad(HistoryEvent e, string field) =>
        new($"Cannot redrive: event #{e.Id} ({e.Type}) has no '{field}'.");

    internal static JsonNode? ParseJson(string? text)
    {
        if (text is null) return null;
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException("Cannot redrive: a recorded payload is not valid JSON: " + e.Message, e);
        }
    }

    /// <summary>One block's events: the top level, a branch or an iteration.</summary>
    private sealed class Scope(StateMachineDefinition block, Scope? owner)
    {
        private readonly List<KeyValuePair<string, JsonNode?>> variables = [];
        private Pending? pending;

        private StateMachineDefinition Block => block;

        public bool Succeeded { get; private set; }

        public bool Failed { get; private set; }

        public string? LastOutput { get; private set; }

        /// <summary>Set when the block's last state exited and was terminal.</summary>
        public StrongBox<JsonNode?>? FinishedOutput =>
            pending is { Exited: true } p && block.States.TryGetValue(p.Name, out var s) && IsTerminal(s)
                ? new StrongBox<JsonNode?>(ParseJson(LastOutput))
                : null;

        public Scope Iteration(int index)
        {
            var children = pending?.Children ?? throw new InvalidOperationException("Cannot redrive: a Map iteration started outside a Map state.");
            if (children.TryGetValue(index, out var existing) && !existing.Succeeded) return existing;
            var map = block.States[pending.Name] as MapStateDefinition
                ?? throw new InvalidOperationException($"Cannot redrive: iteration events under '{pending.Name}', which is not a Map state.");
            var scope = new Scope(map.Processor, this);
            children[index] = scope;
            return scope;
        }

        public Scope Branch(string firstStateName)
        {
            var children = pending?.Children ?? throw new InvalidOperationException("Cannot redrive: a branch started outside a Parallel state.");
            var parallel = block.States[pending.Name] as ParallelStateDefinition
                ?? throw new InvalidOperationException($"Cannot redrive: branch events under '{pending.Name}', which is not a Parallel state.");
            var index = -1;
            for (var i = 0; i < parallel.Branches.Count; i++)
            {
                if (parallel.Branches[i].States.ContainsKey(firstStateName)) index = i;
            }

            if (index < 0) throw new InvalidOperationException($"Cannot redrive: no branch of '{pending.Name}' has a state '{firstStateName}'. Was the definition changed?");
            if (children.TryGetValue(index, out var existing) && !existing.Succeeded) return existing;
            var scope = new Scope(parallel.Branches[index], this);
            children[index] = scope;
            return scope;
        }

        public void Apply(HistoryEvent e)
        {
            _ = owner;
            var type = e.Type;
            if (type.EndsWith("StateEntered", StringComparison.Ordinal))
            {
                var name = e.Field("name") ?? throw Bad(e, "name");
                if (!block.States.ContainsKey(name))
                    throw new InvalidOperationException($"Cannot redrive: the history enters state '{name}', which this definition does not have here.");

                // Entering the same unfinished state again is a redrive's re-entry: keep what its children did.
                if (pending is { Exited: false } p && p.Name == name) p.Input = e.Field("input");
                else pending = new Pending(name, e.Field("input"));
                Failed = false;
            }
            else if (type.EndsWith("StateExited", StringComparison.Ordinal))
            {
                if (pending is not null) pending.Exited = true;
                LastOutput = e.Field("output");
                if (e.Body?["assignedVariables"] is JsonObject assigned)
                {
                    foreach (var (k, v) in assigned)
                        variables.Add(new(k, ParseJson(v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : v?.ToJsonString())));
                }

                if (owner is not null && pending is not null && block.States.TryGetValue(pending.Name, out var st) && IsTerminal(st) && IsBranch)
                    Succeeded = true;
            }
            else if (type is "MapRunStarted" or "MapRunRedriven")
            {
                // A Distributed Map's children are not in this history: remember the Map Run, whose children the store keeps.
                if (pending is not null) pending.MapRunArn = e.Field("mapRunArn");
            }
            else if (type == "MapIterationSucceeded")
            {
                Succeeded = true;
            }
            else if (type is "MapIterationFailed" or "MapIterationAborted")
            {
                Failed = true;
            }
        }

        /// <summary>A Parallel branch has no end event of its own: it is done when its terminal state exits.</summary>
        private bool IsBranch => owner?.pending is { } op && owner.Block.States.TryGetValue(op.Name, out var s) && s is ParallelStateDefinition;

        public BlockResume? Resume()
        {
            if (pending is null) return null;
            var state = block.States[pending.Name];
            StateResume? nested = null;
            if ((pending.Children.Count > 0 || pending.MapRunArn is not null) && state is MapStateDefinition or ParallelStateDefinition)
            {
                var children = new Dictionary<int, ChildResume>();
                foreach (var (index, child) in pending.Children)
                {
                    children[index] = child.Succeeded
                        ? new ChildResume(true, ParseJson(child.LastOutput), null)
                        : new ChildResume(false, null, child.Resume());
                }

                nested = new StateResume(children, pending.MapRunArn);
            }

            return new BlockResume(pending.Name, ParseJson(pending.Input), variables.ToList(), nested);
        }

        private static bool IsTerminal(StateDefinition s) => s is SucceedStateDefinition || (s.End && s is not ChoiceStateDefinition && s is not FailStateDefinition);
    }

    private sealed class Pending(string name, string? input)
    {
        public string Name { get; } = name;

        public string? Input { get; set; } = input;

        public bool Exited { get; set; }

        public Dictionary<int, Scope> Children { get; } = [];

        /// <summary>The Map Run a Distributed Map state started (the latest one if it was retried).</summary>
        public string? MapRunArn { get; set; }
    }

    private sealed class StrongBox<T>(T value)
    {
        public T Value { get; } = value;
    }
}
