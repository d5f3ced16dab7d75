using System.Diagnostics.CodeAnalysis;

namespace StockFlow.Jsonata;

/// <summary>JSON null. Undefined (no value) is represented by a C# null reference.</summary>
public sealed class JsonNull
{
    public static readonly JsonNull Value = new();

    private JsonNull()
    {
    }

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
    public JArray()
    {
    }

    public JArray(int capacity)
        : base(capacity)
    {
    }

    public JArray(IEnumerable<object?> items)
        : base(items)
    {
    }

    public bool Sequence { get; set; }

    public bool KeepSingleton { get; set; }

    public bool OuterWrapper { get; set; }

    public bool Cons { get; set; }

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
