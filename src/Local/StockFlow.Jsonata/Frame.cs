namespace StockFlow.Jsonata;

/// <summary>Per-evaluation state shared by every frame: the timestamp $now reads, and the runaway guards.</summary>
internal sealed class EvalState
{
    public required DateTimeOffset Timestamp { get; init; }

    public required long DeadlineTicks { get; init; }

    public required int MaxDepth { get; init; }

    /// <summary>Address of a local in the evaluation's first frame; the stack grows down from here.</summary>
    public nuint StackBase { get; set; }

    public required long StackBudget { get; init; }

    public int Depth { get; set; }

    public int Steps { get; set; }
}

/// <summary>A scope of variable bindings; lookups walk outwards to the built-in functions.</summary>
internal sealed class Frame
{
    private Dictionary<string, object?>? _bindings;

    public Frame(Frame? parent, EvalState? state)
    {
        Parent = parent;
        State = state ?? parent?.State;
    }

    public Frame? Parent { get; }

    public EvalState? State { get; }

    public void Bind(string name, object? value) => (_bindings ??= new Dictionary<string, object?>(StringComparer.Ordinal))[name] = value;

    public object? Lookup(string name)
    {
        for (var f = this; f != null; f = f.Parent)
        {
            if (f._bindings != null && f._bindings.TryGetValue(name, out var v))
            {
                return v;
            }
        }

        return null;
    }

    public bool IsBound(string name)
    {
        for (var f = this; f != null; f = f.Parent)
        {
            if (f._bindings != null && f._bindings.ContainsKey(name))
            {
                return true;
            }
        }

        return false;
    }
}
