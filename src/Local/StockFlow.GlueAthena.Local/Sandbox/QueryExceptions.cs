namespace StockFlow.GlueAthena.Local.Sandbox;

/// <summary>The statement is not allowed in the read-only query sandbox (not a single SELECT, or touches files outside the lake).</summary>
public sealed class QueryRejectedException : Exception
{
    /// <summary>Without a message (for serializers and tests; the code always gives one).</summary>
    public QueryRejectedException()
    {
    }

    /// <summary>With the sentence the user sees.</summary>
    public QueryRejectedException(string message)
        : base(message)
    {
    }

    /// <summary>With the sentence the user sees and the error behind it.</summary>
    public QueryRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The SQL is invalid (syntax, unknown column, type error...); Position is the 0-based character offset when known.</summary>
public sealed class QuerySqlException : Exception
{
    /// <summary>Without a message (for serializers and tests; the code always gives one).</summary>
    public QuerySqlException()
    {
    }

    /// <summary>With the sentence the user sees.</summary>
    public QuerySqlException(string message)
        : base(message)
    {
    }

    /// <summary>With the sentence the user sees and the error behind it.</summary>
    public QuerySqlException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>With where in the SQL the error is, when DuckDB said (null otherwise).</summary>
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
    /// <summary>Without a message (for serializers and tests; the code always gives one).</summary>
    public QueryLimitException()
    {
    }

    /// <summary>With the sentence the user sees.</summary>
    public QueryLimitException(string message)
        : base(message)
    {
    }

    /// <summary>With the sentence the user sees and the error behind it.</summary>
    public QueryLimitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// A transform committed a new curated table while the query was reading the old one, and a file the old one listed is
/// gone. Raised only when rows were already handed out; otherwise the query is run again on the new table.
/// </summary>
public sealed class QueryTableChangedException : Exception
{
    /// <summary>Without a message (for serializers and tests; the code always gives one).</summary>
    public QueryTableChangedException()
    {
    }

    /// <summary>With the sentence the user sees.</summary>
    public QueryTableChangedException(string message)
        : base(message)
    {
    }

    /// <summary>With the sentence the user sees and the error behind it.</summary>
    public QueryTableChangedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A file the curated table lists is missing or not readable Parquet (damaged on disk, deleted by hand).</summary>
public sealed class CuratedTableDamagedException : Exception
{
    /// <summary>Without a message (for serializers and tests; the code always gives one).</summary>
    public CuratedTableDamagedException()
    {
    }

    /// <summary>With the sentence the user sees.</summary>
    public CuratedTableDamagedException(string message)
        : base(message)
    {
    }

    /// <summary>With the sentence the user sees and the error behind it.</summary>
    public CuratedTableDamagedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
