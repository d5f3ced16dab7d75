using StockFlow.Analytics.Sql;

namespace StockFlow.Analytics.DuckDb;

/// <summary>
/// Builds the <c>raw_prices</c> relation the shared transform reads. Reading is this adapter's job: the typed rows
/// <see cref="RawStaging"/> wrote, with the symbol of each source file and <c>source_order</c> (file_no * 2^32 + line:
/// files come in key order, so a later key wins a duplicate). Cleaning is the shared <c>clean_prices.sql</c>'s.
/// </summary>
internal static class RawPricesRelation
{
    /// <summary>Creates temp table raw_files, view raw_typed, table classified_prices (every row, with its reason) and view raw_prices (clean rows).</summary>
    public static void Create(DuckDbEngine engine, RawStaging staging)
    {
        engine.Execute("CREATE OR REPLACE TEMP TABLE raw_files (file_no BIGINT, symbol VARCHAR, source_file VARCHAR)");
        using (var appender = engine.Connection.CreateAppender("temp", "main", "raw_files"))
        {
            foreach (var file in staging.Files)
            {
                appender.CreateRow().AppendValue((long)file.FileNo).AppendValue(file.Symbol).AppendValue(file.Path).EndRow();
            }
        }

        engine.Execute($"""
            CREATE OR REPLACE TEMP VIEW raw_typed AS
            SELECT f.symbol, t.trade_date, t.open, t.high, t.low, t.close, t.adj_close, t.volume, t.adj_close_given,
                   t.record_error, t.date_text, t.file_no * 4294967296 + t.line_no AS source_order
            FROM read_csv({SqlText.LiteralList(staging.CsvPaths)},
                header = false, auto_detect = false, delim = ',', quote = '"', escape = '"', dateformat = '%Y-%m-%d',
                columns = {TypedRow.Columns}) t
            JOIN raw_files f USING (file_no)
            """);

        engine.Execute($"CREATE OR REPLACE TEMP TABLE classified_prices AS {SqlText.WithoutTrailingSemicolon(SqlLibrary.GetTransform("clean_prices"))}");

        engine.Execute("""
            CREATE OR REPLACE TEMP VIEW raw_prices AS
            SELECT symbol, trade_date, open, high, low, close, adj_close, volume, source_order
            FROM classified_prices
            WHERE reason IS NULL
            """);
    }
}
