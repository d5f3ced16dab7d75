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

    /// <summary>The key the state has in its machine's <c>States</c> object; <c>Next</c>, <c>Default</c> and Catch refer to it.</summary>
    public string Name { get; }

    /// <summary>The ASL type name (Pass, Task, ...), also the prefix of its history events.</summary>
    public string Type { get; }

    /// <summary>The state's <c>Comment</c>; null when absent. Never affects a run.</summary>
    public string? Comment { get; }

    /// <summary>The state to run after this one; null for a terminal state (<see cref="End"/>) and for Choice, Succeed and Fail.</summary>
    public string? Next { get; }

    /// <summary><c>"End": true</c>: the state ends its machine (or branch, or Map iteration) with its output.</summary>
    public bool End { get; }

    /// <summary>Selects the part of the raw input the state works on; <see cref="PathField.Null"/> gives it <c>{}</c>. Always <see cref="PathField.Default"/> in JSONata states.</summary>
    public PathField InputPath { get; }

    /// <summary>Selects the part of the state's output passed on; <see cref="PathField.Null"/> passes <c>{}</c>. Always <see cref="PathField.Default"/> in JSONata states.</summary>
    public PathField OutputPath { get; }

    /// <summary>
    /// Workflow variables the state sets when it completes (ASL variables, visible to later states as <c>$name</c>): values
    /// are payload templates in JSONPath states and <c>{% %}</c> expressions in JSONata states. Null when absent.
    /// </summary>
    public JsonObject? Assign { get; }

    /// <summary>"QueryLanguage": "JSONata" (the state's own or its machine's): fields are {% %} expressions, no paths.</summary>
    public bool Jsonata { get; }

    /// <summary>JSONata: the state's output (a value with {% %} expressions), when <see cref="HasOutput"/>.</summary>
    public JsonNode? Output { get; }

    /// <summary>JSONata: the state has an <c>Output</c> field (even one written as <c>null</c>); otherwise its output is its result, or its input.</summary>
    public bool HasOutput { get; }

    /// <summary>The state's JSON as written (read-only by convention).</summary>
    public JsonObject Json { get; }

    /// <summary>JSON pointer of the state in the definition (e.g. <c>/States/Fetch</c>), which errors and validation problems name.</summary>
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

    /// <summary>
    /// Where the result goes in the state's input to form its output: the default <c>$</c> replaces the input,
    /// <see cref="PathField.Null"/> discards the result and keeps the input. Always <see cref="PathField.Default"/> in JSONata states.
    /// </summary>
    public PathField ResultPath { get; }

    /// <summary>JSONPath: a payload template applied to the raw result before <see cref="ResultPath"/>; null in JSONata states and when absent.</summary>
    public JsonObject? ResultSelector { get; }

    /// <summary>JSONata: what the task, the branches or (Map) nothing receives; absent means the state input.</summary>
    public JsonNode? Arguments { get; }

    /// <summary>The <c>Retry</c> entries in order; the first whose <see cref="Retrier.ErrorEquals"/> matches an error decides. Empty when absent.</summary>
    public IReadOnlyList<Retrier> Retry { get; }

    /// <summary>The <c>Catch</c> entries in order, consulted when retries are exhausted or none matched. Empty when absent.</summary>
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

/// <summary>A Pass state: passes its input (or a fixed <c>Result</c>, or its <c>Parameters</c>) on without doing work.</summary>
public sealed class PassStateDefinition : StateDefinition
{
    internal PassStateDefinition(string name, DefinitionReader r) : base(name, r)
    {
        HasResult = r.Has("Result");
        Result = r.Raw("Result");
        Parameters = r.Raw("Parameters");
        ResultPath = r.Path("ResultPath");
    }

    /// <summary>The state has a <c>Result</c> field, so <c>"Result": null</c> (a null result) differs from no <c>Result</c> (the input is the result).</summary>
    public bool HasResult { get; }

    /// <summary>The fixed result, used as written (no path or template evaluation); see <see cref="HasResult"/>.</summary>
    public JsonNode? Result { get; }

    /// <summary>A payload template that builds the result from the effective input; null when absent.</summary>
    public JsonNode? Parameters { get; }

    /// <summary>Where the result goes in the input (see <see cref="ResultStateDefinition.ResultPath"/>).</summary>
    public PathField ResultPath { get; }
}

/// <summary>A Task state: one call through the <see cref="ITaskInvoker"/> to the resource it names, with timeouts, Retry and Catch.</summary>
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

    /// <summary>The resource ARN as written, e.g. a Lambda function ARN or <c>arn:aws:states:::aws-sdk:glue:startCrawler</c>; a <c>.waitForTaskToken</c> suffix adds <c>$$.Task.Token</c>.</summary>
    public string Resource { get; }

    /// <summary>JSONPath: the payload template that builds what the task receives; null in JSONata states (see <see cref="ResultStateDefinition.Arguments"/>) and when the effective input is sent as is.</summary>
    public JsonNode? Parameters { get; }

    /// <summary>Seconds the task may run before it fails with <c>States.Timeout</c> (at least 1); null when not given as a number (see <see cref="TimeoutSecondsPath"/>, <see cref="TimeoutSecondsExpression"/>), and then without a limit when neither is given.</summary>
    public int? TimeoutSeconds { get; }

    /// <summary>JSONPath: a reference path into the effective input that gives <see cref="TimeoutSeconds"/> when the state runs.</summary>
    public string? TimeoutSecondsPath { get; }

    /// <summary>JSONata: TimeoutSeconds as an expression.</summary>
    public string? TimeoutSecondsExpression { get; }

    /// <summary>JSONata: <see cref="HeartbeatSeconds"/> as an expression.</summary>
    public string? HeartbeatSecondsExpression { get; }

    /// <summary>
    /// Seconds allowed between heartbeats; null when not given as a number. Tasks here send no heartbeats, so a task
    /// that runs this long (and less than <see cref="TimeoutSeconds"/>) fails with <c>States.HeartbeatTimeout</c>.
    /// </summary>
    public int? HeartbeatSeconds { get; }

    /// <summary>JSONPath: a reference path that gives <see cref="HeartbeatSeconds"/> when the state runs.</summary>
    public string? HeartbeatSecondsPath { get; }

    /// <summary>History's resourceType (lambda, aws-sdk:glue, glue, ...).</summary>
    public string ResourceType { get; }

    /// <summary>History's resource (invoke, startCrawler, startJobRun.sync, or a function ARN).</summary>
    public string ResourceName { get; }

    /// <summary>The region named in <see cref="Resource"/>; null when the ARN names none (service integrations), and then history reports the execution's region.</summary>
    public string? Region { get; }
}

/// <summary>A Choice state: picks the next state by the first matching rule, or <see cref="Default"/>.</summary>
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

    /// <summary>The rules as written, in order; each has a <c>Next</c> that names a sibling state (checked when loading). Never empty.</summary>
    public IReadOnlyList<JsonObject> Choices { get; }

    /// <summary>The state to go to when no rule matches; null means the state fails with <c>States.NoChoiceMatched</c>.</summary>
    public string? Default { get; }

    internal override bool NeedsTransition => false;
}

/// <summary>A Wait state: delays for a number of seconds or until a timestamp (exactly one of the four forms, checked when loading).</summary>
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

    /// <summary>Seconds to wait (0 or more), when written as a number.</summary>
    public double? Seconds { get; }

    /// <summary>JSONPath: a reference path that gives the seconds to wait when the state runs.</summary>
    public string? SecondsPath { get; }

    /// <summary>JSONata: Seconds as an expression.</summary>
    public string? SecondsExpression { get; }

    /// <summary>JSONata: Timestamp as an expression.</summary>
    public string? TimestampExpression { get; }

    /// <summary>An RFC 3339 timestamp to wait until (checked when loading); in JSONata states an expression goes to <see cref="TimestampExpression"/> instead.</summary>
    public string? Timestamp { get; }

    /// <summary>JSONPath: a reference path that gives the RFC 3339 timestamp to wait until.</summary>
    public string? TimestampPath { get; }
}

/// <summary>A Succeed state: ends its machine (or branch, or iteration) successfully with its output.</summary>
public sealed class SucceedStateDefinition : StateDefinition
{
    internal SucceedStateDefinition(string name, DefinitionReader r) : base(name, r) { }

    internal override bool NeedsTransition => false;
}

/// <summary>A Fail state: ends the execution with an error and a cause, which an enclosing Catch may handle.</summary>
public sealed class FailStateDefinition : StateDefinition
{
    internal FailStateDefinition(string name, DefinitionReader r) : base(name, r)
    {
        Error = r.String("Error");
        Cause = r.String("Cause");
        ErrorPath = r.String("ErrorPath");
        CausePath = r.String("CausePath");
    }

    /// <summary>The error name (a literal, or in JSONata states a <c>{% %}</c> expression); null with no <see cref="ErrorPath"/> gives an empty error.</summary>
    public string? Error { get; }

    /// <summary>The human-readable cause (a literal, or in JSONata states an expression); null with no <see cref="CausePath"/> gives an empty cause.</summary>
    public string? Cause { get; }

    /// <summary>JSONPath: a reference path or intrinsic function that must give the error name as a string.</summary>
    public string? ErrorPath { get; }

    /// <summary>JSONPath: a reference path or intrinsic function that must give the cause as a string.</summary>
    public string? CausePath { get; }

    internal override bool NeedsTransition => false;
}

/// <summary>A Parallel state: runs every branch on the same input; the result is the array of branch outputs, in branch order.</summary>
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

    /// <summary>The branches, each a machine of its own (its states see only their siblings).</summary>
    public IReadOnlyList<StateMachineDefinition> Branches { get; }

    /// <summary>JSONPath: a payload template that builds the branches' input; null in JSONata states and when absent.</summary>
    public JsonNode? Parameters { get; }
}
