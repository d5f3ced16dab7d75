-- clean_prices: the cleaning rules over typed raw rows, one reason per excluded row. The same rules, in the same order
-- and with the same reason texts, as the ingest's C# validator (StockFlow.Core.Prices.PriceRowValidator). The limits
-- are defined once, in StockFlow.Core.Prices.PriceRules, which renders the dollar-brace placeholders below (on Glue:
-- Spark SQL variable substitution of the same names). A test feeds one corpus through both engines.
-- Input relation raw_typed(symbol, trade_date DATE, open, high, low, close, adj_close, volume DOUBLE,
--   adj_close_given, volume_given BOOLEAN, record_error VARCHAR, date_text VARCHAR, source_order BIGINT), read by the
--   engine adapter: a typed column is NULL when the field is missing, does not parse or is not finite; *_given says
--   the field held something other than empty/"null" (a missing adj close means close, a missing volume means 0);
--   record_error names a record the adapter could not split into the seven columns; date_text keeps a date that did
--   not parse, for the samples.
-- Output: every input row with reason (NULL = clean). The first rule that matches names the reason.
-- Portable: standard SQL only (DuckDB, Spark SQL, Athena/Trino).
WITH classified AS (
    SELECT
        symbol, trade_date, open, high, low, close, adj_close, volume, volume_given, source_order, date_text,
        CASE
            WHEN record_error IS NOT NULL THEN record_error
            WHEN symbol IS NULL OR TRIM(symbol) = '' THEN 'symbol partition missing'
            WHEN trade_date IS NULL THEN 'date missing or does not parse'
            WHEN trade_date < ${min_trade_date} OR trade_date > ${last_trade_date} THEN 'date out of range'
            WHEN open IS NULL THEN 'open missing or non-numeric'
            WHEN high IS NULL THEN 'high missing or non-numeric'
            WHEN low IS NULL THEN 'low missing or non-numeric'
            WHEN close IS NULL THEN 'close missing or non-numeric'
            WHEN open <= 0 THEN 'open <= 0'
            WHEN high <= 0 THEN 'high <= 0'
            WHEN low <= 0 THEN 'low <= 0'
            WHEN close <= 0 THEN 'close <= 0'
            -- Bounded prices keep every return, and the squares STDDEV_SAMP sums, finite.
            WHEN open < ${min_price} OR open > ${max_price} THEN 'open out of range'
            WHEN high < ${min_price} OR high > ${max_price} THEN 'high out of range'
            WHEN low < ${min_price} OR low > ${max_price} THEN 'low out of range'
            WHEN close < ${min_price} OR close > ${max_price} THEN 'close out of range'
            WHEN high < low THEN 'high < low'
            WHEN volume_given AND volume IS NULL THEN 'volume non-numeric'
            WHEN volume < 0 THEN 'volume negative'
            WHEN volume <> FLOOR(volume) THEN 'volume not a whole number'
            -- Exact as a double and within a BIGINT.
            WHEN volume > ${max_volume} THEN 'volume out of range'
            WHEN adj_close_given AND adj_close IS NULL THEN 'adj close non-numeric'
            WHEN adj_close <= 0 THEN 'adj close <= 0'
            WHEN adj_close < ${min_price} OR adj_close > ${max_price} THEN 'adj close out of range'
        END AS reason
    FROM raw_typed
)
SELECT
    symbol, trade_date, open, high, low, close, adj_close,
    CASE WHEN reason IS NULL THEN CAST(COALESCE(volume, 0) AS BIGINT) END AS volume,
    source_order,
    reason,
    -- STRING, not VARCHAR: Spark SQL (the Glue job) refuses VARCHAR without a length; DuckDB reads STRING as VARCHAR.
    CASE WHEN reason IS NOT NULL THEN COALESCE(date_text, CAST(trade_date AS STRING)) END AS date_text
FROM classified
