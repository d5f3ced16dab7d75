using System.Globalization;
using StockFlow.GlueAthena.Local.DuckDb;

namespace StockFlow.GlueAthena.Local.Transform;

/// <summary>Counts of what a run read and excluded, from classified_prices (the rows this run read).</summary>
internal static class TransformStatistics
{
    /// <param name="engine">The run's session, holding classified_prices.</param>
    /// <param name="computedRows">Rows the metrics SQL produced from this run's input (one per distinct clean (symbol, day)).</param>
    /// <param name="symbols">Symbols those rows belong to.</param>
    /// <param name="sampleLimit">At most this many excluded rows are returned as samples.</param>
    /// <param name="elapsed">The run's wall time so far.</param>
    public static TransformResult Build(DuckDbEngine engine, long computedRows, IReadOnlyList<string> symbols, int sampleLimit, TimeSpan elapsed)
    {
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        long rowsRead = 0;
        foreach (var row in engine.Rows("SELECT reason, count(*) FROM classified_prices GROUP BY reason"))
        {
            var count = Convert.ToInt64(row[1], CultureInfo.InvariantCulture);
            rowsRead += count;
            if (row[0] is string reason)
            {
                counts[reason] = count;
            }
        }

        // Every clean row becomes one output row unless a later row has the same (symbol, day).
        var clean = rowsRead - counts.Values.Sum();
        var duplicates = clean - computedRows;
        if (duplicates > 0)
        {
            counts[TransformResult.DuplicateReason] = duplicates;
        }

        var excluded = counts.Values.Sum();
        return new TransformResult(
            rowsRead,
            computedRows,
            excluded,
            counts,
            excluded == 0 ? [] : Samples(engine, sampleLimit),
            symbols,
            elapsed);
    }

    private static ExcludedRow[] Samples(DuckDbEngine engine, int limit)
    {
        if (limit <= 0)
        {
            return [];
        }

        var fileNo = RawStaging.FileNoSql("source_order");
        return engine.Rows($"""
            SELECT e.symbol, f.source_file, e.date_text, e.reason FROM (
                SELECT symbol, {fileNo} AS file_no, date_text, reason, source_order FROM classified_prices WHERE reason IS NOT NULL
                UNION ALL
                SELECT symbol, {fileNo} AS file_no, CAST(trade_date AS VARCHAR), $2 AS reason, source_order FROM (
                    SELECT *, row_number() OVER (PARTITION BY symbol, trade_date ORDER BY source_order DESC) AS dup_rank
                    FROM classified_prices WHERE reason IS NULL)
                WHERE dup_rank > 1) e
            JOIN raw_files f USING (file_no)
            ORDER BY e.source_order
            LIMIT $1
            """, limit, TransformResult.DuplicateReason)
            .Select(r => new ExcludedRow((string?)r[0] ?? "", (string)r[1]!, (string?)r[2], (string)r[3]!))
            .ToArray();
    }

    /// <summary>One result for batches run in key order: counts summed, samples in batch order up to the limit.</summary>
    public static TransformResult Combine(IReadOnlyList<TransformResult> batches, int sampleLimit)
    {
        if (batches.Count == 1)
        {
            return batches[0];
        }

        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (reason, count) in batches.SelectMany(b => b.ExcludedByReason))
        {
            counts[reason] = counts.GetValueOrDefault(reason) + count;
        }

        return new TransformResult(
            batches.Sum(b => b.RowsRead),
            batches.Sum(b => b.RowsWritten),
            batches.Sum(b => b.RowsExcluded),
            counts,
            batches.SelectMany(b => b.ExcludedSamples).Take(Math.Max(0, sampleLimit)).ToArray(),
            batches.SelectMany(b => b.Symbols).ToArray(),
            TimeSpan.Zero);
    }
}
