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

/// <summary>
/// A failure the definition caught earlier in this execution (its Catch routed it to the failure path), raised again
/// under its own error name by the lock function's <c>failOrResume</c> action. The execution so fails at a Task state
/// and not at a Fail state: a redrive re-runs the state it failed at, and a Fail state would only fail again, while
/// <c>failOrResume</c> takes the lake lock back and resumes at the state that failed.
/// </summary>
public sealed class PipelineFailedException : Exception
{
    public PipelineFailedException() => ErrorName = nameof(PipelineFailedException);

    public PipelineFailedException(string message) : base(message) => ErrorName = nameof(PipelineFailedException);

    public PipelineFailedException(string message, Exception innerException) : base(message, innerException) => ErrorName = nameof(PipelineFailedException);

    /// <param name="errorName">The caught error's name (its Error), which Step Functions shows as the execution's error.</param>
    /// <param name="message">The caught error's message (its Cause, unwrapped from a Lambda error document).</param>
    public PipelineFailedException(string errorName, string message) : base(message)
    {
        ErrorName = string.IsNullOrWhiteSpace(errorName) ? nameof(PipelineFailedException) : errorName;
    }

    /// <summary>The error name the function reports: the caught error's, not this type's.</summary>
    public string ErrorName { get; }
}

/// <summary>The error name a function's exception is reported under (Step Functions' Error, matched by Retry/Catch).</summary>
public static class FunctionErrorNames
{
    /// <summary>The exception's type name, or for a re-raised caught failure the name it was caught under.</summary>
    public static string Of(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception is PipelineFailedException reraised ? reraised.ErrorName : exception.GetType().Name;
    }
}

/// <summary>
/// A redriven run found the lake held by another run when it went to take it back. Its own name, not
/// <see cref="LakeBusyException"/>, so that the failure path's last state retries this (the redrive waits) and never
/// the caught error it raises again, which may itself be a <see cref="LakeBusyException"/>.
/// </summary>
public sealed class LakeBusyForRedriveException : Exception
{
    public LakeBusyForRedriveException() { }

    public LakeBusyForRedriveException(string message) : base(message) { }

    public LakeBusyForRedriveException(string message, Exception innerException) : base(message, innerException) { }
}
