namespace StockFlow.Asl.Expressions;

/// <summary>
/// What was wrong with an intrinsic function's arguments. AWS's cause says only "Invalid arguments in States.X"
/// (States.Runtime); this inner exception keeps the detail for people debugging a definition (<c>asl eval</c> shows it).
/// </summary>
public sealed class IntrinsicArgumentException : Exception
{
    public IntrinsicArgumentException(string function, string problem)
        : base(problem)
    {
        Function = function;
    }

    public IntrinsicArgumentException() { }

    public IntrinsicArgumentException(string message) : base(message) { }

    public IntrinsicArgumentException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The intrinsic function (States.MathAdd, ...).</summary>
    public string Function { get; } = string.Empty;
}
