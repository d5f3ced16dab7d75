namespace StockFlow.Asl.Validation;

/// <summary>One thing wrong with a definition. <see cref="Pointer"/> is a JSON pointer (RFC 6901) such as <c>/States/Fetch/Next</c>; "" is the whole document.</summary>
/// <param name="Pointer">Where the problem is: a JSON pointer into the definition, "" for the whole document.</param>
/// <param name="Message">What is wrong, in one sentence.</param>
public sealed record AslProblem(string Pointer, string Message)
{
    /// <summary>"<c>pointer: message</c>", with <c>/</c> for the whole document (how <c>asl validate</c> prints it).</summary>
    public override string ToString() => $"{(Pointer.Length == 0 ? "/" : Pointer)}: {Message}";
}
