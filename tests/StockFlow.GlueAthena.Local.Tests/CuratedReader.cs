using DuckDB.NET.Data;

namespace StockFlow.GlueAthena.Local.Tests;

/// <summary>Reads the curated Parquet back, independently of the production view code.</summary>
public static class CuratedReader
{
    /// <summary>Every Parquet file in the partition folders, listed in the manifest or not.</summary>
    public static List<MetricsRow> Read(string lakeRoot) =>
        ReadFrom("'" + Path.Combine(lakeRoot, "curated", "daily_metrics", "*", "*.parquet").Replace("'", "''", StringComparison.Ordinal) + "'");

    /// <summary>The given files only.</summary>
    public static List<MetricsRow> Read(IReadOnlyList<string> files) =>
        ReadFrom("[" + string.Join(", ", files.Select(f => "'" + f.Replace("'", "''", StringComparison.Ordinal) + "'")) + "]");

    private static List<MetricsRow> ReadFrom(string source)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT symbol, trade_date, open, high, low, close, adj_close, volume, daily_return, log_return,
                   ma_20, ma_50, ma_200, volatility_20, cumulative_return, drawdown
            FROM read_parquet({source}, hive_partitioning = true, hive_types = {"{'symbol': 'VARCHAR'}"})
            ORDER BY symbol, trade_date
            """;
        using var reader = command.ExecuteReader();
        var rows = new List<MetricsRow>();
        while (reader.Read())
        {
            double? N(int i) => reader.IsDBNull(i) ? null : reader.GetDouble(i);
            rows.Add(new MetricsRow(
                reader.GetString(0), reader.GetFieldValue<DateOnly>(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4),
                reader.GetDouble(5), reader.GetDouble(6), reader.GetInt64(7), N(8), N(9), N(10), N(11), N(12), N(13),
                reader.GetDouble(14), reader.GetDouble(15)));
        }

        return rows;
    }

    public static List<string> ParquetColumns(string lakeRoot)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        var glob = Path.Combine(lakeRoot, "curated", "daily_metrics", "*", "*.parquet").Replace("'", "''", StringComparison.Ordinal);
        command.CommandText = $"DESCRIBE SELECT * FROM read_parquet('{glob}', hive_partitioning = true)";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0) + ":" + reader.GetString(1));
        }

        return names;
    }
}
