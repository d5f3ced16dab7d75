using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace StockFlow.Asl.Expressions;

/// <summary>Where a path starts: <c>$</c>, <c>$$</c>, <c>$name</c> or (inside filters) <c>@</c>.</summary>
public enum JsonPathRoot
{
    /// <summary><c>$</c>: the effective input.</summary>
    Input,
    /// <summary><c>$$</c>: the context object.</summary>
    Context,
    /// <summary><c>$name</c>: a workflow variable (see <see cref="JsonPath.VariableName"/>).</summary>
    Variable,
    /// <summary><c>@</c>: the value a filter expression is testing.</summary>
    Current,
}

/// <summary>
/// A parsed ASL JSONPath (Jayway dialect, which AWS runs): dot and bracket names, indexes, wildcards,
/// slices, unions, deep scan and filters. Parse once, evaluate many times.
/// </summary>
public sealed class JsonPath
{
    // Definitions reuse a handful of paths for every state and Map item; parsed paths are immutable.
    private const int CacheLimit = 4096;
    private static readonly ConcurrentDictionary<string, JsonPath> Cache = new(StringComparer.Ordinal);

    private readonly IReadOnlyList<PathSegment> segments;

    internal JsonPath(string text, JsonPathRoot root, string? variableName, IReadOnlyList<PathSegment> segments)
    {
        Text = text;
        Root = root;
        VariableName = variableName;
        this.segments = segments;
        IsDefinite = segments.All(s => s.IsDefinite);
    }

    /// <summary>The path as written; <see cref="ToString"/> gives it too.</summary>
    public string Text { get; }

    /// <summary>Which value the path starts from.</summary>
    public JsonPathRoot Root { get; }

    /// <summary>The variable name for <c>$name</c> paths, otherwise null.</summary>
    public string? VariableName { get; }

    /// <summary>True for a Reference Path: at most one value, no wildcard/filter/slice/index-union/deep scan.</summary>
    public bool IsDefinite { get; }

    /// <summary>True when the path is just its root (<c>$</c>, <c>$$</c>, <c>$name</c>).</summary>
    public bool IsRootOnly => segments.Count == 0;

    internal IReadOnlyList<PathSegment> Segments => segments;

    /// <exception cref="JsonPathSyntaxException">The text is not a valid path.</exception>
    public static JsonPath Parse(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Cache.TryGetValue(path, out var cached))
            return cached;
        var parsed = JsonPathParser.ParseComplete(path);
        if (Cache.Count >= CacheLimit)
            Cache.Clear();
        Cache[path] = parsed;
        return parsed;
    }

    /// <summary>Parses like <see cref="Parse"/>, but reports a syntax error instead of throwing (for the validator).</summary>
    /// <param name="path">The path text.</param>
    /// <param name="parsed">The path; null when it is invalid.</param>
    /// <param name="error">The <see cref="JsonPathSyntaxException"/> message; null when it is valid.</param>
    public static bool TryParse(string path, out JsonPath? parsed, out string? error)
    {
        try
        {
            parsed = Parse(path);
            error = null;
            return true;
        }
        catch (JsonPathSyntaxException e)
        {
            parsed = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>
    /// A definite path gives its value (false when it does not exist); an indefinite path always
    /// succeeds with an array of what matched (empty when nothing did). Values are deep clones.
    /// </summary>
    public bool TryEvaluate(PayloadScope scope, out JsonNode? value)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var matches = SelectRaw(scope, current: null);
        if (IsDefinite)
        {
            value = matches.Count == 0 ? null : matches[0]?.DeepClone();
            return matches.Count > 0;
        }

        var array = new JsonArray();
        foreach (var match in matches)
            array.Add(match?.DeepClone());
        value = array;
        return true;
    }

    /// <summary>The path as written.</summary>
    public override string ToString() => Text;

    /// <summary>The matched nodes themselves (not cloned) — callers must clone before re-parenting.</summary>
    internal List<JsonNode?> SelectRaw(PayloadScope scope, JsonNode? current)
    {
        var matches = new List<JsonNode?>();
        switch (Root)
        {
            case JsonPathRoot.Input:
                matches.Add(scope.Input);
                break;
            case JsonPathRoot.Context:
                matches.Add(scope.Context);
                break;
            case JsonPathRoot.Current:
                matches.Add(current);
                break;
            case JsonPathRoot.Variable:
                if (scope.Variables is not null && scope.Variables.TryGetValue(VariableName!, out var variable))
                    matches.Add(variable);
                break;
        }

        foreach (var segment in segments)
        {
            var next = new List<JsonNode?>();
            foreach (var match in matches)
                segment.Select(match, scope, next);
            matches = next;
        }

        return matches;
    }
}
