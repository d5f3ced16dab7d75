-- market_trend: an equal-weight index of the symbols, per trade_date in [start, end].
-- index_return = mean daily_return of the symbols that day (0 when none has a return);
-- index_level = 1.0 on the first date, then compounded by (1 + index_return);
-- pct_above_ma50 = share of symbols with px > ma_50 among those that have ma_50.
WITH params AS (
    SELECT CAST(? AS DATE) AS start_date, CAST(? AS DATE) AS end_date
),
daily AS (
    SELECT
        m.trade_date,
        COUNT(*) AS symbols,
        AVG(m.daily_return) AS index_return,
        SUM(CASE WHEN m.ma_50 IS NOT NULL AND m.adj_close > m.ma_50 THEN 1 ELSE 0 END) AS above_ma50,
        COUNT(m.ma_50) AS with_ma50
    FROM daily_metrics m
    CROSS JOIN params p
    WHERE m.trade_date BETWEEN p.start_date AND p.end_date
    GROUP BY m.trade_date
),
growth AS (
    SELECT
        d.*,
        CASE
            WHEN ROW_NUMBER() OVER (ORDER BY d.trade_date) = 1 THEN 0.0
            ELSE LN(1 + COALESCE(d.index_return, 0.0))
        END AS log_growth
    FROM daily d
)
SELECT
    trade_date,
    symbols,
    index_return,
    EXP(SUM(log_growth) OVER (ORDER BY trade_date ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)) AS index_level,
    CASE WHEN with_ma50 > 0 THEN CAST(above_ma50 AS DOUBLE) / with_ma50 END AS pct_above_ma50
FROM growth
ORDER BY trade_date
