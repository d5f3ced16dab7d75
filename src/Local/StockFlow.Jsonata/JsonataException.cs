namespace StockFlow.Jsonata;

/// <summary>
/// Every failure of compiling or evaluating an expression: the JSONata error code (S0201, T2001, D3030, U1001 ...),
/// the message as jsonata-js words it, and the character position in the expression where it was detected.
/// </summary>
public sealed class JsonataException : Exception
{
    private readonly string? _fixedMessage;

    /// <summary>An error with its code and the message already worded.</summary>
    /// <param name="code">The JSONata error code, e.g. <c>T2001</c>.</param>
    /// <param name="message">The message.</param>
    /// <param name="position">The character offset in the expression; -1 when unknown.</param>
    public JsonataException(string code, string message, int position)
        : base(message)
    {
        Code = code;
        Position = position;
        _fixedMessage = message;
    }

    /// <summary>A <c>U0000</c> error (code unknown) with a generic message.</summary>
    public JsonataException()
        : this("U0000", "JSONata error", -1)
    {
    }

    /// <summary>A <c>U0000</c> error (code unknown) at no known position.</summary>
    public JsonataException(string message)
        : this("U0000", message, -1)
    {
    }

    /// <summary>A <c>U0000</c> error (code unknown) caused by <paramref name="innerException"/>.</summary>
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

    /// <summary>
    /// The JSONata error code: S0xxx syntax, T0xxx-T2xxx type, D1xxx-D3xxx evaluation, U1xxx limits
    /// (<see cref="JsonataOptions"/>), U0000 unknown.
    /// </summary>
    public string Code { get; }

    /// <summary>Character offset (the end of the offending token, as jsonata-js reports it); -1 when unknown.</summary>
    public int Position { get; internal set; }

    /// <summary>The token the error is about (e.g. the unknown function's name), when the error has one; null otherwise.</summary>
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

    /// <summary>The message as jsonata-js words it for <see cref="Code"/>, its <c>{{token}}</c> and <c>{{value}}</c> filled in.</summary>
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
