using System.Text.Json.Nodes;

namespace StockFlow.Asl.Expressions;

/// <summary>InputPath / OutputPath (and ItemsPath-like selections): pick part of a value with a path.</summary>
public static class InputOutputPaths
{
    /// <summary>
    /// Absent path keeps the value; <c>null</c> gives <c>{}</c> (AWS's behaviour); otherwise the path
    /// is evaluated with <c>$</c> = <paramref name="value"/> and <c>$$</c>/variables from the scope.
    /// A definite path that matches nothing is <c>States.Runtime</c> with AWS's "Invalid path" message.
    /// </summary>
    public static JsonNode? Select(JsonNode? value, string? path, bool pathIsNull, PayloadScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (pathIsNull)
            return new JsonObject();
        if (path is null)
            return value?.DeepClone();

        JsonPath parsed;
        try
        {
            parsed = JsonPath.Parse(path);
        }
        catch (JsonPathSyntaxException e)
        {
            throw new StatesErrorException(StatesErrors.Runtime, e.Message, e);
        }

        if (!parsed.TryEvaluate(scope with { Input = value }, out var selected))
        {
            throw new StatesErrorException(
                StatesErrors.Runtime,
                $"Invalid path '{path}' : No results for path: {Normalized(parsed)}");
        }

        return selected;
    }

    /// <summary>Jayway's bracket form used in AWS's message: <c>$.a.b[0]</c> becomes <c>$['a']['b'][0]</c>.</summary>
    internal static string Normalized(JsonPath path)
    {
        var root = path.Root switch
        {
            JsonPathRoot.Context => "$$",
            JsonPathRoot.Variable => "$" + path.VariableName,
            _ => "$",
        };
        var parts = path.Segments.Select(s => s switch
        {
            PropertySegment p => $"['{p.Name}']",
            IndexSegment i => $"[{i.Index}]",
            PropertyUnionSegment u => "[" + string.Join(", ", u.Names.Select(n => $"'{n}'")) + "]",
            _ => "[*]",
        });
        return root + string.Concat(parts);
    }
}
