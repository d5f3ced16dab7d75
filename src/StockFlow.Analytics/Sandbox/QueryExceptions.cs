namespace StockFlow.Analytics.Sandbox;

/// <summary>The statement is not allowed in the read-only query sandbox (not a single SELECT, or touches files outside the lake).</summary>
public sealed class QueryRejectedException : Exception
{
    public QueryRejectedException()
    {
    }

    public QueryRejectedException(string message)
        : base(message)
    {
    }

    public QueryRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The SQL is invalid (syntax, unknown column, type error...); Position is the 0-based character offset when known.</summary>
public sealed class QuerySqlException : Exception
{
    public QuerySqlException()
    {
    }

    public QuerySqlException(string message)
        : base(message)
    {
    }

    public QuerySqlException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public QuerySqlException(string message, int? position, int? line, int? column, Exception? innerException = null)
        : base(message, innerException)
    {
        Position = position;
        Line = line;
        Column = column;
    }

    /// <summary>0-based offset into the SQL text.</summary>
    public int? Position { get; }

    /// <summary>1-based line of <see cref="Position"/>.</summary>
    public int? Line { get; }

    /// <summary>1-based column of <see cref="Position"/>.</summary>
    public int? Column { get; }
}

/// <summary>The query hit a limit of the sandbox (its time or memory) and was stopped; the message names the limit and how to raise it.</summary>
public sealed class QueryLimitException : Exception
{
    public QueryLimitException()
    {
    }

    public QueryLimitException(string message)
        : base(message)
    {
    }

    public QueryLimitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
