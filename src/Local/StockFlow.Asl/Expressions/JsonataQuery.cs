using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using StockFlow.Jsonata;

namespace StockFlow.Asl.Expressions;

/// <summary>
/// What a JSONata expression of a state may read: <c>$states</c> (input, result, errorOutput, context) and the
/// workflow variables. Engine copies of the payloads are made once per scope and only when an expression reads
/// them, so a Map's ItemSelector over many items converts the Map's input once.
/// </summary>
public sealed class JsonataScope
{
    private readonly Dictionary<string, object?> variableCache = new(StringComparer.Ordinal);
    private object? states;
    private object? statesWithContext;

    /// <summary>A scope over a state's input and variables, without a result or error yet.</summary>
    /// <param name="input"><c>$states.input</c>: the state's raw input.</param>
    /// <param name="variables">The workflow variables (<c>$name</c>); null for none.</param>
    /// <param name="context">Builds <c>$states.context</c> on first read; null when there is none to read.</param>
    public JsonataScope(JsonNode? input, IReadOnlyDictionary<string, JsonNode?>? variables, Func<JsonNode?>? context = null)
    {
        Input = input;
        Variables = variables;
        Context = context;
    }

    /// <summary><c>$states.input</c>: the state's raw input.</summary>
    public JsonNode? Input { get; }

    /// <summary>The workflow variables, read as <c>$name</c>; null for none.</summary>
    public IReadOnlyDictionary<string, JsonNode?>? Variables { get; }

    /// <summary>The context object, built only when an expression reads <c>$states.context</c>.</summary>
    public Func<JsonNode?>? Context { get; }

    /// <summary>The task, Map or Parallel result (set after it succeeded): <c>$states.result</c>.</summary>
    public JsonNode? Result { get; init; }

    /// <summary><c>$states.result</c> exists (the state succeeded), even when <see cref="Result"/> is null.</summary>
    public bool HasResult { get; init; }

    /// <summary>The error a Catch handles: <c>$states.errorOutput</c>.</summary>
    public JsonNode? ErrorOutput { get; init; }

    /// <summary><c>$states.errorOutput</c> exists (a Catch is handling an error).</summary>
    public bool HasErrorOutput { get; init; }

    /// <summary>Engine copy of the input, shared by the scopes derived from this one.</summary>
    private Lazy<object?>? engineInput;

    /// <summary>The same payloads with another context (a Map item's), reusing the converted input.</summary>
    public JsonataScope WithContext(Func<JsonNode?> context) => new(Input, Variables, context)
    {
        Result = Result,
        HasResult = HasResult,
        ErrorOutput = ErrorOutput,
        HasErrorOutput = HasErrorOutput,
        engineInput = EngineInputLazy(),
    };

    /// <summary>The same input and variables with the state's result.</summary>
    public JsonataScope WithResult(JsonNode? result) => new(Input, Variables, Context)
    {
        Result = result,
        HasResult = true,
        engineInput = EngineInputLazy(),
    };

    private Lazy<object?> EngineInputLazy() => engineInput ??= new Lazy<object?>(() => JsonText.FromNode(Input));

    /// <summary>$states; the context object is built and converted only for expressions that can read it.</summary>
    internal object? States(bool withContext)
    {
        if (withContext && Context is not null)
        {
            if (statesWithContext is null)
            {
                var full = NewStates();
                full["context"] = JsonText.FromNode(Context());
                statesWithContext = full;
            }

            return statesWithContext;
        }

        return states ??= NewStates();
    }

    private JObject NewStates()
    {
        var obj = new JObject { ["input"] = EngineInputLazy().Value };
        if (HasResult) obj["result"] = JsonText.FromNode(Result);
        if (HasErrorOutput) obj["errorOutput"] = JsonText.FromNode(ErrorOutput);
        return obj;
    }

    internal bool TryVariable(string name, out object? value)
    {
        if (variableCache.TryGetValue(name, out value)) return true;
        if (Variables is null || !Variables.TryGetValue(name, out var node))
        {
            value = null;
            return false;
        }

        value = JsonText.FromNode(node);
        variableCache[name] = value;
        return true;
    }
}

/// <summary>
/// Step Functions' JSONata: <c>{% ... %}</c> expressions in state fields, evaluated with <c>$states</c>, the workflow
/// variables and the functions Step Functions adds. Failures are <c>States.QueryEvaluationError</c> with AWS's cause
/// ("The JSONata expression '...' specified for the field '...' returned nothing (undefined)." / "... threw an error
/// during evaluation. T0410: ..."). Compiled expressions are cached by their text.
/// </summary>
public static class JsonataQuery
{
    private const string Open = "{%";
    private const string Close = "%}";

    private static readonly ConcurrentDictionary<string, Compiled> Cache = new(StringComparer.Ordinal);
    private static readonly Regex VariableReference = new(@"\$([\p{L}\p{N}_]+)", RegexOptions.Compiled | RegexOptions.CultureInvariant);

    /// <summary>A string written as <c>{% expression %}</c>.</summary>
    public static bool IsExpression(string? text) =>
        text is not null && text.Length >= 4 && text.StartsWith(Open, StringComparison.Ordinal) && text.EndsWith(Close, StringComparison.Ordinal);

    /// <summary>A JSON value that is a <c>{% expression %}</c> string.</summary>
    public static bool IsExpression(JsonNode? node, out string expression)
    {
        if (node is JsonValue v && v.TryGetValue<string>(out var s) && IsExpression(s))
        {
            expression = Inner(s);
            return true;
        }

        expression = string.Empty;
        return false;
    }

    /// <summary>The expression between the delimiters.</summary>
    public static string Inner(string text) => text[Open.Length..^Close.Length].Trim();

    /// <summary>Parses an expression as AWS does when a definition is created; the message is jsonata's without its code.</summary>
    public static string? SyntaxError(string expression)
    {
        try
        {
            _ = Compile(expression);
            return null;
        }
        catch (JsonataException e)
        {
            return e.Message;
        }
    }

    /// <summary>Evaluates one expression (the text between the delimiters) for <paramref name="field"/>; undefined is an error.</summary>
    /// <exception cref="StatesErrorException">States.QueryEvaluationError.</exception>
    public static JsonNode? Evaluate(string expression, JsonataScope scope, string field)
    {
        var value = EvaluateRaw(expression, scope, field);
        if (value is null)
            throw new StatesErrorException(StatesErrors.QueryEvaluationError, $"The JSONata expression '{expression}' specified for the field '{field}' returned nothing (undefined).") { Location = field };
        return JsonText.ToNode(value);
    }

    /// <summary>
    /// A field's value: a <c>{% %}</c> string is evaluated; objects and arrays are walked and every expression in
    /// them evaluated (its field named with '/key' and '[i]'); anything else is a literal.
    /// </summary>
    public static JsonNode? EvaluateTemplate(JsonNode? template, JsonataScope scope, string field)
    {
        switch (template)
        {
            case JsonObject o:
            {
                var result = new JsonObject();
                foreach (var (key, value) in o)
                {
                    result[key] = Detach(EvaluateTemplate(value, scope, field + "/" + key));
                }

                return result;
            }

            case JsonArray a:
            {
                var result = new JsonArray();
                for (var i = 0; i < a.Count; i++)
                {
                    result.Add(Detach(EvaluateTemplate(a[i], scope, field + "[" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]")));
                }

                return result;
            }

            default:
                return IsExpression(template, out var expression) ? Evaluate(expression, scope, field) : template?.DeepClone();
        }
    }

    /// <summary>Evaluates and returns the engine value (C# null = undefined) for callers that test truthiness or types.</summary>
    internal static object? EvaluateRaw(string expression, JsonataScope scope, string field)
    {
        Compiled compiled;
        try
        {
            compiled = Compile(expression);
        }
        catch (JsonataException e)
        {
            throw Threw(expression, field, e);
        }

        // Only what the expression names is bound: a variable of the workflow shadows a Step Functions function.
        var bindings = new Dictionary<string, object?>(compiled.Variables.Length, StringComparer.Ordinal);
        foreach (var name in compiled.Variables)
        {
            if (name == "states")
                bindings["states"] = scope.States(compiled.ReadsContext);
            else if (scope.TryVariable(name, out var value))
                bindings[name] = value;
            else if (StatesFunctions.Bindings.TryGetValue(name, out var function))
                bindings[name] = function;
        }

        try
        {
            return compiled.Expression.Evaluate(null, bindings);
        }
        catch (JsonataException e)
        {
            throw Threw(expression, field, e);
        }
        catch (StatesFunctionException e)
        {
            throw new StatesErrorException(StatesErrors.QueryEvaluationError, $"The JSONata expression '{expression}' specified for the field '{field}' threw an error during evaluation: {e.Message}") { Location = field };
        }
    }

    private static StatesErrorException Threw(string expression, string field, JsonataException e) =>
        new(StatesErrors.QueryEvaluationError, $"The JSONata expression '{expression}' specified for the field '{field}' threw an error during evaluation. {e.Code}: {e.Message}", e) { Location = field };

    private static Compiled Compile(string expression)
    {
        if (Cache.TryGetValue(expression, out var compiled)) return compiled;
        var names = VariableReference.Matches(expression).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        // "context" anywhere in the text (also $states["context"] or a $lookup) builds the context object.
        compiled = new Compiled(JsonataExpression.Compile(expression), names.ToArray(), expression.Contains("context", StringComparison.Ordinal));
        if (Cache.Count < 10_000) Cache.TryAdd(expression, compiled);
        return compiled;
    }

    private static JsonNode? Detach(JsonNode? node) => node?.Parent is null ? node : node.DeepClone();

    private sealed record Compiled(JsonataExpression Expression, string[] Variables, bool ReadsContext);
}
