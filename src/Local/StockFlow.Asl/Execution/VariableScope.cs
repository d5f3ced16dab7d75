using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;

namespace StockFlow.Asl.Execution;

/// <summary>
/// Workflow variables of one scope: reads fall through to the enclosing scope (a Map iteration or
/// Parallel branch sees the outer variables); assignments stay in this scope.
/// </summary>
internal sealed class VariableScope : IReadOnlyDictionary<string, JsonNode?>
{
    private readonly VariableScope? parent;
    private Dictionary<string, JsonNode?>? own;

    public VariableScope(VariableScope? parent) => this.parent = parent;

    public void Set(string name, JsonNode? value)
    {
        own ??= new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        JsonTree.Materialize(value); // iterations running in parallel read variables concurrently
        own[name] = value;
    }

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out JsonNode? value)
    {
        if (own is not null && own.TryGetValue(key, out value)) return true;
        if (parent is not null) return parent.TryGetValue(key, out value);
        value = null;
        return false;
    }

    public JsonNode? this[string key] => TryGetValue(key, out var v) ? v : throw new KeyNotFoundException(key);

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    private Dictionary<string, JsonNode?> Flatten()
    {
        var all = parent?.Flatten() ?? new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (own is not null)
        {
            foreach (var (k, v) in own) all[k] = v;
        }

        return all;
    }

    public IEnumerable<string> Keys => Flatten().Keys;

    public IEnumerable<JsonNode?> Values => Flatten().Values;

    public int Count => Flatten().Count;

    public IEnumerator<KeyValuePair<string, JsonNode?>> GetEnumerator() => Flatten().GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
