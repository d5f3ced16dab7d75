using StockFlow.GlueAthena.Local.Sql;

namespace StockFlow.GlueAthena.Local.DuckDb;

/// <summary>
/// Builds the <c>raw_prices</c> relation the shared transform reads. Reading is this adapter's job: the typed rows
/// <see cref="RawStaging"/> wrote, each with its <c>source_order</c> (file_no * 2^32 + line: files come in key order,
/// so a later key wins a duplicate), and the symbol of its file. Cleaning is the shared <c>clean_prices.sql</c>'s.
/// </summary>
internal static class RawPricesRelation
{
    /// <summary>
    /// Creates temp tables raw_files and raw_file_symbols and the views raw_typed, classified_prices (every row, with its
    /// reason) and raw_prices (clean rows). Views, not tables: the staging Parquet is cheap to scan again, and
    /// materialising every raw row cost more than the one extra scan the statistics make.
    /// </summary>
    /// <param name="engine">The transform's session; the tables and views are created in it.</param>
    /// <param name="staging">The staged raw files.</param>
    /// <param name="lastTradeDate">The latest trade date the cleaning rules accept.</param>
    /// <param name="symbolAsEnum">
    /// Type the symbol as an ENUM of the staged symbols: grouping and sorting on a small integer instead of text cut the
    /// metrics SQL's CPU by a tenth or more on 500 x 10 y. Only where raw_prices is not compared with text symbols from
    /// elsewhere (the full rebuild); the incremental run joins with curated state and keeps text.
    /// </param>
    public static void Create(DuckDbEngine engine, RawStaging staging, DateOnly lastTradeDate, bool symbolAsEnum = false)
    {
        engine.Execute("CREATE OR REPLACE TEMP TABLE raw_files (file_no BIGINT, symbol VARCHAR, source_file VARCHAR)");
        using (var appender = engine.Connection.CreateAppender("temp", "main", "raw_files"))
        {
            foreach (var file in staging.Files)
            {
                appender.CreateRow().AppendValue((long)file.FileNo).AppendValue(file.Symbol).AppendValue(file.Path).EndRow();
            }
        }

        // A staged row carries its file (source_order / 2^32), not its symbol: writing and reading the same symbol text
        // for every row cost more than this join with one row per file.
        var symbol = symbolAsEnum
            ? $"CAST(symbol AS ENUM({string.Join(", ", staging.Files.Select(f => f.Symbol).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(SqlText.Literal))}))"
            : "symbol";
        engine.Execute($"CREATE OR REPLACE TEMP TABLE raw_file_symbols AS SELECT file_no, {symbol} AS symbol FROM raw_files");
        engine.Execute($"""
            CREATE OR REPLACE TEMP VIEW raw_typed AS
            SELECT f.symbol, t.trade_date, t.open, t.high, t.low, t.close, t.adj_close, t.volume, t.adj_close_given, t.volume_given, t.record_error, t.date_text, t.source_order
            FROM read_parquet({SqlText.LiteralList(staging.Paths)}) t
            JOIN raw_file_symbols f ON f.file_no = {RawStaging.FileNoSql("t.source_order")}
            """);

        engine.Execute($"CREATE OR REPLACE TEMP VIEW classified_prices AS {CleanPricesSql.Render(lastTradeDate)}");

        engine.Execute("""
            CREATE OR REPLACE TEMP VIEW raw_prices AS
            SELECT symbol, trade_date, open, high, low, close, adj_close, volume, source_order
            FROM classified_prices
            WHERE reason IS NULL
            """);
    }
}
