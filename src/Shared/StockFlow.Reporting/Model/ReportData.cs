namespace StockFlow.Reporting.Model;

/// <summary>Everything the report shows about one pipeline execution.</summary>
public sealed record ReportData
{
    /// <summary>The execution's name; the report's title and its lake key carry it.</summary>
    public required string ExecutionId { get; init; }

    /// <summary>First day of the period shown (the report handler narrows the requested range to the days the results cover).</summary>
    public required DateOnly PeriodFrom { get; init; }

    /// <summary>Last day of the period shown, inclusive.</summary>
    public required DateOnly PeriodTo { get; init; }

    /// <summary>When the report was built (shown in UTC); from the injected clock, so tests get a fixed page.</summary>
    public required DateTimeOffset GeneratedAt { get; init; }

    /// <summary>Shown as a banner when set, e.g. "synthetic sample data" for the <c>sample</c> provider.</summary>
    public string? DataLabel { get; init; }

    /// <summary>The symbols of the run, in the order the ingest listed them. Default: none.</summary>
    public IReadOnlyList<string> Symbols { get; init; } = [];

    /// <summary>Each symbol's ingest outcome; empty when the run recorded none (the report then says so). Default: none.</summary>
    public IReadOnlyList<IngestionSummaryRow> Ingestion { get; init; } = [];

    /// <summary>The analysis query rows the tables and charts show. Default: <see cref="ReportQueryResults.Empty"/>.</summary>
    public ReportQueryResults Results { get; init; } = ReportQueryResults.Empty;

    /// <summary>What the transform job did (rows in, left out by reason, rows out); null when the run has no statistics.</summary>
    public TransformSummary? Transform { get; init; }
}

/// <summary>The transform job's counts, from the statistics it wrote to the lake (Glue on AWS, DuckDB locally).</summary>
public sealed record TransformSummary(string Mode, int Symbols, long RowsRead, long RowsWritten, long RowsExcluded, IReadOnlyDictionary<string, long> ExcludedByReason);

/// <summary>Outcome of ingesting one symbol.</summary>
public sealed record IngestionSummaryRow(string Symbol, long Rows, long RejectedRows, string Status, string? Error = null)
{
    /// <summary>A symbol failed when it carries an error or a failure status; rejected rows alone are not a failure.</summary>
    public bool IsFailure =>
        !string.IsNullOrWhiteSpace(Error)
        || string.Equals(Status, "failed", StringComparison.OrdinalIgnoreCase)
        || string.Equals(Status, "error", StringComparison.OrdinalIgnoreCase);
}

/// <summary>The rows of the four analysis queries (results/&lt;execution&gt;/&lt;query&gt;.csv).</summary>
public sealed record ReportQueryResults(
    IReadOnlyList<AverageReturnRow> AverageReturns,
    IReadOnlyList<VolatilityRankingRow> VolatilityRanking,
    IReadOnlyList<MarketTrendRow> MarketTrend,
    IReadOnlyList<PriceHistoryRow> PriceHistory)
{
    /// <summary>No rows in any query: the report then shows "no data" in each place.</summary>
    public static ReportQueryResults Empty { get; } = new([], [], [], []);
}

/// <summary>A row of the <c>average_return</c> query; returns are fractions (0.12 = 12 %).</summary>
public sealed record AverageReturnRow(
    string Symbol,
    DateOnly FirstDate,
    DateOnly LastDate,
    long TradingDays,
    double? AvgDailyReturn,
    double? AnnualizedReturn,
    double? CumulativeReturn);

/// <summary>A row of the <c>volatility_ranking</c> query; rank 1 is the most volatile.</summary>
public sealed record VolatilityRankingRow(string Symbol, double? AnnualizedVolatility, long Rank);

/// <summary>A row of the <c>market_trend</c> query; <see cref="PctAboveMa50"/> is a fraction (0.6 = 60 %).</summary>
public sealed record MarketTrendRow(
    DateOnly TradeDate,
    long Symbols,
    double? IndexReturn,
    double? IndexLevel,
    double? PctAboveMa50);

/// <summary>A row of the <c>price_history</c> query; moving averages are null until enough rows exist.</summary>
public sealed record PriceHistoryRow(
    string Symbol,
    DateOnly TradeDate,
    double AdjClose,
    double? Ma20,
    double? Ma50,
    double? Ma200);
