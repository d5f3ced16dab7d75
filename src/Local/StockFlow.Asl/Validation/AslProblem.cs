namespace StockFlow.Asl.Validation;

/// <summary>One thing wrong with a definition. <see cref="Pointer"/> is a JSON pointer (RFC 6901) such as <c>/States/Fetch/Next</c>; "" is the whole document.</summary>
public sealed record AslProblem(string Pointer, string Message)
{
    public override string ToString() => $"{(Pointer.Length == 0 ? "/" : Pointer)}: {Message}";
}
