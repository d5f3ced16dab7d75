using StockFlow.GlueAthena.Local.DuckDb;

namespace StockFlow.GlueAthena.Local.Transform;

/// <summary>How the local transform job (the Glue job's stand-in) runs. A new instance holds the defaults each property
/// names: a full rebuild with DuckDB's own limits.</summary>
public sealed record TransformOptions
{
    /// <summary>The DuckDB database's limits. Default: none set (DuckDB's defaults).</summary>
    public DuckDbOptions DuckDb { get; init; } = new();

    /// <summary>How many excluded rows to return as examples (all of them are counted).</summary>
    public int ExcludedSampleLimit { get; init; } = 100;

    /// <summary>The clock that decides the latest trade date the cleaning rules accept (the last completed weekday).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Rebuild the whole curated table, or add only what changed. Default <see cref="TransformMode.Full"/>.</summary>
    public TransformMode Mode { get; init; } = TransformMode.Full;

    /// <summary>
    /// Incremental only: the symbols to look at (e.g. those ingested this run); null looks at every symbol in the raw
    /// lake and the manifest. Symbols outside the list keep their curated rows as they are.
    /// </summary>
    public IReadOnlyCollection<string>? Symbols { get; init; }

    /// <summary>
    /// Incremental only: a symbol partition holding this many files or more is rewritten as one file. Each symbol's
    /// actual threshold is spread over [value, 2 x value) by its name, so a daily run compacts a few partitions rather
    /// than all of them on the same day.
    /// </summary>
    public int CompactAtFiles { get; init; } = 8;

    /// <summary>
    /// Incremental only: a changed partition with fewer curated rows than this is rewritten as one file instead of
    /// taking another small file. Every query and every later run pays per file, not per row: with 10,000 symbols of a
    /// month each, a file per symbol per day doubled the files after one day and made the analysis queries ~4x slower,
    /// while rewriting a partition this small costs no more than writing a new file beside it. 2,000 rows is about
    /// eight years of trading days; longer histories take append files and are compacted by <see cref="CompactAtFiles"/>.
    /// </summary>
    public int CompactBelowRows { get; init; } = 2_000;

    /// <summary>
    /// Full rebuild: symbols are transformed in batches of about this many bytes of raw CSV (every metric is per
    /// symbol, so batches are independent). A batch's working set, not the lake's, is what must fit the memory limit;
    /// 256 MiB (~4 M rows) keeps a batch well inside a 2 GB limit, and a 500 x 10 y lake is one batch.
    /// </summary>
    public long FullRebuildBatchBytes { get; init; } = 256L << 20;

    /// <summary>
    /// Full rebuild: when every batch is at most this much raw CSV, its metrics are held in memory once so the rebuild
    /// also writes the carry the next incremental run starts from (it then opens no curated file). Larger rebuilds stream
    /// their batches to Parquet, and the next incremental run reads the curated files of the symbols it continues.
    /// </summary>
    public long CarryFromRebuildBelowBytes { get; init; } = 32L << 20;

    internal void Validate()
    {
        if (CompactAtFiles < 2)
        {
            throw new ArgumentException($"CompactAtFiles must be at least 2 (was {CompactAtFiles}).", nameof(CompactAtFiles));
        }

        if (CompactBelowRows < 0)
        {
            throw new ArgumentException($"CompactBelowRows must not be negative (was {CompactBelowRows}).", nameof(CompactBelowRows));
        }

        if (FullRebuildBatchBytes < 1)
        {
            throw new ArgumentException($"FullRebuildBatchBytes must be positive (was {FullRebuildBatchBytes}).", nameof(FullRebuildBatchBytes));
        }
    }
}
