using System.Diagnostics.CodeAnalysis;

namespace StockFlow.Jsonata;

/// <summary>JSON null. Undefined (no value) is represented by a C# null reference.</summary>
public sealed class JsonNull
{
    /// <summary>The one JSON null.</summary>
    public static readonly JsonNull Value = new();

    private JsonNull()
    {
    }

    /// <summary><c>null</c>, as JSON writes it.</summary>
    public override string ToString() => "null";
}

/// <summary>
/// A JSON array or a JSONata sequence. The flags carry the reference implementation's array annotations:
/// a sequence is the result of a path (singleton sequences collapse to their item), a constructed array
/// (<c>[...]</c>) is never flattened, and keepSingleton keeps a one-item sequence as an array.
/// </summary>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "A JSON array")]
public sealed class JArray : List<object?>
{
    /// <summary>An empty constructed array (no flags set).</summary>
    public JArray()
    {
    }

    /// <summary>An empty array with room for <paramref name="capacity"/> items.</summary>
    public JArray(int capacity)
        : base(capacity)
    {
    }

    /// <summary>An array of <paramref name="items"/>, in order.</summary>
    public JArray(IEnumerable<object?> items)
        : base(items)
    {
    }

    /// <summary>A sequence (the result of a path), not a constructed array: a one-item sequence collapses to its item, and sequences flatten into each other.</summary>
    public bool Sequence { get; set; }

    /// <summary>Keep a one-item sequence as an array (a path with <c>[]</c>, e.g. <c>Account.Order[]</c>).</summary>
    public bool KeepSingleton { get; set; }

    /// <summary>The one-item sequence an array input is wrapped in so that paths see the array as one value; <c>$</c> unwraps it.</summary>
    public bool OuterWrapper { get; set; }

    /// <summary>Built by an array constructor (<c>[...]</c>): a path step does not flatten it.</summary>
    public bool Cons { get; set; }

    /// <summary>A stream of tuples (items with their <c>@</c>/<c>#</c> variable bindings), not of plain values.</summary>
    public bool TupleStream { get; set; }

    internal static JArray NewSequence() => new() { Sequence = true };

    internal static JArray NewSequence(object? item)
    {
        var s = new JArray { Sequence = true };
        s.Add(item);
        return s;
    }
}

/// <summary>A JSON object; keys keep their insertion order.</summary>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "A JSON object")]
public sealed class JObject : OrderedDictionary<string, object?>
{
    /// <summary>An empty object.</summary>
    public JObject()
        : base(StringComparer.Ordinal)
    {
    }
}

/// <summary>A tuple of a tuple stream: the context item ('@') and the variables bound by #$i / @$v.</summary>
internal sealed class Tuple : Dictionary<string, object?>
{
    public Tuple()
        : base(StringComparer.Ordinal)
    {
    }

    public Tuple(Tuple other)
        : base(other, StringComparer.Ordinal)
    {
    }
}
