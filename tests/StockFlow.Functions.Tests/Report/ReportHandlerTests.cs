using System.Text;
using StockFlow.Functions.Hosting;
using StockFlow.Functions.Plan;
using StockFlow.Functions.Report;
using StockFlow.Functions.Tests.Lake;
using StockFlow.Storage;

namespace StockFlow.Functions.Tests.Report;

/// <summary>The report handler reads each result where Athena wrote it, keeps an exact copy and writes the page.</summary>
public sealed class ReportHandlerTests : IAsyncLifetime
{
    private const string Execution = "run-20240315-210000-abc123";

    private static readonly Dictionary<string, string> Results = new(StringComparer.Ordinal)
    {
        ["average_return"] = "symbol,first_date,last_date,trading_days,avg_daily_return,annualized_return,cumulative_return\n"
            + "KO,2024-01-02,2024-01-12,9,0.001,0.252,0.009\n",
        ["volatility_ranking"] = "symbol,annualized_volatility,rank\nKO,0.12,1\n",
        ["market_trend"] = "trade_date,symbols,index_return,index_level,pct_above_ma50\n2024-01-02,1,,1.0,\n2024-01-12,1,0.01,1.01,\n",
        // Every 3rd of KO's 9 trading days counted back from the last, plus the first: sampled, as on a long period.
        ["price_history"] = "\uFEFF\"symbol\",\"trade_date\",\"adj_close\",\"ma_20\",\"ma_50\",\"ma_200\"\n"
            + "\"KO\",\"2024-01-02\",\"60.5\",,,\n\"KO\",\"2024-01-04\",\"61\",,,\n\"KO\",\"2024-01-10\",\"62\",,,\n\"KO\",\"2024-01-12\",\"63.25\",,,\n",
    };

    private TestLake _lake = null!;

    public async Task InitializeAsync()
    {
        _lake = await TestLake.FileSystemAsync();
        foreach (var (query, csv) in Results)
        {
            await _lake.Store.PutAsync(_lake.Bucket, AthenaKey(query), Encoding.UTF8.GetBytes(csv));
        }
    }

    public async Task DisposeAsync() => await _lake.DisposeAsync();

    [Fact]
    public async Task Keeps_a_byte_exact_copy_of_each_result_and_writes_the_report_with_the_sampling_note()
    {
        var result = await Handler().ReportAsync(Request(Results.Keys), CancellationToken.None);

        foreach (var (query, csv) in Results)
        {
            Assert.Equal($"results/{Execution}/{query}.csv", result.Results[query]);
            Assert.Equal(Encoding.UTF8.GetBytes(csv), await _lake.Store.GetBytesAsync(_lake.Bucket, result.Results[query]));
        }

        var html = await _lake.TextAsync(result.ReportKey);
        Assert.NotNull(html);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.EndsWith("</html>\n", html, StringComparison.Ordinal);
        Assert.Contains("\"KO\":{\"d0\":\"2024-01-02\",\"dd\":[2,6,2],\"p\":[60.5,61,62,63.25]", html, StringComparison.Ordinal);
        Assert.Contains("the chart draws every 3rd trading day", html, StringComparison.Ordinal);
        Assert.Contains("\"s\":\"every 3rd trading day (4 of 9 days)\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_transform_jobs_statistics_in_the_lake_are_shown_with_every_reason_rows_were_left_out()
    {
        // As the Glue job (infra/glue/job_logic.py) and the local job binding write them.
        await _lake.Store.PutAsync(_lake.Bucket, $"runs/{Execution}/transform/statistics.json", Encoding.UTF8.GetBytes("""
            {"executionName":"run-20240315-210000-abc123","mode":"changed-symbols","symbols":["KO","PEP"],"rowsRead":12345,
             "rowsWritten":12000,"rowsExcluded":345,"excludedByReason":{"duplicate (symbol, date): superseded by a later row":300,"high < low":45}}
            """));

        var result = await Handler().ReportAsync(Request(Results.Keys), CancellationToken.None);

        var html = await _lake.TextAsync(result.ReportKey);
        Assert.Contains("<section id=\"transform\"><h2>Transform</h2>", html, StringComparison.Ordinal);
        Assert.Contains("changed-symbols run over 2 symbol(s)", html, StringComparison.Ordinal);
        Assert.Contains("<td>read</td><td class=\"num\">12,345</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>written</td><td class=\"num\">12,000</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>left out: high &lt; low</td><td class=\"num\">45</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_transform_statistics_the_report_has_no_transform_section_and_bad_ones_are_a_clear_error()
    {
        var result = await Handler().ReportAsync(Request(Results.Keys), CancellationToken.None);
        Assert.DoesNotContain("id=\"transform\"", await _lake.TextAsync(result.ReportKey), StringComparison.Ordinal);

        await _lake.Store.PutAsync(_lake.Bucket, $"runs/{Execution}/transform/statistics.json", Encoding.UTF8.GetBytes("{not json"));
        var error = await Assert.ThrowsAsync<CorruptLakeObjectException>(() => Handler().ReportAsync(Request(Results.Keys), CancellationToken.None));
        Assert.Contains("transform/statistics.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_result_or_a_bad_file_is_a_clear_error()
    {
        await _lake.Store.DeleteAsync(_lake.Bucket, AthenaKey("market_trend"));
        var missing = await Assert.ThrowsAsync<MissingLakeObjectException>(() => Handler().ReportAsync(Request(Results.Keys), CancellationToken.None));
        Assert.Contains("The result of query 'market_trend' is missing", missing.Message, StringComparison.Ordinal);

        await _lake.Store.PutAsync(_lake.Bucket, AthenaKey("price_history"), Encoding.UTF8.GetBytes("symbol,trade_date,adj_close,ma_20,ma_50,ma_200\nKO,2024-01-02,abc,,,\n"));
        // A damaged result is a named error the definition can match, naming the object, line and column.
        var bad = await Assert.ThrowsAsync<CorruptLakeObjectException>(() => Handler().ReportAsync(Request(["price_history"]), CancellationToken.None));
        Assert.EndsWith("price_history.csv line 2, column 'adj_close': 'abc' is not a number.", bad.Message, StringComparison.Ordinal);
        Assert.Contains("The result of query 'price_history' at s3://", bad.Message, StringComparison.Ordinal);
    }

    private ReportHandler Handler() => new(_lake.Store, _lake.Clock);

    private ReportRequest Request(IEnumerable<string> queries) => new(
        Execution, _lake.Bucket, new AnalysisPeriod(new DateOnly(2024, 1, 1), new DateOnly(2024, 1, 31)), "csv", null, null,
        queries.Select(q => new QueryOutcome(q, new AthenaOutcome("id-" + q, $"s3://{_lake.Bucket}/{AthenaKey(q)}", "SUCCEEDED"))).ToList());

    private static string AthenaKey(string query) => $"results/{Execution}/{query}/0f1e2d3c-{query.Length}.csv";
}
