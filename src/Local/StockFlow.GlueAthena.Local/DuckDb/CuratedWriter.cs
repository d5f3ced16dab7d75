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
    /// <summary>
    /// Writes the rows of a materialized table. What was written is learned cheaply: rows per symbol from one aggregate
    /// over the table, the files from the COPY's file list, and per-file rows read back only for the few partitions that
    /// got more than one file. (RETURN_STATS, which computes every column's statistics per file, doubled the time of a
    /// write of 10,000 one-day partitions: 11.7-14.4 s against 5.9-9.0 s.)
    /// </summary>
    /// <remarks>
    /// DuckDB's partitioned write costs about a millisecond per partition file and does not spread that over its
    /// threads. With many symbols the table is cut into one symbol range per DuckDB thread, each written by its own
    /// single-threaded COPY on its own session, at the same time: 10,000 one-day partitions took 5.3-5.9 s that way
    /// against 7.9-13.8 s for one COPY on two threads (alternating runs on this 2-core machine).
    /// </remarks>
    /// <param name="engine">The session that holds the table.</param>
    /// <param name="table">A table with the daily_metrics columns, symbol first; not a TEMP table (the parallel writers are other sessions of the same database).</param>
    /// <param name="orderBy">ORDER BY clause for the written rows, or null for any order.</param>
    /// <param name="folder">The daily_metrics folder; the COPY makes the symbol=&lt;S&gt; folders under it.</param>
    /// <param name="fileNamePattern">DuckDB FILENAME_PATTERN, e.g. data_r000012_{i}: a name no listed file has (a file of the same name, left by a run that died, is replaced).</param>
    public static WrittenRows CopyTable(DuckDbEngine engine, string table, string? orderBy, string folder, string fileNamePattern)
    {
        var rowsBySymbol = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var row in engine.Rows($"SELECT CAST(symbol AS VARCHAR), count(*) FROM {table} GROUP BY ALL"))
        {
            rowsBySymbol[(string)row[0]!] = Convert.ToInt64(row[1], CultureInfo.InvariantCulture);
        }

        if (rowsBySymbol.Count == 0)
        {
            return new WrittenRows(0, rowsBySymbol, new Dictionary<string, IReadOnlyList<WrittenFile>>(StringComparer.Ordinal));
        }

        SetPartitionBuffers(engine);
        var order = orderBy is null ? string.Empty : " ORDER BY " + orderBy;
        var threads = engine.ScalarLong("SELECT CAST(current_setting('threads') AS BIGINT)");
        var ranges = SymbolRanges(rowsBySymbol, rowsBySymbol.Count >= MinSymbolsToSplit ? (int)Math.Max(1, threads) : 1);
        var paths = new List<string>[ranges.Count];
        if (ranges.Count == 1)
        {
            paths[0] = CopyFiles(engine, $"SELECT * FROM {table}{order}", folder, fileNamePattern);
        }
        else
        {
            // threads is a database-wide setting: every writer runs on one thread while they run, then it is put back.
            engine.Execute("SET threads = 1");
            try
            {
                Parallel.For(0, ranges.Count, new ParallelOptions { MaxDegreeOfParallelism = ranges.Count }, i =>
                {
                    using var session = engine.Duplicate();
                    // The partition buffer settings belong to a session: without them a writer kept every partition's
                    // rows in DuckDB's default buffers and ran out of memory under the pipeline's 2 GB limit.
                    SetPartitionBuffers(session);
                    var (first, last) = ranges[i];
                    paths[i] = CopyFiles(session,
                        $"SELECT * FROM {table} WHERE CAST(symbol AS VARCHAR) BETWEEN {SqlText.Literal(first)} AND {SqlText.Literal(last)}{order}",
                        folder, fileNamePattern);
                });
            }
            finally
            {
                engine.Execute(string.Create(CultureInfo.InvariantCulture, $"SET threads = {threads}"));
            }
        }

        var files = paths.SelectMany(p => p).GroupBy(path => SymbolOf(path, rowsBySymbol), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Order(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
        var missing = rowsBySymbol.Keys.Where(s => !files.ContainsKey(s)).ToArray();
        if (missing.Length > 0)
        {
            throw new InvalidOperationException($"DuckDB's COPY wrote no file for {missing.Length} symbol(s) that have rows, the first {missing[0]}.");
        }

        // A partition gets a second file when DuckDB had to close its writer (partitioned_write_max_open_files): only
        // those files' footers are read for their row counts.
        var split = files.Values.Where(f => f.Length > 1).SelectMany(f => f).ToArray();
        var rowsOfSplit = split.Length == 0
            ? new Dictionary<string, long>(StringComparer.Ordinal)
            : engine.Rows($"SELECT file_name, num_rows FROM parquet_file_metadata({SqlText.LiteralList(split)})")
                .ToDictionary(r => Path.GetFullPath((string)r[0]!), r => Convert.ToInt64(r[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);
        var bySymbol = files.ToDictionary(
            f => f.Key,
            f => (IReadOnlyList<WrittenFile>)(f.Value.Length == 1
                ? [new WrittenFile(f.Value[0], rowsBySymbol[f.Key])]
                : f.Value.Select(path => new WrittenFile(path, rowsOfSplit[Path.GetFullPath(path)])).ToArray()),
            StringComparer.Ordinal);
        return new WrittenRows(rowsBySymbol.Values.Sum(), rowsBySymbol, bySymbol);
    }

    /// <summary>Fewer symbols than this are written by one COPY: the per-partition cost only matters with many.</summary>
    internal const int MinSymbolsToSplit = 64;

    /// <summary>Consecutive symbol ranges (first, last, inclusive) of about equal rows, at most <paramref name="count"/>.</summary>
    internal static IReadOnlyList<(string First, string Last)> SymbolRanges(IReadOnlyDictionary<string, long> rowsBySymbol, int count)
    {
        var symbols = rowsBySymbol.Keys.Order(StringComparer.Ordinal).ToArray();
        count = Math.Clamp(count, 1, Math.Max(1, symbols.Length));
        var total = symbols.Sum(s => rowsBySymbol[s]);
        var ranges = new List<(string, string)>();
        var start = 0;
        long done = 0;
        for (var i = 0; i < symbols.Length; i++)
        {
            done += rowsBySymbol[symbols[i]];
            var isLast = i == symbols.Length - 1;
            // Close a range once it holds its share of the rows, keeping a symbol for each range still to come.
            if (isLast || (ranges.Count < count - 1 && done * count >= total * (ranges.Count + 1) && symbols.Length - i - 1 >= count - ranges.Count - 1))
            {
                ranges.Add((symbols[start], symbols[i]));
                start = i + 1;
            }
        }

        return ranges;
    }

    private static List<string> CopyFiles(DuckDbEngine session, string query, string folder, string fileNamePattern)
    {
        var result = session.Rows(CopySql(query, folder, fileNamePattern, "RETURN_FILES"));
        return result.Count == 1 && result[0].Length > 1 && result[0][1] is IEnumerable<string> listed
            ? listed.ToList()
            : throw new InvalidOperationException("DuckDB did not list the files its COPY wrote.");
    }

    /// <summary>
    /// Writes the rows of a query that is not materialized (a rebuild too large to hold), learning what was written from
    /// DuckDB's per-file statistics.
    /// </summary>
    /// <param name="engine">The session that runs the query.</param>
    /// <param name="query">Rows in the daily_metrics column order (symbol first; it becomes the partition folder).</param>
    /// <param name="folder">The daily_metrics folder; the COPY makes the symbol=&lt;S&gt; folders under it.</param>
    /// <param name="fileNamePattern">DuckDB FILENAME_PATTERN, as for <see cref="CopyTable"/>.</param>
    public static WrittenRows CopyQuery(DuckDbEngine engine, string query, string folder, string fileNamePattern)
    {
        SetPartitionBuffers(engine);
        var rows = engine.Rows(CopySql(query, folder, fileNamePattern, "RETURN_STATS"));
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

    /// <summary>The one partitioned COPY both writers run; <paramref name="returning"/> says what it answers with.</summary>
    private static string CopySql(string query, string folder, string fileNamePattern, string returning) => $"""
        COPY ({query}) TO {SqlText.Literal(folder)}
        (FORMAT PARQUET, PARTITION_BY (symbol), OVERWRITE_OR_IGNORE, FILENAME_PATTERN {SqlText.Literal(fileNamePattern)}, ROW_GROUP_SIZE 1000000, {returning} true)
        """;

    private static void SetPartitionBuffers(DuckDbEngine engine) =>
        // Each DuckDB thread buffers rows per partition and flushes them to the partition's file once it holds this
        // many (default 524,288). With hundreds of symbols the default buffers most of the table in fresh memory first;
        // 30,000 measured ~15% less peak memory and ~3% less wall time for 500 x 10 y, at the cost of a second file in
        // a few partitions (DuckDB keeps at most partitioned_write_max_open_files writers open). A symbol's partition
        // holds far fewer rows than a row group either way; the larger ROW_GROUP_SIZE measured ~15% less CPU for the
        // partitioned write of 500 x 10 y (DuckDB flushes its partition buffers less often).
        engine.Execute("SET partitioned_write_flush_threshold = 30000");

    /// <summary>The symbol of a file DuckDB wrote under <c>symbol=&lt;S&gt;/</c>, checked against the symbols written.</summary>
    private static string SymbolOf(string path, IReadOnlyDictionary<string, long> written)
    {
        var folder = Path.GetFileName(Path.GetDirectoryName(path)) ?? string.Empty;
        const string Prefix = "symbol=";
        if (folder.StartsWith(Prefix, StringComparison.Ordinal))
        {
            var value = folder[Prefix.Length..];
            if (written.ContainsKey(value))
            {
                return value;
            }

            // DuckDB percent-encodes some characters of partition values in folder names.
            var unescaped = Uri.UnescapeDataString(value);
            if (written.ContainsKey(unescaped))
            {
                return unescaped;
            }
        }

        throw new InvalidOperationException($"DuckDB wrote '{path}', which is not in the partition of a symbol it was given.");
    }
}
