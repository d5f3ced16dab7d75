using System.Text.Json.Nodes;

namespace StockFlow.Asl.Expressions;

/// <summary>
/// One step of a JSONPath. Each step maps every current match to zero or more new matches;
/// a missing member simply yields nothing (the caller decides whether that is an error).
/// Matches are JsonNode? values where a C# null is a JSON null that exists.
/// </summary>
internal abstract class PathSegment
{
    /// <summary>True when the step can produce at most one match (a Reference Path step).</summary>
    public abstract bool IsDefinite { get; }

    public abstract void Select(JsonNode? current, PayloadScope scope, List<JsonNode?> output);

    protected static IEnumerable<JsonNode?> ChildrenOf(JsonNode? node) => node switch
    {
        JsonObject obj => obj.Select(p => p.Value),
        JsonArray arr => arr,
        _ => [],
    };
}

internal sealed class PropertySegment(string name) : PathSegment
{
    public string Name { get; } = name;

    public override bool IsDefinite => true;

    public override void Select(JsonNode? current, PayloadScope scope, List<JsonNode?> output)
    {
        if (current is JsonObject obj && obj.TryGetPropertyValue(Name, out var value))
            output.Add(value);
    }
}

/// <summary>
/// <c>['a','b']</c> as the last step: like Jayway (which AWS runs) it builds one object holding the
/// members that exist. Jayway rejects it anywhere else, so the parser only allows it last.
/// </summary>
internal sealed class PropertyUnionSegment(IReadOnlyList<string> names) : PathSegment
{
    public IReadOnlyList<string> Names { get; } = names;

    public override bool IsDefinite => true;

    public override void Select(JsonNode? current, PayloadScope scope, List<JsonNode?> output)
    {
        if (current is not JsonObject obj)
            return;
        var merged = new JsonObject();
        foreach (var name in Names)
        {
            if (obj.TryGetPropertyValue(name, out var value) && !merged.ContainsKey(name))
                merged[name] = value?.DeepClone();
        }

        output.Add(merged);
    }
}

internal sealed class IndexSegment(int index) : PathSegment
{
    public int Index { get; } = index;

    public override bool IsDefinite => true;

    public override void Select(JsonNode? current, PayloadScope scope, List<JsonNode?> output)
    {
        if (current is not JsonArray arr)
            return;
        var i = Index < 0 ? arr.Count + Index : Index;
        if (i >= 0 && i < arr.Count)
            output.Add(arr[i]);
    }
}

internal sealed class IndexUnionSegment(IReadOnlyList<int> indexes) : PathSegment
{
    public override bool IsDefinite => false;

    public override void Select(JsonNode? current, PayloadScope scope, List<JsonNode?> output)
    {
        foreach (var index in indexes)
            new IndexSegment(index).Select(current, scope, output);
    }
}

internal sealed class WildcardSegment : PathSegment
{
    public override bool IsDefinite => false;

    public override void Select(JsonNode? current, PayloadScope scope, List<JsonNode?> output) =>
        output.AddRange(ChildrenOf(current));
}

/// <summary><c>[start:end:step]</c> with Python semantics (negative bounds count from the end).</summary>
internal sealed class SliceSegment(int? start, int? end, int? step) : PathSegment
{
    public override bool IsDefinite => false;

    public override void Select(JsonNode? current, PayloadScope scope, List<JsonNode?> output)
    {
        if (current is not JsonArray arr)
            return;
        var n = arr.Count;
        var s = step ?? 1;
        if (s > 0)
        {
            var from = Clamp(start ?? 0, n);
            var to = Clamp(end ?? n, n);
            for (var i = from; i < to; i += s)
                output.Add(arr[i]);
        }
        else
        {
            var from = start is null ? n - 1 : Math.Min(Normalize(start.Value, n), n - 1);
            var to = end is null ? -1 : Math.Max(Normalize(end.Value, n), -1);
            for (var i = from; i > to; i += s)
                output.Add(arr[i]);
        }
    }

    private static int Normalize(int bound, int count) => bound < 0 ? bound + count : bound;

    private static int Clamp(int bound, int count) => Math.Clamp(Normalize(bound, count), 0, count);
}

/// <summary>
/// <c>[?(...)]</c>. On an array it keeps the elements that pass; on an object it tests the object
/// itself, as Jayway does.
/// </summary>
internal sealed class FilterSegment(FilterExpression filter) : PathSegment
{
    public override bool IsDefinite => false;

    public override void Select(JsonNode? current, PayloadScope scope, List<JsonNode?> output)
    {
        switch (current)
        {
            case JsonArray arr:
                output.AddRange(arr.Where(item => filter.Test(item, scope)));
                break;
            case JsonObject obj when filter.Test(obj, scope):
                output.Add(obj);
                break;
        }
    }
}

/// <summary><c>..step</c>: applies the inner step to the current node and every descendant, pre-order.</summary>
internal sealed class DeepScanSegment(PathSegment inner) : PathSegment
{
    public override bool IsDefinite => false;

    public override void Select(JsonNode? current, PayloadScope scope, List<JsonNode?> output)
    {
        inner.Select(current, scope, output);
        foreach (var child in ChildrenOf(current))
        {
            if (child is JsonObject or JsonArray)
                Select(child, scope, output);
        }
    }
}
