using StockFlow.GlueAthena.Local.Catalog;
using StockFlow.GlueAthena.Local.Sandbox;
using StockFlow.GlueAthena.Local.Transform;

namespace StockFlow.GlueAthena.Local.Tests;

/// <summary>SELECT * FROM daily_metrics returns the contract order of docs/architecture.md ("The metrics"), whether or not the table was crawled.</summary>
public sealed class DailyMetricsColumnOrderTests : IDisposable
{
    private static readonly string[] Contract =
    [
        "symbol", "trade_date", "open", "high", "low", "close", "adj_close", "volume", "daily_return", "log_return",
        "ma_20", "ma_50", "ma_200", "volatility_20", "cumulative_return", "drawdown",
    ];

    private readonly TestLake lake = new();

    private string CatalogDir => lake.Root + "-catalog";

    [Fact]
    public async Task Select_star_from_the_crawled_table_puts_the_partition_key_first_as_the_contract_says()
    {
        await WriteAndTransform();
        var crawl = await LocalCrawler.CrawlAsync(lake.Root, CatalogDir, [CrawlerTarget.DailyMetrics]);
        Assert.True(crawl.Succeeded, string.Join("; ", crawl.Errors));
        // Glue keeps the partition key apart from the columns: the catalog itself is not in contract order.
        Assert.Equal("symbol", Assert.Single(new LocalCatalog(CatalogDir).GetTable("daily_metrics").PartitionKeys).Name);

        var result = await new QueryService(lake.Root, CatalogDir).ExecuteAsync("SELECT * FROM daily_metrics ORDER BY trade_date");

        Assert.Equal(Contract, result.Columns.Select(c => c.Name));
        Assert.Equal("AAA", result.Rows[0][0]);
        Assert.Equal(new DateOnly(2020, 1, 2), result.Rows[0][1]);
    }

    [Fact]
    public async Task Select_star_before_any_crawl_is_in_contract_order_too()
    {
        await WriteAndTransform();

        var result = await new QueryService(lake.Root, CatalogDir).ExecuteAsync("SELECT * FROM daily_metrics");

        Assert.Equal(Contract, result.Columns.Select(c => c.Name));
    }

    [Fact]
    public async Task A_query_reads_the_committed_table_not_a_file_a_transform_left_half_written()
    {
        await WriteAndTransform();
        var crawl = await LocalCrawler.CrawlAsync(lake.Root, CatalogDir, [CrawlerTarget.DailyMetrics]);
        Assert.True(crawl.Succeeded, string.Join("; ", crawl.Errors));
        // kill -9 in the middle of the next transform: a file under the next run's name, not a whole Parquet file yet.
        File.WriteAllBytes(Path.Combine(lake.Root, "curated", "daily_metrics", "symbol=AAA", "data_r000002_0.parquet"), "PAR1"u8.ToArray());
        File.WriteAllText(Path.Combine(lake.Root, Core.Lake.LakeKeys.TransformInProgress), "killed");

        var result = await new QueryService(lake.Root, CatalogDir).ExecuteAsync("SELECT count(*) FROM daily_metrics");

        Assert.Equal(2L, Convert.ToInt64(result.Rows[0][0], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Before_the_first_transform_commits_there_is_no_table_to_read()
    {
        lake.WriteRaw("AAA", "AAA_2020.csv", TestLake.Row(new(2020, 1, 2), 10));
        var partition = Path.Combine(lake.Root, "curated", "daily_metrics", "symbol=AAA");
        Directory.CreateDirectory(partition);
        File.WriteAllBytes(Path.Combine(partition, "data_r000001_0.parquet"), "PAR1"u8.ToArray());
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(lake.Root, Core.Lake.LakeKeys.TransformInProgress))!);
        File.WriteAllText(Path.Combine(lake.Root, Core.Lake.LakeKeys.TransformInProgress), "killed");

        var service = new QueryService(lake.Root, CatalogDir);

        Assert.DoesNotContain("daily_metrics", service.TableNames());
        Assert.Equal(1L, Convert.ToInt64((await service.ExecuteAsync("SELECT 1")).Rows[0][0], System.Globalization.CultureInfo.InvariantCulture));
        await TransformJob.RunAsync(lake.Root);
        Assert.Contains("daily_metrics", service.TableNames());
    }

    [Fact]
    public async Task A_damaged_curated_file_is_one_clear_error_naming_the_repair()
    {
        await WriteAndTransform();
        var file = Directory.GetFiles(Path.Combine(lake.Root, "curated", "daily_metrics", "symbol=AAA")).Single();
        File.WriteAllBytes(file, "PAR1"u8.ToArray());

        var error = await Assert.ThrowsAsync<CuratedTableDamagedException>(() => new QueryService(lake.Root, CatalogDir).ExecuteAsync("SELECT count(*) FROM daily_metrics"));

        Assert.Contains("next `stockflow run` rebuilds", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deleted_curated_file_is_reported_and_the_next_incremental_run_repairs_it()
    {
        await WriteAndTransform();
        File.Delete(Directory.GetFiles(Path.Combine(lake.Root, "curated", "daily_metrics", "symbol=AAA")).Single());
        var service = new QueryService(lake.Root, CatalogDir);

        var error = await Assert.ThrowsAsync<CuratedTableDamagedException>(() => service.ExecuteAsync("SELECT count(*) FROM daily_metrics"));
        Assert.Contains("missing or damaged", error.Message, StringComparison.Ordinal);

        lake.WriteRaw("AAA", "AAA_2020.csv", TestLake.Row(new(2020, 1, 2), 10), TestLake.Row(new(2020, 1, 3), 11), TestLake.Row(new(2020, 1, 6), 12));
        await TransformJob.RunAsync(lake.Root, new TransformOptions { Mode = TransformMode.Incremental });
        Assert.Equal(3L, Convert.ToInt64((await service.ExecuteAsync("SELECT count(*) FROM daily_metrics")).Rows[0][0], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task The_catalog_from_what_the_transform_wrote_is_the_catalog_a_crawl_of_the_files_gives()
    {
        lake.WriteRaw("AAA", "AAA_2020.csv", TestLake.Row(new(2020, 1, 2), 10), TestLake.Row(new(2020, 1, 3), 11));
        lake.WriteRaw("BBB", "BBB_2020.csv", TestLake.Row(new(2020, 1, 2), 20));
        await TransformJob.RunAsync(lake.Root);
        lake.WriteRaw("AAA", "AAA_2020.csv", TestLake.Row(new(2020, 1, 2), 10), TestLake.Row(new(2020, 1, 3), 11), TestLake.Row(new(2020, 1, 6), 12));
        await TransformJob.RunAsync(lake.Root, new TransformOptions { Mode = TransformMode.Incremental, CompactBelowRows = 0 });
        var written = CuratedCatalogFiles.Of(lake.Root);
        Assert.Equal(3, written.Count); // AAA: two runs' files; BBB: one

        var fromWritten = await LocalCrawler.CrawlAsync(lake.Root, CatalogDir, [CrawlerTarget.DailyMetrics], writtenFiles: written);
        var fromFiles = await LocalCrawler.CrawlAsync(lake.Root, CatalogDir + "-crawled", [CrawlerTarget.DailyMetrics]);

        Assert.True(fromWritten.Succeeded && fromFiles.Succeeded, string.Join("; ", fromWritten.Errors.Concat(fromFiles.Errors)));
        var a = new LocalCatalog(CatalogDir);
        var b = new LocalCatalog(CatalogDir + "-crawled");
        Assert.Equal(b.GetTable("daily_metrics").StorageDescriptor.Columns, a.GetTable("daily_metrics").StorageDescriptor.Columns);
        Assert.Equal(b.GetTable("daily_metrics").Parameters["recordCount"], a.GetTable("daily_metrics").Parameters["recordCount"]);
        Assert.Equal(
            b.GetPartitions("daily_metrics").Select(p => (string.Join(",", p.Values), p.Parameters["recordCount"], p.Parameters["objectCount"], p.Parameters["sizeKey"])),
            a.GetPartitions("daily_metrics").Select(p => (string.Join(",", p.Values), p.Parameters["recordCount"], p.Parameters["objectCount"], p.Parameters["sizeKey"])));
        Directory.Delete(CatalogDir + "-crawled", recursive: true);
    }

    public void Dispose()
    {
        lake.Dispose();
        if (Directory.Exists(CatalogDir))
        {
            Directory.Delete(CatalogDir, recursive: true);
        }
    }

    private async Task WriteAndTransform()
    {
        lake.WriteRaw("AAA", "AAA_2020.csv", TestLake.Row(new(2020, 1, 2), 10), TestLake.Row(new(2020, 1, 3), 11));
        await TransformJob.RunAsync(lake.Root);
    }
}
