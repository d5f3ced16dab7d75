using System.Globalization;
using System.Text;
using StockFlow.Core.Sample;
using StockFlow.Runtime.Local;
using StockFlow.Testing;

namespace StockFlow.EndToEnd.Tests;

/// <summary>
/// The acceptance path as a user runs it: `stockflow run --provider csv --source DIR`, then
/// `stockflow query ... --format csv`, values checked against the definitions.
/// </summary>
public sealed class CsvImportTests : IDisposable
{
    private readonly TestDataDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Csv_import_loads_good_rows_quarantines_bad_ones_and_computes_exact_metrics()
    {
        var source = _temp.Sub("source");
        var dataDir = Path.Combine(_temp.Path, "data");

        // Malformed rows of every cleaning rule, a duplicate (last wins), empty and null Adj Close, unsorted input.
        await File.WriteAllTextAsync(Path.Combine(source, "AAA.csv"), """
            Date,Open,High,Low,Close,Adj Close,Volume
            2024-01-03,10,11,9,10.5,10.4,1000
            2024-01-02,10,11,9,10,,900
            2024-01-04,10,11,9,10.8,null,1100
            2024-13-01,10,11,9,10,10,100
            2024-01-05,10,9,11,10,10,100
            2024-01-08,10,11,9,-1,10,100
            2024-01-09,10,11,9,11,11,-5
            2024-01-10,10,11,9,abc,11,5
            2024-01-11,,11,9,10,10,5
            2024-01-03,10,11,9,10.6,10.55,1200

            """.Replace("\n", "\r\n", StringComparison.Ordinal));

        // A longer, shuffled series so that every window (20, 50, 200) fills.
        var bars = SampleMarket.Generate("LONG", new DateOnly(2022, 1, 3), new DateOnly(2023, 3, 31));
        var shuffled = bars.OrderBy(b => StableOrder(b.Date)).ToList();
        var csv = new StringBuilder("Date,Open,High,Low,Close,Adj Close,Volume\n");
        foreach (var b in shuffled)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{b.Date:yyyy-MM-dd},{b.Open:R},{b.High:R},{b.Low:R},{b.Close:R},{b.AdjClose:R},{b.Volume}\n");
        }

        await File.WriteAllTextAsync(Path.Combine(source, "LONG.csv"), csv.ToString());

        var run = await CliProcess.RunAsync("run", "--provider", "csv", "--source", source, "--data-dir", dataDir);
        Assert.True(run.ExitCode == 0, run.StdOut + run.StdErr);
        Assert.Contains("Rejected rows", run.StdOut, StringComparison.Ordinal);
        Assert.Matches(@"Rejected rows\W+6\b", run.StdOut);

        var query = await CliProcess.RunAsync("query", "SELECT * FROM daily_metrics ORDER BY symbol, trade_date", "--format", "csv", "--data-dir", dataDir);
        Assert.True(query.ExitCode == 0, query.StdOut + query.StdErr);
        var actual = Lake.ParseCsv(query.StdOut);

        var expected = ReferenceMetrics.Compute(
        [
            new PriceInput("AAA", new DateOnly(2024, 1, 2), 10, 11, 9, 10, null, 900),
            new PriceInput("AAA", new DateOnly(2024, 1, 3), 10, 11, 9, 10.6, 10.55, 1200),
            new PriceInput("AAA", new DateOnly(2024, 1, 4), 10, 11, 9, 10.8, null, 1100),
            .. bars.Select(b => new PriceInput("LONG", b.Date, b.Open, b.High, b.Low, b.Close, b.AdjClose, b.Volume)),
        ]);
        Lake.AssertMatchesReference(expected, actual);
        Assert.Contains(actual, r => r["symbol"] == "LONG" && r["ma_200"].Length > 0);

        // Nothing silently dropped: every bad row is quarantined with its reason.
        var directory = new DataDirectory(dataDir);
        var rejectedFiles = Directory.GetFiles(Path.Combine(directory.BucketRoot, "raw", "rejected", "symbol=AAA"));
        var rejected = Lake.ParseCsv(await File.ReadAllTextAsync(Assert.Single(rejectedFiles)));
        Assert.Equal(6, rejected.Count);
        Assert.All(rejected, r => Assert.False(string.IsNullOrWhiteSpace(r["Reason"])));
        Assert.Contains(rejected, r => r["Reason"].Contains("high", StringComparison.OrdinalIgnoreCase));
    }

    private static int StableOrder(DateOnly date) => (date.DayNumber * 7919) % 1009;
}
