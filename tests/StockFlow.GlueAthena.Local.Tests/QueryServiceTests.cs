using System.Globalization;
using StockFlow.GlueAthena.Local.Catalog;
using StockFlow.GlueAthena.Local.Results;
using StockFlow.GlueAthena.Local.Sandbox;
using StockFlow.GlueAthena.Local.Transform;

namespace StockFlow.GlueAthena.Local.Tests;

public sealed class QueryServiceTests(QueryServiceTests.CrawledLake fixture) : IClassFixture<QueryServiceTests.CrawledLake>
{
    private readonly QueryService service = fixture.Service;

    public sealed class CrawledLake : IAsyncLifetime, IDisposable
    {
        public TestLake Lake { get; } = new();

        public QueryService Service { get; private set; } = null!;

        public string CatalogDir => Lake.Root + "-catalog";

        public async Task InitializeAsync()
        {
            Lake.WriteRaw("AAA", "AAA_2020.csv", "2020-01-02,10,11,9,10,,100", "2020-01-03,10,11,9,11,11,100");
            Lake.WriteRaw("BBB", "BBB_2020.csv", "2020-01-02,5,6,4,5,5,10");
            Lake.WriteFile("raw/rejected/symbol=AAA/exec-1.csv", "Source,Date,Open,High,Low,Close,Adj Close,Volume,Reason",
                ["yahoo,2020-13-01,1,1,1,1,,1,date does not parse"]);
            await LocalCrawler.CrawlAsync(Lake.Root, CatalogDir, [CrawlerTarget.RawPrices, CrawlerTarget.RejectedRows]);
            // Transformed after the crawl, as in the pipeline: daily_metrics is served from the lake.
            await TransformJob.RunAsync(Lake.Root);
            Service = new QueryService(Lake.Root, CatalogDir);
        }

        public Task DisposeAsync() => Task.CompletedTask;

        public void Dispose()
        {
            Lake.Dispose();
            Directory.Delete(CatalogDir, recursive: true);
        }
    }

    [Fact]
    public async Task Catalog_tables_are_queryable_with_their_catalog_types()
    {
        var raw = await service.ExecuteAsync("SELECT symbol, date, adj_close, volume FROM raw_prices ORDER BY symbol, date");

        Assert.Equal(["symbol", "date", "adj_close", "volume"], raw.Columns.Select(c => c.Name));
        Assert.Equal(3, raw.Rows.Count);
        Assert.Equal(new DateOnly(2020, 1, 2), raw.Rows[0][1]);
        Assert.Null(raw.Rows[0][2]);                    // empty Adj Close reads as NULL
        Assert.Equal(100L, raw.Rows[0][3]);

        var rejected = await service.ExecuteAsync("SELECT reason FROM rejected_rows");
        Assert.Equal("date does not parse", Assert.Single(rejected.Rows)[0]);

        var metrics = await service.ExecuteAsync("SELECT symbol, daily_return FROM daily_metrics WHERE daily_return IS NOT NULL");
        Assert.Equal("AAA", Assert.Single(metrics.Rows)[0]);
        Assert.Equal(["daily_metrics", "raw_prices", "rejected_rows"], service.TableNames().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Csv_output_round_trips_doubles_and_writes_null_as_empty()
    {
        var result = await service.ExecuteAsync("SELECT CAST(0.1 AS DOUBLE) + CAST(0.2 AS DOUBLE) AS x, CAST(NULL AS DOUBLE) AS y, 1.0 / 3 AS z, DATE '2020-01-02' AS d, 'a,b' AS s");
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        CsvResultWriter.Write(text, result);
        var lines = text.ToString().Split('\n');

        Assert.Equal("x,y,z,d,s", lines[0]);
        var fields = lines[1].Split(',');
        Assert.Equal(0.1 + 0.2, double.Parse(fields[0], CultureInfo.InvariantCulture));
        Assert.Equal("", fields[1]);
        Assert.Equal(1.0 / 3, double.Parse(fields[2], CultureInfo.InvariantCulture));
        Assert.Equal("2020-01-02", fields[3]);
        Assert.EndsWith("\"a,b\"", lines[1], StringComparison.Ordinal);

        using var json = new MemoryStream();
        JsonResultWriter.Write(json, result);
        var parsed = System.Text.Json.JsonDocument.Parse(json.ToArray()).RootElement[0];
        Assert.Equal(0.1 + 0.2, parsed.GetProperty("x").GetDouble());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, parsed.GetProperty("y").ValueKind);
    }

    [Theory]
    [InlineData("SELECT * FROM read_csv('/etc/passwd')")]
    [InlineData("SELECT * FROM read_text('/etc/passwd')")]
    [InlineData("SELECT * FROM glob('/etc/*')")]
    public async Task Reading_files_outside_the_lake_is_refused(string sql)
    {
        await Assert.ThrowsAsync<QueryRejectedException>(() => service.ExecuteAsync(sql));
    }

    [Theory]
    [InlineData("COPY (SELECT 1) TO '/tmp/stockflow-escape.csv'")]
    [InlineData("ATTACH '/tmp/stockflow-escape.db'")]
    [InlineData("INSTALL httpfs")]
    [InlineData("LOAD httpfs")]
    [InlineData("SET enable_external_access = true")]
    [InlineData("PRAGMA version")]
    [InlineData("CREATE TABLE t AS SELECT 1")]
    [InlineData("INSERT INTO raw_prices VALUES (1)")]
    [InlineData("DELETE FROM raw_prices")]
    [InlineData("SELECT 1; COPY (SELECT 1) TO '/tmp/stockflow-escape.csv'")]
    public async Task Statements_other_than_one_select_are_refused(string sql)
    {
        await Assert.ThrowsAsync<QueryRejectedException>(() => service.ExecuteAsync(sql));
        Assert.False(File.Exists("/tmp/stockflow-escape.csv"));
        Assert.False(File.Exists("/tmp/stockflow-escape.db"));
    }

    [Fact]
    public async Task Smuggling_a_statement_through_the_query_function_fails()
    {
        var target = Path.Combine(fixture.Lake.Root, "smuggled.csv");
        await Assert.ThrowsAnyAsync<Exception>(() => service.ExecuteAsync($"SELECT * FROM query('COPY (SELECT 1) TO ''{target}''')"));
        Assert.False(File.Exists(target));
    }

    [Fact]
    public async Task Writing_into_the_lake_is_refused_too()
    {
        var target = Path.Combine(fixture.Lake.Root, "escape.csv");
        await Assert.ThrowsAsync<QueryRejectedException>(() => service.ExecuteAsync($"COPY (SELECT 1) TO '{target}'"));
        Assert.False(File.Exists(target));
    }

    [Fact]
    public async Task A_syntax_error_reports_its_position()
    {
        var error = await Assert.ThrowsAsync<QuerySqlException>(() => service.ExecuteAsync("SELECT symbol\nFROM raw_prices\nWHERE AND volume > 1"));

        Assert.Equal(3, error.Line);
        Assert.Equal(7, error.Column);
        Assert.Equal("SELECT symbol\nFROM raw_prices\n".Length + 6, error.Position);
        Assert.Contains("line 3, column 7", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_column_reports_where_it_is()
    {
        var error = await Assert.ThrowsAsync<QuerySqlException>(() => service.ExecuteAsync("SELECT nope FROM raw_prices"));

        Assert.Contains("nope", error.Message, StringComparison.Ordinal);
        Assert.Equal(7, error.Position);
    }
}
