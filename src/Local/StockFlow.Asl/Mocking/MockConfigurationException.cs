namespace StockFlow.Asl.Mocking;

/// <summary>A mock configuration file that does not follow the Step Functions Local format; <see cref="Path"/> locates the bad entry.</summary>
public sealed class MockConfigurationException : FormatException
{
    /// <summary>A problem at <paramref name="path"/>; the message reads "Invalid mock configuration at 'path': problem".</summary>
    /// <param name="path">Where the problem is, e.g. <c>$.MockedResponses.Retry["1-2"]</c>.</param>
    /// <param name="problem">What is wrong there.</param>
    public MockConfigurationException(string path, string problem)
        : base($"Invalid mock configuration at '{path}': {problem}")
    {
        Path = path;
    }

    /// <summary>An invalid configuration, at the root, for no more specific reason.</summary>
    public MockConfigurationException() : this("$", "invalid") { }

    /// <summary>A problem with the configuration as a whole (<see cref="Path"/> is <c>$</c>).</summary>
    public MockConfigurationException(string message) : base(message) => Path = "$";

    /// <summary>A problem with the configuration as a whole, caused by <paramref name="innerException"/>.</summary>
    public MockConfigurationException(string message, Exception innerException) : base(message, innerException) => Path = "$";

    /// <summary>Where the problem is, as a JSONPath-like location such as <c>$.MockedResponses.Retry["1-2"]</c>.</summary>
    public string Path { get; }
}
