namespace StockFlow.Jsonata;

/// <summary>
/// Every failure of compiling or evaluating an expression: the JSONata error code (S0201, T2001, D3030, U1001 ...),
/// the message as jsonata-js words it, and the character position in the expression where it was detected.
/// </summary>
public sealed class JsonataException : Exception
{
    private readonly string? _fixedMessage;

    public JsonataException(string code, string message, int position)
        : base(message)
    {
        Code = code;
        Position = position;
        _fixedMessage = message;
    }

    public JsonataException()
        : this("U0000", "JSONata error", -1)
    {
    }

    public JsonataException(string message)
        : this("U0000", message, -1)
    {
    }

    public JsonataException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = "U0000";
        Position = -1;
        _fixedMessage = message;
    }

    internal JsonataException(string code, int position, ErrorDetails details)
        : base(code)
    {
        Code = code;
        Position = position;
        Details = details;
    }

    public string Code { get; }

    /// <summary>Character offset (the end of the offending token, as jsonata-js reports it); -1 when unknown.</summary>
    public int Position { get; internal set; }

    public string? Token
    {
        get => Details?.Token;
        internal set
        {
            if (Details != null)
            {
                Details.Token = value;
            }
        }
    }

    internal ErrorDetails? Details { get; }

    public override string Message => _fixedMessage ?? Errors.Format(Code, Details!);
}

/// <summary>The values a message template refers to ({{value}}, {{token}} ...).</summary>
internal sealed class ErrorDetails
{
    public string? Token { get; set; }

    public object? Value { get; init; }

    public bool HasValue { get; init; }

    public object? Value2 { get; init; }

    public int? Index { get; set; }

    public string? Type { get; init; }

    public string? Text { get; init; }

    public object? Exp { get; init; }
}
