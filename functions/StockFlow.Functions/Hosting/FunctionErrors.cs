namespace StockFlow.Functions.Hosting;

// The errors the functions raise on purpose. Their type names are what Step Functions shows as the
// state's Error and what the definition's Retry/Catch match (docs/errors.md lists them all).

/// <summary>The payload does not have the shape the function expects. Not retried.</summary>
public sealed class InvalidPayloadException : Exception
{
    public InvalidPayloadException() { }

    public InvalidPayloadException(string message) : base(message) { }

    public InvalidPayloadException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>An object in the lake that the function must read is damaged; the message says how to repair it. Not retried.</summary>
public sealed class CorruptLakeObjectException : Exception
{
    public CorruptLakeObjectException() { }

    public CorruptLakeObjectException(string message) : base(message) { }

    public CorruptLakeObjectException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>An object a step expects from an earlier step is not in the lake (e.g. the plan's work list). Not retried.</summary>
public sealed class MissingLakeObjectException : Exception
{
    public MissingLakeObjectException() { }

    public MissingLakeObjectException(string message) : base(message) { }

    public MissingLakeObjectException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>
/// The execution name is not 1-80 letters, digits, '-' or '_', so it cannot become a key segment. Not retried.
/// An <see cref="InvalidPayloadException"/> would not say that the name, not the input, is what to fix.
/// </summary>
public sealed class InvalidExecutionNameException : Exception
{
    public InvalidExecutionNameException() { }

    public InvalidExecutionNameException(string message) : base(message) { }

    public InvalidExecutionNameException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>
/// Another pipeline run holds the lake: one run per lake at a time. Raised by the <c>lock</c> function (the definition
/// retries it with back-off, so a second execution waits) and by the local runs' file lock. The message names the holder.
/// </summary>
public sealed class LakeBusyException : Exception
{
    public LakeBusyException() { }

    public LakeBusyException(string message) : base(message) { }

    public LakeBusyException(string message, Exception innerException) : base(message, innerException) { }
}
