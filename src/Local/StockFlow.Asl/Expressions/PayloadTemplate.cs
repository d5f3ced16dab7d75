using System.Text.Json.Nodes;

namespace StockFlow.Asl.Expressions;

/// <summary>
/// Parameters / ItemSelector / ResultSelector templates: keys ending in <c>.$</c> take the value of a
/// path or intrinsic (and lose the suffix); everything else is copied literally, recursively.
/// Never apply this to a Pass state's <c>Result</c>, which is literal.
/// </summary>
public static class PayloadTemplate
{
    private const string DynamicSuffix = ".$";

    /// <summary>Builds the payload from <paramref name="template"/> (which is not changed) by reading <paramref name="scope"/>.</summary>
    /// <param name="template">The template as written; null gives null.</param>
    /// <param name="scope">What paths and intrinsics read.</param>
    /// <exception cref="StatesErrorException">
    /// <c>States.Runtime</c> when a <c>.$</c> value is not a string, not a valid path or intrinsic, or a path finds nothing
    /// (AWS's wording: "The JSONPath '$.x' specified for the field 'x.$' could not be found in the input '...'"), or when a
    /// field is given both as <c>x</c> and <c>x.$</c>; an intrinsic's own errors.
    /// </exception>
    public static JsonNode? Evaluate(JsonNode? template, PayloadScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return template switch
        {
            JsonObject obj => EvaluateObject(obj, scope),
            JsonArray arr => new JsonArray(arr.Select(item => Evaluate(item, scope)).ToArray()),
            _ => template?.DeepClone(),
        };
    }

    private static JsonObject EvaluateObject(JsonObject template, PayloadScope scope)
    {
        var output = new JsonObject();
        foreach (var (key, value) in template)
        {
            string name;
            JsonNode? evaluated;
            if (key.EndsWith(DynamicSuffix, StringComparison.Ordinal))
            {
                name = key[..^DynamicSuffix.Length];
                evaluated = EvaluateDynamic(key, value, scope);
            }
            else
            {
                name = key;
                evaluated = Evaluate(value, scope);
            }

            if (output.ContainsKey(name))
            {
                throw new StatesErrorException(
                    StatesErrors.Runtime,
                    $"The field '{name}' is defined twice in the payload template (as '{name}' and '{name}.$')");
            }

            output[name] = evaluated;
        }

        return output;
    }

    private static JsonNode? EvaluateDynamic(string field, JsonNode? value, PayloadScope scope)
    {
        if (!JsonValues.TryGetString(value, out var expression))
        {
            throw new StatesErrorException(
                StatesErrors.Runtime,
                $"The value for the field '{field}' must be a STRING that contains a JSONPath but was an {JsonValues.TypeName(value)}");
        }

        if (IntrinsicFunctions.IsIntrinsic(expression))
            return IntrinsicFunctions.Evaluate(expression, scope);

        JsonPath path;
        try
        {
            path = JsonPath.Parse(expression);
        }
        catch (JsonPathSyntaxException e)
        {
            throw new StatesErrorException(
                StatesErrors.Runtime,
                $"The value for the field '{field}' must be a valid JSONPath or a valid intrinsic function call: {e.Message}", e);
        }

        if (!path.TryEvaluate(scope, out var result))
        {
            var source = path.Root switch
            {
                JsonPathRoot.Context => scope.Context,
                JsonPathRoot.Variable => null,
                _ => scope.Input,
            };
            // AWS's wording, e.g. "The JSONPath '$.JobName' specified for the field 'JobName.$' could not be found in the input '{}'".
            var where = path.Root == JsonPathRoot.Variable
                ? $"the variable '{path.VariableName}'"
                : $"the {(path.Root == JsonPathRoot.Context ? "context object" : "input")} '{JsonValues.ToJson(source)}'";
            throw new StatesErrorException(
                StatesErrors.Runtime,
                $"The JSONPath '{expression}' specified for the field '{field}' could not be found in {where}");
        }

        return result;
    }
}
