using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using StockFlow.Asl;
using StockFlow.Asl.Expressions;
using StockFlow.Cli.Hosting;
using StockFlow.Jsonata;

namespace StockFlow.Cli.Commands;

/// <summary>
/// <c>stockflow asl eval</c>: evaluates one JSONata (or JSONPath) expression against an input, for people writing
/// definitions. Prints <c>{"value":...}</c>, <c>{"undefined":true}</c> (exit 0) or
/// <c>{"error":{"code","message","position"}}</c> (exit 1). JSONata gets Step Functions' functions ($partition,
/// $range, $hash, $random, $uuid, $parse) as a state would; $eval stays available here although AWS removes it.
/// </summary>
internal sealed class AslEvalCommand
{
    // Deep (non-tail) recursion needs more stack than a default thread has; the engine stops at its budget with U1001.
    private const int EvaluationStackBytes = 64 * 1024 * 1024;

    // The printed JSON keeps characters as they are ("+", quotes in messages) rather than \u escapes.
    private static readonly JsonSerializerOptions Output = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly Dictionary<string, object?> StepFunctionsFunctions =
        StatesFunctions.Bindings.Where(b => b.Key != "eval").ToDictionary(b => b.Key, b => b.Value, StringComparer.Ordinal);

    private readonly Option<string> _language = new("--query-language") { Description = "jsonata (default) or jsonpath.", DefaultValueFactory = _ => "jsonata" };
    private readonly Option<string> _expression = new("--expression") { Description = "The expression (JSONata, or a JSONPath / intrinsic function).", Required = true };
    private readonly Option<string?> _input = new("--input") { Description = "The input: JSON, or @file. Without it the input is undefined (not null)." };
    private readonly Option<string?> _bindings = new("--bindings") { Description = "Variables as a JSON object (name to value, read as $name), or @file." };

    public static Command Create() => new AslEvalCommand().Build();

    private Command Build()
    {
        _language.AcceptOnlyFromAmong("jsonata", "jsonpath", "JSONata", "JSONPath");
        var command = new Command("eval", "Evaluate one expression and print {\"value\":...}, {\"undefined\":true} or {\"error\":{\"code\",\"message\",\"position\"}}.")
        {
            _language, _expression, _input, _bindings,
        };
        CliAction.Set(command, Execute);
        return command;
    }

    private int Execute(ParseResult parse, CliConsole console)
    {
        var inputText = parse.GetValue(_input) is { } i ? ReadArgument(i, "--input") : null;
        var bindingsText = parse.GetValue(_bindings) is { } b ? ReadArgument(b, "--bindings") : null;
        var result = string.Equals(parse.GetValue(_language), "jsonpath", StringComparison.OrdinalIgnoreCase)
            ? EvaluateJsonPath(parse.GetValue(_expression)!, inputText, bindingsText)
            : EvaluateJsonata(parse.GetValue(_expression)!, inputText, bindingsText);
        console.Out.WriteLine(result.ToJsonString(Output));
        return result.ContainsKey("error") ? ExitCodes.Failure : ExitCodes.Success;
    }

    private static string ReadArgument(string value, string option) =>
        value.StartsWith('@') ? InputFiles.ReadText(value[1..], $"The {option} file") : value;

    private static JsonObject EvaluateJsonata(string expression, string? inputText, string? bindingsText)
    {
        var input = inputText == null ? null : ParseJson(inputText, "--input", JsonText.Parse);
        var variables = new Dictionary<string, object?>(StepFunctionsFunctions, StringComparer.Ordinal);
        if (bindingsText != null)
        {
            if (ParseJson(bindingsText, "--bindings", JsonText.Parse) is not JObject obj)
                throw new CliUsageException("--bindings must be a JSON object (name to value).");
            foreach (var (name, value) in obj)
                variables[name.StartsWith('$') ? name[1..] : name] = value;
        }

        JsonObject? result = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    var value = JsonataExpression.Compile(expression).Evaluate(
                        input,
                        variables,
                        new JsonataOptions { MaxDepth = 100_000, MaxStackBytes = EvaluationStackBytes - (8 * 1024 * 1024) });
                    result = value switch
                    {
                        null => new JsonObject { ["undefined"] = true },

                        // a function is not JSON; jsonata-js serialises it as "" (as $string does)
                        JsonataFunction => new JsonObject { ["value"] = string.Empty },

                        // parsed from the engine's own text so numbers keep JavaScript's formatting (1e+21)
                        _ => new JsonObject { ["value"] = JsonNode.Parse(JsonText.Stringify(value)) },
                    };
                }
                catch (JsonataException e)
                {
                    result = Error(e.Code, e.Message, e.Position);
                }
                catch (StatesFunctionException e)
                {
                    result = Error(StatesErrors.QueryEvaluationError, e.Message, null);
                }
            },
            EvaluationStackBytes);
        thread.Start();
        thread.Join();
        return result!;
    }

    private static JsonObject EvaluateJsonPath(string expression, string? inputText, string? bindingsText)
    {
        var input = inputText == null ? null : ParseJson(inputText, "--input", t => JsonNode.Parse(t));
        var variables = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (bindingsText != null)
        {
            if (ParseJson(bindingsText, "--bindings", t => JsonNode.Parse(t)) is not JsonObject obj)
                throw new CliUsageException("--bindings must be a JSON object (name to value).");
            foreach (var (name, value) in obj)
                variables[name.StartsWith('$') ? name[1..] : name] = value?.DeepClone();
        }

        var scope = new PayloadScope(input, null, variables);
        try
        {
            if (IntrinsicFunctions.IsIntrinsic(expression))
                return new JsonObject { ["value"] = IntrinsicFunctions.Evaluate(expression, scope)?.DeepClone() };
            var path = JsonPath.Parse(expression);
            return path.TryEvaluate(scope, out var value) ? new JsonObject { ["value"] = value?.DeepClone() } : new JsonObject { ["undefined"] = true };
        }
        catch (JsonPathSyntaxException e)
        {
            return Error(StatesErrors.Runtime, e.Message, e.Position);
        }
        catch (StatesErrorException e)
        {
            // AWS's cause for bad intrinsic arguments names only the function; the detail helps someone writing one.
            return Error(e.Error, e.InnerException is IntrinsicArgumentException detail ? $"{e.Cause}: {detail.Message}" : e.Cause, null);
        }
    }

    private static T ParseJson<T>(string text, string option, Func<string, T> parse)
    {
        try
        {
            return parse(text);
        }
        catch (JsonException e)
        {
            throw new CliUsageException($"{option} is not valid JSON: {e.Message}", e);
        }
    }

    private static JsonObject Error(string code, string message, int? position)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (position is int p && p >= 0)
            error["position"] = p;
        return new JsonObject { ["error"] = error };
    }
}
