namespace StockFlow.Asl.Expressions;

/// <summary>A JSONPath that cannot be parsed; <see cref="Position"/> is the 0-based offset of the problem.</summary>
public sealed class JsonPathSyntaxException : FormatException
{
    public JsonPathSyntaxException(string path, int position, string problem)
        : base($"Invalid JSONPath '{path}' at position {position}: {problem}")
    {
        Path = path;
        Position = position;
        Problem = problem;
    }

    public JsonPathSyntaxException() : this(string.Empty, 0, "empty path") { }

    public JsonPathSyntaxException(string message) : base(message)
    {
        Path = string.Empty;
        Problem = message;
    }

    public JsonPathSyntaxException(string message, Exception innerException) : base(message, innerException)
    {
        Path = string.Empty;
        Problem = message;
    }

    public string Path { get; }

    public int Position { get; }

    public string Problem { get; }
}
