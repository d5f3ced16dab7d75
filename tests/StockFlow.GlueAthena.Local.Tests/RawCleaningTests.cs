using StockFlow.GlueAthena.Local.Transform;

namespace StockFlow.GlueAthena.Local.Tests;

/// <summary>
/// The raw reading (typed parse in the staging pass) and the shared cleaning SQL together: each odd input gets the
/// reason the rules give it, or is read as the number/date it spells, and nothing is dropped uncounted.
/// </summary>
public class RawCleaningTests
{
    [Theory]
    [InlineData("2020-01-02,10,11,9,10,10,100,7", "8 fields, expected 7")]
    [InlineData("2021-02-29,10,11,9,10,10,100", "date missing or does not parse")]
    [InlineData("2020-1-02,10,11,9,10,10,100", "date missing or does not parse")]
    [InlineData("2020-01-02T00:00,10,11,9,10,10,100", "date missing or does not parse")]
    [InlineData("2020-01-02,NaN,11,9,10,10,100", "open missing or non-numeric")]
    [InlineData("2020-01-02,10,Infinity,9,10,10,100", "high missing or non-numeric")]
    [InlineData("2020-01-02,10,11,1e999,10,10,100", "low missing or non-numeric")]
    [InlineData("2020-01-02,10,11,9,\"1,0\",10,100", "close missing or non-numeric")]
    [InlineData("2020-01-02,-1,11,9,10,10,100", "open <= 0")]
    [InlineData("2020-01-02,10,11,9,10,10,1e30", "volume out of range")]
    [InlineData("2020-01-02,10,11,9,10,10,12.5", "volume not a whole number")]
    [InlineData("2020-01-02,10,11,9,10,n/a,100", "adj close non-numeric")]
    [InlineData("2020-01-02,10,11,9,10,-3,100", "adj close <= 0")]
    public async Task A_rule_breaking_row_is_excluded_with_its_reason(string line, string reason)
    {
        using var lake = new TestLake();
        lake.WriteRaw("AAA", "AAA_2020.csv", line, "2020-01-03,10,11,9,10,10,100");

        var result = await TransformJob.RunAsync(lake.Root);

        Assert.Equal(2, result.RowsRead);
        Assert.Equal(1, result.RowsWritten);
        Assert.Equal(new Dictionary<string, long> { [reason] = 1 }, result.ExcludedByReason);
        var sample = Assert.Single(result.ExcludedSamples);
        Assert.Equal(reason, sample.Reason);
        Assert.EndsWith("AAA_2020.csv", sample.SourceFile, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quoted_padded_and_unusual_but_valid_numbers_are_read_as_the_values_they_spell()
    {
        using var lake = new TestLake();
        lake.WriteRaw("AAA", "AAA_2020.csv",
            "\"2020-01-02\",\" 10.5 \",1.1e1,+9,\"10\",,\"100\"",
            " 2020-01-03 ,.5e1,6,4.,5,null,2e3\r",
            "2020-01-06,5,6,4,5,\"\",0");

        var result = await TransformJob.RunAsync(lake.Root);
        var rows = CuratedReader.Read(lake.Root);

        Assert.Equal(0, result.RowsExcluded);
        Assert.Equal(3, rows.Count);
        Assert.Equal((10.5, 11.0, 9.0, 10.0, 10.0, 100L), (rows[0].Open, rows[0].High, rows[0].Low, rows[0].Close, rows[0].AdjClose, rows[0].Volume));
        Assert.Equal((5.0, 6.0, 4.0, 5.0, 5.0, 2000L), (rows[1].Open, rows[1].High, rows[1].Low, rows[1].Close, rows[1].AdjClose, rows[1].Volume));
        Assert.Equal(new DateOnly(2020, 1, 6), rows[2].TradeDate);
        Assert.Equal(0L, rows[2].Volume);
    }

    [Fact]
    public async Task A_raw_file_that_is_not_what_the_ingest_wrote_is_never_half_read()
    {
        using var lake = new TestLake();
        var path = lake.WriteRaw("AAA", "AAA_2020.csv", "2020-01-02,10,11,9,10,10,14805483", "2020-01-03,10,11,9,10,10,14805483");
        var written = File.ReadAllBytes(path);
        var digests = Core.Csv.RawFileDigests.Empty.With("AAA_2020.csv", Core.Csv.RawFileDigest.Of(written));
        lake.WriteFile(Core.Csv.RawFileDigests.Key("AAA"), digests.ToJson(), []);

        var intact = await TransformJob.RunAsync(lake.Root);
        Assert.Equal(2, intact.RowsWritten);

        // Half a line cut off: the last volume would read as 148.
        File.WriteAllBytes(path, written[..^5]);
        var error = await Assert.ThrowsAsync<GlueAthena.Local.DuckDb.DamagedRawFileException>(() => TransformJob.RunAsync(lake.Root));
        Assert.Contains("AAA_2020.csv", error.Message, StringComparison.Ordinal);
        Assert.Contains("re-fetches", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(CuratedReader.Read(lake.Root), r => r.Volume == 148);
    }

    [Fact]
    public async Task Blank_lines_are_not_rows_but_a_record_that_starts_with_a_blank_is()
    {
        using var lake = new TestLake();
        lake.WriteRaw("AAA", "AAA_2020.csv",
            "2020-01-02,10,11,9,10,10,100",
            "",
            " \t ",
            "\r",
            "\t2020-01-03,10,11,9,10,10,100",
            "  ");

        var result = await TransformJob.RunAsync(lake.Root);

        Assert.Equal(2, result.RowsRead);
        Assert.Equal(2, result.RowsWritten);
        Assert.Equal(0, result.RowsExcluded);
    }

    [Fact]
    public async Task A_date_that_does_not_parse_keeps_its_text_in_the_sample_even_with_quotes_and_commas()
    {
        using var lake = new TestLake();
        lake.WriteRaw("AAA", "AAA_2020.csv", "\"Jan 2, 2020 \"\"close\"\"\",10,11,9,10,10,100", "2020-01-03,10,11,9,10,10,100");

        var result = await TransformJob.RunAsync(lake.Root);

        Assert.Equal("Jan 2, 2020 \"close\"", Assert.Single(result.ExcludedSamples).DateText);
    }

    [Fact]
    public async Task A_full_rebuild_in_symbol_batches_writes_what_one_batch_writes()
    {
        using var one = new TestLake();
        using var many = new TestLake();
        foreach (var lake in new[] { one, many })
        {
            foreach (var symbol in new[] { "AAA", "BBB", "CCC" })
            {
                var px = symbol[0] - 'A' + 10.0;
                lake.WriteRaw(symbol, symbol + "_2020.csv",
                    [.. Enumerable.Range(1, 30).Select(i => TestLake.Row(new DateOnly(2020, 1, 1).AddDays(i), px + i)), "2020-02-30,1,1,1,1,1,1"]);
                lake.WriteRaw(symbol, symbol + "_2021.csv", TestLake.Row(new DateOnly(2021, 1, 4), px), TestLake.Row(new DateOnly(2021, 1, 4), px + 1));
            }
        }

        var single = await TransformJob.RunAsync(one.Root);
        var batched = await TransformJob.RunAsync(many.Root, new TransformOptions { FullRebuildBatchBytes = 1 });

        Assert.Equal(1, single.Batches);
        Assert.Equal(3, batched.Batches);
        Assert.Equal(CuratedReader.Read(one.Root), CuratedReader.Read(many.Root));
        Assert.Equal((single.RowsRead, single.RowsWritten, single.RowsExcluded), (batched.RowsRead, batched.RowsWritten, batched.RowsExcluded));
        Assert.Equal(single.ExcludedByReason, batched.ExcludedByReason);
        Assert.Equal(single.ExcludedSamples.Select(s => (s.Symbol, s.Reason)), batched.ExcludedSamples.Select(s => (s.Symbol, s.Reason)));
        Assert.Equal(single.Symbols, batched.Symbols);

        // The manifest of a batched rebuild lets the next incremental run append, not rebuild.
        many.WriteRaw("AAA", "AAA_2021.csv", TestLake.Row(new DateOnly(2021, 1, 4), 10), TestLake.Row(new DateOnly(2021, 1, 4), 11), TestLake.Row(new DateOnly(2021, 1, 5), 12));
        var incremental = await TransformJob.RunAsync(many.Root, new TransformOptions { Mode = TransformMode.Incremental });
        Assert.Equal(["AAA"], incremental.AppendedSymbols);
        Assert.Empty(incremental.RebuiltSymbols);
    }
}
