-- clean_prices: the cleaning rules (architecture §3) over typed raw rows, one reason per excluded row.
-- Input relation raw_typed(symbol, trade_date DATE, open, high, low, close, adj_close, volume DOUBLE,
--   adj_close_given BOOLEAN, record_error VARCHAR, date_text VARCHAR, source_order BIGINT), read by the engine
--   adapter: a typed column is NULL when the field is missing, does not parse or is not finite; adj_close_given says
--   the Adj Close field held something other than empty/"null"; record_error names a record the adapter could not
--   split into the seven columns; date_text keeps a date that did not parse, for the samples.
-- Output: every input row with reason (NULL = clean). The first rule that matches names the reason.
-- Portable: standard SQL only (DuckDB, Spark SQL, Athena/Trino).
WITH classified AS (
    SELECT
        symbol, trade_date, open, high, low, close, adj_close, volume, source_order, date_text,
        CASE
            WHEN record_error IS NOT NULL THEN record_error
            WHEN symbol IS NULL OR TRIM(symbol) = '' THEN 'symbol partition missing'
            WHEN trade_date IS NULL THEN 'date does not parse'
            WHEN open IS NULL THEN 'open missing or non-numeric'
            WHEN high IS NULL THEN 'high missing or non-numeric'
            WHEN low IS NULL THEN 'low missing or non-numeric'
            WHEN close IS NULL THEN 'close missing or non-numeric'
            WHEN open <= 0 THEN 'open <= 0'
            WHEN high <= 0 THEN 'high <= 0'
            WHEN low <= 0 THEN 'low <= 0'
            WHEN close <= 0 THEN 'close <= 0'
            WHEN high < low THEN 'high < low'
            WHEN volume IS NULL THEN 'volume missing or non-numeric'
            WHEN volume < 0 THEN 'volume negative'
            WHEN volume <> FLOOR(volume) THEN 'volume not a whole number'
            -- 2^63 and more does not fit a BIGINT; no exchange trades that many shares in a day.
            WHEN volume >= 9.2233720368547758E18 THEN 'volume out of range'
            WHEN adj_close_given AND adj_close IS NULL THEN 'adj close non-numeric'
            WHEN adj_close <= 0 THEN 'adj close <= 0'
        END AS reason
    FROM raw_typed
)
SELECT
    symbol, trade_date, open, high, low, close, adj_close,
    CASE WHEN reason IS NULL THEN CAST(volume AS BIGINT) END AS volume,
    source_order,
    reason,
    CASE WHEN reason IS NOT NULL THEN COALESCE(date_text, CAST(trade_date AS VARCHAR)) END AS date_text
FROM classified
