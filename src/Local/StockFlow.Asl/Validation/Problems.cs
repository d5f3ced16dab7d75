using System.Text.Json;
using System.Text.Json.Nodes;
using StockFlow.Asl.Expressions;

namespace StockFlow.Asl.Validation;

/// <summary>Collects problems and holds the small typed checks every validator part repeats.</summary>
internal sealed class Problems
{
    private readonly List<AslProblem> items = [];

    public IReadOnlyList<AslProblem> Items => items;

    public static string Child(string pointer, string name) =>
        $"{pointer}/{name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)}";

    public static string Child(string pointer, int index) => $"{pointer}/{index}";

    public void Add(string pointer, string message) => items.Add(new AslProblem(pointer, message));

    public void RejectUnknownFields(JsonObject obj, string pointer, IReadOnlySet<string> allowed, string where)
    {
        foreach (var (key, _) in obj)
        {
            if (allowed.Contains(key))
                continue;
            var hint = JsonataOnlyFields.Contains(key) ? $" ('{key}' belongs to JSONata states: set \"QueryLanguage\": \"JSONata\" on the state or the state machine)" : string.Empty;
            Add(Child(pointer, key), $"Field '{key}' is not allowed in {where}{hint}");
        }
    }

    /// <summary>Fields of a JSONata state: JSONPath-only fields are named with what replaces them.</summary>
    public void RejectUnknownJsonataFields(JsonObject obj, string pointer, IReadOnlySet<string> allowed, string where)
    {
        foreach (var (key, _) in obj)
        {
            if (allowed.Contains(key))
                continue;
            var hint = StateFields.JsonataReplacement.TryGetValue(key, out var instead) ? $" (a JSONPath field; in JSONata {instead})" : string.Empty;
            Add(Child(pointer, key), $"Field '{key}' is not allowed in {where} whose QueryLanguage is JSONata{hint}");
        }
    }

    /// <summary>Every {% %} string in a JSONata field must parse; ".$" keys mean nothing in JSONata and are reported.</summary>
    public void JsonataTemplate(JsonNode? template, string pointer)
    {
        switch (template)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key.EndsWith(".$", StringComparison.Ordinal))
                        Add(Child(pointer, key), $"'{key}': keys ending in '.$' are JSONPath; in a JSONata state write '{key[..^2]}' with a {{% ... %}} expression");
                    JsonataTemplate(value, Child(pointer, key));
                }

                break;
            case JsonArray arr:
                for (var i = 0; i < arr.Count; i++)
                    JsonataTemplate(arr[i], Child(pointer, i));
                break;
            default:
                if (JsonValues.TryGetString(template, out var text))
                    JsonataText(text, pointer);
                break;
        }
    }

    /// <summary>A string in a JSONata field: a {% %} expression must parse (AWS refuses the definition otherwise).</summary>
    public void JsonataText(string text, string pointer)
    {
        if (JsonataQuery.IsExpression(text))
        {
            if (JsonataQuery.SyntaxError(JsonataQuery.Inner(text)) is { } error)
                Add(pointer, $"The JSONata expression '{JsonataQuery.Inner(text)}' is not valid: {error}");
        }
        else if (text.TrimStart().StartsWith("{%", StringComparison.Ordinal))
        {
            Add(pointer, "A JSONata expression must be written as \"{% expression %}\" (it starts with '{%' but does not end with '%}')");
        }
    }

    /// <summary>A field that takes a number or a {% %} expression (JSONata states).</summary>
    public void JsonataNumber(JsonObject obj, string field, string pointer, long min, long max, bool integer)
    {
        if (!obj.TryGetPropertyValue(field, out var value))
            return;
        var at = Child(pointer, field);
        if (JsonValues.TryGetString(value, out var text) && JsonataQuery.IsExpression(text))
        {
            JsonataText(text, at);
            return;
        }

        if (!(JsonValues.TryGetDecimal(value, out var d) && (!integer || d == decimal.Truncate(d)) && d >= min && d <= max))
            Add(at, $"'{field}' must be {(integer ? "an integer" : "a number")} from {min} to {max}, or a {{% ... %}} expression, but is {JsonValues.ToJson(value)}");
    }

    private static readonly HashSet<string> JsonataOnlyFields = new(StringComparer.Ordinal) { "Arguments", "Output", "Condition", "Items" };

    public bool IsString(JsonObject obj, string field, string pointer, bool required = false)
    {
        if (!obj.TryGetPropertyValue(field, out var value))
        {
            if (required)
                Add(pointer, $"Missing required field '{field}'");
            return false;
        }

        if (JsonValues.IsString(value))
            return true;
        Add(Child(pointer, field), $"'{field}' must be a string but is {JsonValues.TypeName(value)}");
        return false;
    }

    /// <summary>Checks an optional integer field against a lower bound; returns its value when valid.</summary>
    public long? Integer(JsonObject obj, string field, string pointer, long min, string rule)
    {
        if (!obj.TryGetPropertyValue(field, out var value))
            return null;
        if (JsonValues.TryGetDecimal(value, out var d) && d == decimal.Truncate(d) && d >= min && d <= long.MaxValue)
            return (long)d;
        Add(Child(pointer, field), $"'{field}' must be {rule} but is {JsonValues.ToJson(value)}");
        return null;
    }

    public void Boolean(JsonObject obj, string field, string pointer)
    {
        if (obj.TryGetPropertyValue(field, out var value) && !JsonValues.IsBoolean(value))
            Add(Child(pointer, field), $"'{field}' must be a boolean but is {JsonValues.TypeName(value)}");
    }

    public JsonObject? Object(JsonObject obj, string field, string pointer, bool required = false)
    {
        if (!obj.TryGetPropertyValue(field, out var value))
        {
            if (required)
                Add(pointer, $"Missing required field '{field}'");
            return null;
        }

        if (value is JsonObject o)
            return o;
        Add(Child(pointer, field), $"'{field}' must be an object but is {JsonValues.TypeName(value)}");
        return null;
    }

    public JsonArray? Array(JsonObject obj, string field, string pointer, bool required = false, bool nonEmpty = false)
    {
        if (!obj.TryGetPropertyValue(field, out var value))
        {
            if (required)
                Add(pointer, $"Missing required field '{field}'");
            return null;
        }

        if (value is not JsonArray a)
        {
            Add(Child(pointer, field), $"'{field}' must be an array but is {JsonValues.TypeName(value)}");
            return null;
        }

        if (nonEmpty && a.Count == 0)
            Add(Child(pointer, field), $"'{field}' must not be empty");
        return a;
    }

    /// <summary>
    /// A path field. <paramref name="reference"/> demands a Reference Path (single value, starting at <c>$</c>);
    /// <paramref name="nullable"/> allows JSON null (InputPath/OutputPath/ResultPath).
    /// </summary>
    public void Path(JsonObject obj, string field, string pointer, bool reference, bool nullable = false, bool allowIntrinsic = false)
    {
        if (!obj.TryGetPropertyValue(field, out var value))
            return;
        if (value is null && nullable)
            return;
        var at = Child(pointer, field);
        if (!JsonValues.TryGetString(value, out var text))
        {
            Add(at, $"'{field}' must be a {(nullable ? "path string or null" : "path string")} but is {JsonValues.TypeName(value)}");
            return;
        }

        PathText(text, at, field, reference, allowIntrinsic);
    }

    public void PathText(string text, string at, string field, bool reference, bool allowIntrinsic)
    {
        if (allowIntrinsic && IntrinsicFunctions.IsIntrinsic(text))
        {
            if (IntrinsicFunctions.ValidateSyntax(text) is { } problem)
                Add(at, problem);
            return;
        }

        if (!JsonPath.TryParse(text, out var path, out var error))
        {
            Add(at, $"'{field}': {error}");
            return;
        }

        if (reference && (!path!.IsDefinite || path.Segments.Any(s => s is PropertyUnionSegment)))
            Add(at, $"'{field}' must be a Reference Path (a single value: no wildcard, filter, slice, union or '..'), but is '{text}'");
        else if (field == "ResultPath" && path!.Root != JsonPathRoot.Input)
            Add(at, $"'ResultPath' writes into the state input, so it must start with '$.' (not the context object or a variable), but is '{text}'");
    }

    /// <summary>Parameters-like templates: every <c>.$</c> key must hold a valid path or intrinsic.</summary>
    public void Template(JsonNode? template, string pointer)
    {
        switch (template)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    var at = Child(pointer, key);
                    if (key.EndsWith(".$", StringComparison.Ordinal))
                    {
                        if (!JsonValues.TryGetString(value, out var text))
                            Add(at, $"The value of '{key}' must be a path or intrinsic function string but is {JsonValues.TypeName(value)}");
                        else
                            PathText(text, at, key, reference: false, allowIntrinsic: true);
                        if (obj.ContainsKey(key[..^2]))
                            Add(at, $"'{key[..^2]}' is defined both statically and as '{key}'");
                    }
                    else
                    {
                        Template(value, at);
                    }
                }

                break;
            case JsonArray arr:
                for (var i = 0; i < arr.Count; i++)
                    Template(arr[i], Child(pointer, i));
                break;
        }
    }
}
