namespace StockFlow.Asl.Model;

/// <summary>A definition that cannot be loaded, with the JSON pointer of the offending field.</summary>
public sealed class AslDefinitionException : FormatException
{
    /// <summary>A problem with the field at <paramref name="pointer"/>; the message reads "<c>pointer: message</c>".</summary>
    /// <param name="pointer">JSON pointer of the offending field, "" for the document itself.</param>
    /// <param name="message">What is wrong, without the pointer.</param>
    public AslDefinitionException(string pointer, string message)
        : base(pointer.Length == 0 ? message : $"{pointer}: {message}")
    {
        Pointer = pointer;
        Problem = message;
    }

    /// <summary>A definition that cannot be loaded, for no more specific reason.</summary>
    public AslDefinitionException() : this(string.Empty, "Invalid state machine definition.") { }

    /// <summary>A problem with the document as a whole.</summary>
    public AslDefinitionException(string message) : this(string.Empty, message) { }

    /// <summary>A problem with the document as a whole, caused by <paramref name="innerException"/>.</summary>
    public AslDefinitionException(string message, Exception innerException)
        : base(message, innerException)
    {
        Pointer = string.Empty;
        Problem = message;
    }

    /// <summary>JSON pointer of the field, "" for the document itself.</summary>
    public string Pointer { get; }

    /// <summary>What is wrong, without the pointer.</summary>
    public string Problem { get; }
}
