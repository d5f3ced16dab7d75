using System.Globalization;
using System.Text.RegularExpressions;
using StockFlow.GlueAthena.Local.Sql;
using StockFlow.GlueAthena.Local.Transform;
using StockFlow.Core.Csv;
using StockFlow.Core.Prices;

namespace StockFlow.GlueAthena.Local.Tests;

/// <summary>
/// One definition of the cleaning rules: the ingest's C# validator and the transform (DuckDB running
/// sql/transform/clean_prices.sql over the staged raw files) must accept the same rows, as the same values, and reject
/// the others with the same reason.
/// </summary>
public class CleaningRulesParityTests
{
    // Friday 2024-06-07 is the last completed weekday at this instant (a Saturday).
    private static readonly DateTimeOffset Now = new(2024, 6, 8, 10, 0, 0, TimeSpan.Zero);

    /// <summary>Raw CSV records (the seven columns), each odd in its own way.</summary>
    public static readonly string[] Corpus =
    [
        "2024-01-02,10,11,9,10.5,10.4,1000",
        "2024-01-02,10,11,9,10.5,,1000",
        "2024-01-02,10,11,9,10.5,null,",
        "2024-01-02,10,11,9,10.5,NULL,null",
        "2024-01-02,10,11,9,10.5,nUlL,nuLL",
        "2024-01-02,10,11,9,10.5,10.4,  ",
        " 2024-01-02 , 10 ,11\t,9,10.5,10.4, 1000 ",
        "\"2024-01-02\",\"10\",\"11\",\"9\",\"10.5\",\"10.4\",\"1000\"",
        "2024-01-02,1.5e1,2e1,1E1,15,15,1.2E6",
        "2024-01-02,+10,11,9,10.5,10.4,1000.0",
        "2024-01-02 00:00:00,10,11,9,10.5,10.4,1000",
        "2024-01-02 00:00:00-05:00,10,11,9,10.5,10.4,1000",
        "2024-01-02T00:00:00,10,11,9,10.5,10.4,1000",
        "Jan 2, 2024,10,11,9,10.5,10.4,1000",
        "\"Jan 2, 2024\",10,11,9,10.5,10.4,1000",
        "2024-01-02T00:00,10,11,9,10.5,10.4,1000",
        "2024-13-01,10,11,9,10.5,10.4,1000",
        "2021-02-29,10,11,9,10.5,10.4,1000",
        "02/01/2024,10,11,9,10.5,10.4,1000",
        ",10,11,9,10.5,10.4,1000",
        "null,10,11,9,10.5,10.4,1000",
        "1899-12-29,10,11,9,10.5,10.4,1000",
        "1900-01-01,10,11,9,10.5,10.4,1000",
        "2024-06-07,10,11,9,10.5,10.4,1000",
        "2024-06-08,10,11,9,10.5,10.4,1000",
        "2099-01-01,10,11,9,10.5,10.4,1000",
        "2024-01-02,,11,9,10.5,10.4,1000",
        "2024-01-02,10,abc,9,10.5,10.4,1000",
        "2024-01-02,10,11,NaN,10.5,10.4,1000",
        "2024-01-02,10,11,9,Infinity,10.4,1000",
        "2024-01-02,10,11,9,1e999,10.4,1000",
        "2024-01-02,10,11,9,\"1,0\",10.4,1000",
        "2024-01-02,10,11,9,\u00a010.5,10.4,1000",
        "2024-01-02,0,11,9,10.5,10.4,1000",
        "2024-01-02,10,-11,9,10.5,10.4,1000",
        "2024-01-02,10,11,9,-0.0,10.4,1000",
        "2024-01-02,1e308,1e308,1e308,1e308,1e308,1000",
        "2024-01-02,10,1000000000.5,9,10.5,10.4,1000",
        "2024-01-02,10,11,0.0000001,10.5,10.4,1000",
        "2024-01-02,10,1000000000,0.000001,10.5,10.4,1000",
        "2024-01-02,10,9,11,10.5,10.4,1000",
        "2024-01-02,5,5,5,5,5,0",
        "2024-01-02,12,11,9,8,10.4,1000",
        "2024-01-02,10,11,9,10.5,10.4,-1",
        "2024-01-02,10,11,9,10.5,10.4,many",
        "2024-01-02,10,11,9,10.5,10.4,\"1,000\"",
        "2024-01-02,10,11,9,10.5,10.4,12.5",
        "2024-01-02,10,11,9,10.5,10.4,9223372036854775807",
        "2024-01-02,10,11,9,10.5,10.4,9007199254740992",
        "2024-01-02,10,11,9,10.5,10.4,9007199254740991",
        "2024-01-02,10,11,9,10.5,10.4,1e30",
        "2024-01-02,10,11,9,10.5,n/a,1000",
        "2024-01-02,10,11,9,10.5,0,1000",
        "2024-01-02,10,11,9,10.5,1e10,1000",
        "2024-01-02,10,11,9,10.5",
        "2024-01-02",
        "2024-01-02,10,11,9,10.5,10.4,1000,7",
        "2024-01-02,10,11,9,10.5,10.4,1000,",
        "bad,,,,,,",
        "2024-01-02,null,null,null,null,null,null",
    ];

    [Fact]
    public async Task The_validator_and_the_transform_sql_accept_the_same_rows_and_give_the_same_reasons()
    {
        using var lake = new TestLake();
        var symbols = Corpus.Select((_, i) => "S" + i.ToString("D3", CultureInfo.InvariantCulture)).ToArray();
        for (var i = 0; i < Corpus.Length; i++)
        {
            lake.WriteRaw(symbols[i], symbols[i] + "_2024.csv", Corpus[i]);
        }

        var result = await TransformJob.RunAsync(lake.Root, new TransformOptions { Clock = new FixedClock(Now), ExcludedSampleLimit = 1000 });
        var curated = CuratedReader.Read(lake.Root).ToDictionary(r => r.Symbol);
        var excluded = result.ExcludedSamples.ToDictionary(r => r.Symbol);

        var validator = PriceRowValidator.At(new FixedClock(Now));
        var outcomes = new List<string>();
        for (var i = 0; i < Corpus.Length; i++)
        {
            var row = Assert.Single(PriceCsvReader.ReadString(TestLake.Header + "\n" + Corpus[i] + "\n", "corpus.csv"));
            var checkedRow = validator.Check(row);
            var csharp = checkedRow.IsValid ? Describe(checkedRow.Bar) : "rejected: " + checkedRow.Rejection!.Reason;
            var sql = curated.TryGetValue(symbols[i], out var kept) ? Describe(kept)
                : excluded.TryGetValue(symbols[i], out var rejected) ? "rejected: " + rejected.Reason
                : "missing from both the table and the excluded rows";
            Assert.True(csharp == sql, $"record {i} '{Corpus[i]}': C# {csharp}, SQL {sql}");
            outcomes.Add(csharp);
        }

        // The corpus exercises every rule, and accepts some rows.
        Assert.Contains(outcomes, o => !o.StartsWith("rejected", StringComparison.Ordinal));
        foreach (var reason in new[]
                 {
                     PriceRules.DateInvalid, PriceRules.DateOutOfRange, PriceRules.HighBelowLow, PriceRules.VolumeNonNumeric,
                     PriceRules.VolumeNegative, PriceRules.VolumeNotWhole, PriceRules.VolumeOutOfRange, PriceRules.AdjCloseNonNumeric,
                     PriceRules.AdjCloseNotPositive, PriceRules.AdjCloseOutOfRange, PriceRules.PriceMissing("open"),
                     PriceRules.PriceNotPositive("open"), PriceRules.PriceOutOfRange("open"), PriceRules.WrongFieldCount(8),
                 })
        {
            Assert.Contains("rejected: " + reason, outcomes);
        }
    }

    [Fact]
    public void Every_reason_the_sql_spells_is_one_the_rules_define_and_every_placeholder_is_rendered()
    {
        var sql = SqlLibrary.GetTransform("clean_prices");
        var spelled = Regex.Matches(sql, @"THEN '([^']+)'").Select(m => m.Groups[1].Value).ToHashSet();
        string[] columns = ["open", "high", "low", "close"];
        var defined = new HashSet<string>(
        [
            PriceRules.DateInvalid, PriceRules.DateOutOfRange, PriceRules.HighBelowLow, PriceRules.VolumeNonNumeric,
            PriceRules.VolumeNegative, PriceRules.VolumeNotWhole, PriceRules.VolumeOutOfRange, PriceRules.AdjCloseNonNumeric,
            PriceRules.AdjCloseNotPositive, PriceRules.AdjCloseOutOfRange, "symbol partition missing",
            .. columns.Select(PriceRules.PriceMissing), .. columns.Select(PriceRules.PriceNotPositive), .. columns.Select(PriceRules.PriceOutOfRange),
        ]);
        Assert.Equal(defined.Order(StringComparer.Ordinal), spelled.Order(StringComparer.Ordinal));

        var rendered = CleanPricesSql.Render(new DateOnly(2024, 6, 7));
        Assert.DoesNotContain("${", rendered, StringComparison.Ordinal);
        Assert.Contains("DATE '2024-06-07'", rendered, StringComparison.Ordinal);
        Assert.Contains("DATE '1900-01-01'", rendered, StringComparison.Ordinal);
        Assert.Contains("9007199254740991", rendered, StringComparison.Ordinal);
    }

    private static string Describe(DailyBar bar) => string.Create(CultureInfo.InvariantCulture,
        $"{bar.Date:yyyy-MM-dd} {bar.Open:R} {bar.High:R} {bar.Low:R} {bar.Close:R} {bar.EffectiveAdjClose:R} {bar.Volume}");

    private static string Describe(MetricsRow row) => string.Create(CultureInfo.InvariantCulture,
        $"{row.TradeDate:yyyy-MM-dd} {row.Open:R} {row.High:R} {row.Low:R} {row.Close:R} {row.AdjClose:R} {row.Volume}");

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
