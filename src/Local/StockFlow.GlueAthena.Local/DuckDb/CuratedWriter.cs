using System.Globalization;

namespace StockFlow.GlueAthena.Local.DuckDb;

/// <summary>One file a COPY wrote and its rows.</summary>
internal sealed record WrittenFile(string Path, long Rows);

/// <summary>What one COPY wrote: rows per symbol and each symbol's new files.</summary>
internal sealed record WrittenRows(long Total, IReadOnlyDictionary<string, long> RowsBySymbol, IReadOnlyDictionary<string, IReadOnlyList<WrittenFile>> FilesBySymbol);

/// <summary>
/// Writes daily_metrics rows as Parquet partitioned by symbol, in one COPY, beside the files already there, and
/// reports what it wrote. The new files belong to the table only once the transform manifest lists them.
/// </summary>
internal static class CuratedWriter
{
    /// <param name="engine">The session that holds the rows.</param>
    /// <param name="query">Rows in the daily_metrics column order (symbol first; it becomes the partition folder).</param>
    /// <param name="folder">The daily_metrics folder; the COPY makes the symbol=&lt;S&gt; folders under it.</param>
    /// <param name="fileNamePattern">DuckDB FILENAME_PATTERN, e.g. data_r000012_{i}: a name no listed file has (a file of the same name, left by a run that died, is replaced).</param>
    public static WrittenRows Copy(DuckDbEngine engine, string query, string folder, string fileNamePattern)
    {
        // Each DuckDB thread buffers rows per partition and flushes them to the partition's file once it holds this
        // many (default 524,288). With hundreds of symbols the default buffers most of the table in fresh memory first;
        // 30,000 measured ~15% less peak memory and ~3% less wall time for 500 x 10 y, at the cost of a second file in
        // a few partitions (DuckDB keeps at most partitioned_write_max_open_files writers open).
        engine.Execute("SET partitioned_write_flush_threshold = 30000");
        // A symbol's partition holds far fewer rows than a row group either way; the larger setting measured ~15% less
        // CPU for the partitioned write of 500 x 10 y (DuckDB flushes its partition buffers less often).
        var rows = engine.Rows($"""
            COPY ({query}) TO {SqlText.Literal(folder)}
            (FORMAT PARQUET, PARTITION_BY (symbol), OVERWRITE_OR_IGNORE, FILENAME_PATTERN {SqlText.Literal(fileNamePattern)}, ROW_GROUP_SIZE 1000000, RETURN_STATS true)
            """);
        var bySymbol = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var files = new Dictionary<string, List<WrittenFile>>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var file = (string)row[0]!;
            var count = Convert.ToInt64(row[1], CultureInfo.InvariantCulture);
            var symbol = row[5] is IDictionary<string, string> keys && keys.TryGetValue("symbol", out var value)
                ? value
                : throw new InvalidOperationException($"DuckDB did not report the partition of '{file}'.");
            bySymbol[symbol] = bySymbol.GetValueOrDefault(symbol) + count;
            if (!files.TryGetValue(symbol, out var ofSymbol))
            {
                files[symbol] = ofSymbol = [];
            }

            ofSymbol.Add(new WrittenFile(file, count));
        }

        return new WrittenRows(bySymbol.Values.Sum(), bySymbol,
            files.ToDictionary(f => f.Key, f => (IReadOnlyList<WrittenFile>)f.Value.OrderBy(w => w.Path, StringComparer.Ordinal).ToArray(), StringComparer.Ordinal));
    }
}
