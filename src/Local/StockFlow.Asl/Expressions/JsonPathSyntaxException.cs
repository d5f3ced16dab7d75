namespace StockFlow.Asl.Expressions;

/// <summary>A JSONPath that cannot be parsed; <see cref="Position"/> is the 0-based offset of the problem.</summary>
public sealed class JsonPathSyntaxException : FormatException
{
    /// <summary>A problem at <paramref name="position"/> of <paramref name="path"/>; the message names both.</summary>
    /// <param name="path">The path text.</param>
    /// <param name="position">The 0-based offset of the problem in <paramref name="path"/>.</param>
    /// <param name="problem">What is wrong there, e.g. "unexpected character ']'".</param>
    public JsonPathSyntaxException(string path, int position, string problem)
        : base($"Invalid JSONPath '{path}' at position {position}: {problem}")
    {
        Path = path;
        Position = position;
        Problem = problem;
    }

    /// <summary>An empty path.</summary>
    public JsonPathSyntaxException() : this(string.Empty, 0, "empty path") { }

    /// <summary>A syntax error without a known path or position.</summary>
    public JsonPathSyntaxException(string message) : base(message)
    {
        Path = string.Empty;
        Problem = message;
    }

    /// <summary>A syntax error without a known path or position, caused by <paramref name="innerException"/>.</summary>
    public JsonPathSyntaxException(string message, Exception innerException) : base(message, innerException)
    {
        Path = string.Empty;
        Problem = message;
    }

    /// <summary>The path text; "" when unknown.</summary>
    public string Path { get; }

    /// <summary>The 0-based offset of the problem in <see cref="Path"/>.</summary>
    public int Position { get; }

    /// <summary>What is wrong, without the path and position.</summary>
    public string Problem { get; }
}
