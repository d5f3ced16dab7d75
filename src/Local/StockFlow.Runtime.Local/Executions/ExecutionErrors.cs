namespace StockFlow.Runtime.Local.Executions;

/// <summary>No execution (or more than one) matches the name, ARN or prefix given.</summary>
public sealed class ExecutionNotFoundException : Exception
{
    public ExecutionNotFoundException()
    {
    }

    public ExecutionNotFoundException(string message)
        : base(message)
    {
    }

    public ExecutionNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Redrive of an execution that did not fail (SUCCEEDED or RUNNING).</summary>
public sealed class ExecutionNotRedrivableException : Exception
{
    public ExecutionNotRedrivableException()
    {
    }

    public ExecutionNotRedrivableException(string message)
        : base(message)
    {
    }

    public ExecutionNotRedrivableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The execution history database (executions.db) is not a readable SQLite database.</summary>
public sealed class ExecutionHistoryCorruptException : Exception
{
    public ExecutionHistoryCorruptException()
    {
    }

    public ExecutionHistoryCorruptException(string message)
        : base(message)
    {
    }

    public ExecutionHistoryCorruptException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
