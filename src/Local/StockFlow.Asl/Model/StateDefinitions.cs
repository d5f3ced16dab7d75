using System.Text.Json.Nodes;

namespace StockFlow.Asl.Model;

/// <summary>What every state has: name, type, transitions, I/O paths and workflow-variable assignments.</summary>
public abstract class StateDefinition
{
    private protected StateDefinition(string name, DefinitionReader r)
    {
        Name = name;
        Type = r.RequiredString("Type");
        Comment = r.String("Comment");
        Next = r.String("Next");
        End = r.Bool("End");
        Jsonata = r.Jsonata;
        // JSONata states have no path fields (the validator reports them); they pass everything through.
        InputPath = Jsonata ? PathField.Default : r.Path("InputPath");
        OutputPath = Jsonata ? PathField.Default : r.Path("OutputPath");
        Assign = r.Object("Assign");
        HasOutput = Jsonata && r.Has("Output");
        Output = Jsonata ? r.Raw("Output") : null;
        Json = r.Json;
        Pointer = r.Pointer;
        UsesContext = ReferencesContext(r.Json);
    }

    public string Name { get; }

    /// <summary>The ASL type name (Pass, Task, ...), also the prefix of its history events.</summary>
    public string Type { get; }

    public string? Comment { get; }

    public string? Next { get; }

    public bool End { get; }

    public PathField InputPath { get; }

    public PathField OutputPath { get; }

    public JsonObject? Assign { get; }

    /// <summary>"QueryLanguage": "JSONata" (the state's own or its machine's): fields are {% %} expressions, no paths.</summary>
    public bool Jsonata { get; }

    /// <summary>JSONata: the state's output (a value with {% %} expressions), when <see cref="HasOutput"/>.</summary>
    public JsonNode? Output { get; }

    public bool HasOutput { get; }

    /// <summary>The state's JSON as written (read-only by convention).</summary>
    public JsonObject Json { get; }

    public string Pointer { get; }

    /// <summary>True when some field of the state reads <c>$$</c>; lets the interpreter skip building the context object.</summary>
    internal bool UsesContext { get; }

    /// <summary>States that can transition to Next/End (not Choice, Succeed, Fail).</summary>
    internal virtual bool NeedsTransition => true;

    private static bool ReferencesContext(JsonNode? node) => node switch
    {
        JsonObject o => o.Any(p => ReferencesContext(p.Value) && p.Key is not "Iterator" and not "ItemProcessor" and not "Branches"),
        JsonArray a => a.Any(ReferencesContext),
        JsonValue v when v.TryGetValue<string>(out var s) => s.Contains("$$", StringComparison.Ordinal) || s.Contains("$states.context", StringComparison.Ordinal),
        _ => false,
    };

    internal void CheckTransition(IReadOnlyDictionary<string, JsonObject> siblings)
    {
        if (!NeedsTransition) return;
        if (End && Next is not null)
            throw new AslDefinitionException(Pointer, $"State '{Name}' has both 'End' and 'Next'.");
        if (!End && Next is null)
            throw new AslDefinitionException(Pointer, $"State '{Name}' needs 'Next' or 'End': true.");
        if (Next is not null && !siblings.ContainsKey(Next))
            throw new AslDefinitionException(Pointer + "/Next", $"State '{Name}' names an unknown Next state '{Next}'.");
    }
}

/// <summary>Task, Map and Parallel: produce a result, may Retry and Catch.</summary>
public abstract class ResultStateDefinition : StateDefinition
{
    private protected ResultStateDefinition(string name, DefinitionReader r) : base(name, r)
    {
        ResultPath = r.Jsonata ? PathField.Default : r.Path("ResultPath");
        ResultSelector = r.Jsonata ? null : r.Object("ResultSelector");
        Arguments = r.Jsonata ? r.Raw("Arguments") : null;
        Retry = ParseRetriers(r);
        Catch = ParseCatchers(r);
    }

    public PathField ResultPath { get; }

    public JsonObject? ResultSelector { get; }

    /// <summary>JSONata: what the task, the branches or (Map) nothing receives; absent means the state input.</summary>
    public JsonNode? Arguments { get; }

    public IReadOnlyList<Retrier> Retry { get; }

    public IReadOnlyList<Catcher> Catch { get; }

    private static List<Retrier> ParseRetriers(DefinitionReader r)
    {
        var arr = r.Array("Retry");
        var list = new List<Retrier>();
        if (arr is null) return list;
        for (var i = 0; i < arr.Count; i++)
        {
            var p = r.Child("Retry") + "/" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (arr[i] is not JsonObject o) throw new AslDefinitionException(p, "A retrier must be an object.");
            list.Add(Retrier.Parse(new DefinitionReader(o, p)));
        }

        return list;
    }

    private static List<Catcher> ParseCatchers(DefinitionReader r)
    {
        var arr = r.Array("Catch");
        var list = new List<Catcher>();
        if (arr is null) return list;
        for (var i = 0; i < arr.Count; i++)
        {
            var p = r.Child("Catch") + "/" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (arr[i] is not JsonObject o) throw new AslDefinitionException(p, "A catcher must be an object.");
            list.Add(Catcher.Parse(new DefinitionReader(o, p, r.Jsonata)));
        }

        return list;
    }
}

public sealed class PassStateDefinition : StateDefinition
{
    internal PassStateDefinition(string name, DefinitionReader r) : base(name, r)
    {
        HasResult = r.Has("Result");
        Result = r.Raw("Result");
        Parameters = r.Raw("Parameters");
        ResultPath = r.Path("ResultPath");
    }

    public bool HasResult { get; }

    public JsonNode? Result { get; }

    public JsonNode? Parameters { get; }

    public PathField ResultPath { get; }
}

public sealed class TaskStateDefinition : ResultStateDefinition
{
    internal TaskStateDefinition(string name, DefinitionReader r) : base(name, r)
    {
        Resource = r.RequiredString("Resource");
        Parameters = r.Jsonata ? null : r.Raw("Parameters");
        (TimeoutSeconds, TimeoutSecondsExpression) = r.IntegerOrExpression("TimeoutSeconds", 1);
        TimeoutSecondsPath = r.String("TimeoutSecondsPath");
        (HeartbeatSeconds, HeartbeatSecondsExpression) = r.IntegerOrExpression("HeartbeatSeconds", 1);
        HeartbeatSecondsPath = r.String("HeartbeatSecondsPath");
        (ResourceType, ResourceName, Region) = ResourceArn.Describe(Resource);
    }

    public string Resource { get; }

    public JsonNode? Parameters { get; }

    public int? TimeoutSeconds { get; }

    public string? TimeoutSecondsPath { get; }

    /// <summary>JSONata: TimeoutSeconds as an expression.</summary>
    public string? TimeoutSecondsExpression { get; }

    public string? HeartbeatSecondsExpression { get; }

    public int? HeartbeatSeconds { get; }

    public string? HeartbeatSecondsPath { get; }

    /// <summary>History's resourceType (lambda, aws-sdk:glue, glue, ...).</summary>
    public string ResourceType { get; }

    /// <summary>History's resource (invoke, startCrawler, startJobRun.sync, or a function ARN).</summary>
    public string ResourceName { get; }

    public string? Region { get; }
}

public sealed class ChoiceStateDefinition : StateDefinition
{
    internal ChoiceStateDefinition(string name, DefinitionReader r) : base(name, r)
    {
        var arr = r.Array("Choices") ?? throw new AslDefinitionException(r.Child("Choices"), $"Choice state '{name}' needs 'Choices'.");
        if (arr.Count == 0) throw new AslDefinitionException(r.Child("Choices"), "'Choices' must not be empty.");
        var rules = new List<JsonObject>(arr.Count);
        for (var i = 0; i < arr.Count; i++)
        {
            var p = r.Child("Choices") + "/" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (arr[i] is not JsonObject o) throw new AslDefinitionException(p, "A choice rule must be an object.");
            var next = new DefinitionReader(o, p).RequiredString("Next");
            _ = next;
            rules.Add(o);
        }

        Choices = rules;
        Default = r.String("Default");
    }

    public IReadOnlyList<JsonObject> Choices { get; }

    public string? Default { get; }

    internal override bool NeedsTransition => false;
}

public sealed class WaitStateDefinition : StateDefinition
{
    internal WaitStateDefinition(string name, DefinitionReader r) : base(name, r)
    {
        (Seconds, SecondsExpression) = r.NumberOrExpression("Seconds");
        SecondsPath = r.String("SecondsPath");
        Timestamp = r.String("Timestamp");
        if (r.Jsonata && Expressions.JsonataQuery.IsExpression(Timestamp))
        {
            TimestampExpression = Expressions.JsonataQuery.Inner(Timestamp!);
            Timestamp = null;
        }

        TimestampPath = r.String("TimestampPath");
        var count = (Seconds is null && SecondsExpression is null ? 0 : 1) + (SecondsPath is null ? 0 : 1)
            + (Timestamp is null && TimestampExpression is null ? 0 : 1) + (TimestampPath is null ? 0 : 1);
        if (count != 1)
            throw new AslDefinitionException(r.Pointer, $"Wait state '{name}' needs exactly one of Seconds, SecondsPath, Timestamp, TimestampPath.");
        if (Seconds is < 0) throw new AslDefinitionException(r.Child("Seconds"), "'Seconds' must be >= 0.");
        if (Timestamp is not null && !Expressions.Rfc3339Timestamp.TryParse(Timestamp, out _))
            throw new AslDefinitionException(r.Child("Timestamp"), "'Timestamp' must be an RFC3339 timestamp.");
    }

    public double? Seconds { get; }

    public string? SecondsPath { get; }

    /// <summary>JSONata: Seconds as an expression.</summary>
    public string? SecondsExpression { get; }

    /// <summary>JSONata: Timestamp as an expression.</summary>
    public string? TimestampExpression { get; }

    public string? Timestamp { get; }

    public string? TimestampPath { get; }
}

public sealed class SucceedStateDefinition : StateDefinition
{
    internal SucceedStateDefinition(string name, DefinitionReader r) : base(name, r) { }

    internal override bool NeedsTransition => false;
}

public sealed class FailStateDefinition : StateDefinition
{
    internal FailStateDefinition(string name, DefinitionReader r) : base(name, r)
    {
        Error = r.String("Error");
        Cause = r.String("Cause");
        ErrorPath = r.String("ErrorPath");
        CausePath = r.String("CausePath");
    }

    public string? Error { get; }

    public string? Cause { get; }

    public string? ErrorPath { get; }

    public string? CausePath { get; }

    internal override bool NeedsTransition => false;
}

public sealed class ParallelStateDefinition : ResultStateDefinition
{
    internal ParallelStateDefinition(string name, DefinitionReader r) : base(name, r)
    {
        var arr = r.Array("Branches") ?? throw new AslDefinitionException(r.Child("Branches"), $"Parallel state '{name}' needs 'Branches'.");
        var list = new List<StateMachineDefinition>(arr.Count);
        for (var i = 0; i < arr.Count; i++)
        {
            var p = r.Child("Branches") + "/" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (arr[i] is not JsonObject o) throw new AslDefinitionException(p, "A branch must be an object.");
            list.Add(StateMachineDefinition.FromJson(o, p, r.MachineJsonata));
        }

        Branches = list;
        Parameters = r.Jsonata ? null : r.Raw("Parameters");
    }

    public IReadOnlyList<StateMachineDefinition> Branches { get; }

    public JsonNode? Parameters { get; }
}
