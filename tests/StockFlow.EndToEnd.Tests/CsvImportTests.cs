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
        Assert.Matches(@"Rejected rows\W+7\b", run.StdOut);

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
        // Six rows break a rule; the first 2024-01-03 is replaced by the later one, and counted as such.
        Assert.Equal(7, rejected.Count);
        Assert.Contains(rejected, r => r["Reason"] == "duplicate date, replaced by a later row" && r["Date"] == "2024-01-03" && r["Close"] == "10.5");
        Assert.All(rejected, r => Assert.False(string.IsNullOrWhiteSpace(r["Reason"])));
        Assert.Contains(rejected, r => r["Reason"].Contains("high", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Every_imported_row_is_in_daily_metrics_or_quarantined_with_its_reason_and_a_correction_replaces_the_range()
    {
        var source = _temp.Sub("source");
        var dataDir = Path.Combine(_temp.Path, "data");
        var directory = new DataDirectory(dataDir);
        const string header = "Date,Open,High,Low,Close,Adj Close,Volume\n";
        var good = Enumerable.Range(0, 30).Select(i => new DateOnly(2024, 1, 1).AddDays(i))
            .Where(d => d.DayOfWeek is not DayOfWeek.Saturday and not DayOfWeek.Sunday)
            .Select(d => string.Create(CultureInfo.InvariantCulture, $"{d:yyyy-MM-dd},10,11,9,10.5,10.25,14805483\n"))
            .ToArray();
        string[] bad =
        [
            "2024-01-02,10,11,9,10.75,10.5,1000\n",           // a second 2024-01-02: the later one wins, the first is counted
            "1899-12-29,10,11,9,10,10,100\n",
            "2099-01-02,10,11,9,10,10,100\n",
            "2024-01-31,10,11,9,10,10,9223372036854775807\n",
            "2024-02-01,1e308,1e308,1e308,1e308,1e308,100\n",
            "2024-02-03,10,11,9,10,10,100\n",                 // a Saturday: accepted now, corrected away below
        ];
        await File.WriteAllTextAsync(Path.Combine(source, "AAA.csv"), header + string.Concat(good) + string.Concat(bad));
        var inputRows = good.Length + bad.Length;

        var run = await CliProcess.RunAsync("run", "--provider", "csv", "--source", source, "--data-dir", dataDir, "--from", "2024-01-01");
        Assert.True(run.ExitCode == 0, run.StdOut + run.StdErr);

        var metrics = await Lake.QueryAsync(directory, "SELECT count(*) FROM daily_metrics");
        var rejected = await Lake.QueryAsync(directory, "SELECT reason FROM rejected_rows ORDER BY reason");
        var kept = Convert.ToInt64(metrics.Rows[0][0], CultureInfo.InvariantCulture);
        Assert.Equal(inputRows, kept + rejected.Rows.Count);
        Assert.Equal(good.Length + 1, kept);
        Assert.Equal(
            ["date out of range", "date out of range", "duplicate date, replaced by a later row", "open out of range", "volume out of range"],
            rejected.Rows.Select(r => (string)r[0]!));
        Assert.Matches(@"Rejected rows\W+5\b", run.StdOut);

        // The volumes are whole (never half-read) and the Saturday is there, for now.
        const string volumes = "SELECT list(DISTINCT volume ORDER BY volume) FROM daily_metrics";
        Assert.Equal("[100, 1000, 14805483]", ValueText(await Lake.QueryAsync(directory, volumes)));

        // A raw file truncated in the lake (half a line at the end) is detected, re-fetched and never half-read.
        var rawFile = Path.Combine(directory.BucketRoot, "raw", "prices", "symbol=AAA", "AAA_2024.csv");
        var bytes = await File.ReadAllBytesAsync(rawFile);
        await File.WriteAllBytesAsync(rawFile, bytes[..(bytes.Length - 10)]);
        var repair = await CliProcess.RunAsync("run", "--provider", "csv", "--source", source, "--data-dir", dataDir);
        Assert.True(repair.ExitCode == 0, repair.StdOut + repair.StdErr);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(rawFile));
        Assert.Equal("[100, 1000, 14805483]", ValueText(await Lake.QueryAsync(directory, volumes)));

        // The corrected file no longer has the Saturday: re-importing the range removes it, and the table follows.
        await File.WriteAllTextAsync(Path.Combine(source, "AAA.csv"), header + string.Concat(good));
        var corrected = await CliProcess.RunAsync("run", "--provider", "csv", "--source", source, "--data-dir", dataDir, "--from", "2024-01-01");
        Assert.True(corrected.ExitCode == 0, corrected.StdOut + corrected.StdErr);
        var days = await Lake.QueryAsync(directory, "SELECT count(*), count(*) FILTER (WHERE dayofweek(trade_date) = 6) FROM daily_metrics");
        Assert.Equal(good.Length, Convert.ToInt64(days.Rows[0][0], CultureInfo.InvariantCulture));
        Assert.Equal(0L, Convert.ToInt64(days.Rows[0][1], CultureInfo.InvariantCulture));
    }

    // The sandbox returns a LIST as DuckDB prints it ("[1, 2]"); an older driver path gave a .NET list.
    private static string ValueText(StockFlow.GlueAthena.Local.Results.ResultSet result) => result.Rows[0][0] switch
    {
        string text => text,
        System.Collections.IEnumerable list => "[" + string.Join(", ", list.Cast<object>().Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))) + "]",
        var other => Convert.ToString(other, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    private static int StableOrder(DateOnly date) => (date.DayNumber * 7919) % 1009;
}
