namespace StockFlow.Functions.Hosting;

// The errors the functions raise on purpose. Their type names are what Step Functions shows as the
// state's Error and what the definition's Retry/Catch match (docs/errors.md lists them all).

/// <summary>The payload does not have the shape the function expects. Not retried.</summary>
public sealed class InvalidPayloadException : Exception
{
    /// <summary>Without a message.</summary>
    public InvalidPayloadException() { }

    /// <summary>With the sentence that names the field and what is wrong with it (the error's Cause).</summary>
    public InvalidPayloadException(string message) : base(message) { }

    /// <summary>With the sentence that names the field and what is wrong with it (the error's Cause) and the failure behind it.</summary>
    public InvalidPayloadException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>An object in the lake that the function must read is damaged; the message says how to repair it. Not retried.</summary>
public sealed class CorruptLakeObjectException : Exception
{
    /// <summary>Without a message.</summary>
    public CorruptLakeObjectException() { }

    /// <summary>With the sentence that names the object and how to repair it.</summary>
    public CorruptLakeObjectException(string message) : base(message) { }

    /// <summary>With the sentence that names the object and how to repair it and the failure behind it.</summary>
    public CorruptLakeObjectException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>An object a step expects from an earlier step is not in the lake (e.g. the plan's work list). Not retried.</summary>
public sealed class MissingLakeObjectException : Exception
{
    /// <summary>Without a message.</summary>
    public MissingLakeObjectException() { }

    /// <summary>With the sentence that names the missing key and the step that should have written it.</summary>
    public MissingLakeObjectException(string message) : base(message) { }

    /// <summary>With the sentence that names the missing key and the step that should have written it and the failure behind it.</summary>
    public MissingLakeObjectException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>
/// The execution name is not 1-80 letters, digits, '-' or '_', so it cannot become a key segment. Not retried.
/// An <see cref="InvalidPayloadException"/> would not say that the name, not the input, is what to fix.
/// </summary>
public sealed class InvalidExecutionNameException : Exception
{
    /// <summary>Without a message.</summary>
    public InvalidExecutionNameException() { }

    /// <summary>With the sentence that names the execution name.</summary>
    public InvalidExecutionNameException(string message) : base(message) { }

    /// <summary>With the sentence that names the execution name and the failure behind it.</summary>
    public InvalidExecutionNameException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>
/// Another pipeline run holds the lake: one run per lake at a time. Raised by the <c>lock</c> function (the definition
/// retries it with back-off, so a second execution waits) and by the local runs' file lock. The message names the holder.
/// </summary>
public sealed class LakeBusyException : Exception
{
    /// <summary>Without a message.</summary>
    public LakeBusyException() { }

    /// <summary>With the sentence that names the holder and when its lock becomes stale.</summary>
    public LakeBusyException(string message) : base(message) { }

    /// <summary>With the sentence that names the holder and when its lock becomes stale and the failure behind it.</summary>
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
    /// <summary>Without a message; reported under this type's name.</summary>
    public PipelineFailedException() => ErrorName = nameof(PipelineFailedException);

    /// <summary>With a message; reported under this type's name.</summary>
    public PipelineFailedException(string message) : base(message) => ErrorName = nameof(PipelineFailedException);

    /// <summary>With a message and the failure behind it; reported under this type's name.</summary>
    public PipelineFailedException(string message, Exception innerException) : base(message, innerException) => ErrorName = nameof(PipelineFailedException);

    /// <summary>The caught failure raised again: reported under <paramref name="errorName"/>, not this type's name.</summary>
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
    /// <summary>Without a message.</summary>
    public LakeBusyForRedriveException() { }

    /// <summary>With the sentence that names the execution holding the lake.</summary>
    public LakeBusyForRedriveException(string message) : base(message) { }

    /// <summary>With the sentence that names the execution holding the lake and the failure behind it.</summary>
    public LakeBusyForRedriveException(string message, Exception innerException) : base(message, innerException) { }
}
