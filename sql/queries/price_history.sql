-- price_history: px and its moving averages per symbol and day in [start, end], for the report's charts.
WITH params AS (
    SELECT CAST(? AS DATE) AS start_date, CAST(? AS DATE) AS end_date
)
SELECT
    m.symbol,
    m.trade_date,
    m.adj_close,
    m.ma_20,
    m.ma_50,
    m.ma_200
FROM daily_metrics m
CROSS JOIN params p
WHERE m.trade_date BETWEEN p.start_date AND p.end_date
ORDER BY m.symbol, m.trade_date
