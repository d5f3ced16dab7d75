using StockFlow.Analytics.DuckDb;

namespace StockFlow.Analytics.Catalog;

/// <summary>Reads Parquet schemas and row counts with DuckDB, opened only if a Parquet dataset is crawled.</summary>
internal sealed class ParquetSchemaReader : IDisposable
{
    private DuckDbEngine? engine;

    public FileSchema Read(string file)
    {
        engine ??= DuckDbEngine.Open();
        var source = $"read_parquet({SqlText.Literal(file)}, hive_partitioning = false)";
        var columns = engine.Rows($"DESCRIBE SELECT * FROM {source}")
            .Select(r => new GlueColumn((string)r[0]!, GlueTypes.FromDuckDb((string)r[1]!)))
            .ToArray();
        return new FileSchema(false, columns, engine.ScalarLong($"SELECT count(*) FROM {source}"));
    }

    public void Dispose() => engine?.Dispose();
}
