-- volatility_ranking: annualized volatility of daily returns over [start, end], 1 = most volatile.
-- Symbols with fewer than two returns in the period have no volatility and rank last.
WITH params AS (
    SELECT CAST(? AS DATE) AS start_date, CAST(? AS DATE) AS end_date
),
volatility AS (
    SELECT
        m.symbol,
        STDDEV_SAMP(m.daily_return) * SQRT(252.0) AS annualized_volatility
    FROM daily_metrics m
    CROSS JOIN params p
    WHERE m.trade_date BETWEEN p.start_date AND p.end_date
    GROUP BY m.symbol
)
SELECT
    symbol,
    annualized_volatility,
    RANK() OVER (ORDER BY annualized_volatility DESC NULLS LAST) AS rank
FROM volatility
ORDER BY rank, symbol
