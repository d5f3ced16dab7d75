namespace StockFlow.Runtime.Local.Executions;

/// <summary>No execution (or more than one) matches the name, ARN or prefix given.</summary>
public sealed class ExecutionNotFoundException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public ExecutionNotFoundException()
    {
    }

    /// <summary>Creates the exception with a message for the user.</summary>
    public ExecutionNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message for the user and the exception that caused it.</summary>
    public ExecutionNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Redrive of an execution that did not fail (SUCCEEDED or RUNNING).</summary>
public sealed class ExecutionNotRedrivableException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public ExecutionNotRedrivableException()
    {
    }

    /// <summary>Creates the exception with a message for the user.</summary>
    public ExecutionNotRedrivableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message for the user and the exception that caused it.</summary>
    public ExecutionNotRedrivableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The execution history database (executions.db) is not a readable SQLite database.</summary>
public sealed class ExecutionHistoryCorruptException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public ExecutionHistoryCorruptException()
    {
    }

    /// <summary>Creates the exception with a message for the user.</summary>
    public ExecutionHistoryCorruptException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message for the user and the exception that caused it.</summary>
    public ExecutionHistoryCorruptException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
