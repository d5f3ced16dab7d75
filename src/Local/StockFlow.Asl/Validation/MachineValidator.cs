using System.Text.Json;
using System.Text.Json.Nodes;
using StockFlow.Asl.Expressions;

namespace StockFlow.Asl.Validation;

internal enum MachineKind
{
    TopLevel,
    Branch,
    ItemProcessor,
}

/// <summary>Checks a state machine or a nested one (Parallel branch, Map processor): StartAt, States, transitions, reachability.</summary>
internal sealed class MachineValidator
{
    private readonly Problems problems;
    private readonly StateValidator states;

    public MachineValidator(Problems problems)
    {
        this.problems = problems;
        states = new StateValidator(problems, this);
    }

    /// <param name="machine">The machine's JSON object.</param>
    /// <param name="pointer">JSON pointer of <paramref name="machine"/> in the definition ("" for the top level).</param>
    /// <param name="kind">Top level, Parallel branch or Map processor: each allows other fields.</param>
    /// <param name="machineJsonata">The query language states default to (the top level's, inherited by nested machines).</param>
    public void Validate(JsonObject machine, string pointer, MachineKind kind, bool machineJsonata)
    {
        var allowed = new HashSet<string>(StringComparer.Ordinal) { "StartAt", "States", "Comment", "QueryLanguage" };
        if (kind == MachineKind.TopLevel)
            allowed.UnionWith(["Version", "TimeoutSeconds"]);
        if (kind == MachineKind.ItemProcessor)
            allowed.Add("ProcessorConfig");
        problems.RejectUnknownFields(machine, pointer, allowed, kind == MachineKind.TopLevel ? "a state machine" : "a nested state machine");
        machineJsonata = CheckQueryLanguage(problems, machine, pointer, machineJsonata, kind == MachineKind.TopLevel ? null : machineJsonata);
        problems.Integer(machine, "TimeoutSeconds", pointer, 1, "a positive integer");
        problems.IsString(machine, "Version", pointer);
        if (kind == MachineKind.ItemProcessor)
            CheckProcessorConfig(machine, pointer);

        var hasStart = problems.IsString(machine, "StartAt", pointer, required: true);
        var stateMap = problems.Object(machine, "States", pointer, required: true);
        if (stateMap is null)
            return;
        var statesPointer = Problems.Child(pointer, "States");
        if (stateMap.Count == 0)
            problems.Add(statesPointer, "'States' must define at least one state");

        var names = stateMap.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, node) in stateMap)
        {
            var statePointer = Problems.Child(statesPointer, name);
            if (node is JsonObject state)
                states.Validate(name, state, statePointer, names, machineJsonata);
            else
                problems.Add(statePointer, $"State '{name}' must be an object");
        }

        if (!hasStart)
            return;
        var start = machine["StartAt"]!.GetValue<string>();
        if (!names.Contains(start))
        {
            problems.Add(Problems.Child(pointer, "StartAt"), $"'StartAt' names '{start}', which is not a state here");
            return;
        }

        foreach (var unreachable in names.Except(Reachable(start, stateMap)).Order(StringComparer.Ordinal))
            problems.Add(Problems.Child(statesPointer, unreachable), $"State '{unreachable}' is not reachable from StartAt '{start}'");
    }

    /// <summary>
    /// QueryLanguage must be JSONPath or JSONata; returns whether the object's states use JSONata. A state machine
    /// whose top level is JSONata cannot have JSONPath states (<paramref name="enclosingJsonata"/> is the top level's
    /// choice when it is one, null for the top level itself).
    /// </summary>
    public static bool CheckQueryLanguage(Problems problems, JsonObject obj, string pointer, bool inherited, bool? enclosingJsonata)
    {
        if (!obj.TryGetPropertyValue("QueryLanguage", out var value))
            return inherited;
        var at = Problems.Child(pointer, "QueryLanguage");
        if (!JsonValues.TryGetString(value, out var language) || language is not ("JSONPath" or "JSONata"))
        {
            problems.Add(at, $"'QueryLanguage' must be \"JSONPath\" or \"JSONata\" but is {JsonValues.ToJson(value)}");
            return inherited;
        }

        if (language == "JSONPath" && enclosingJsonata == true)
            problems.Add(at, "'QueryLanguage' cannot be \"JSONPath\" here: the state machine's QueryLanguage is \"JSONata\", and a JSONata state machine cannot contain JSONPath states");
        return language == "JSONata";
    }

    private void CheckProcessorConfig(JsonObject machine, string pointer)
    {
        if (problems.Object(machine, "ProcessorConfig", pointer) is not { } config)
            return;
        var at = Problems.Child(pointer, "ProcessorConfig");
        problems.RejectUnknownFields(config, at, new HashSet<string>(StringComparer.Ordinal) { "Mode", "ExecutionType" }, "ProcessorConfig");
        if (config.TryGetPropertyValue("Mode", out var mode) && !(JsonValues.TryGetString(mode, out var m) && m is "INLINE" or "DISTRIBUTED"))
            problems.Add(Problems.Child(at, "Mode"), "'Mode' must be \"INLINE\" or \"DISTRIBUTED\"");
        if (config.TryGetPropertyValue("ExecutionType", out var type) && !(JsonValues.TryGetString(type, out var t) && t is "STANDARD" or "EXPRESS"))
            problems.Add(Problems.Child(at, "ExecutionType"), "'ExecutionType' must be \"STANDARD\" or \"EXPRESS\"");
    }

    /// <summary>Every state reachable from StartAt via Next, Default, Choice rules and Catch.</summary>
    private static HashSet<string> Reachable(string start, JsonObject stateMap)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { start };
        var queue = new Queue<string>([start]);
        while (queue.TryDequeue(out var current))
        {
            if (stateMap[current] is not JsonObject state)
                continue;
            foreach (var target in Targets(state))
            {
                if (stateMap.ContainsKey(target) && seen.Add(target))
                    queue.Enqueue(target);
            }
        }

        return seen;
    }

    private static IEnumerable<string> Targets(JsonObject state)
    {
        foreach (var field in new[] { "Next", "Default" })
        {
            if (JsonValues.TryGetString(state[field], out var next))
                yield return next;
        }

        foreach (var section in new[] { "Choices", "Catch" })
        {
            if (state[section] is not JsonArray entries)
                continue;
            foreach (var entry in entries.OfType<JsonObject>())
            {
                if (JsonValues.TryGetString(entry["Next"], out var next))
                    yield return next;
            }
        }
    }
}
