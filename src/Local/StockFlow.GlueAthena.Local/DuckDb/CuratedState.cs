namespace StockFlow.GlueAthena.Local.DuckDb;

/// <summary>What is curated for one symbol: rows (and distinct days, equal unless the table is damaged), last day, files.</summary>
internal sealed record CuratedSymbol(string Symbol, long Rows, long Days, DateOnly LastDate, int Files);

/// <summary>
/// Reads, from the curated Parquet of the symbols an incremental run continues, the inputs of
/// daily_metrics_incremental.sql: temp tables metrics_history (the last <see cref="HistoryRows"/> rows) and
/// metrics_carry (rows before them, first px, running max px), plus curated_summary (per symbol: rows, days, last_date).
/// </summary>
internal static class CuratedState
{
    /// <summary>The longest window (ma_200) reaches 199 rows back; volatility_20 needs 20 prices back.</summary>
    public const int HistoryRows = 199;

    /// <param name="engine">The run's session; the temp tables are created in it.</param>
    /// <param name="filesBySymbol">The curated files of each symbol the run continues, as the manifest lists them.</param>
    /// <param name="keepRowsOf">
    /// Symbols whose whole partition the run is about to rewrite (small ones, compacted with their new rows): their rows
    /// are read once, all columns, into temp table curated_kept, so the rewrite does not open their files again.
    /// </param>
    /// <param name="carryPath">The last run's <see cref="CarryFile"/>, if any: the symbols it holds correctly are not read from their files.</param>
    /// <param name="manifestRows">The manifest's row count of each continued symbol (what the carry must agree with).</param>
    public static IReadOnlyDictionary<string, CuratedSymbol> Load(
        DuckDbEngine engine,
        IReadOnlyDictionary<string, string[]> filesBySymbol,
        IReadOnlySet<string> keepRowsOf,
        string? carryPath,
        IReadOnlyDictionary<string, long> manifestRows)
    {
        var carried = CarryFile.Load(engine, carryPath, manifestRows, keepRowsOf);
        engine.Execute($"CREATE OR REPLACE TEMP TABLE carried AS SELECT unnest({SqlText.VarcharList(carried)}) AS symbol");
        var kept = filesBySymbol.Where(s => keepRowsOf.Contains(s.Key) && !carried.Contains(s.Key)).SelectMany(s => s.Value).ToArray();
        var others = filesBySymbol.Where(s => !keepRowsOf.Contains(s.Key) && !carried.Contains(s.Key)).SelectMany(s => s.Value).ToArray();
        engine.Execute($"""
            CREATE OR REPLACE TEMP TABLE curated_kept AS
            SELECT {DailyMetricsRelation.Columns} FROM carry_old
            WHERE symbol IN (SELECT symbol FROM carried) AND symbol IN (SELECT unnest({SqlText.VarcharList(keepRowsOf)}))
            """);
        if (kept.Length > 0)
        {
            engine.Execute($"""
                INSERT INTO curated_kept
                SELECT {DailyMetricsRelation.Columns}
                FROM read_parquet({SqlText.LiteralList(kept)}, hive_partitioning = true, hive_types = {"{'symbol': 'VARCHAR'}"})
                """);
        }

        var px = $"""
            SELECT symbol, trade_date, adj_close FROM curated_kept
            UNION ALL SELECT symbol, trade_date, adj_close FROM carry_old
            WHERE symbol IN (SELECT symbol FROM carried) AND symbol NOT IN (SELECT symbol FROM curated_kept)
            """;
        if (others.Length > 0)
        {
            px += $"""
                 UNION ALL SELECT symbol, trade_date, adj_close
                FROM read_parquet({SqlText.LiteralList(others)}, hive_partitioning = true, hive_types = {"{'symbol': 'VARCHAR'}"})
                """;
        }

        engine.Execute($"CREATE OR REPLACE TEMP TABLE curated_px AS {px}");

        // A carried symbol's count, first px and running max come with the carry (it holds only the last rows of a long
        // partition); the others' are counted from their rows, which also finds a duplicated day (rows != days).
        engine.Execute("""
            CREATE OR REPLACE TEMP TABLE curated_summary AS
            SELECT symbol, count(*) AS rows, count(DISTINCT trade_date) AS days, max(trade_date) AS last_date,
                   arg_min(adj_close, trade_date) AS first_px, max(adj_close) AS running_max_px
            FROM curated_px WHERE symbol NOT IN (SELECT symbol FROM carried) GROUP BY symbol
            UNION ALL
            SELECT symbol, any_value(carried_rows), any_value(carried_rows), max(trade_date), any_value(first_px), any_value(running_max_px)
            FROM carry_old WHERE symbol IN (SELECT symbol FROM carried) GROUP BY symbol
            """);
        engine.Execute($"""
            CREATE OR REPLACE TEMP TABLE metrics_history AS
            SELECT symbol, trade_date, adj_close FROM curated_px
            QUALIFY row_number() OVER (PARTITION BY symbol ORDER BY trade_date DESC) <= {HistoryRows}
            """);
        engine.Execute($"""
            CREATE OR REPLACE TEMP TABLE metrics_carry AS
            SELECT symbol, rows - least(rows, {HistoryRows}) AS rows_before_history, first_px, running_max_px
            FROM curated_summary
            """);
        engine.Execute("DROP TABLE curated_px");

        var fileCounts = filesBySymbol.ToDictionary(s => s.Key, s => s.Value.Length, StringComparer.Ordinal);
        return engine.Rows("SELECT symbol, rows, days, last_date FROM curated_summary")
            .Select(r => new CuratedSymbol(
                (string)r[0]!, Convert.ToInt64(r[1], System.Globalization.CultureInfo.InvariantCulture),
                Convert.ToInt64(r[2], System.Globalization.CultureInfo.InvariantCulture), ToDate(r[3]!),
                fileCounts.GetValueOrDefault((string)r[0]!)))
            .ToDictionary(s => s.Symbol, StringComparer.Ordinal);
    }

    /// <summary>The symbols that start from scratch after all: no history and no carry for them.</summary>
    public static void Forget(DuckDbEngine engine, IReadOnlyCollection<string> symbols)
    {
        foreach (var symbol in symbols)
        {
            engine.Execute("DELETE FROM metrics_history WHERE symbol = $1", symbol);
            engine.Execute("DELETE FROM metrics_carry WHERE symbol = $1", symbol);
        }
    }

    private static DateOnly ToDate(object value) => value switch
    {
        DateOnly d => d,
        DateTime dt => DateOnly.FromDateTime(dt),
        _ => throw new InvalidDataException($"Unexpected trade_date value '{value}' in the curated table."),
    };
}
