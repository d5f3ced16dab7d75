using System.Globalization;
using StockFlow.GlueAthena.Local.Queries;
using StockFlow.GlueAthena.Local.Sql;
using StockFlow.GlueAthena.Local.Transform;

namespace StockFlow.GlueAthena.Local.Tests;

/// <summary>
/// A: px 10, 11, 12.1 (returns -, +10%, +10%); B: px 20, 18, 18 (returns -, -10%, 0) on 2020-01-02..06.
/// </summary>
public sealed class AnalysisQueryTests(AnalysisQueryTests.HandCheckedLake fixture, AnalysisQueryTests.LongHistoryLake longFixture)
    : IClassFixture<AnalysisQueryTests.HandCheckedLake>, IClassFixture<AnalysisQueryTests.LongHistoryLake>
{
    private readonly TestLake lake = fixture.Lake;

    public sealed class HandCheckedLake : IAsyncLifetime, IDisposable
    {
        public TestLake Lake { get; } = new();

        public async Task InitializeAsync()
        {
            var lake = Lake;
            lake.WriteRaw("A", "A_2020.csv",
                TestLake.Row(new(2020, 1, 2), 10), TestLake.Row(new(2020, 1, 3), 11), TestLake.Row(new(2020, 1, 6), 12.1));
            lake.WriteRaw("B", "B_2020.csv",
                TestLake.Row(new(2020, 1, 2), 20), TestLake.Row(new(2020, 1, 3), 18), TestLake.Row(new(2020, 1, 6), 18));
            await TransformJob.RunAsync(lake.Root);
        }

        public Task DisposeAsync() => Task.CompletedTask;

        public void Dispose() => Lake.Dispose();
    }

    [Fact]
    public void The_library_lists_the_shared_queries_and_the_transform()
    {
        Assert.Equal(["average_return", "market_trend", "price_history", "volatility_ranking"], SqlLibrary.QueryNames);
        Assert.Equal(["clean_prices", "daily_metrics", "daily_metrics_incremental"], SqlLibrary.TransformNames);
        Assert.Contains("FROM raw_prices", SqlLibrary.Get("sql/transform/daily_metrics.sql"), StringComparison.Ordinal);
        Assert.Throws<KeyNotFoundException>(() => SqlLibrary.GetQuery("nope"));
        Assert.Throws<ArgumentException>(() => SqlLibrary.GetQuery("../transform/daily_metrics"));
    }

    [Fact]
    public async Task Average_return_over_the_whole_period()
    {
        var (info, rows) = await Run("average_return", "'2020-01-01'", "'2020-01-31'");

        Assert.Equal(["symbol", "first_date", "last_date", "trading_days", "avg_daily_return", "annualized_return", "cumulative_return"], info.Columns);
        Assert.Equal(2, info.RowCount);
        Assert.Equal(["A", "2020-01-02", "2020-01-06", "3"], rows[0][..4]);
        Approx.Equal(0.1, D(rows[0][4]), "A avg");
        Approx.Equal(25.2, D(rows[0][5]), "A annualized");
        Approx.Equal(0.21, D(rows[0][6]), "A cumulative");
        Assert.Equal("B", rows[1][0]);
        Approx.Equal(-0.05, D(rows[1][4]), "B avg");
        Approx.Equal(-0.1, D(rows[1][6]), "B cumulative");
    }

    [Fact]
    public async Task Average_return_cumulates_from_the_first_price_inside_the_period()
    {
        var (_, rows) = await Run("average_return", "'2020-01-03'", "'2020-01-06'");

        Assert.Equal(["A", "2020-01-03", "2020-01-06", "2"], rows[0][..4]);
        Approx.Equal(0.1, D(rows[0][6]), "A cumulative from 11 to 12.1");
        Approx.Equal(0.0, D(rows[1][6]), "B cumulative from 18 to 18");
    }

    [Fact]
    public async Task Volatility_ranking_puts_the_most_volatile_first()
    {
        var (info, rows) = await Run("volatility_ranking", "'2020-01-01'", "'2020-12-31'");

        Assert.Equal(["symbol", "annualized_volatility", "rank"], info.Columns);
        Assert.Equal("B", rows[0][0]);
        Approx.Equal(Math.Sqrt(0.005) * Math.Sqrt(252), D(rows[0][1]), "B volatility");
        Assert.Equal("1", rows[0][2]);
        Assert.Equal("A", rows[1][0]);
        Approx.Equal(0.0, D(rows[1][1]), "A volatility (two equal returns)");
        Assert.Equal("2", rows[1][2]);
    }

    [Fact]
    public async Task Market_trend_compounds_an_equal_weight_index()
    {
        var (info, rows) = await Run("market_trend", "'2020-01-01'", "'2020-12-31'");

        Assert.Equal(["trade_date", "symbols", "index_return", "index_level", "pct_above_ma50"], info.Columns);
        Assert.Equal(["2020-01-02", "2", "", "1", ""], rows[0]);
        Approx.Equal(0.0, D(rows[1][2]), "day 2 index return");
        Approx.Equal(1.0, D(rows[1][3]), "day 2 level");
        Approx.Equal(0.05, D(rows[2][2]), "day 3 index return");
        Approx.Equal(1.05, D(rows[2][3]), "day 3 level");
        Assert.Equal("", rows[2][4]); // nobody has 50 rows yet
    }

    [Fact]
    public async Task Price_history_lists_px_per_symbol_and_day_inside_the_period()
    {
        var (info, rows) = await Run("price_history", "'2020-01-03'", "'2020-01-03'");

        Assert.Equal(["symbol", "trade_date", "adj_close", "ma_20", "ma_50", "ma_200"], info.Columns);
        Assert.Equal([["A", "2020-01-03", "11", "", "", ""], ["B", "2020-01-03", "18", "", "", ""]], rows);
    }

    [Fact]
    public async Task Price_history_keeps_every_day_of_a_period_with_at_most_520_days()
    {
        // LONG has 260 or 261 weekdays in 2021; the result is exactly the daily rows, as before sampling existed.
        var (_, rows) = await RunOn(longFixture.Lake, "price_history", "'2021-01-01'", "'2021-12-31'");

        var expected = longFixture.Metrics.Where(m => m.TradeDate.Year == 2021).ToList();
        Assert.Equal(expected.Count, rows.Count);
        Assert.InRange(expected.Count(m => m.Symbol == "LONG"), 250, 520);
        AssertDailyValues(expected, rows);
    }

    [Fact]
    public async Task Price_history_keeps_all_520_days_and_samples_from_521()
    {
        var (_, rows) = await RunOn(longFixture.Lake, "price_history", "'2000-01-01'", "'2030-12-31'");

        var edge = rows.Where(r => r[0] == "EDGE").ToList();
        Assert.Equal(261, edge.Count); // 521 days, every 2nd counted back from the last: the first day is on the grid
        var short520 = longFixture.Metrics.Where(m => m.Symbol == "DAYS520").ToList();
        AssertDailyValues(short520, rows.Where(r => r[0] == "DAYS520").ToList());
    }

    [Fact]
    public async Task Price_history_samples_a_long_period_evenly_back_from_the_last_day_and_keeps_the_first()
    {
        var (info, rows) = await RunOn(longFixture.Lake, "price_history", "'2000-01-01'", "'2030-12-31'");

        Assert.Equal(["symbol", "trade_date", "adj_close", "ma_20", "ma_50", "ma_200"], info.Columns);
        var expected = new List<MetricsRow>();
        foreach (var symbol in longFixture.Metrics.GroupBy(m => m.Symbol, StringComparer.Ordinal))
        {
            var days = symbol.ToList();
            var step = (int)Math.Ceiling(days.Count / 520.0);
            expected.AddRange(days.Where((_, i) => i == 0 || (days.Count - 1 - i) % step == 0));
        }

        AssertDailyValues(expected, rows);
        var sampled = rows.Where(r => r[0] == "LONG").ToList();
        Assert.Equal(368, sampled.Count); // 1,100 days, k = 3: 367 on the grid plus the first day
        Assert.Equal(longFixture.Metrics.First(m => m.Symbol == "LONG").TradeDate, DateOnly.Parse(sampled[0][1], CultureInfo.InvariantCulture));
        Assert.Equal(longFixture.Metrics.Last(m => m.Symbol == "LONG").TradeDate, DateOnly.Parse(sampled[^1][1], CultureInfo.InvariantCulture));
        Assert.All(rows.GroupBy(r => r[0], StringComparer.Ordinal), g => Assert.InRange(g.Count(), 1, 521));
    }

    [Fact]
    public async Task An_empty_period_writes_only_the_header()
    {
        var (info, rows) = await Run("average_return", "'1999-01-01'", "'1999-12-31'");

        Assert.Equal(0, info.RowCount);
        Assert.Empty(rows);
    }

    [Theory]
    [InlineData("2020-01-01")]
    [InlineData("20200101")]
    [InlineData("'2020-01-01' OR '1'='1'")]
    [InlineData("'2020-01-01")]
    public async Task Parameters_that_are_not_string_literals_are_refused(string parameter)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Run("average_return", parameter, "'2020-12-31'"));
        Assert.Contains("Execution parameter 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_literal_is_bound_as_a_value_never_pasted_into_the_sql()
    {
        // Were it concatenated this would close the literal; unescaped, it is just a value that is not a date.
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Run("average_return", "'2020-01-01'') --'", "'2020-12-31'"));
        Assert.Contains("('2020-01-01') --') is not an ISO date", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_parameter_count_and_unknown_queries_are_refused()
    {
        var count = await Assert.ThrowsAsync<ArgumentException>(() => Run("average_return", "'2020-01-01'"));
        Assert.Contains("takes 2", count.Message, StringComparison.Ordinal);
        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => Run("drop_everything", "'a'", "'b'"));
        Assert.Contains("Unknown analysis query", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Execution_parameters_unescape_doubled_quotes()
    {
        Assert.Equal(["O'Neil", "2020-01-01"], ExecutionParameters.ParseStringLiterals(["'O''Neil'", " '2020-01-01' "]));
        Assert.Equal(2, SqlPlaceholders.Count("SELECT ? /* ? */, '?' , \"?\" -- ?\n , ?"));
    }

    /// <summary>The rows are exactly the expected daily_metrics rows (same days, same values), in symbol and date order.</summary>
    private static void AssertDailyValues(List<MetricsRow> expected, List<string[]> rows)
    {
        Assert.Equal(
            expected.Select(m => (m.Symbol, m.TradeDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))),
            rows.Select(r => (r[0], r[1])));
        foreach (var (m, r) in expected.Zip(rows))
        {
            Assert.Equal(m.AdjClose, D(r[2]));
            Assert.Equal(m.Ma20, N(r[3]));
            Assert.Equal(m.Ma50, N(r[4]));
            Assert.Equal(m.Ma200, N(r[5]));
        }
    }

    [Fact]
    public async Task One_runner_serves_concurrent_queries_and_sees_a_changed_table()
    {
        using var own = new TestLake();
        own.WriteRaw("A", "A_2020.csv", TestLake.Row(new(2020, 1, 2), 10), TestLake.Row(new(2020, 1, 3), 11));
        await TransformJob.RunAsync(own.Root);
        using var runner = new AnalysisQueryRunner(own.Root);

        var first = await Task.WhenAll(SqlLibrary.QueryNames.Select(q => runner.RunAsync(
            q, ["'2020-01-01'", "'2020-01-31'"], Path.Combine(own.Root, "results", "1", q + ".csv"))));
        Assert.Equal(1, first[0].RowCount);

        // A second symbol: the runner must not answer from the files it read before.
        own.WriteRaw("B", "B_2020.csv", TestLake.Row(new(2020, 1, 2), 20), TestLake.Row(new(2020, 1, 3), 18));
        await TransformJob.RunAsync(own.Root);
        var second = await runner.RunAsync("average_return", ["'2020-01-01'", "'2020-01-31'"], Path.Combine(own.Root, "results", "2", "average_return.csv"));
        Assert.Equal(2, second.RowCount);
    }

    [Fact]
    public async Task Every_query_answers_the_same_whether_the_table_is_read_once_into_memory_or_per_query()
    {
        var root = longFixture.Lake.Root;
        using var inMemory = new AnalysisQueryRunner(root);
        using var perQuery = new AnalysisQueryRunner(root, materializeBelowRows: 0);
        foreach (var query in SqlLibrary.QueryNames)
        {
            foreach (var (start, end) in new[] { ("'2020-01-01'", "'2024-12-31'"), ("'2021-03-01'", "'2021-06-30'") })
            {
                var a = Path.Combine(root, "results", "materialized", query + start.Trim('\'') + ".csv");
                var b = Path.Combine(root, "results", "per-query", query + start.Trim('\'') + ".csv");
                var first = await inMemory.RunAsync(query, [start, end], a);
                await perQuery.RunAsync(query, [start, end], b);

                Assert.True(first.RowCount > 0, query);
                Assert.Equal(File.ReadAllBytes(b), File.ReadAllBytes(a));
            }
        }
    }

    private Task<(QueryResultInfo Info, List<string[]> Rows)> Run(string query, params string[] parameters) =>
        RunOn(lake, query, parameters);

    private static async Task<(QueryResultInfo Info, List<string[]> Rows)> RunOn(TestLake lake, string query, params string[] parameters)
    {
        var output = Path.Combine(lake.Root, "results", Guid.NewGuid().ToString("N"), query + ".csv");
        var info = await AnalysisQueryRunner.RunAsync(lake.Root, query, parameters, output);
        var lines = File.ReadAllLines(output);
        Assert.Equal(string.Join(",", info.Columns), lines[0]);
        return (info, lines.Skip(1).Select(l => l.Split(',')).ToList());
    }

    private static double D(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static double? N(string text) => text.Length == 0 ? null : D(text);

    /// <summary>
    /// Weekday histories from 2020-01-01: LONG 1,100 days (sampled every 3rd), EDGE 521 (every 2nd), DAYS520 520 (all),
    /// SHORT 300 (all); daily_metrics read back from the Parquet is the reference for the values.
    /// </summary>
    public sealed class LongHistoryLake : IAsyncLifetime, IDisposable
    {
        public TestLake Lake { get; } = new();

        public List<MetricsRow> Metrics { get; private set; } = [];

        public async Task InitializeAsync()
        {
            foreach (var (symbol, days) in new[] { ("LONG", 1100), ("EDGE", 521), ("DAYS520", 520), ("SHORT", 300) })
            {
                var rows = Weekdays(new DateOnly(2020, 1, 1)).Take(days)
                    .Select((date, i) => TestLake.Row(date, Math.Round(100 + (10 * Math.Sin(i / 17.0)) + (i * 0.01), 4)));
                Lake.WriteRaw(symbol, symbol + ".csv", rows.ToArray());
            }

            await TransformJob.RunAsync(Lake.Root);
            Metrics = CuratedReader.Read(Lake.Root);
        }

        public Task DisposeAsync() => Task.CompletedTask;

        public void Dispose() => Lake.Dispose();

        private static IEnumerable<DateOnly> Weekdays(DateOnly from)
        {
            for (var date = from; ; date = date.AddDays(1))
            {
                if (date.DayOfWeek is not DayOfWeek.Saturday and not DayOfWeek.Sunday)
                {
                    yield return date;
                }
            }
        }
    }
}
