namespace StockFlow.Jsonata;

/// <summary>The limits of one evaluation; a new instance holds the defaults each property names.</summary>
public sealed record JsonataOptions
{
    /// <summary>The defaults: depth 2,000, 1 MiB of stack, 10 s.</summary>
    public static readonly JsonataOptions Default = new();

    /// <summary>Deepest nesting of evaluation (recursion) before U1001 is raised. Default 2,000.</summary>
    public int MaxDepth { get; init; } = 2000;

    /// <summary>Stack the evaluation may use before U1001 is raised, in bytes. Default 1 MiB (thread-pool threads have 1.5 MB; run deeper recursion on a thread with a bigger stack and raise this).</summary>
    public int MaxStackBytes { get; init; } = 1024 * 1024;

    /// <summary>Longest an evaluation may run before U1002 is raised. Default 10 s.</summary>
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// A compiled JSONata expression. Compile once, evaluate many times (thread-safe: evaluation state is per call).
/// Values are the engine's: double, string, bool, <see cref="JsonNull"/>, <see cref="JArray"/>, <see cref="JObject"/>,
/// functions; C# null is JSONata's undefined.
/// </summary>
public sealed class JsonataExpression
{
    private readonly Node _ast;

    private JsonataExpression(string source, Node ast)
    {
        Source = source;
        _ast = ast;
    }

    /// <summary>The expression text it was compiled from.</summary>
    public string Source { get; }

    /// <summary>Parses and compiles an expression; syntax errors raise <see cref="JsonataException"/> (S0xxx).</summary>
    public static JsonataExpression Compile(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        return new JsonataExpression(expression, Parser.Parse(expression));
    }

    /// <summary>Evaluates against an input (undefined when null) with optional variable bindings (name without '$').</summary>
    public object? Evaluate(object? input, IReadOnlyDictionary<string, object?>? bindings = null, JsonataOptions? options = null, DateTimeOffset? now = null)
    {
        options ??= JsonataOptions.Default;
        var state = new EvalState
        {
            Timestamp = now ?? DateTimeOffset.UtcNow,
            DeadlineTicks = Environment.TickCount64 + (long)options.TimeLimit.TotalMilliseconds,
            MaxDepth = options.MaxDepth,
            StackBudget = options.MaxStackBytes,
        };
        var env = new Frame(Builtins.Root, state);
        if (bindings != null)
        {
            foreach (var (name, value) in bindings)
            {
                env.Bind(name, value);
            }
        }

        env.Bind("$", input);
        if (input is JArray { Sequence: false } arr)
        {
            var wrapped = JArray.NewSequence(arr);
            wrapped.OuterWrapper = true;
            input = wrapped;
        }

        var result = Evaluator.Evaluate(_ast, input, env);
        return result;
    }

    /// <summary>Evaluates against JSON text and returns the result as JSON text, or null when the result is undefined.</summary>
    public string? EvaluateJson(string? inputJson, IReadOnlyDictionary<string, object?>? bindings = null, JsonataOptions? options = null)
    {
        var input = inputJson == null ? null : JsonText.Parse(inputJson);
        var result = Evaluate(input, bindings, options);
        return result == null ? null : JsonText.Stringify(result);
    }
}
