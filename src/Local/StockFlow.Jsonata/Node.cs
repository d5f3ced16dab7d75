namespace StockFlow.Jsonata;

internal enum NodeType
{
    // raw parse tree and compiled tree
    Name,
    Variable,
    String,
    Number,
    Value,
    Regex,
    Wildcard,
    Descendant,
    Parent,
    Negate,
    ArrayConstructor,
    ObjectConstructor,
    Binary,
    Condition,
    Coalesce,
    Elvis,
    Block,
    Bind,
    Function,
    Partial,
    Lambda,
    Placeholder,
    Apply,
    Transform,
    End,

    // raw parse tree only (folded into paths and steps by the compiler)
    Dot,
    Predicate,
    GroupBy,
    OrderBy,
    FocusBind,
    IndexBind,

    // compiled tree only
    Path,
    Sort,
    Filter,
    IndexStage,
}

internal sealed class SortTerm
{
    public required Node Expression { get; init; }

    public bool Descending { get; init; }
}

internal sealed class GroupSpec
{
    public required List<(Node Key, Node Value)> Pairs { get; init; }

    public int Position { get; init; }
}

/// <summary>One node of an expression tree. One class for all node kinds keeps the evaluator a single switch.</summary>
internal sealed class Node
{
    public Node(NodeType type, int position)
    {
        Type = type;
        Position = position;
    }

    public NodeType Type { get; set; }

    public int Position { get; set; }

    /// <summary>Operator symbol, name, variable name or function name.</summary>
    public string? Text { get; set; }

    /// <summary>Literal value of a string, number, true/false/null or regex node.</summary>
    public object? Literal { get; set; }

    public Node? Lhs { get; set; }

    public Node? Rhs { get; set; }

    public Node? Expression { get; set; }

    public Node? Then { get; set; }

    public Node? Else { get; set; }

    public Node? Update { get; set; }

    public Node? Delete { get; set; }

    public Node? Procedure { get; set; }

    public Node? Body { get; set; }

    public List<Node>? Steps { get; set; }

    public List<Node>? Expressions { get; set; }

    public List<Node>? Arguments { get; set; }

    public List<Node>? Stages { get; set; }

    public List<Node>? Predicates { get; set; }

    public List<(Node Key, Node Value)>? Pairs { get; set; }

    public GroupSpec? Group { get; set; }

    public List<SortTerm>? Terms { get; set; }

    public string? Focus { get; set; }

    public string? Index { get; set; }

    public bool Tuple { get; set; }

    public bool KeepArray { get; set; }

    public bool ConsArray { get; set; }

    public bool KeepSingletonArray { get; set; }

    public bool Thunk { get; set; }

    public string? SignatureText { get; set; }

    public Signature? Signature { get; set; }

    /// <summary>For '%' (parent): the label and depth of the ancestor this node refers to.</summary>
    public AncestorSlot? Slot { get; set; }

    public List<AncestorSlot>? SeekingParent { get; set; }

    public AncestorSlot? Ancestor { get; set; }

    public System.Text.RegularExpressions.Regex? CompiledRegex { get; set; }
}

internal sealed class AncestorSlot
{
    public required string Label { get; set; }

    public int Level { get; set; }

    public int Index { get; set; }
}
