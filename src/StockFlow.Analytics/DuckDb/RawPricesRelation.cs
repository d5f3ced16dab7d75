namespace StockFlow.Analytics.DuckDb;

/// <summary>
/// Builds the <c>raw_prices</c> relation the shared transform reads: the lake's raw CSVs read as text,
/// type-checked with TRY_CAST against the cleaning rules (§3), with a reason for every rejected row.
/// </summary>
internal static class RawPricesRelation
{
    /// <summary>Creates temp table raw_files, view raw_text, table classified_prices and the view raw_prices (clean rows only).</summary>
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

        // (file_no, line_no) is the ingest order: files come in key order, so a later key wins a duplicate.
        engine.Execute($"""
            CREATE OR REPLACE TEMP VIEW raw_text AS
            SELECT f.symbol, t.file_no, t.file_no * 4294967296 + t.line_no AS source_order,
                   t."Date" AS date_text, t."Open" AS open_text, t."High" AS high_text, t."Low" AS low_text,
                   t."Close" AS close_text, t."Adj Close" AS adj_close_text, t."Volume" AS volume_text
            FROM read_csv({SqlText.LiteralList(staging.CsvPaths)},
                header = false, auto_detect = false, delim = ',', quote = '"', escape = '"', null_padding = true,
                columns = {"{'file_no': 'BIGINT', 'line_no': 'BIGINT', 'Date': 'VARCHAR', 'Open': 'VARCHAR', 'High': 'VARCHAR', 'Low': 'VARCHAR', 'Close': 'VARCHAR', 'Adj Close': 'VARCHAR', 'Volume': 'VARCHAR'}"}) t
            JOIN raw_files f USING (file_no)
            """);

        // TRY_CAST ignores surrounding whitespace; the date must be exactly yyyy-MM-dd (DuckDB's cast alone takes more).
        // The row keeps file_no (not the path) and its date text only when rejected: that is all a sample needs.
        engine.Execute("""
            CREATE OR REPLACE TEMP TABLE classified_prices AS
            WITH typed AS (
                SELECT
                    source_order, file_no, symbol, date_text,
                    CASE WHEN regexp_full_match(date_text, '\s*\d{4}-\d{2}-\d{2}\s*')
                         THEN TRY_CAST(date_text AS DATE) END AS trade_date,
                    TRY_CAST(open_text AS DOUBLE) AS open,
                    TRY_CAST(high_text AS DOUBLE) AS high,
                    TRY_CAST(low_text AS DOUBLE) AS low,
                    TRY_CAST(close_text AS DOUBLE) AS close,
                    coalesce(trim(adj_close_text), '') NOT IN ('', 'null', 'NULL', 'Null') AS has_adj_close,
                    TRY_CAST(adj_close_text AS DOUBLE) AS adj_close_value,
                    TRY_CAST(volume_text AS DOUBLE) AS volume_value
                FROM raw_text
            ),
            classified AS (
                SELECT
                    source_order, file_no, symbol, date_text, trade_date, open, high, low, close,
                    CASE WHEN has_adj_close THEN adj_close_value END AS adj_close,
                    CASE WHEN isfinite(volume_value) AND volume_value >= 0 AND volume_value = floor(volume_value)
                         THEN CAST(volume_value AS BIGINT) END AS volume,
                    CASE
                        WHEN symbol IS NULL OR trim(symbol) = '' THEN 'symbol partition missing'
                        WHEN trade_date IS NULL THEN 'date does not parse'
                        WHEN open IS NULL OR NOT isfinite(open) THEN 'open missing or non-numeric'
                        WHEN high IS NULL OR NOT isfinite(high) THEN 'high missing or non-numeric'
                        WHEN low IS NULL OR NOT isfinite(low) THEN 'low missing or non-numeric'
                        WHEN close IS NULL OR NOT isfinite(close) THEN 'close missing or non-numeric'
                        WHEN open <= 0 THEN 'open <= 0'
                        WHEN high <= 0 THEN 'high <= 0'
                        WHEN low <= 0 THEN 'low <= 0'
                        WHEN close <= 0 THEN 'close <= 0'
                        WHEN high < low THEN 'high < low'
                        WHEN volume_value IS NULL OR NOT isfinite(volume_value) THEN 'volume missing or non-numeric'
                        WHEN volume_value < 0 THEN 'volume negative'
                        WHEN volume_value <> floor(volume_value) THEN 'volume not a whole number'
                        WHEN has_adj_close AND (adj_close_value IS NULL OR NOT isfinite(adj_close_value)) THEN 'adj close non-numeric'
                        WHEN has_adj_close AND adj_close_value <= 0 THEN 'adj close <= 0'
                    END AS reason
                FROM typed
            )
            SELECT source_order, file_no, symbol, CASE WHEN reason IS NOT NULL THEN date_text END AS date_text,
                   trade_date, open, high, low, close, adj_close, volume, reason
            FROM classified
            """);

        engine.Execute("""
            CREATE OR REPLACE TEMP VIEW raw_prices AS
            SELECT symbol, trade_date, open, high, low, close, adj_close, volume, source_order
            FROM classified_prices
            WHERE reason IS NULL
            """);
    }
}
