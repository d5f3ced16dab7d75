using System.Text.Json;
using System.Text.Json.Nodes;

namespace StockFlow.Asl.Model;

/// <summary>
/// A loaded state machine (or a Parallel branch / Map processor): StartAt and its states, checked and
/// compiled once so executions never re-read the JSON.
/// </summary>
public sealed class StateMachineDefinition
{
    private StateMachineDefinition(string startAt, IReadOnlyDictionary<string, StateDefinition> states, int? timeoutSeconds, string? comment, JsonObject json)
    {
        StartAt = startAt;
        States = states;
        TimeoutSeconds = timeoutSeconds;
        Comment = comment;
        Json = json;
    }

    /// <summary>The state the machine (or branch, or Map processor) starts with; always one of <see cref="States"/>.</summary>
    public string StartAt { get; }

    /// <summary>The states by name, each loaded and checked (transitions and Catch targets name siblings).</summary>
    public IReadOnlyDictionary<string, StateDefinition> States { get; }

    /// <summary>Seconds the whole execution may run before it fails with <c>States.Timeout</c>; null means no limit.</summary>
    public int? TimeoutSeconds { get; }

    /// <summary>The machine's <c>Comment</c>; null when absent.</summary>
    public string? Comment { get; }

    /// <summary>The machine's JSON as written (read-only by convention).</summary>
    public JsonObject Json { get; }

    /// <exception cref="AslDefinitionException">Invalid JSON or a definition the interpreter cannot run.</exception>
    public static StateMachineDefinition Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            throw new AslDefinitionException(string.Empty, "The definition is not valid JSON: " + e.Message);
        }

        if (node is not JsonObject obj) throw new AslDefinitionException(string.Empty, "The definition must be a JSON object.");
        return FromJson(obj, string.Empty);
    }

    /// <summary>Loads a single state definition on its own (TestState): transitions are not checked against siblings.</summary>
    public static StateDefinition ParseState(string name, string stateJson)
    {
        ArgumentNullException.ThrowIfNull(stateJson);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(stateJson);
        }
        catch (JsonException e)
        {
            throw new AslDefinitionException(string.Empty, "The state definition is not valid JSON: " + e.Message);
        }

        if (node is not JsonObject obj) throw new AslDefinitionException(string.Empty, "The state definition must be a JSON object.");
        return CreateState(name, new DefinitionReader(obj, string.Empty));
    }

    internal static StateMachineDefinition FromJson(JsonObject obj, string pointer, bool machineJsonata = false)
    {
        var r = new DefinitionReader(obj, pointer);
        machineJsonata = QueryLanguageIsJsonata(r) ?? machineJsonata;
        var startAt = r.RequiredString("StartAt");
        var statesJson = r.Object("States") ?? throw new AslDefinitionException(r.Child("States"), "'States' is required.");
        var siblings = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var (name, value) in statesJson)
        {
            if (value is not JsonObject so) throw new AslDefinitionException(r.Child("States") + "/" + name, $"State '{name}' must be an object.");
            siblings[name] = so;
        }

        if (!siblings.ContainsKey(startAt))
            throw new AslDefinitionException(r.Child("StartAt"), $"StartAt names an unknown state '{startAt}'.");
        var states = new Dictionary<string, StateDefinition>(StringComparer.Ordinal);
        foreach (var (name, so) in siblings)
        {
            var sp = new DefinitionReader(obj, pointer).Child("States") + "/" + name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
            var state = CreateState(name, new DefinitionReader(so, sp, machineJsonata: machineJsonata));
            state.CheckTransition(siblings);
            CheckTargets(state, siblings);
            states[name] = state;
        }

        return new StateMachineDefinition(startAt, states, r.Integer("TimeoutSeconds", 1), r.String("Comment"), obj);
    }

    /// <summary>The object's own QueryLanguage: true for JSONata, false for JSONPath, null when it names none.</summary>
    private static bool? QueryLanguageIsJsonata(DefinitionReader r) => r.String("QueryLanguage") switch
    {
        null => null,
        "JSONPath" => false,
        "JSONata" => true,
        var other => throw new AslDefinitionException(r.Child("QueryLanguage"), $"QueryLanguage must be JSONPath or JSONata, not '{other}'."),
    };

    private static StateDefinition CreateState(string name, DefinitionReader r)
    {
        r = new DefinitionReader(r.Json, r.Pointer, QueryLanguageIsJsonata(r) ?? r.MachineJsonata, r.MachineJsonata);
        var type = r.RequiredString("Type");
        return type switch
        {
            "Pass" => new PassStateDefinition(name, r),
            "Task" => new TaskStateDefinition(name, r),
            "Choice" => new ChoiceStateDefinition(name, r),
            "Wait" => new WaitStateDefinition(name, r),
            "Succeed" => new SucceedStateDefinition(name, r),
            "Fail" => new FailStateDefinition(name, r),
            "Map" => new MapStateDefinition(name, r),
            "Parallel" => new ParallelStateDefinition(name, r),
            _ => throw new AslDefinitionException(r.Child("Type"), $"Unknown state type '{type}'."),
        };
    }

    private static void CheckTargets(StateDefinition state, Dictionary<string, JsonObject> siblings)
    {
        if (state is ChoiceStateDefinition choice)
        {
            for (var i = 0; i < choice.Choices.Count; i++)
            {
                var next = choice.Choices[i]["Next"]!.GetValue<string>();
                if (!siblings.ContainsKey(next))
                    throw new AslDefinitionException($"{state.Pointer}/Choices/{i.ToString(System.Globalization.CultureInfo.InvariantCulture)}/Next", $"Choice rule names an unknown state '{next}'.");
            }

            if (choice.Default is not null && !siblings.ContainsKey(choice.Default))
                throw new AslDefinitionException(state.Pointer + "/Default", $"Default names an unknown state '{choice.Default}'.");
        }

        if (state is ResultStateDefinition rs)
        {
            for (var i = 0; i < rs.Catch.Count; i++)
            {
                if (!siblings.ContainsKey(rs.Catch[i].Next))
                    throw new AslDefinitionException($"{state.Pointer}/Catch/{i.ToString(System.Globalization.CultureInfo.InvariantCulture)}/Next", $"Catch names an unknown state '{rs.Catch[i].Next}'.");
            }
        }
    }
}
