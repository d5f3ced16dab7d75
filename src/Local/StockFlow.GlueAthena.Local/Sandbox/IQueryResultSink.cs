using StockFlow.GlueAthena.Local.Results;

namespace StockFlow.GlueAthena.Local.Sandbox;

/// <summary>Receives a query result as it is read, so output can stream (or stop early) instead of holding every row.</summary>
public interface IQueryResultSink
{
    /// <summary>The result's columns, before the first row.</summary>
    void Begin(IReadOnlyList<ResultColumn> columns);

    /// <summary>One row (the array is the sink's to keep); false stops reading.</summary>
    bool Row(object?[] values);
}

/// <summary>What a streamed query did: the rows handed to the sink, and the catalog tables it had views for.</summary>
public sealed record QueryOutcome(long Rows, IReadOnlyList<string> Tables);
