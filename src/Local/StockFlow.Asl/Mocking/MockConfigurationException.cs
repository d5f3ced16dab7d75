namespace StockFlow.Asl.Mocking;

/// <summary>A mock configuration file that does not follow the Step Functions Local format; <see cref="Path"/> locates the bad entry.</summary>
public sealed class MockConfigurationException : FormatException
{
    public MockConfigurationException(string path, string problem)
        : base($"Invalid mock configuration at '{path}': {problem}")
    {
        Path = path;
    }

    public MockConfigurationException() : this("$", "invalid") { }

    public MockConfigurationException(string message) : base(message) => Path = "$";

    public MockConfigurationException(string message, Exception innerException) : base(message, innerException) => Path = "$";

    /// <summary>Where the problem is, as a JSONPath-like location such as <c>$.MockedResponses.Retry["1-2"]</c>.</summary>
    public string Path { get; }
}
