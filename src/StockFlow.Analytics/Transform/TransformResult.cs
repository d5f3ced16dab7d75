namespace StockFlow.Analytics.Transform;

/// <summary>What a transform run read, wrote and excluded (and why).</summary>
public sealed record TransformResult(
    long RowsRead,
    long RowsWritten,
    long RowsExcluded,
    IReadOnlyDictionary<string, long> ExcludedByReason,
    IReadOnlyList<ExcludedRow> ExcludedSamples,
    IReadOnlyList<string> Symbols,
    TimeSpan Elapsed)
{
    /// <summary>Reason recorded for rows superseded by a later row with the same (symbol, date).</summary>
    public const string DuplicateReason = "duplicate (symbol, date): superseded by a later row";
}

/// <summary>One excluded input row: where it came from and why it was left out.</summary>
public sealed record ExcludedRow(string Symbol, string SourceFile, string? DateText, string Reason);
