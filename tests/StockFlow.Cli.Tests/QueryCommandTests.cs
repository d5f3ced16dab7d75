using System.Diagnostics;
using StockFlow.GlueAthena.Local.Results;
using StockFlow.GlueAthena.Local.Sandbox;
using StockFlow.Runtime.Local;

namespace StockFlow.Cli.Tests;

/// <summary><c>stockflow query</c>: bounded in time, memory and rows; every DuckDB type printed as a value.</summary>
public sealed class QueryCommandTests(QueryCommandTests.SampleLake lake) : IClassFixture<QueryCommandTests.SampleLake>
{
    /// <summary>A small lake from the sample provider (two symbols, two months), crawled and transformed.</summary>
    public sealed class SampleLake : IAsyncLifetime, IDisposable
    {
        private readonly TempFolder _temp = new();

        public string DataDir => _temp["data"];

        public async Task InitializeAsync()
        {
            var run = await Cli.RunAsync("run", "--provider", "sample", "--symbols", "AAA,BBB", "--from", "2024-01-01", "--to", "2024-03-01", "--data-dir", DataDir);
            Assert.True(run.ExitCode == 0, run.ToString());
        }

        public Task DisposeAsync() => Task.CompletedTask;

        public void Dispose() => _temp.Dispose();
    }

    [Fact]
    public async Task Every_duckdb_type_prints_as_its_value_not_a_dotnet_type_name()
    {
        const string sql = """
            SELECT [1, 2, 3] AS list, {'a': 1, 'b': 'x'} AS struct, MAP {'k': 1} AS map, '\xAA\x01'::BLOB AS blob,
                   12.50::DECIMAL(10, 2) AS dec, 123456789012345678901234567890.12::DECIMAL(38, 2) AS big_dec,
                   TIMESTAMP '2024-01-02 03:04:05.5' AS ts, TIMESTAMPTZ '2024-01-02 03:04:05+00' IS NOT NULL AS has_tz,
                   INTERVAL 1 DAY + INTERVAL 2 HOUR AS iv, '6f1c8a4e-4c1b-4d0e-9a57-2f9a3e6b8c11'::UUID AS id,
                   TIME '10:11:12' AS t, 170141183460469231731687303715884105727::HUGEINT AS huge
            """;
        var result = await Cli.RunAsync("query", sql, "--format", "csv", "--data-dir", lake.DataDir);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.StdOut.Split('\n');
        Assert.Equal("list,struct,map,blob,dec,big_dec,ts,has_tz,iv,id,t,huge", lines[0]);
        Assert.Equal(
            "\"[1, 2, 3]\",\"{'a': 1, 'b': x}\",{k=1},\\xAA\\x01,12.50,123456789012345678901234567890.12,2024-01-02 03:04:05.5,true,1 day 02:00:00,6f1c8a4e-4c1b-4d0e-9a57-2f9a3e6b8c11,10:11:12,170141183460469231731687303715884105727",
            lines[1]);
        Assert.DoesNotContain("System.", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_keeps_decimals_as_exact_numbers_and_nested_values_as_text()
    {
        var result = await Cli.RunAsync("query", "SELECT 12.50::DECIMAL(10,2) AS d, [1,2] AS l, 1 AS n", "--format", "json", "--data-dir", lake.DataDir);
        Assert.True(result.ExitCode == 0, result.ToString());
        var row = System.Text.Json.JsonDocument.Parse(result.StdOut).RootElement[0];
        Assert.Equal("12.50", row.GetProperty("d").GetRawText());
        Assert.Equal("[1, 2]", row.GetProperty("l").GetString());
        Assert.Equal(1, row.GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task A_runaway_query_ends_with_a_timeout_message()
    {
        var watch = Stopwatch.StartNew();
        var result = await Cli.RunAsync("query", "SELECT sum(range) FROM range(1000000000000)", "--timeout", "1", "--data-dir", lake.DataDir);
        Cli.AssertFails(result, 1, "time limit");
        Assert.Contains("--timeout", result.StdErr, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task A_query_over_the_memory_limit_is_stopped_with_a_message()
    {
        var result = await Cli.RunAsync("query", "SELECT list(range || 'some text to make it wide') FROM range(20000000)", "--memory-limit", "20MB", "--format", "csv", "--data-dir", lake.DataDir);
        Cli.AssertFails(result, 1, "memory limit");
    }

    [Fact]
    public async Task Cancelling_interrupts_a_running_query()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var watch = Stopwatch.StartNew();
        var result = await Cli.RunAsync(cancel.Token, "query", "SELECT sum(range) FROM range(1000000000000)", "--data-dir", lake.DataDir);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
        Cli.AssertFails(result, 130, "Cancelled");
    }

    [Fact]
    public async Task Table_output_stops_at_the_row_cap_and_says_so()
    {
        var result = await Cli.RunAsync("query", "SELECT range AS n FROM range(5000000)", "--max-rows", "50", "--data-dir", lake.DataDir);
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.StdOut.TrimEnd('\n').Split('\n');
        Assert.Equal(2 + 50 + 1, lines.Length);
        Assert.Contains("first 50 rows shown", lines[^1], StringComparison.Ordinal);
        Assert.Contains("--format csv", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Table_output_aligns_emoji_wide_characters_and_control_characters()
    {
        var result = await Cli.RunAsync("query", "SELECT * FROM (VALUES ('😀', 1), ('漢字', 22), ('a' || chr(10) || 'b', 333), ('e\u0301', 4)) t(text, n)", "--data-dir", lake.DataDir);
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.StdOut.TrimEnd('\n').Split('\n');
        Assert.Equal(1 + 1 + 4 + 1, lines.Length);
        Assert.Contains("a\\nb", result.StdOut, StringComparison.Ordinal);
        // Every row ends its text column at the same terminal column: the separators line up.
        var separatorColumns = lines[..6].Where(l => !l.StartsWith('-')).Select(l => Width(l[..l.IndexOf(" | ", StringComparison.Ordinal)])).Distinct();
        Assert.Single(separatorColumns);
    }

    [Fact]
    public async Task Select_one_opens_no_table_and_prints_no_data_note()
    {
        var result = await Cli.RunAsync("query", "SELECT 1 AS one", "--data-dir", lake.DataDir);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("(1 row(s))", result.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("synthetic", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tables_are_read_through_their_views_and_the_synthetic_note_goes_to_stderr()
    {
        var result = await Cli.RunAsync("query", "SELECT symbol, count(*) AS n FROM RAW_PRICES GROUP BY symbol ORDER BY symbol", "--format", "csv", "--data-dir", lake.DataDir);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("symbol,n\nAAA,", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("synthetic", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sql_errors_and_refused_statements_are_one_line()
    {
        Cli.AssertFails(await Cli.RunAsync("query", "SELECT nope FROM daily_metrics", "--data-dir", lake.DataDir), 1, "line 1, column 8");
        Cli.AssertFails(await Cli.RunAsync("query", "SELECT 1;\nSELECT nope\nFROM daily_metrics", "--data-dir", lake.DataDir), 1, "Exactly one statement");
        Cli.AssertFails(await Cli.RunAsync("query", "DROP TABLE raw_prices", "--data-dir", lake.DataDir), 1, "read-only");
        Cli.AssertFails(await Cli.RunAsync("query", "SELECT 1", "--timeout", "0", "--data-dir", lake.DataDir), 2, "--timeout");
        Cli.AssertFails(await Cli.RunAsync("query", "SELECT 1", "--memory-limit", "lots", "--data-dir", lake.DataDir), 2, "--memory-limit");
    }

    [Fact]
    public async Task A_trailing_semicolon_and_comment_still_run()
    {
        var result = await Cli.RunAsync("query", "SELECT 42 AS answer; -- done", "--format", "csv", "--data-dir", lake.DataDir);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("answer\n42\n", result.StdOut);
    }

    [Fact]
    public async Task A_corrupt_catalog_entry_names_the_file_and_the_next_run_rebuilds_it()
    {
        using var temp = new TempFolder();
        var dataDir = temp["data"];
        var run = await Cli.RunAsync("run", "--provider", "sample", "--symbols", "AAA", "--from", "2024-01-01", "--to", "2024-02-01", "--data-dir", dataDir);
        Assert.True(run.ExitCode == 0, run.ToString());
        var tableJson = Path.Combine(new DataDirectory(dataDir).CatalogDirectory, "stockflow", "raw_prices", "table.json");
        File.WriteAllText(tableJson, "{\"Table\": {\"Name\": ");

        var query = await Cli.RunAsync("query", "SELECT count(*) FROM raw_prices", "--data-dir", dataDir);
        Cli.AssertFails(query, 1, tableJson);
        Assert.Contains("stockflow run", query.StdErr, StringComparison.Ordinal);
        Cli.AssertFails(await Cli.RunAsync("catalog", "list", "--data-dir", dataDir), 1, "is damaged");
        // Other tables stay queryable.
        Assert.Equal(0, (await Cli.RunAsync("query", "SELECT count(*) FROM daily_metrics", "--data-dir", dataDir)).ExitCode);

        var repair = await Cli.RunAsync("run", "--provider", "sample", "--symbols", "AAA", "--data-dir", dataDir);
        Assert.True(repair.ExitCode == 0, repair.ToString());
        var after = await Cli.RunAsync("query", "SELECT count(*) AS n FROM raw_prices", "--format", "csv", "--data-dir", dataDir);
        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.NotEqual("n\n0\n", after.StdOut);
    }

    [Fact]
    public async Task The_service_streams_rows_and_stops_when_the_sink_says_so()
    {
        var directory = new DataDirectory(lake.DataDir);
        var service = new QueryService(directory.BucketRoot, directory.CatalogDirectory);
        var sink = new CountingSink(stopAfter: 10);
        var outcome = await service.StreamAsync("SELECT range FROM range(100000000)", sink);
        Assert.Equal(10, outcome.Rows);
        Assert.Empty(outcome.Tables);
    }

    private static int Width(string text) => text.EnumerateRunes().Sum(r => r.Value >= 0x1F000 || (r.Value >= 0x4E00 && r.Value <= 0x9FFF) ? 2 : r.Value == 0x301 ? 0 : 1);

    private sealed class CountingSink(int stopAfter) : IQueryResultSink
    {
        private int _rows;

        public void Begin(IReadOnlyList<ResultColumn> columns)
        {
        }

        public bool Row(object?[] values) => ++_rows < stopAfter;
    }
}
