using System.Globalization;
using StockFlow.GlueAthena.Local.DuckDb;
using StockFlow.GlueAthena.Local.Transform;
using StockFlow.Core.Lake;
using StockFlow.Core.Csv;
using StockFlow.Core.Prices;
using StockFlow.Core.Sample;

namespace StockFlow.GlueAthena.Local.Tests;

/// <summary>
/// An incremental run must give exactly what a full rebuild gives (row by row, at 1e-12), while reading and writing
/// only what changed. Raw files are written the way ingest writes them: one sorted file per symbol and year.
/// </summary>
public sealed class IncrementalTransformTests : IDisposable
{
    // The test lakes are small: without CompactBelowRows = 0 every change would rewrite the partition whole.
    private static readonly TransformOptions Incremental = new() { Mode = TransformMode.Incremental, CompactBelowRows = 0 };
    private static readonly DateOnly Start = new(2023, 6, 1);

    private readonly TestLake lake = new();

    [Fact]
    public async Task One_new_day_is_appended_from_the_carried_state_and_matches_a_full_rebuild()
    {
        // LONGA crosses a year boundary and has more than 200 rows; SHRT has fewer than 20; MIDL about 199.
        WriteSymbol("LONGA", Start, new(2024, 12, 31));
        WriteSymbol("SHRT", new(2024, 12, 16), new(2024, 12, 31));
        WriteSymbol("MIDL", new(2024, 3, 28), new(2024, 12, 31));
        var first = await TransformJob.RunAsync(lake.Root, Incremental);
        Assert.Equal(TransformMode.Full, first.Mode);
        Assert.Equal("no transform manifest yet", first.FullRebuildReason);
        var before = PartitionFiles();

        // The next trading day lands in a new year's file for all three.
        WriteSymbol("LONGA", Start, new(2025, 1, 1));
        WriteSymbol("SHRT", new(2024, 12, 16), new(2025, 1, 1));
        WriteSymbol("MIDL", new(2024, 3, 28), new(2025, 1, 1));
        var second = await TransformJob.RunAsync(lake.Root, Incremental);

        Assert.Equal(TransformMode.Incremental, second.Mode);
        Assert.Equal(["LONGA", "MIDL", "SHRT"], second.AppendedSymbols);
        Assert.Empty(second.RebuiltSymbols);
        Assert.Equal(3, second.RowsRead);
        Assert.Equal(3, second.RowsWritten);
        // Old files are untouched; each partition gained one small file.
        var after = PartitionFiles();
        Assert.All(before, f => Assert.Equal(f.Value, after[f.Key]));
        Assert.Equal(before.Count + 3, after.Count);

        await AssertSameAsFullRebuild();
    }

    [Fact]
    public async Task Days_added_to_the_current_year_file_are_read_from_the_appended_bytes_only()
    {
        WriteSymbol("AAA", Start, new(2024, 3, 1));
        WriteSymbol("BBB", Start, new(2024, 3, 1));
        await TransformJob.RunAsync(lake.Root);

        // Five more days for AAA (the 2024 file is rewritten with the old text as its prefix); BBB is unchanged.
        WriteSymbol("AAA", Start, new(2024, 3, 8));
        var result = await TransformJob.RunAsync(lake.Root, Incremental);

        Assert.Equal(["AAA"], result.AppendedSymbols);
        Assert.Equal(["AAA"], result.Symbols);
        Assert.Equal(5, result.RowsRead);
        Assert.Equal(5, result.RowsWritten);
        await AssertSameAsFullRebuild();

        var nothing = await TransformJob.RunAsync(lake.Root, Incremental);
        Assert.Equal(0, nothing.RowsRead);
        Assert.Equal(0, nothing.RowsWritten);
    }

    [Fact]
    public async Task A_backfill_that_changes_an_old_day_rebuilds_that_symbol_only()
    {
        WriteSymbol("AAA", Start, new(2024, 6, 28));
        WriteSymbol("BBB", Start, new(2024, 6, 28));
        await TransformJob.RunAsync(lake.Root);
        var bbbBefore = PartitionFiles().Where(f => f.Key.Contains("symbol=BBB", StringComparison.Ordinal)).ToArray();

        // A corrected close in 2023: the 2023 file changes in the middle.
        var bars = SampleMarket.Generate("AAA", Start, new(2023, 12, 31)).ToList();
        bars[10] = bars[10] with { Close = bars[10].Close * 1.5, AdjClose = bars[10].AdjClose * 1.5 };
        WriteYear("AAA", 2023, bars);
        var result = await TransformJob.RunAsync(lake.Root, Incremental);

        Assert.Equal("AAA_2023.csv changed before its end", result.RebuiltSymbols["AAA"]);
        Assert.Empty(result.AppendedSymbols);
        Assert.Equal(SampleMarket.Generate("AAA", Start, new(2024, 6, 28)).Count, result.RowsWritten);
        Assert.Equal(bbbBefore, PartitionFiles().Where(f => f.Key.Contains("symbol=BBB", StringComparison.Ordinal)).ToArray());
        Assert.Single(PartitionFiles(), f => f.Key.Contains("symbol=AAA", StringComparison.Ordinal));
        await AssertSameAsFullRebuild();
    }

    [Fact]
    public async Task Appended_rows_for_days_already_curated_rebuild_the_symbol()
    {
        WriteSymbol("AAA", Start, new(2023, 12, 29));
        await TransformJob.RunAsync(lake.Root);

        // Appended at the end of the file, but for a day in the past: the later row wins, so history changes.
        var path = Path.Combine(lake.Root, "raw/prices/symbol=AAA/AAA_2023.csv");
        File.AppendAllText(path, "2023-07-03,10,11,9,10,10,100\n");
        var result = await TransformJob.RunAsync(lake.Root, Incremental);

        Assert.Equal("appended rows dated on or before the last curated day", result.RebuiltSymbols["AAA"]);
        Assert.Equal(1, result.ExcludedByReason[TransformResult.DuplicateReason]);
        await AssertSameAsFullRebuild();
    }

    [Fact]
    public async Task New_and_removed_symbols_are_built_and_dropped()
    {
        WriteSymbol("AAA", Start, new(2023, 12, 29));
        WriteSymbol("OLD", Start, new(2023, 12, 29));
        await TransformJob.RunAsync(lake.Root);

        WriteSymbol("NEW", Start, new(2023, 12, 29));
        Directory.Delete(Path.Combine(lake.Root, "raw/prices/symbol=OLD"), recursive: true);
        var result = await TransformJob.RunAsync(lake.Root, Incremental);

        Assert.Equal("new symbol", result.RebuiltSymbols["NEW"]);
        Assert.Equal(["OLD"], result.RemovedSymbols);
        Assert.False(Directory.Exists(Path.Combine(lake.Root, "curated/daily_metrics/symbol=OLD")));
        await AssertSameAsFullRebuild();
    }

    [Fact]
    public async Task Symbols_outside_the_requested_scope_are_left_as_they_are()
    {
        WriteSymbol("AAA", Start, new(2024, 1, 31));
        WriteSymbol("BBB", Start, new(2024, 1, 31));
        await TransformJob.RunAsync(lake.Root);

        WriteSymbol("AAA", Start, new(2024, 2, 2));
        WriteSymbol("BBB", Start, new(2024, 2, 2));
        var scoped = await TransformJob.RunAsync(lake.Root, Incremental with { Symbols = ["AAA"] });
        Assert.Equal(["AAA"], scoped.AppendedSymbols);

        // BBB is picked up by the next run that looks at it.
        var next = await TransformJob.RunAsync(lake.Root, Incremental);
        Assert.Equal(["BBB"], next.AppendedSymbols);
        await AssertSameAsFullRebuild();
    }

    [Fact]
    public async Task Small_files_are_compacted_and_the_rows_stay_the_same()
    {
        WriteSymbol("AAA", Start, new(2023, 12, 1));
        await TransformJob.RunAsync(lake.Root);
        var options = Incremental with { CompactAtFiles = 2 };
        var compacted = new List<string>();
        var end = new DateOnly(2023, 12, 1);
        for (var i = 0; i < 4; i++)
        {
            end = end.AddDays(i % 2 == 0 ? 3 : 1);
            WriteSymbol("AAA", Start, end);
            var result = await TransformJob.RunAsync(lake.Root, options);
            compacted.AddRange(result.CompactedSymbols);
            Assert.True(PartitionFiles().Count <= 3, $"run {i}: {PartitionFiles().Count} files");
        }

        Assert.Contains("AAA", compacted);
        await AssertSameAsFullRebuild();
    }

    [Fact]
    public async Task A_small_partition_is_rewritten_as_one_file_on_every_change()
    {
        WriteSymbol("AAA", Start, new(2023, 12, 1));
        await TransformJob.RunAsync(lake.Root);
        var options = Incremental with { CompactBelowRows = 2_000 };
        var end = new DateOnly(2023, 12, 1);
        for (var i = 0; i < 3; i++)
        {
            end = end.AddDays(7);
            WriteSymbol("AAA", Start, end);
            var result = await TransformJob.RunAsync(lake.Root, options);
            Assert.Equal(["AAA"], result.CompactedSymbols);
            Assert.Single(PartitionFiles());
        }

        await AssertSameAsFullRebuild();
    }

    [Fact]
    public async Task A_run_that_died_before_saving_its_manifest_is_redone_without_duplicate_rows()
    {
        WriteSymbol("AAA", Start, new(2024, 1, 31));
        await TransformJob.RunAsync(lake.Root);
        var manifest = Path.Combine(lake.Root, TransformManifest.Key);
        var saved = File.ReadAllBytes(manifest);

        WriteSymbol("AAA", Start, new(2024, 2, 2));
        await TransformJob.RunAsync(lake.Root, Incremental);
        File.WriteAllBytes(manifest, saved); // as if the process died after writing the data
        var redo = await TransformJob.RunAsync(lake.Root, Incremental);

        Assert.Equal(["AAA"], redo.AppendedSymbols);
        await AssertSameAsFullRebuild();
    }

    [Fact]
    public async Task A_stray_file_in_a_partition_is_not_part_of_the_table()
    {
        WriteSymbol("AAA", Start, new(2024, 1, 31));
        await TransformJob.RunAsync(lake.Root);
        // A file copied in by hand is not in the manifest: readers do not see it, so it duplicates nothing.
        var partition = Path.Combine(lake.Root, "curated/daily_metrics/symbol=AAA");
        File.Copy(Directory.GetFiles(partition).Single(), Path.Combine(partition, "data_copy.parquet"));
        Assert.Equal(SampleMarket.Generate("AAA", Start, new(2024, 1, 31)).Count, CuratedReader.Read(new LakeLayout(lake.Root).DailyMetricsFiles()).Count);

        WriteSymbol("AAA", Start, new(2024, 2, 2));
        var result = await TransformJob.RunAsync(lake.Root, Incremental);

        Assert.Equal(["AAA"], result.AppendedSymbols);
        var expected = SampleMarket.Generate("AAA", Start, new(2024, 2, 2)).Count;
        Assert.Equal(expected, CuratedReader.Read(new LakeLayout(lake.Root).DailyMetricsFiles()).Count);
        // A full rebuild leaves exactly the table in the folder.
        await TransformJob.RunAsync(lake.Root);
        Assert.False(File.Exists(Path.Combine(partition, "data_copy.parquet")));
        Assert.Equal(expected, CuratedReader.Read(lake.Root).Count);
    }

    [Fact]
    public async Task The_next_day_starts_from_the_carry_and_opens_no_curated_file()
    {
        WriteSymbol("AAA", Start, new(2024, 1, 31));
        WriteSymbol("BBB", Start, new(2024, 1, 31));
        await TransformJob.RunAsync(lake.Root);
        var manifest = TransformManifest.TryLoad(Path.Combine(lake.Root, TransformManifest.Key))!;
        Assert.True(File.Exists(manifest.CarryPath(new LakeLayout(lake.Root))));
        // Same length, so the file check passes: only a run that read the file would notice it is not Parquet.
        var file = Directory.GetFiles(Path.Combine(lake.Root, "curated/daily_metrics/symbol=AAA")).Single();
        File.WriteAllBytes(file, new byte[new FileInfo(file).Length]);

        WriteSymbol("AAA", Start, new(2024, 2, 2));
        WriteSymbol("BBB", Start, new(2024, 2, 2));
        var result = await TransformJob.RunAsync(lake.Root, new TransformOptions { Mode = TransformMode.Incremental });

        Assert.Equal(["AAA", "BBB"], result.AppendedSymbols);
        Assert.Equal(["AAA", "BBB"], result.CompactedSymbols);
        await AssertSameAsFullRebuild();
    }

    [Fact]
    public async Task A_damaged_carry_costs_a_read_of_the_curated_files_and_nothing_else()
    {
        WriteSymbol("AAA", Start, new(2024, 1, 31));
        await TransformJob.RunAsync(lake.Root);
        var layout = new LakeLayout(lake.Root);
        File.WriteAllText(TransformManifest.TryLoad(layout.Under(TransformManifest.Key))!.CarryPath(layout)!, "not parquet");

        WriteSymbol("AAA", Start, new(2024, 2, 2));
        var result = await TransformJob.RunAsync(lake.Root, new TransformOptions { Mode = TransformMode.Incremental });

        Assert.Equal(["AAA"], result.AppendedSymbols);
        await AssertSameAsFullRebuild();
    }

    [Fact]
    public async Task A_rebuild_too_large_to_hold_leaves_the_carry_to_the_next_incremental_run()
    {
        WriteSymbol("AAA", Start, new(2024, 1, 31));
        WriteSymbol("LONG", new(2015, 1, 1), new(2024, 1, 31));
        var options = new TransformOptions { Mode = TransformMode.Incremental };
        await TransformJob.RunAsync(lake.Root, new TransformOptions { CarryFromRebuildBelowBytes = 0 });
        var layout = new LakeLayout(lake.Root);
        Assert.Null(TransformManifest.TryLoad(layout.Under(TransformManifest.Key))!.Carry);

        WriteSymbol("AAA", Start, new(2024, 2, 2));
        WriteSymbol("LONG", new(2015, 1, 1), new(2024, 2, 2));
        await TransformJob.RunAsync(lake.Root, options);
        var carry = TransformManifest.TryLoad(layout.Under(TransformManifest.Key))!.CarryPath(layout);
        Assert.True(File.Exists(carry));

        var file = Directory.GetFiles(layout.DailyMetricsPartition("AAA")).Single();
        File.WriteAllBytes(file, new byte[new FileInfo(file).Length]);
        WriteSymbol("AAA", Start, new(2024, 2, 6));
        WriteSymbol("LONG", new(2015, 1, 1), new(2024, 2, 6));
        var result = await TransformJob.RunAsync(lake.Root, options);

        Assert.Equal(["AAA", "LONG"], result.AppendedSymbols);
        Assert.False(File.Exists(carry));
        await AssertSameAsFullRebuild();
    }

    [Theory]
    [InlineData(TransformMode.Incremental)]
    [InlineData(TransformMode.Full)]
    public async Task A_transform_killed_half_way_leaves_nothing_readers_see_and_the_next_run_cleans_up(TransformMode next)
    {
        WriteSymbol("AAA", Start, new(2024, 1, 31));
        WriteSymbol("BBB", Start, new(2024, 1, 31));
        await TransformJob.RunAsync(lake.Root);
        var layout = new LakeLayout(lake.Root);
        var before = CuratedReader.Read(layout.DailyMetricsFiles());
        // What kill -9 in the middle of a rebuild leaves: its in-progress marker and half-written files under new names.
        var partials = new[] { Path.Combine(layout.DailyMetricsPartition("AAA"), "data_r000002_0.parquet"), Path.Combine(layout.DailyMetricsPartition("BBB"), "data_r000002_3.parquet") };
        foreach (var partial in partials)
        {
            File.WriteAllBytes(partial, "PAR1"u8.ToArray());
        }

        File.WriteAllText(layout.Under(LakeKeys.TransformInProgress), "killed");

        Assert.Equal(before, CuratedReader.Read(layout.DailyMetricsFiles()));

        WriteSymbol("AAA", Start, new(2024, 2, 2));
        var result = await TransformJob.RunAsync(lake.Root, new TransformOptions { Mode = next });

        Assert.Equal(next, result.Mode);
        Assert.All(partials, p => Assert.False(File.Exists(p) && new FileInfo(p).Length == 4, p));
        Assert.False(File.Exists(layout.Under(LakeKeys.TransformInProgress)));
        await AssertSameAsFullRebuild();
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("deleted")]
    public async Task A_damaged_curated_file_is_rebuilt_from_the_raw_files(string damage)
    {
        WriteSymbol("AAA", Start, new(2024, 1, 31));
        WriteSymbol("BBB", Start, new(2024, 1, 31));
        await TransformJob.RunAsync(lake.Root);
        var file = Directory.GetFiles(Path.Combine(lake.Root, "curated/daily_metrics/symbol=AAA")).Single();
        if (damage == "truncated")
        {
            using var stream = new FileStream(file, FileMode.Open);
            stream.SetLength(stream.Length / 2);
        }
        else
        {
            File.Delete(file);
        }

        WriteSymbol("AAA", Start, new(2024, 2, 2));
        WriteSymbol("BBB", Start, new(2024, 2, 2));
        var result = await TransformJob.RunAsync(lake.Root, Incremental);

        Assert.Equal("curated files missing or changed since the last transform", result.RebuiltSymbols["AAA"]);
        Assert.Equal(["BBB"], result.AppendedSymbols);
        await AssertSameAsFullRebuild();
    }

    [Fact]
    public async Task Without_a_curated_table_an_incremental_request_runs_full()
    {
        WriteSymbol("AAA", Start, new(2023, 8, 31));
        await TransformJob.RunAsync(lake.Root);
        Directory.Delete(Path.Combine(lake.Root, "curated"), recursive: true);

        var result = await TransformJob.RunAsync(lake.Root, Incremental);

        Assert.Equal(TransformMode.Full, result.Mode);
        Assert.Equal("no curated daily_metrics yet", result.FullRebuildReason);
        Assert.Equal(SampleMarket.Generate("AAA", Start, new(2023, 8, 31)).Count, result.RowsWritten);
    }

    [Fact]
    public async Task Bad_options_are_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => TransformJob.RunAsync(lake.Root, Incremental with { CompactAtFiles = 1 }));
    }

    public void Dispose() => lake.Dispose();

    /// <summary>Reads the incremental result, rebuilds in full and compares every column of every row.</summary>
    private async Task AssertSameAsFullRebuild()
    {
        var incremental = CuratedReader.Read(lake.Root);
        var full = await TransformJob.RunAsync(lake.Root, new TransformOptions { Mode = TransformMode.Full });
        var rebuilt = CuratedReader.Read(lake.Root);

        Assert.Equal(full.RowsWritten, incremental.Count);
        Assert.Equal(rebuilt.Count, incremental.Count);
        for (var i = 0; i < rebuilt.Count; i++)
        {
            var e = rebuilt[i];
            var a = incremental[i];
            var at = $"{e.Symbol} {e.TradeDate:yyyy-MM-dd}";
            Assert.Equal((e.Symbol, e.TradeDate, e.Volume), (a.Symbol, a.TradeDate, a.Volume));
            Close(e.Open, a.Open, at + " open");
            Close(e.High, a.High, at + " high");
            Close(e.Low, a.Low, at + " low");
            Close(e.Close, a.Close, at + " close");
            Close(e.AdjClose, a.AdjClose, at + " adj_close");
            Close(e.DailyReturn, a.DailyReturn, at + " daily_return");
            Close(e.LogReturn, a.LogReturn, at + " log_return");
            Close(e.Ma20, a.Ma20, at + " ma_20");
            Close(e.Ma50, a.Ma50, at + " ma_50");
            Close(e.Ma200, a.Ma200, at + " ma_200");
            Close(e.Volatility20, a.Volatility20, at + " volatility_20");
            Close(e.CumulativeReturn, a.CumulativeReturn, at + " cumulative_return");
            Close(e.Drawdown, a.Drawdown, at + " drawdown");
        }
    }

    /// <summary>Equal within 1e-12 (relative above 1): window sums may be added in another order, nothing more.</summary>
    private static void Close(double? expected, double? actual, string what)
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{what}: expected {expected}, got {actual}");
            return;
        }

        var scale = Math.Max(1, Math.Max(Math.Abs(expected.Value), Math.Abs(actual.Value)));
        Assert.True(Math.Abs(expected.Value - actual.Value) <= 1e-12 * scale, $"{what}: expected {expected:R}, got {actual:R}");
    }

    private Dictionary<string, DateTime> PartitionFiles() =>
        Directory.EnumerateFiles(Path.Combine(lake.Root, "curated/daily_metrics"), "*.parquet", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(lake.Root, f), File.GetLastWriteTimeUtc, StringComparer.Ordinal);

    /// <summary>Writes the sample bars of [from, to] as ingest does: one sorted file per year, rewritten whole.</summary>
    private void WriteSymbol(string symbol, DateOnly from, DateOnly to)
    {
        foreach (var year in SampleMarket.Generate(symbol, from, to).GroupBy(b => b.Date.Year))
        {
            WriteYear(symbol, year.Key, year.ToList());
        }
    }

    private void WriteYear(string symbol, int year, IReadOnlyList<DailyBar> bars)
    {
        var path = Path.Combine(lake.Root, "raw/prices", "symbol=" + symbol, string.Create(CultureInfo.InvariantCulture, $"{symbol}_{year}.csv"));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var text = PriceCsvWriter.WriteString(bars);
        if (File.Exists(path) && File.ReadAllText(path) == text)
        {
            return; // ingest does not rewrite a file whose rows did not change
        }

        File.WriteAllText(path, text);
    }
}
