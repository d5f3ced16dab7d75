using System.Globalization;
using DuckDB.NET.Data;

namespace StockFlow.Bench.Data;

/// <summary>Compares a snapshot of the curated table (taken after incremental runs) with the table a full rebuild writes.</summary>
public static class RebuildComparison
{
    private static readonly string[] Metrics =
        ["open", "high", "low", "close", "adj_close", "daily_return", "log_return", "ma_20", "ma_50", "ma_200", "volatility_20", "cumulative_return", "drawdown"];

    public static void Snapshot(string lakeRoot, string snapshotFile) =>
        Execute($"COPY (SELECT * FROM {Curated(lakeRoot)}) TO {Quote(snapshotFile)} (FORMAT PARQUET)");

    /// <returns>Rows only on one side, rows whose volume or any metric differs by more than 1e-12 (relative above 1), and the largest difference.</returns>
    public static (long Missing, long Different, double MaxDifference) Compare(string snapshotFile, string lakeRoot)
    {
        var differs = string.Join(" OR ", Metrics.Select(m =>
            $"(a.{m} IS NULL) <> (b.{m} IS NULL) OR abs(a.{m} - b.{m}) > 1e-12 * greatest(1, abs(a.{m}), abs(b.{m}))"));
        var largest = "greatest(" + string.Join(", ", Metrics.Select(m => $"coalesce(abs(a.{m} - b.{m}), 0)")) + ")";
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT count(*) FILTER (WHERE a.symbol IS NULL OR b.symbol IS NULL),
                   count(*) FILTER (WHERE a.symbol IS NOT NULL AND b.symbol IS NOT NULL AND (a.volume <> b.volume OR {differs})),
                   coalesce(max({largest}), 0)
            FROM read_parquet({Quote(snapshotFile)}) a
            FULL OUTER JOIN {Curated(lakeRoot)} b ON a.symbol = b.symbol AND a.trade_date = b.trade_date
            """;
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1), Convert.ToDouble(reader.GetValue(2), CultureInfo.InvariantCulture));
    }

    public static double SumOfMa200(string lakeRoot)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT sum(ma_200) FROM {Curated(lakeRoot)}";
        return Convert.ToDouble(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static string Curated(string lakeRoot) =>
        $"read_parquet({Quote(Path.Combine(lakeRoot, "curated", "daily_metrics", "*", "*.parquet"))}, hive_partitioning = true, hive_types = {{'symbol': 'VARCHAR'}})";

    private static string Quote(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static void Execute(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static DuckDBConnection Open()
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        return connection;
    }
}
