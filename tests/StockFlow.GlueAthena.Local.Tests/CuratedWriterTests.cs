using StockFlow.GlueAthena.Local.DuckDb;

namespace StockFlow.GlueAthena.Local.Tests;

/// <summary>What the curated writer reports is what DuckDB wrote: each file under its symbol's folder, with its rows.</summary>
public sealed class CuratedWriterTests : IDisposable
{
    private readonly TestLake lake = new();
    private readonly DuckDbEngine engine = DuckDbEngine.Open();

    public void Dispose()
    {
        engine.Dispose();
        lake.Dispose();
    }

    [Fact]
    public void Each_symbol_gets_its_file_with_its_rows_also_for_symbols_with_marks()
    {
        engine.Execute("""
            CREATE TABLE t AS SELECT * FROM (VALUES ('A', 1), ('A', 2), ('^GSPC', 3), ('EURUSD=X', 4), ('BRK-B', 5), ('BRK-B', 6), ('BRK-B', 7))
            AS v(symbol, x)
            """);
        var folder = Path.Combine(lake.Root, "out");

        var written = CuratedWriter.CopyTable(engine, "t", "symbol, x", folder, "data_r000001_{i}");

        Assert.Equal(7, written.Total);
        Assert.Equal(new Dictionary<string, long> { ["A"] = 2, ["BRK-B"] = 3, ["EURUSD=X"] = 1, ["^GSPC"] = 1 }, written.RowsBySymbol);
        foreach (var (symbol, files) in written.FilesBySymbol)
        {
            var file = Assert.Single(files);
            Assert.True(File.Exists(file.Path), file.Path);
            Assert.Equal(written.RowsBySymbol[symbol], file.Rows);
            Assert.Equal(written.RowsBySymbol[symbol], engine.ScalarLong($"SELECT count(*) FROM read_parquet('{file.Path}', hive_partitioning = false)"));
            Assert.StartsWith("data_r000001_", Path.GetFileName(file.Path), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_partition_DuckDB_splits_over_several_files_has_each_file_counted()
    {
        // One open writer at a time and symbols interleaved: DuckDB closes and reopens partitions, so each gets several files.
        engine.Execute("SET partitioned_write_max_open_files = 1");
        engine.Execute("CREATE TABLE t AS SELECT CASE i % 3 WHEN 0 THEN 'A' WHEN 1 THEN 'B' ELSE 'C' END AS symbol, i AS x FROM range(60000) r(i)");
        var folder = Path.Combine(lake.Root, "out");

        var written = CuratedWriter.CopyTable(engine, "t", orderBy: null, folder, "data_r000002_{i}");

        Assert.Equal(60000, written.Total);
        Assert.Contains(written.FilesBySymbol.Values, files => files.Count > 1);
        foreach (var (symbol, files) in written.FilesBySymbol)
        {
            Assert.Equal(20000, files.Sum(f => f.Rows));
            foreach (var file in files)
            {
                Assert.Equal(file.Rows, engine.ScalarLong($"SELECT count(*) FROM read_parquet('{file.Path}', hive_partitioning = false)"));
                Assert.Equal("symbol=" + symbol, Path.GetFileName(Path.GetDirectoryName(file.Path)));
            }
        }
    }

    [Fact]
    public void Many_symbols_are_written_by_parallel_writers_and_the_thread_setting_is_put_back()
    {
        engine.Execute("SET threads = 3");
        engine.Execute("CREATE TABLE t AS SELECT 'S' || lpad(CAST(i % 200 AS VARCHAR), 3, '0') AS symbol, i AS x FROM range(2000) r(i)");
        var folder = Path.Combine(lake.Root, "out");

        var written = CuratedWriter.CopyTable(engine, "t", "symbol, x", folder, "data_r000004_{i}");

        Assert.Equal(3, engine.ScalarLong("SELECT CAST(current_setting('threads') AS BIGINT)"));
        Assert.Equal(200, written.FilesBySymbol.Count);
        Assert.All(written.FilesBySymbol, f => Assert.Equal(10, Assert.Single(f.Value).Rows));
        Assert.Equal(200, Directory.GetDirectories(folder, "symbol=*").Length);
        Assert.Equal(2000, engine.ScalarLong($"SELECT count(*) FROM read_parquet('{folder}/*/*.parquet')"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void Symbol_ranges_cover_every_symbol_once_in_order_with_rows_shared_out(int count)
    {
        var rows = new Dictionary<string, long> { ["A"] = 5, ["B"] = 1, ["C"] = 1, ["D"] = 1, ["E"] = 5, ["F"] = 1 };

        var ranges = CuratedWriter.SymbolRanges(rows, count);

        Assert.InRange(ranges.Count, Math.Min(count, 2), count);
        var covered = ranges.SelectMany(r => rows.Keys.Where(s => string.CompareOrdinal(s, r.First) >= 0 && string.CompareOrdinal(s, r.Last) <= 0)).ToArray();
        Assert.Equal(rows.Keys.Order(StringComparer.Ordinal), covered);
        if (count == 2)
        {
            Assert.Equal([("A", "C"), ("D", "F")], ranges);
        }
    }

    [Fact]
    public void An_empty_table_writes_nothing()
    {
        engine.Execute("CREATE TABLE t (symbol VARCHAR, x INTEGER)");
        var folder = Path.Combine(lake.Root, "out");

        var written = CuratedWriter.CopyTable(engine, "t", "symbol", folder, "data_r000003_{i}");

        Assert.Equal(0, written.Total);
        Assert.Empty(written.FilesBySymbol);
        Assert.False(Directory.Exists(folder));
    }
}
