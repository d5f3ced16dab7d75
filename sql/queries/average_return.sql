-- average_return: per symbol over the period [start, end] (parameters 1 and 2, ISO dates).
-- avg_daily_return averages the stored daily_return of the rows inside the period;
-- cumulative_return is last px / first px in the period - 1.
WITH params AS (
    SELECT CAST(? AS DATE) AS start_date, CAST(? AS DATE) AS end_date
),
period AS (
    SELECT m.symbol, m.trade_date, m.adj_close, m.daily_return
    FROM daily_metrics m
    CROSS JOIN params p
    WHERE m.trade_date BETWEEN p.start_date AND p.end_date
),
summary AS (
    SELECT
        symbol,
        MIN(trade_date) AS first_date,
        MAX(trade_date) AS last_date,
        COUNT(*) AS trading_days,
        AVG(daily_return) AS avg_daily_return
    FROM period
    GROUP BY symbol
)
SELECT
    s.symbol,
    s.first_date,
    s.last_date,
    s.trading_days,
    s.avg_daily_return,
    s.avg_daily_return * 252 AS annualized_return,
    last_row.adj_close / first_row.adj_close - 1 AS cumulative_return
FROM summary s
JOIN period first_row ON first_row.symbol = s.symbol AND first_row.trade_date = s.first_date
JOIN period last_row ON last_row.symbol = s.symbol AND last_row.trade_date = s.last_date
ORDER BY s.symbol
