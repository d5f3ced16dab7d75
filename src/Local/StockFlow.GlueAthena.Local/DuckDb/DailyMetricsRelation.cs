namespace StockFlow.GlueAthena.Local.DuckDb;

/// <summary>The <c>daily_metrics</c> view over the curated Parquet files, columns in the order docs/architecture.md ("The metrics") gives.</summary>
internal static class DailyMetricsRelation
{
    /// <summary>Each column with its DuckDB type, in the contract order.</summary>
    public static IReadOnlyList<(string Name, string Type)> TypedColumns { get; } =
    [
        ("symbol", "VARCHAR"), ("trade_date", "DATE"), ("open", "DOUBLE"), ("high", "DOUBLE"), ("low", "DOUBLE"),
        ("close", "DOUBLE"), ("adj_close", "DOUBLE"), ("volume", "BIGINT"), ("daily_return", "DOUBLE"),
        ("log_return", "DOUBLE"), ("ma_20", "DOUBLE"), ("ma_50", "DOUBLE"), ("ma_200", "DOUBLE"),
        ("volatility_20", "DOUBLE"), ("cumulative_return", "DOUBLE"), ("drawdown", "DOUBLE"),
    ];

    public static readonly string Columns = string.Join(", ", TypedColumns.Select(c => c.Name));

    /// <summary>The contract order of docs/architecture.md ("The metrics"); symbol is the Hive partition key, which readers would otherwise put last.</summary>
    public static IReadOnlyList<string> ColumnNames { get; } = Columns.Split(", ");

    public static void Create(DuckDbEngine engine, LakeLayout layout) => engine.Execute(CreateViewSql(RequireTable(layout).Files));

    /// <summary>The curated files, in key order, and the row count when the manifest knows it; no file means the transform has not run.</summary>
    public static (IReadOnlyList<string> Files, long? Rows) RequireTable(LakeLayout layout)
    {
        var table = layout.DailyMetricsTable();
        if (table.Files.Count == 0)
        {
            throw new InvalidOperationException(
                $"No curated daily_metrics Parquet files under '{layout.DailyMetrics}'; run the transform first.");
        }

        return table;
    }

    public static string CreateViewSql(IReadOnlyList<string> files) => $"""
        CREATE OR REPLACE VIEW daily_metrics AS
        SELECT {Columns}
        FROM {ReadSql(files)}
        """;

    /// <summary>The same relation read once into a table of the database (seen by all its sessions), for small tables queried many times.</summary>
    public static string CreateTableSql(IReadOnlyList<string> files) => $"""
        CREATE OR REPLACE TABLE daily_metrics AS
        SELECT {Columns}
        FROM {ReadSql(files)}
        """;

    private static string ReadSql(IReadOnlyList<string> files) =>
        $"read_parquet({SqlText.LiteralList(files)}, hive_partitioning = true, hive_types = {"{'symbol': 'VARCHAR'}"})";
}
