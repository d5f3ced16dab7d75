-- price_history: px and its moving averages per symbol and day in [start, end], for the report's price chart.
-- A chart cannot show more points than it has pixels, and 500 symbols x 10 years of days made a 64 MB page.
-- So each symbol keeps at most about max_points days: all of them when it has that few in the period,
-- otherwise every k-th day counted back from its last day (k = ceil(days / max_points)), plus its first day.
-- The kept rows carry their true daily values (the MAs are the daily columns, never re-averaged).
WITH params AS (
    SELECT CAST(? AS DATE) AS start_date, CAST(? AS DATE) AS end_date, 520 AS max_points
),
in_period AS (
    SELECT
        m.symbol,
        m.trade_date,
        m.adj_close,
        m.ma_20,
        m.ma_50,
        m.ma_200,
        p.max_points,
        ROW_NUMBER() OVER (PARTITION BY m.symbol ORDER BY m.trade_date DESC) AS days_from_last,
        COUNT(*) OVER (PARTITION BY m.symbol) AS days
    FROM daily_metrics m
    CROSS JOIN params p
    WHERE m.trade_date BETWEEN p.start_date AND p.end_date
)
SELECT
    symbol,
    trade_date,
    adj_close,
    ma_20,
    ma_50,
    ma_200
FROM in_period
WHERE days <= max_points
    OR days_from_last = days
    -- DOUBLE division and CEIL behave the same on DuckDB, Spark and Trino (integer '/' does not).
    OR MOD(days_from_last - 1, CAST(CEIL(CAST(days AS DOUBLE) / max_points) AS BIGINT)) = 0
ORDER BY symbol, trade_date
