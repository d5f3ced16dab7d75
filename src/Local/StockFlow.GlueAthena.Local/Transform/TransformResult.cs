namespace StockFlow.GlueAthena.Local.Transform;

/// <summary>What a transform run read, wrote and excluded (and why). Counts cover the rows read by this run.</summary>
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

    /// <summary>The mode that actually ran (an incremental request runs full when nothing is curated yet).</summary>
    public TransformMode Mode { get; init; } = TransformMode.Full;

    /// <summary>Full rebuild: how many symbol batches it ran in (see <see cref="TransformOptions.FullRebuildBatchBytes"/>).</summary>
    public int Batches { get; init; } = 1;

    /// <summary>Why an incremental request ran full, or null.</summary>
    public string? FullRebuildReason { get; init; }

    /// <summary>Incremental: symbols whose new days were appended to their curated rows.</summary>
    public IReadOnlyList<string> AppendedSymbols { get; init; } = [];

    /// <summary>Incremental: symbols recomputed from all their raw files, each with the reason.</summary>
    public IReadOnlyDictionary<string, string> RebuiltSymbols { get; init; } = new Dictionary<string, string>();

    /// <summary>Incremental: symbols whose curated files were merged into one.</summary>
    public IReadOnlyList<string> CompactedSymbols { get; init; } = [];

    /// <summary>Wall time of each step, in order (plan, stage, classify, metrics, write, ...).</summary>
    public IReadOnlyList<KeyValuePair<string, TimeSpan>> StageTimings { get; init; } = [];

    /// <summary>Incremental: symbols without raw files any more, whose curated rows were removed.</summary>
    public IReadOnlyList<string> RemovedSymbols { get; init; } = [];
}

/// <summary>One excluded input row: where it came from and why it was left out.</summary>
public sealed record ExcludedRow(string Symbol, string SourceFile, string? DateText, string Reason);
