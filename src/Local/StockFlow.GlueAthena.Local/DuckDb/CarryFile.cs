using System.Globalization;
using DuckDB.NET.Data;

namespace StockFlow.GlueAthena.Local.DuckDb;

/// <summary>
/// What an incremental run needs of the curated table, kept in one Parquet file beside the manifest so the next run
/// does not open every curated file to learn it: per symbol, every row while the partition is small (it is rewritten
/// whole with its new rows) and otherwise its last <see cref="CuratedState.HistoryRows"/> rows, plus the symbol's
/// row count, first px and running max px (columns carried_rows, first_px, running_max_px on each of its rows).
/// A symbol whose carried row count is not the manifest's is read from its curated files instead: the carry is a cache,
/// never the truth. Reading 10,000 one-month partitions cost ~1-2 ms of CPU per file; the carry is one file.
/// </summary>
internal static class CarryFile
{
    /// <summary>Columns after the daily_metrics ones.</summary>
    private const string StatsColumns = "carried_rows, first_px, running_max_px";

    /// <summary>
    /// Loads <paramref name="path"/> into temp table carry_old and returns the symbols of <paramref name="symbols"/> it
    /// holds correctly: the manifest's row count, every row for those in <paramref name="wholeRowsOf"/>, and at least the
    /// last <see cref="CuratedState.HistoryRows"/> for the others.
    /// </summary>
    public static HashSet<string> Load(DuckDbEngine engine, string? path, IReadOnlyDictionary<string, long> symbols, IReadOnlySet<string> wholeRowsOf)
    {
        var hits = new HashSet<string>(StringComparer.Ordinal);
        engine.Execute($"CREATE OR REPLACE TEMP TABLE carry_old AS SELECT {DailyMetricsRelation.Columns}, {StatsColumns} FROM ({Empty})");
        if (path is null || !File.Exists(path))
        {
            return hits;
        }

        try
        {
            engine.Execute($"INSERT INTO carry_old SELECT {DailyMetricsRelation.Columns}, {StatsColumns} FROM read_parquet({SqlText.Literal(path)})");
        }
        catch (DuckDBException)
        {
            // A damaged carry costs one read of the curated files, nothing more.
            engine.Execute("DELETE FROM carry_old");
            return hits;
        }

        foreach (var row in engine.Rows("SELECT symbol, any_value(carried_rows), count(*) FROM carry_old GROUP BY symbol"))
        {
            var symbol = (string)row[0]!;
            var carried = Convert.ToInt64(row[1], CultureInfo.InvariantCulture);
            var present = Convert.ToInt64(row[2], CultureInfo.InvariantCulture);
            if (symbols.TryGetValue(symbol, out var rows) && rows == carried
                && (wholeRowsOf.Contains(symbol) ? present == carried : present >= Math.Min(carried, CuratedState.HistoryRows)))
            {
                hits.Add(symbol);
            }
        }

        return hits;
    }

    /// <summary>
    /// Writes the next carry to <paramref name="path"/> from the temp tables of a finished incremental run: the rows of
    /// the continued symbols (curated_kept when whole, metrics_history otherwise) and the new rows (metrics_new), and
    /// carry_old for the symbols the run did not touch.
    /// </summary>
    /// <param name="engine">The run's session, holding its temp tables.</param>
    /// <param name="path">The new carry file (a new name per run; the old one goes when the manifest is committed).</param>
    /// <param name="rows">Every symbol of the new manifest with its curated row count.</param>
    /// <param name="continued">Symbols the run appended to, from their carried state.</param>
    /// <param name="wholeRowsOf">Those of <paramref name="continued"/> whose small partition was read whole (temp table curated_kept).</param>
    /// <param name="rebuilt">Symbols recomputed from all their raw files (their rows are all in metrics_new).</param>
    /// <param name="compactBelowRows">A partition with fewer rows is carried whole (<see cref="Transform.TransformOptions.CompactBelowRows"/>).</param>
    public static void SaveIncremental(
        DuckDbEngine engine,
        string path,
        IReadOnlyDictionary<string, long> rows,
        IReadOnlyCollection<string> continued,
        IReadOnlySet<string> wholeRowsOf,
        IReadOnlyCollection<string> rebuilt,
        int compactBelowRows)
    {
        var touched = continued.Concat(rebuilt).ToArray();
        engine.Execute($"CREATE OR REPLACE TEMP TABLE carry_touched AS SELECT unnest({SqlText.VarcharList(touched)}) AS symbol");
        engine.Execute($"CREATE OR REPLACE TEMP TABLE carry_continued AS SELECT unnest({SqlText.VarcharList(continued)}) AS symbol");
        engine.Execute($"CREATE OR REPLACE TEMP TABLE carry_whole AS SELECT unnest({SqlText.VarcharList(continued.Where(wholeRowsOf.Contains))}) AS symbol");
        engine.Execute("CREATE OR REPLACE TEMP TABLE carry_new_stats AS SELECT symbol, arg_min(adj_close, trade_date) AS first_px, max(adj_close) AS max_px FROM metrics_new GROUP BY symbol");
        engine.Execute($"""
            CREATE OR REPLACE TEMP TABLE carry_stats AS
            SELECT symbol, any_value(first_px) AS first_px, any_value(running_max_px) AS running_max_px
            FROM carry_old WHERE symbol NOT IN (SELECT symbol FROM carry_touched) GROUP BY symbol
            UNION ALL
            SELECT c.symbol, c.first_px, greatest(c.running_max_px, n.max_px)
            FROM curated_summary c LEFT JOIN carry_new_stats n ON n.symbol = c.symbol
            WHERE c.symbol IN (SELECT symbol FROM carry_continued)
            UNION ALL
            SELECT symbol, first_px, max_px FROM carry_new_stats
            WHERE symbol NOT IN (SELECT symbol FROM carry_continued) AND symbol IN (SELECT symbol FROM carry_touched)
            """);
        // A long partition carries only what its windows need: symbol, trade_date and adj_close.
        var historyColumns = DailyMetricsRelation.TypedColumns.Select(c =>
            c.Name is "symbol" or "trade_date" or "adj_close" ? c.Name : $"CAST(NULL AS {c.Type}) AS {c.Name}");
        var history = $"""
            SELECT {string.Join(", ", historyColumns)}
            FROM metrics_history
            WHERE symbol IN (SELECT symbol FROM carry_continued) AND symbol NOT IN (SELECT symbol FROM carry_whole)
            """;
        var source = $"""
            SELECT {DailyMetricsRelation.Columns} FROM curated_kept WHERE symbol IN (SELECT symbol FROM carry_whole)
            UNION ALL {history}
            UNION ALL SELECT {DailyMetricsRelation.Columns} FROM metrics_new
            UNION ALL SELECT {DailyMetricsRelation.Columns} FROM carry_old WHERE symbol NOT IN (SELECT symbol FROM carry_touched)
            """;
        Write(engine, path, source, rows, compactBelowRows);
    }

    /// <summary>Starts the carry of a full rebuild (temp table carry_acc); batches add to it with <see cref="AddFullBatch"/>.</summary>
    public static void BeginFull(DuckDbEngine engine) =>
        engine.Execute($"CREATE OR REPLACE TEMP TABLE carry_acc AS SELECT {DailyMetricsRelation.Columns}, {StatsColumns} FROM ({Empty})");

    /// <summary>Adds what the next run needs of one full-rebuild batch, computed in temp table <paramref name="metricsTable"/>.</summary>
    public static void AddFullBatch(DuckDbEngine engine, string metricsTable, int compactBelowRows) =>
        engine.Execute($"""
            INSERT INTO carry_acc
            SELECT {DailyMetricsRelation.Columns}, n AS carried_rows, first_px, running_max_px
            FROM (
                SELECT *, count(*) OVER w AS n, row_number() OVER (w ORDER BY trade_date DESC) AS back,
                       arg_min(adj_close, trade_date) OVER w AS first_px, max(adj_close) OVER w AS running_max_px
                FROM {metricsTable}
                WINDOW w AS (PARTITION BY symbol))
            WHERE n < {compactBelowRows.ToString(CultureInfo.InvariantCulture)} OR back <= {CuratedState.HistoryRows.ToString(CultureInfo.InvariantCulture)}
            """);

    public static void SaveFull(DuckDbEngine engine, string path)
    {
        WriteParquet(engine, path, "SELECT * FROM carry_acc");
        engine.Execute("DROP TABLE carry_acc");
    }

    private static void Write(DuckDbEngine engine, string path, string source, IReadOnlyDictionary<string, long> rows, int compactBelowRows)
    {
        var symbols = rows.Keys.ToArray();
        engine.Execute($"""
            CREATE OR REPLACE TEMP TABLE carry_rows AS
            SELECT unnest({SqlText.VarcharList(symbols)}) AS symbol, unnest(CAST([{string.Join(", ", symbols.Select(s => rows[s].ToString(CultureInfo.InvariantCulture)))}] AS BIGINT[])) AS carried_rows
            """);
        WriteParquet(engine, path, $"""
            SELECT s.*, r.carried_rows, t.first_px, t.running_max_px
            FROM ({source}) s JOIN carry_rows r ON r.symbol = s.symbol JOIN carry_stats t ON t.symbol = s.symbol
            QUALIFY r.carried_rows < {compactBelowRows.ToString(CultureInfo.InvariantCulture)}
                 OR row_number() OVER (PARTITION BY s.symbol ORDER BY s.trade_date DESC) <= {CuratedState.HistoryRows.ToString(CultureInfo.InvariantCulture)}
            """);
    }

    private static void WriteParquet(DuckDbEngine engine, string path, string query)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        engine.Execute($"COPY ({query}) TO {SqlText.Literal(path)} (FORMAT PARQUET)");
    }

    /// <summary>No rows, the carry's columns and types.</summary>
    private static readonly string Empty =
        "SELECT " + string.Join(", ", DailyMetricsRelation.TypedColumns.Select(c => $"CAST(NULL AS {c.Type}) AS {c.Name}")) +
        ", CAST(NULL AS BIGINT) AS carried_rows, CAST(NULL AS DOUBLE) AS first_px, CAST(NULL AS DOUBLE) AS running_max_px WHERE false";
}
