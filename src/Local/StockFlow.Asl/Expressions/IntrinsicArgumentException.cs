namespace StockFlow.Asl.Expressions;

/// <summary>
/// What was wrong with an intrinsic function's arguments. AWS's cause says only "Invalid arguments in States.X"
/// (States.Runtime); this inner exception keeps the detail for people debugging a definition (<c>asl eval</c> shows it).
/// </summary>
public sealed class IntrinsicArgumentException : Exception
{
    /// <summary>Bad arguments to <paramref name="function"/>.</summary>
    /// <param name="function">The intrinsic function, e.g. <c>States.MathAdd</c>.</param>
    /// <param name="problem">What is wrong with the arguments; the exception's message.</param>
    public IntrinsicArgumentException(string function, string problem)
        : base(problem)
    {
        Function = function;
    }

    /// <summary>Bad arguments to an unnamed function.</summary>
    public IntrinsicArgumentException() { }

    /// <summary>Bad arguments to an unnamed function, described by <paramref name="message"/>.</summary>
    public IntrinsicArgumentException(string message) : base(message) { }

    /// <summary>Bad arguments to an unnamed function, caused by <paramref name="innerException"/>.</summary>
    public IntrinsicArgumentException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The intrinsic function (States.MathAdd, ...).</summary>
    public string Function { get; } = string.Empty;
}
