namespace StockFlow.Asl.Model;

/// <summary>A definition that cannot be loaded, with the JSON pointer of the offending field.</summary>
public sealed class AslDefinitionException : FormatException
{
    public AslDefinitionException(string pointer, string message)
        : base(pointer.Length == 0 ? message : $"{pointer}: {message}")
    {
        Pointer = pointer;
        Problem = message;
    }

    public AslDefinitionException() : this(string.Empty, "Invalid state machine definition.") { }

    public AslDefinitionException(string message) : this(string.Empty, message) { }

    public AslDefinitionException(string message, Exception innerException)
        : base(message, innerException)
    {
        Pointer = string.Empty;
        Problem = message;
    }

    /// <summary>JSON pointer of the field, "" for the document itself.</summary>
    public string Pointer { get; }

    public string Problem { get; }
}
