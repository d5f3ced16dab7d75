using System.Text.Json.Nodes;

namespace StockFlow.Asl.Expressions;

/// <summary>The <c>States.*</c> intrinsic functions of JSONPath-mode ASL.</summary>
public static class IntrinsicFunctions
{
    /// <summary>True when a <c>.$</c> value is an intrinsic call rather than a path.</summary>
    public static bool IsIntrinsic(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        return expression.TrimStart().StartsWith("States.", StringComparison.Ordinal);
    }

    /// <summary>Null when the expression is a well-formed call of a known function with a valid argument count; otherwise the problem.</summary>
    public static string? ValidateSyntax(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        try
        {
            IntrinsicParser.Parse(expression);
            return null;
        }
        catch (IntrinsicSyntaxException e)
        {
            return e.Message;
        }
    }

    /// <summary>
    /// Evaluates the call (nested calls first). Bad arguments and argument paths that find nothing are
    /// <c>States.Runtime</c>, as AWS reports them ("Invalid arguments in States.MathAdd"); a malformed call (which AWS
    /// refuses when the definition is created) is <c>States.IntrinsicFailure</c>.
    /// </summary>
    public static JsonNode? Evaluate(string expression, PayloadScope scope)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(scope);
        IntrinsicCall call;
        try
        {
            call = IntrinsicParser.Parse(expression);
        }
        catch (IntrinsicSyntaxException e)
        {
            throw new StatesErrorException(StatesErrors.IntrinsicFailure, e.Message, e);
        }

        return Invoke(call, scope);
    }

    private static JsonNode? Invoke(IntrinsicCall call, PayloadScope scope)
    {
        var values = new List<JsonNode?>(call.Arguments.Count);
        foreach (var argument in call.Arguments)
            values.Add(Resolve(call.Name, argument, scope));
        return IntrinsicLibrary.Invoke(call, values);
    }

    private static JsonNode? Resolve(string function, IntrinsicArgument argument, PayloadScope scope)
    {
        switch (argument)
        {
            case LiteralArgument literal:
                return literal.Value?.DeepClone();
            case IntrinsicCall nested:
                return Invoke(nested, scope);
            case PathArgument { Path: var path }:
                if (!path.TryEvaluate(scope, out var value))
                {
                    throw new StatesErrorException(
                        StatesErrors.Runtime,
                        $"The JsonPath argument '{path.Text}' of {function} could not be found in the input '{JsonValues.ToJson(scope.Input)}'");
                }

                return value;
            default:
                throw new InvalidOperationException("unknown intrinsic argument kind");
        }
    }
}
