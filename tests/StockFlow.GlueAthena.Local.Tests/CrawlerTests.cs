using System.Text.Json;
using StockFlow.GlueAthena.Local.Catalog;
using StockFlow.GlueAthena.Local.Transform;

namespace StockFlow.GlueAthena.Local.Tests;

public sealed class CrawlerTests : IDisposable
{
    private const string RejectedHeader = "Source,Date,Open,High,Low,Close,Adj Close,Volume,Reason";
    private readonly TestLake lake = new();

    private string CatalogDir => Path.Combine(lake.Root, "..", Path.GetFileName(lake.Root) + "-catalog");

    public void Dispose()
    {
        lake.Dispose();
        if (Directory.Exists(CatalogDir))
        {
            Directory.Delete(CatalogDir, recursive: true);
        }
    }

    [Fact]
    public async Task Raw_prices_become_one_partitioned_csv_table_with_inferred_types()
    {
        lake.WriteRaw("AAA", "AAA_2020.csv", "2020-01-02,10,11,9,10.5,,100", "2020-01-03,10,11,9,10,10,200");
        lake.WriteRaw("AAA", "AAA_2021.csv", "2021-01-04,10,11,9,10,10,300");
        lake.WriteRaw("BBB", "BBB_2020.csv", "2020-01-02,5,6,4,5,5,10");

        var result = await LocalCrawler.CrawlAsync(lake.Root, CatalogDir, [CrawlerTarget.RawPrices]);
        var catalog = new LocalCatalog(CatalogDir);
        var table = catalog.GetTable("raw_prices");

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(["raw_prices"], result.TablesCreated);
        Assert.Equal(2, result.PartitionsAdded);
        Assert.Equal("stockflow", table.DatabaseName);
        Assert.Equal("csv", table.Classification);
        Assert.Equal("1", table.VersionId);
        Assert.Equal("1", table.Parameters["skip.header.line.count"]);
        Assert.Equal("4", table.Parameters["recordCount"]);
        Assert.Equal(
            [new("date", "date"), new("open", "bigint"), new("high", "bigint"), new("low", "bigint"), new("close", "double"),
             new("adj_close", "bigint"), new("volume", "bigint")],
            table.StorageDescriptor.Columns);
        Assert.Equal([new GlueColumn("symbol", "string")], table.PartitionKeys);
        Assert.EndsWith(Path.Combine("raw", "prices") + Path.DirectorySeparatorChar, table.StorageDescriptor.Location, StringComparison.Ordinal);

        var partitions = catalog.GetPartitions("raw_prices");
        Assert.Equal([["AAA"], ["BBB"]], partitions.Select(p => p.Values));
        Assert.Equal("3", partitions[0].Parameters["recordCount"]);
        Assert.Equal("2", partitions[0].Parameters["objectCount"]);
        Assert.EndsWith("symbol=AAA" + Path.DirectorySeparatorChar, partitions[0].StorageDescriptor.Location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_all_string_csv_still_gets_its_header_detected()
    {
        lake.WriteFile("raw/rejected/symbol=AAA/exec-1.csv", RejectedHeader,
            ["yahoo,2020-13-01,abc,x,y,z,,n/a,date does not parse", "yahoo,bad,,1,1,1,,1,open missing"]);

        await LocalCrawler.CrawlAsync(lake.Root, CatalogDir, [CrawlerTarget.RejectedRows]);
        var table = new LocalCatalog(CatalogDir).GetTable("rejected_rows");

        Assert.Equal(["source", "date", "open", "high", "low", "close", "adj_close", "volume", "reason"],
            table.StorageDescriptor.Columns.Select(c => c.Name));
        Assert.All(table.StorageDescriptor.Columns, c => Assert.Equal("string", c.Type));
        Assert.Equal("2", table.Parameters["recordCount"]);
        Assert.Equal("1", table.Parameters["skip.header.line.count"]);
    }

    [Fact]
    public void Header_detection_tells_labels_from_data()
    {
        var numeric = CsvSchemaInference.Infer([["1", "2.5"], ["3", "4"]]);
        Assert.False(numeric.HasHeader);
        Assert.Equal([new("col0", "bigint"), new("col1", "double")], numeric.Columns);
        Assert.Equal(2, numeric.RecordCount);

        // The first row repeats as data: it is not a header.
        var repeated = CsvSchemaInference.Infer([["alpha", "beta"], ["alpha", "gamma"]]);
        Assert.False(repeated.HasHeader);

        var headerOnly = CsvSchemaInference.Infer([["Date", "Close"]]);
        Assert.True(headerOnly.HasHeader);
        Assert.Equal([new("date", "string"), new("close", "string")], headerOnly.Columns);
        Assert.Equal(0, headerOnly.RecordCount);

        Assert.Equal(GlueTypes.String, GlueTypes.Widen(GlueTypes.Date, GlueTypes.BigInt));
        Assert.Equal(GlueTypes.Double, GlueTypes.Widen(GlueTypes.BigInt, GlueTypes.Double));
    }

    [Fact]
    public async Task An_added_column_creates_a_new_table_version_and_an_unchanged_recrawl_does_not()
    {
        lake.WriteFile("raw/rejected/symbol=AAA/exec-1.csv", "Source,Date,Reason", ["yahoo,2020-01-02,high < low"]);
        await LocalCrawler.CrawlAsync(lake.Root, CatalogDir, [CrawlerTarget.RejectedRows]);

        lake.WriteFile("raw/rejected/symbol=BBB/exec-2.csv", "Source,Date,Reason,Line", ["yahoo,2020-01-03,high < low,7"]);
        var second = await LocalCrawler.CrawlAsync(lake.Root, CatalogDir, [CrawlerTarget.RejectedRows]);
        var third = await LocalCrawler.CrawlAsync(lake.Root, CatalogDir, [CrawlerTarget.RejectedRows]);
        var catalog = new LocalCatalog(CatalogDir);
        var table = catalog.GetTable("rejected_rows");

        Assert.Equal(["rejected_rows"], second.TablesUpdated);
        Assert.Equal(1, second.PartitionsAdded);
        Assert.Contains(second.SchemaChanges, c => c.Kind == SchemaChangeKind.ColumnAdded && c.Detail.Contains("'line'", StringComparison.Ordinal));
        Assert.Equal("2", table.VersionId);
        Assert.Equal(["source", "date", "reason", "line"], table.StorageDescriptor.Columns.Select(c => c.Name));
        Assert.Equal(["1", "2"], catalog.GetTableVersions("rejected_rows").Select(v => v.VersionId));
        Assert.Equal(3, catalog.GetTableVersions("rejected_rows")[0].Table.StorageDescriptor.Columns.Count);
        Assert.Empty(third.TablesUpdated);
        Assert.Equal(0, third.PartitionsAdded);
    }

    [Fact]
    public async Task A_whole_number_column_that_later_holds_decimals_is_widened_to_double_in_a_new_version_not_truncated()
    {
        // The first import has whole-number prices only: the crawler types them bigint.
        lake.WriteRaw("AAA", "AAA_2020.csv", "2020-01-02,10,11,9,10,10,100");
        await LocalCrawler.CrawlAsync(lake.Root, CatalogDir, [CrawlerTarget.RawPrices]);
        Assert.Equal("bigint", new LocalCatalog(CatalogDir).GetTable("raw_prices").StorageDescriptor.Columns.Single(c => c.Name == "open").Type);

        lake.WriteRaw("BBB", "BBB_2020.csv", "2020-01-02,10.25,11.75,9,10,10,100");
        var result = await LocalCrawler.CrawlAsync(lake.Root, CatalogDir, [CrawlerTarget.RawPrices]);
        var catalog = new LocalCatalog(CatalogDir);
        var table = catalog.GetTable("raw_prices");

        Assert.Contains(result.SchemaChanges, c => c.Kind == SchemaChangeKind.TypeWidened && c.Detail.Contains("'open'", StringComparison.Ordinal));
        Assert.Equal("2", table.VersionId);
        Assert.Equal(["1", "2"], catalog.GetTableVersions("raw_prices").Select(v => v.VersionId));
        Assert.Equal("double", table.StorageDescriptor.Columns.Single(c => c.Name == "open").Type);
        Assert.Equal("double", table.StorageDescriptor.Columns.Single(c => c.Name == "high").Type);
        Assert.Equal("bigint", table.StorageDescriptor.Columns.Single(c => c.Name == "low").Type);
        Assert.All(catalog.GetPartitions("raw_prices"), p => Assert.Equal(table.StorageDescriptor.Columns, p.StorageDescriptor.Columns));

        var read = await new Sandbox.QueryService(lake.Root, CatalogDir).ExecuteAsync("SELECT open, high FROM raw_prices WHERE symbol = 'BBB'");
        Assert.Equal([10.25, 11.75], Assert.Single(read.Rows).Select(v => Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task An_incompatible_type_change_is_reported_and_partitions_inherit_the_table_schema()
    {
        lake.WriteRaw("AAA", "AAA_2020.csv", "2020-01-02,10,11,9,10,10,100");
        await LocalCrawler.CrawlAsync(lake.Root, CatalogDir, [CrawlerTarget.RawPrices]);

        lake.WriteRaw("BBB", "BBB_2020.csv", "2020-01-02,10,11,9,10,10,lots");
        var result = await LocalCrawler.CrawlAsync(lake.Root, CatalogDir, [CrawlerTarget.RawPrices]);
        var catalog = new LocalCatalog(CatalogDir);
        var table = catalog.GetTable("raw_prices");

        Assert.Contains(result.SchemaChanges, c => c.Kind == SchemaChangeKind.Incompatible && c.Detail.Contains("'volume'", StringComparison.Ordinal));
        Assert.Equal("1", table.VersionId);
        Assert.Equal("bigint", table.StorageDescriptor.Columns.Single(c => c.Name == "volume").Type);
        Assert.All(catalog.GetPartitions("raw_prices"), p => Assert.Equal(table.StorageDescriptor.Columns, p.StorageDescriptor.Columns));
    }

    [Fact]
    public async Task Curated_parquet_becomes_a_parquet_table_and_each_prefix_one_table()
    {
        lake.WriteRaw("AAA", "AAA_2020.csv", "2020-01-02,10,11,9,10,10,100", "2020-01-03,10,11,9,11,11,100");
        lake.WriteRaw("BBB", "BBB_2020.csv", "2020-01-02,5,6,4,5,5,10");
        lake.WriteFile("raw/rejected/symbol=AAA/exec-1.csv", RejectedHeader, ["yahoo,x,1,1,1,1,,1,date does not parse"]);
        await TransformJob.RunAsync(lake.Root);

        var result = await LocalCrawler.CrawlAsync(lake.Root, CatalogDir, CrawlerTarget.Defaults);
        var catalog = new LocalCatalog(CatalogDir);
        var metrics = catalog.GetTable("daily_metrics");

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(["daily_metrics", "raw_prices", "rejected_rows"], catalog.GetTables().Select(t => t.Name));
        Assert.Equal("parquet", metrics.Classification);
        Assert.Equal("3", metrics.Parameters["recordCount"]);
        Assert.Equal([new GlueColumn("symbol", "string")], metrics.PartitionKeys);
        Assert.Equal(
            ["trade_date:date", "open:double", "high:double", "low:double", "close:double", "adj_close:double", "volume:bigint",
             "daily_return:double", "log_return:double", "ma_20:double", "ma_50:double", "ma_200:double", "volatility_20:double",
             "cumulative_return:double", "drawdown:double"],
            metrics.StorageDescriptor.Columns.Select(c => c.Name + ":" + c.Type));
        Assert.Equal("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat", metrics.StorageDescriptor.InputFormat);
        Assert.Equal(2, catalog.GetPartitions("daily_metrics").Count);
    }

    [Fact]
    public async Task Catalog_files_have_the_shape_of_glue_responses()
    {
        lake.WriteRaw("AAA", "AAA_2020.csv", "2020-01-02,10,11,9,10,10,100");
        await LocalCrawler.CrawlAsync(lake.Root, CatalogDir, [CrawlerTarget.RawPrices]);

        var dir = Path.Combine(CatalogDir, "stockflow", "raw_prices");
        using var table = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "table.json")));
        using var partitions = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "partitions.json")));
        using var versions = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "versions.json")));

        var t = table.RootElement.GetProperty("Table");
        Assert.Equal("raw_prices", t.GetProperty("Name").GetString());
        Assert.Equal("date", t.GetProperty("StorageDescriptor").GetProperty("Columns")[0].GetProperty("Name").GetString());
        Assert.Equal("csv", t.GetProperty("Parameters").GetProperty("classification").GetString());
        Assert.Equal("symbol", t.GetProperty("PartitionKeys")[0].GetProperty("Name").GetString());
        Assert.Equal("AAA", partitions.RootElement.GetProperty("Partitions")[0].GetProperty("Values")[0].GetString());
        Assert.Equal("1", versions.RootElement.GetProperty("TableVersions")[0].GetProperty("VersionId").GetString());
    }

    [Fact]
    public async Task Removed_partitions_are_counted_and_bad_layouts_are_errors_not_silence()
    {
        lake.WriteRaw("AAA", "AAA_2020.csv", "2020-01-02,10,11,9,10,10,100");
        lake.WriteRaw("BBB", "BBB_2020.csv", "2020-01-02,10,11,9,10,10,100");
        await LocalCrawler.CrawlAsync(lake.Root, CatalogDir, [CrawlerTarget.RawPrices]);
        Directory.Delete(Path.Combine(lake.Root, "raw", "prices", "symbol=BBB"), recursive: true);

        var second = await LocalCrawler.CrawlAsync(lake.Root, CatalogDir, [CrawlerTarget.RawPrices]);
        Assert.Equal(1, second.PartitionsRemoved);
        Assert.Single(new LocalCatalog(CatalogDir).GetPartitions("raw_prices"));

        lake.WriteFile("raw/prices/symbol=CCC/notes.txt", "hello", []);
        var third = await LocalCrawler.CrawlAsync(lake.Root, CatalogDir, [CrawlerTarget.RawPrices]);
        Assert.False(third.Succeeded);
        Assert.Contains("notes.txt", Assert.Single(third.Errors), StringComparison.Ordinal);
        Assert.Throws<KeyNotFoundException>(() => new LocalCatalog(CatalogDir).GetTable("nope"));
    }

    [Fact]
    public async Task Many_small_parquet_files_are_counted_per_partition_and_a_new_column_in_one_file_joins_the_table()
    {
        var partition = Path.Combine(lake.Root, "curated", "daily_metrics", "symbol=AAA");
        Directory.CreateDirectory(partition);
        WriteParquet(Path.Combine(partition, "data_0.parquet"), "SELECT DATE '2020-01-02' + CAST(i AS INTEGER) AS trade_date, CAST(1.5 * i AS DOUBLE) AS adj_close FROM range(3) t(i)");
        WriteParquet(Path.Combine(partition, "data_r000002_0.parquet"), "SELECT DATE '2020-02-03' AS trade_date, CAST(2.5 AS DOUBLE) AS adj_close");
        WriteParquet(Path.Combine(partition, "data_r000003_0.parquet"), "SELECT DATE '2020-02-04' AS trade_date, CAST(2.5 AS DOUBLE) AS adj_close, 7 AS extra");

        var result = await LocalCrawler.CrawlAsync(lake.Root, CatalogDir, [CrawlerTarget.DailyMetrics]);
        var table = new LocalCatalog(CatalogDir).GetTable("daily_metrics");

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal("5", table.Parameters["recordCount"]);
        Assert.Equal("3", table.Parameters["objectCount"]);
        Assert.Equal(["trade_date:date", "adj_close:double", "extra:int"], table.StorageDescriptor.Columns.Select(c => c.Name + ":" + c.Type));

        // A damaged file is reported by name, not hidden by the bulk read.
        File.WriteAllText(Path.Combine(partition, "data_r000004_0.parquet"), "not parquet");
        var broken = await LocalCrawler.CrawlAsync(lake.Root, CatalogDir, [CrawlerTarget.DailyMetrics]);
        Assert.Contains("data_r000004_0.parquet", Assert.Single(broken.Errors), StringComparison.Ordinal);
    }

    private static void WriteParquet(string path, string query)
    {
        using var connection = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"COPY ({query}) TO '{path.Replace("'", "''", StringComparison.Ordinal)}' (FORMAT PARQUET)";
        command.ExecuteNonQuery();
    }
}
