using System.Globalization;
using StockFlow.GlueAthena.Local.Transform;

namespace StockFlow.GlueAthena.Local.Tests;

public class TransformJobTests
{
    private static readonly DateOnly Day0 = new(2020, 1, 1);

    private static DateOnly Day(int i) => Day0.AddDays(i);

    [Fact]
    public async Task Moving_averages_start_exactly_when_N_rows_exist()
    {
        using var lake = new TestLake();
        // px = 1, 2, 3, ... so every average is easy to compute by hand.
        lake.WriteRaw("AAA", "AAA_2020.csv", Enumerable.Range(1, 201).Select(i => TestLake.Row(Day(i), i)).ToArray());

        await TransformJob.RunAsync(lake.Root);
        var rows = CuratedReader.Read(lake.Root);

        Assert.Equal(201, rows.Count);
        Assert.Null(rows[18].Ma20);                    // row 19
        Assert.Equal(10.5, rows[19].Ma20!.Value, 12);  // row 20: mean(1..20)
        Assert.Equal(11.5, rows[20].Ma20!.Value, 12);  // row 21: mean(2..21)
        Assert.Null(rows[48].Ma50);
        Assert.Equal(25.5, rows[49].Ma50!.Value, 12);
        Assert.Equal(26.5, rows[50].Ma50!.Value, 12);
        Assert.Null(rows[198].Ma200);
        Assert.Equal(100.5, rows[199].Ma200!.Value, 12);
        Assert.Equal(101.5, rows[200].Ma200!.Value, 12);
    }

    [Fact]
    public async Task First_row_has_no_return_and_later_rows_match_hand_computed_values()
    {
        using var lake = new TestLake();
        lake.WriteRaw("AAA", "AAA_2020.csv",
            TestLake.Row(Day(1), 10), TestLake.Row(Day(2), 11), TestLake.Row(Day(3), 8.8), TestLake.Row(Day(4), 12));

        var result = await TransformJob.RunAsync(lake.Root);
        var rows = CuratedReader.Read(lake.Root);

        Assert.Equal(4, result.RowsWritten);
        Assert.Null(rows[0].DailyReturn);
        Assert.Null(rows[0].LogReturn);
        Assert.Equal(0.0, rows[0].CumulativeReturn);
        Assert.Equal(0.0, rows[0].Drawdown);
        Approx.Equal(0.1, rows[1].DailyReturn, "return day 2");
        Approx.Equal(Math.Log(1.1), rows[1].LogReturn, "log return day 2");
        Approx.Equal(-0.2, rows[2].DailyReturn, "return day 3");
        Approx.Equal(-0.12, rows[2].CumulativeReturn, "cumulative day 3");
        Approx.Equal(-0.2, rows[2].Drawdown, "drawdown day 3 vs running max 11");
        Approx.Equal(0.2, rows[3].CumulativeReturn, "cumulative day 4");
        Assert.Equal(0.0, rows[3].Drawdown);           // new high
        // Fewer than 20 rows: no moving average and no volatility at all.
        Assert.All(rows, r => Assert.True(r.Ma20 is null && r.Ma50 is null && r.Ma200 is null && r.Volatility20 is null));
    }

    [Fact]
    public async Task Volatility_is_null_until_twenty_returns_then_matches_hand_computed_value()
    {
        using var lake = new TestLake();
        // Returns alternate +10% / -10% after the first row: 20 returns with mean 0 and sample sd sqrt(20*0.01/19).
        var px = new List<double> { 100 };
        for (var i = 1; i <= 21; i++)
        {
            px.Add(px[^1] * (i % 2 == 1 ? 1.1 : 0.9));
        }

        lake.WriteRaw("AAA", "AAA_2020.csv", px.Select((p, i) => TestLake.Row(Day(i), p)).ToArray());
        await TransformJob.RunAsync(lake.Root);
        var rows = CuratedReader.Read(lake.Root);

        Assert.Null(rows[19].Volatility20); // row 20: only 19 returns
        Approx.Equal(Math.Sqrt(20 * 0.01 / 19) * Math.Sqrt(252), rows[20].Volatility20, "volatility at row 21");
        Assert.NotNull(rows[21].Volatility20);
    }

    [Fact]
    public async Task Every_column_matches_the_reference_implementation_on_unsorted_multi_file_input()
    {
        using var lake = new TestLake();
        var random = new Random(42);
        var inputs = new List<PriceInput>();
        foreach (var symbol in new[] { "AAA", "BBB", "CCC" })
        {
            var price = 50.0 + random.Next(100);
            var count = symbol == "CCC" ? 12 : 260;
            for (var i = 0; i < count; i++)
            {
                price *= 1 + ((random.NextDouble() - 0.5) * 0.06);
                var close = Math.Round(price, 4);
                double? adj = i % 7 == 0 ? null : Math.Round(close * 0.98, 6);
                inputs.Add(new PriceInput(symbol, Day(i), close, close * 1.02, close * 0.97, close, adj, 1000 + i));
            }
        }

        foreach (var bySymbolYear in inputs.GroupBy(r => (r.Symbol, r.Date.Year)))
        {
            // Shuffle the rows inside each file: input may be unsorted.
            var lines = bySymbolYear.OrderBy(_ => random.Next()).Select(Line).ToArray();
            lake.WriteRaw(bySymbolYear.Key.Symbol, $"{bySymbolYear.Key.Symbol}_{bySymbolYear.Key.Year}.csv", lines);
        }

        var result = await TransformJob.RunAsync(lake.Root);
        var actual = CuratedReader.Read(lake.Root);
        var expected = ReferenceMetrics.Compute(inputs);

        Assert.Equal(inputs.Count, result.RowsRead);
        Assert.Equal(0, result.RowsExcluded);
        Assert.Equal(["AAA", "BBB", "CCC"], result.Symbols);
        AssertSameMetrics(expected, actual);
    }

    [Fact]
    public async Task Duplicates_across_files_resolve_to_the_greatest_key_then_the_last_row_and_are_counted()
    {
        using var lake = new TestLake();
        lake.WriteRaw("AAA", "AAA_2020.csv",
            TestLake.Row(Day(1), 10), TestLake.Row(Day(2), 20), TestLake.Row(Day(3), 30), TestLake.Row(Day(3), 31));
        // Same dates again in a later key (e.g. a re-ingested range): its rows win.
        lake.WriteRaw("AAA", "AAA_2021.csv", TestLake.Row(Day(2), 22), TestLake.Row(Day(2), 23));

        var result = await TransformJob.RunAsync(lake.Root);
        var rows = CuratedReader.Read(lake.Root);

        Assert.Equal([10.0, 23.0, 31.0], rows.Select(r => r.AdjClose));
        Assert.Equal(6, result.RowsRead);
        Assert.Equal(3, result.RowsWritten);
        Assert.Equal(3, result.RowsExcluded);
        Assert.Equal(3, result.ExcludedByReason[TransformResult.DuplicateReason]);
        Assert.Equal(3, result.ExcludedSamples.Count(s => s.Reason == TransformResult.DuplicateReason));
    }

    [Fact]
    public async Task Empty_or_null_adj_close_means_close()
    {
        using var lake = new TestLake();
        lake.WriteRaw("AAA", "AAA_2020.csv",
            "2020-01-02,10,11,9,10.5,,100",
            "2020-01-03,10,11,9,10.25,null,100",
            "2020-01-06,10,11,9,10.75,10.5,100");

        await TransformJob.RunAsync(lake.Root);
        var rows = CuratedReader.Read(lake.Root);

        Assert.Equal([10.5, 10.25, 10.5], rows.Select(r => r.AdjClose));
        Approx.Equal(10.25 / 10.5 - 1, rows[1].DailyReturn, "return uses close when adj close is empty");
    }

    [Fact]
    public async Task Rows_breaking_the_cleaning_rules_are_excluded_and_counted_by_reason()
    {
        using var lake = new TestLake();
        lake.WriteRaw("AAA", "AAA_2020.csv",
            "2020-01-02,10,11,9,10,10,100",
            "2020-13-45,10,11,9,10,10,100",
            "02/01/2020,10,11,9,10,10,100",
            "2020-01-03,,11,9,10,10,100",
            "2020-01-06,abc,11,9,10,10,100",
            "2020-01-07,10,11,9,0,0,100",
            "2020-01-08,10,8,9,10,10,100",
            "2020-01-09,10,11,9,10,10,-5",
            "2020-01-10,10,11,9,10,10,lots",
            "2020-01-13,10,11,9,10,10",
            "2020-01-14,10,11,9,10.5,,200");

        var result = await TransformJob.RunAsync(lake.Root);

        Assert.Equal(11, result.RowsRead);
        Assert.Equal(3, result.RowsWritten);
        Assert.Equal(8, result.RowsExcluded);
        Assert.Equal(2, result.ExcludedByReason["date missing or does not parse"]);
        Assert.Equal(2, result.ExcludedByReason["open missing or non-numeric"]);
        Assert.Equal(1, result.ExcludedByReason["close <= 0"]);
        Assert.Equal(1, result.ExcludedByReason["high < low"]);
        Assert.Equal(1, result.ExcludedByReason["volume negative"]);
        // A missing volume is 0 (as at ingest); one that is not a number is excluded.
        Assert.Equal(1, result.ExcludedByReason["volume non-numeric"]);
        Assert.Equal(result.RowsRead, result.RowsWritten + result.RowsExcluded);
        Assert.Contains(result.ExcludedSamples, s => s.DateText == "02/01/2020" && s.SourceFile.EndsWith("AAA_2020.csv", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rerunning_rewrites_the_same_partitions_without_duplicating_rows()
    {
        using var lake = new TestLake();
        lake.WriteRaw("AAA", "AAA_2020.csv", TestLake.Row(Day(1), 10), TestLake.Row(Day(2), 11));
        lake.WriteRaw("BBB", "BBB_2020.csv", TestLake.Row(Day(1), 5));

        await TransformJob.RunAsync(lake.Root);
        var second = await TransformJob.RunAsync(lake.Root);

        Assert.Equal(3, second.RowsWritten);
        Assert.Equal(3, CuratedReader.Read(lake.Root).Count);
        // The second rebuild wrote its own files beside the first's and deleted those once its manifest listed its own.
        Assert.Equal(["data_r000002_0.parquet"], Directory.GetFiles(Path.Combine(lake.Root, "curated", "daily_metrics", "symbol=AAA")).Select(Path.GetFileName));
        Assert.Equal(
            ["trade_date:DATE", "open:DOUBLE", "high:DOUBLE", "low:DOUBLE", "close:DOUBLE", "adj_close:DOUBLE", "volume:BIGINT",
             "daily_return:DOUBLE", "log_return:DOUBLE", "ma_20:DOUBLE", "ma_50:DOUBLE", "ma_200:DOUBLE", "volatility_20:DOUBLE",
             "cumulative_return:DOUBLE", "drawdown:DOUBLE", "symbol:VARCHAR"],
            CuratedReader.ParquetColumns(lake.Root));
    }

    [Fact]
    public async Task Resource_options_are_applied_and_bad_ones_refused()
    {
        using var lake = new TestLake();
        lake.WriteRaw("AAA", "AAA_2020.csv", TestLake.Row(Day(1), 10));
        var options = new TransformOptions
        {
            DuckDb = new() { MemoryLimit = "256MB", Threads = 1, TempDirectory = Path.Combine(lake.Root, "spill") },
        };

        var result = await TransformJob.RunAsync(lake.Root, options);
        Assert.Equal(1, result.RowsWritten);

        var bad = new TransformOptions { DuckDb = new() { MemoryLimit = "1GB'; ATTACH 'x" } };
        await Assert.ThrowsAsync<ArgumentException>(() => TransformJob.RunAsync(lake.Root, bad));
    }

    [Fact]
    public async Task A_lake_without_raw_files_or_with_a_foreign_header_fails_clearly()
    {
        using var lake = new TestLake();
        var empty = await Assert.ThrowsAsync<InvalidOperationException>(() => TransformJob.RunAsync(lake.Root));
        Assert.Contains("No raw price files", empty.Message, StringComparison.Ordinal);

        lake.WriteFile("raw/prices/symbol=AAA/AAA_2020.csv", "Date,Close,Open,High,Low,Adj Close,Volume", ["2020-01-02,1,1,1,1,1,1"]);
        var foreign = await Assert.ThrowsAsync<InvalidDataException>(() => TransformJob.RunAsync(lake.Root));
        Assert.Contains("AAA_2020.csv", foreign.Message, StringComparison.Ordinal);
    }

    internal static void AssertSameMetrics(IReadOnlyList<MetricsRow> expected, IReadOnlyList<MetricsRow> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var e = expected[i];
            var a = actual[i];
            var at = $"{e.Symbol} {e.TradeDate:yyyy-MM-dd}";
            Assert.Equal((e.Symbol, e.TradeDate, e.Volume), (a.Symbol, a.TradeDate, a.Volume));
            Approx.Equal(e.Open, a.Open, at + " open");
            Approx.Equal(e.High, a.High, at + " high");
            Approx.Equal(e.Low, a.Low, at + " low");
            Approx.Equal(e.Close, a.Close, at + " close");
            Approx.Equal(e.AdjClose, a.AdjClose, at + " adj_close");
            Approx.Equal(e.DailyReturn, a.DailyReturn, at + " daily_return");
            Approx.Equal(e.LogReturn, a.LogReturn, at + " log_return");
            Approx.Equal(e.Ma20, a.Ma20, at + " ma_20");
            Approx.Equal(e.Ma50, a.Ma50, at + " ma_50");
            Approx.Equal(e.Ma200, a.Ma200, at + " ma_200");
            Approx.Equal(e.Volatility20, a.Volatility20, at + " volatility_20");
            Approx.Equal(e.CumulativeReturn, a.CumulativeReturn, at + " cumulative_return");
            Approx.Equal(e.Drawdown, a.Drawdown, at + " drawdown");
        }
    }

    private static string Line(PriceInput r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Date:yyyy-MM-dd},{r.Open:R},{r.High:R},{r.Low:R},{r.Close:R},{(r.AdjClose is double adj ? adj.ToString("R", CultureInfo.InvariantCulture) : "")},{r.Volume}");
}
