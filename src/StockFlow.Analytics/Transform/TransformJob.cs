using System.Diagnostics;
using StockFlow.Analytics.DuckDb;
using StockFlow.Analytics.Sql;

namespace StockFlow.Analytics.Transform;

/// <summary>
/// The local stand-in for the Glue job: raw CSVs -> shared daily_metrics SQL -> Parquet partitioned by symbol
/// under curated/daily_metrics (rewritten whole, so re-runs never duplicate rows).
/// </summary>
public static class TransformJob
{
    public static Task<TransformResult> RunAsync(string lakeRoot, TransformOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new TransformOptions();
        var layout = new LakeLayout(lakeRoot);
        return Task.Run(() => Run(layout, options, cancellationToken), cancellationToken);
    }

    private static TransformResult Run(LakeLayout layout, TransformOptions options, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var files = layout.RawPriceFiles();
        if (files.Count == 0)
        {
            throw new InvalidOperationException(
                $"No raw price files under '{layout.RawPrices}' (expected symbol=<SYM>/<SYM>_<YYYY>.csv); nothing to transform.");
        }

        using var engine = DuckDbEngine.Open(options.DuckDb);
        RawPricesRelation.Create(engine, files);
        cancellationToken.ThrowIfCancellationRequested();

        var rowsRead = engine.ScalarLong("SELECT count(*) FROM raw_text");
        var excluded = CountExclusions(engine);
        var samples = SampleExclusions(engine, options.ExcludedSampleLimit);
        cancellationToken.ThrowIfCancellationRequested();

        var transformSql = SqlText.WithoutTrailingSemicolon(SqlLibrary.GetTransform("daily_metrics"));
        engine.Execute($"CREATE OR REPLACE TEMP TABLE daily_metrics_out AS {transformSql}");
        cancellationToken.ThrowIfCancellationRequested();

        var rowsWritten = engine.ScalarLong("SELECT count(*) FROM daily_metrics_out");
        var symbols = engine.Rows("SELECT DISTINCT symbol FROM daily_metrics_out ORDER BY symbol")
            .Select(r => (string)r[0]!)
            .ToArray();

        Directory.CreateDirectory(layout.DailyMetrics);
        engine.Execute($"""
            COPY (SELECT * FROM daily_metrics_out ORDER BY symbol, trade_date)
            TO {SqlText.Literal(layout.DailyMetrics)}
            (FORMAT PARQUET, PARTITION_BY (symbol), OVERWRITE, FILENAME_PATTERN 'data_{"{i}"}')
            """);

        return new TransformResult(
            rowsRead,
            rowsWritten,
            excluded.Values.Sum(),
            excluded,
            samples,
            symbols,
            stopwatch.Elapsed);
    }

    private static SortedDictionary<string, long> CountExclusions(DuckDbEngine engine)
    {
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var row in engine.Rows("SELECT reason, count(*) FROM classified_prices WHERE reason IS NOT NULL GROUP BY reason"))
        {
            counts[(string)row[0]!] = Convert.ToInt64(row[1], System.Globalization.CultureInfo.InvariantCulture);
        }

        var duplicates = engine.ScalarLong("""
            SELECT count(*) - (SELECT count(*) FROM (SELECT DISTINCT symbol, trade_date FROM raw_prices))
            FROM raw_prices
            """);
        if (duplicates > 0)
        {
            counts[TransformResult.DuplicateReason] = duplicates;
        }

        return counts;
    }

    private static ExcludedRow[] SampleExclusions(DuckDbEngine engine, int limit)
    {
        if (limit <= 0)
        {
            return [];
        }

        return engine.Rows("""
            SELECT symbol, source_file, date_text, reason FROM (
                SELECT symbol, source_file, date_text, reason, source_order FROM classified_prices WHERE reason IS NOT NULL
                UNION ALL
                SELECT symbol, source_file, date_text, $2 AS reason, source_order FROM (
                    SELECT *, row_number() OVER (PARTITION BY symbol, trade_date ORDER BY source_order DESC) AS dup_rank
                    FROM classified_prices WHERE reason IS NULL)
                WHERE dup_rank > 1)
            ORDER BY source_order
            LIMIT $1
            """, limit, TransformResult.DuplicateReason)
            .Select(r => new ExcludedRow((string?)r[0] ?? "", (string)r[1]!, (string?)r[2], (string)r[3]!))
            .ToArray();
    }
}
