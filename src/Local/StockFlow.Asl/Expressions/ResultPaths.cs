using System.Text.Json.Nodes;

namespace StockFlow.Asl.Expressions;

/// <summary>ResultPath: where a state's result goes in its raw input.</summary>
public static class ResultPaths
{
    /// <summary>
    /// <c>ResultPath: null</c> keeps the input and discards the result; absent or <c>"$"</c> makes the
    /// result the output; a Reference Path writes the result into a copy of the input, creating missing
    /// objects on the way. Anything that cannot be written is <c>States.ResultPathMatchFailure</c>.
    /// </summary>
    public static JsonNode? Apply(JsonNode? stateInput, string? resultPath, bool resultPathIsNull, JsonNode? result)
    {
        if (resultPathIsNull)
            return stateInput?.DeepClone();
        if (resultPath is null || resultPath == "$")
            return result?.DeepClone();

        var path = ParseReferencePath(resultPath);
        if (path.IsRootOnly)
            return result?.DeepClone();

        var output = stateInput?.DeepClone();
        var current = output;
        var steps = path.Segments;
        for (var i = 0; i < steps.Count; i++)
        {
            var last = i == steps.Count - 1;
            switch (steps[i], current)
            {
                case (PropertySegment p, JsonObject obj):
                    if (last)
                    {
                        obj[p.Name] = result?.DeepClone();
                    }
                    else
                    {
                        if (!obj.TryGetPropertyValue(p.Name, out var child) || child is null)
                        {
                            child = new JsonObject();
                            obj[p.Name] = child;
                        }

                        current = child;
                    }

                    break;
                case (IndexSegment index, JsonArray arr):
                    var at = index.Index < 0 ? arr.Count + index.Index : index.Index;
                    if (at < 0 || at >= arr.Count)
                        throw Failure(resultPath, stateInput);
                    if (last)
                        arr[at] = result?.DeepClone();
                    else
                        current = arr[at];
                    break;
                default:
                    throw Failure(resultPath, stateInput);
            }
        }

        return output;
    }

    private static JsonPath ParseReferencePath(string resultPath)
    {
        JsonPath path;
        try
        {
            path = JsonPath.Parse(resultPath);
        }
        catch (JsonPathSyntaxException e)
        {
            throw new StatesErrorException(StatesErrors.ResultPathMatchFailure, e.Message, e);
        }

        if (!path.IsDefinite || path.Root != JsonPathRoot.Input || path.Segments.Any(s => s is PropertyUnionSegment))
        {
            throw new StatesErrorException(
                StatesErrors.ResultPathMatchFailure,
                $"The ResultPath '{resultPath}' must be a Reference Path starting with '$' (no wildcards, filters, slices or unions)");
        }

        return path;
    }

    private static StatesErrorException Failure(string resultPath, JsonNode? input) =>
        new(StatesErrors.ResultPathMatchFailure,
            $"Unable to apply ResultPath \"{resultPath}\" to input \"{JsonValues.ToJson(input)}\"");
}
