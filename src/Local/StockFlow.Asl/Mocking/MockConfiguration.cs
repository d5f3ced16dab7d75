using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace StockFlow.Asl.Mocking;

/// <summary>
/// The Step Functions Local mock configuration (<c>MockConfigFile.json</c>):
/// <c>{"StateMachines":{"sm":{"TestCases":{"case":{"State":"ResponseName"}}}},"MockedResponses":{"ResponseName":{"0":{"Return":...},"1-2":{"Throw":{"Error":"..","Cause":".."}}}}}</c>.
/// </summary>
public sealed class MockConfiguration
{
    private const int MaxRangeLength = 100_000;

    private MockConfiguration(
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>> stateMachines,
        IReadOnlyDictionary<string, MockedResponse> mockedResponses)
    {
        StateMachines = stateMachines;
        MockedResponses = mockedResponses;
    }

    /// <summary>State machine name → test case name → Task state name → mocked response name.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>> StateMachines { get; }

    /// <summary>The named responses test cases refer to, their numbered outcomes expanded (a range <c>"1-2"</c> gives two).</summary>
    public IReadOnlyDictionary<string, MockedResponse> MockedResponses { get; }

    /// <exception cref="MockConfigurationException">The text is not JSON or not in the mock configuration format.</exception>
    public static MockConfiguration Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new MockConfigurationException("$", $"not valid JSON: {e.Message}");
        }

        var top = AsObject(root, "$");
        foreach (var (key, _) in top)
        {
            if (key is not ("StateMachines" or "MockedResponses"))
                throw new MockConfigurationException($"$.{key}", "unknown field; expected StateMachines and MockedResponses");
        }

        var responses = ParseResponses(top["MockedResponses"], "$.MockedResponses");
        var machines = ParseStateMachines(top["StateMachines"], "$.StateMachines", responses);
        return new MockConfiguration(machines, responses);
    }

    /// <summary>The state → response-name map of one test case.</summary>
    /// <exception cref="KeyNotFoundException">The state machine or test case is not configured.</exception>
    public IReadOnlyDictionary<string, string> GetTestCase(string stateMachine, string testCase)
    {
        if (!StateMachines.TryGetValue(stateMachine, out var cases))
            throw new KeyNotFoundException($"The mock configuration has no state machine '{stateMachine}' (it has: {Names(StateMachines.Keys)})");
        if (!cases.TryGetValue(testCase, out var states))
            throw new KeyNotFoundException($"State machine '{stateMachine}' has no test case '{testCase}' in the mock configuration (it has: {Names(cases.Keys)})");
        return states;
    }

    private static string Names(IEnumerable<string> names)
    {
        var list = names.Order(StringComparer.Ordinal).ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list);
    }

    private static Dictionary<string, MockedResponse> ParseResponses(JsonNode? node, string path)
    {
        var result = new Dictionary<string, MockedResponse>(StringComparer.Ordinal);
        foreach (var (name, value) in AsObject(node, path))
        {
            var at = $"{path}.{name}";
            result[name] = new MockedResponse(name, ParseOutcomes(AsObject(value, at), at));
        }

        return result;
    }

    /// <summary>Expands "0", "1-2", ... into one outcome per invocation; the keys must cover 0..N without gaps or overlaps.</summary>
    private static List<MockedOutcome> ParseOutcomes(JsonObject entries, string path)
    {
        if (entries.Count == 0)
            throw new MockConfigurationException(path, "a mocked response needs at least one numbered entry such as \"0\"");
        var byInvocation = new SortedDictionary<int, MockedOutcome>();
        foreach (var (key, value) in entries)
        {
            var at = $"{path}[\"{key}\"]";
            var (from, to) = ParseRange(key, at);
            var outcome = ParseOutcome(AsObject(value, at), at);
            for (var i = from; i <= to; i++)
            {
                if (!byInvocation.TryAdd(i, outcome))
                    throw new MockConfigurationException(at, $"invocation {i} is given more than one response");
            }
        }

        var expected = 0;
        foreach (var invocation in byInvocation.Keys)
        {
            if (invocation != expected)
                throw new MockConfigurationException(path, $"invocation {expected} has no response; numbers must run from 0 without gaps");
            expected++;
        }

        return [.. byInvocation.Values];
    }

    private static (int From, int To) ParseRange(string key, string path)
    {
        var parts = key.Split('-');
        if (parts.Length is 1 or 2 && parts.All(IsNumber))
        {
            var from = int.Parse(parts[0], CultureInfo.InvariantCulture);
            var to = int.Parse(parts[^1], CultureInfo.InvariantCulture);
            if (to < from)
                throw new MockConfigurationException(path, $"the range '{key}' ends before it starts");
            if (to - from >= MaxRangeLength)
                throw new MockConfigurationException(path, $"the range '{key}' is longer than {MaxRangeLength}");
            return (from, to);
        }

        throw new MockConfigurationException(path, $"'{key}' is not an invocation number (\"0\") or inclusive range (\"1-2\")");

        static bool IsNumber(string s) =>
            s.Length is > 0 and <= 9 && s.All(char.IsAsciiDigit);
    }

    private static MockedOutcome ParseOutcome(JsonObject entry, string path)
    {
        if (entry.Count != 1 || !(entry.ContainsKey("Return") || entry.ContainsKey("Throw")))
            throw new MockConfigurationException(path, "each entry must contain exactly one field, 'Return' or 'Throw'");
        if (entry.TryGetPropertyValue("Return", out var value))
            return new MockedReturn(value?.DeepClone());

        var thrown = AsObject(entry["Throw"], $"{path}.Throw");
        return new MockedThrow(
            RequiredString(thrown, "Error", $"{path}.Throw"),
            RequiredString(thrown, "Cause", $"{path}.Throw"));
    }

    private static Dictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>> ParseStateMachines(
        JsonNode? node, string path, Dictionary<string, MockedResponse> responses)
    {
        var machines = new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>>(StringComparer.Ordinal);
        foreach (var (machineName, machineNode) in AsObject(node, path))
        {
            var machinePath = $"{path}.{machineName}";
            var machine = AsObject(machineNode, machinePath);
            if (machine.Count != 1 || !machine.ContainsKey("TestCases"))
                throw new MockConfigurationException(machinePath, "a state machine entry must contain only 'TestCases'");
            var cases = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
            foreach (var (caseName, caseNode) in AsObject(machine["TestCases"], $"{machinePath}.TestCases"))
            {
                var casePath = $"{machinePath}.TestCases.{caseName}";
                var states = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (stateName, responseNode) in AsObject(caseNode, casePath))
                {
                    var at = $"{casePath}.{stateName}";
                    if (responseNode is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
                        throw new MockConfigurationException(at, "must be the name of a mocked response (a string)");
                    var responseName = v.GetValue<string>();
                    if (!responses.ContainsKey(responseName))
                        throw new MockConfigurationException(at, $"names the mocked response '{responseName}', which is not defined in MockedResponses");
                    states[stateName] = responseName;
                }

                cases[caseName] = states;
            }

            machines[machineName] = cases;
        }

        return machines;
    }

    private static JsonObject AsObject(JsonNode? node, string path) =>
        node as JsonObject ?? throw new MockConfigurationException(path, node is null ? "missing or null; an object is required" : "must be an object");

    private static string RequiredString(JsonObject obj, string field, string path) =>
        obj[field] is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw new MockConfigurationException($"{path}.{field}", "a string is required");
}
