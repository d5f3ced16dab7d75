using System.Text.RegularExpressions;

namespace StockFlow.Jsonata;

/// <summary>A JSONata function value: a lambda, a built-in, a partial application or a regex matcher.</summary>
public abstract class JsonataFunction
{
    internal Signature? Signature { get; private protected set; }

    internal abstract int Arity { get; }

    /// <summary>A function implemented in C#, e.g. one Step Functions adds; the signature uses JSONata's notation (<c>&lt;n-n:n&gt;</c>).</summary>
    public static JsonataFunction Create(string name, string? signature, int arity, Func<IReadOnlyList<object?>, object?> implementation)
    {
        ArgumentNullException.ThrowIfNull(implementation);
        return new NativeFunction(name, signature == null ? null : Signature.Parse(signature, 0), arity, (_, args) => implementation(args));
    }
}

internal sealed class Lambda : JsonataFunction
{
    public Lambda(Signature? signature) => Signature = signature;

    public required Node Body { get; init; }

    public required List<string> Parameters { get; init; }

    public object? Input { get; init; }

    public required Frame Environment { get; init; }

    public bool Thunk { get; init; }

    internal override int Arity => Parameters.Count;
}

/// <summary>The context a built-in runs in: the current input (for context-defaulted arguments) and the environment.</summary>
internal readonly record struct CallContext(object? Input, Frame Environment);

internal sealed class NativeFunction : JsonataFunction
{
    public NativeFunction(string name, Signature? signature, int arity, Func<CallContext, object?[], object?> implementation)
    {
        Name = name;
        Signature = signature;
        Arity = arity;
        Implementation = implementation;
    }

    public string Name { get; }

    public Func<CallContext, object?[], object?> Implementation { get; }

    internal override int Arity { get; }
}

internal sealed class PartialFunction : JsonataFunction
{
    public required JsonataFunction Target { get; init; }

    /// <summary>Supplied arguments; <see cref="Placeholder"/> marks the ones the caller fills in.</summary>
    public required object?[] Arguments { get; init; }

    public required Frame Environment { get; init; }

    internal override int Arity => Arguments.Count(a => ReferenceEquals(a, Placeholder));

    public static readonly object Placeholder = new();
}

internal sealed class RegexFunction(Regex regex, string source) : JsonataFunction
{
    public Regex Regex { get; } = regex;

    public string Source { get; } = source;

    internal override int Arity => 1;
}
