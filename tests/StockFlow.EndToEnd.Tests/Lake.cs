using System.Globalization;
using StockFlow.GlueAthena.Local.Results;
using StockFlow.GlueAthena.Local.Sandbox;
using StockFlow.Core.Csv;
using StockFlow.Core.Prices;
using StockFlow.Csv;
using StockFlow.Runtime.Local;
using StockFlow.Testing;

namespace StockFlow.EndToEnd.Tests;

/// <summary>Reads what a run left in a data directory, independently of the code that wrote it.</summary>
public static class Lake
{
    public static async Task<ResultSet> QueryAsync(DataDirectory directory, string sql) =>
        await new QueryService(directory.BucketRoot, directory.CatalogDirectory).ExecuteAsync(sql);

    /// <summary>Every raw price row of the lake, in key order (what the transform reads).</summary>
    public static List<PriceInput> RawPrices(DataDirectory directory)
    {
        var root = Path.Combine(directory.BucketRoot, "raw", "prices");
        var rows = new List<PriceInput>();
        foreach (var file in Directory.EnumerateFiles(root, "*.csv", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var symbol = Path.GetFileName(Path.GetDirectoryName(file)!)["symbol=".Length..];
            using var reader = new StreamReader(file);
            foreach (var row in PriceCsvReader.Read(reader, file))
            {
                var validation = PriceRowValidator.Validate(row);
                Assert.True(validation.IsValid, $"raw file row {row.Source} is invalid: {validation.Rejection?.Reason}");
                var bar = validation.Bar!;
                rows.Add(new PriceInput(symbol, bar.Date, bar.Open, bar.High, bar.Low, bar.Close, bar.AdjClose, bar.Volume));
            }
        }

        return rows;
    }

    /// <summary>Parses `stockflow query --format csv` output of daily_metrics into rows.</summary>
    public static List<Dictionary<string, string>> ParseCsv(string csv)
    {
        using var reader = new StringReader(csv);
        var records = CsvReader.ReadRecords(reader).ToList();
        var header = records[0].Fields;
        return records.Skip(1)
            .Select(r => header.Select((name, i) => (name, value: r.Fields[i])).ToDictionary(p => p.name, p => p.value))
            .ToList();
    }

    /// <summary>Asserts the daily_metrics rows equal the reference: relative tolerance 1e-9, NULLs exactly.</summary>
    public static void AssertMatchesReference(IReadOnlyList<MetricsRow> expected, IReadOnlyList<Dictionary<string, string>> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var e = expected[i];
            var a = actual[i];
            var where = $"{e.Symbol} {e.TradeDate:yyyy-MM-dd}";
            Assert.Equal(e.Symbol, a["symbol"]);
            Assert.Equal(e.TradeDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), a["trade_date"]);
            Same(e.Open, a["open"], where + " open");
            Same(e.High, a["high"], where + " high");
            Same(e.Low, a["low"], where + " low");
            Same(e.Close, a["close"], where + " close");
            Same(e.AdjClose, a["adj_close"], where + " adj_close");
            Assert.Equal(e.Volume.ToString(CultureInfo.InvariantCulture), a["volume"]);
            Same(e.DailyReturn, a["daily_return"], where + " daily_return");
            Same(e.LogReturn, a["log_return"], where + " log_return");
            Same(e.Ma20, a["ma_20"], where + " ma_20");
            Same(e.Ma50, a["ma_50"], where + " ma_50");
            Same(e.Ma200, a["ma_200"], where + " ma_200");
            Same(e.Volatility20, a["volatility_20"], where + " volatility_20");
            Same(e.CumulativeReturn, a["cumulative_return"], where + " cumulative_return");
            Same(e.Drawdown, a["drawdown"], where + " drawdown");
        }
    }

    private static void Same(double? expected, string actual, string what)
    {
        if (expected is null)
        {
            Assert.True(actual.Length == 0, $"{what}: expected NULL, got '{actual}'");
            return;
        }

        Assert.True(actual.Length > 0, $"{what}: expected {expected}, got NULL");
        var value = double.Parse(actual, CultureInfo.InvariantCulture);
        var scale = Math.Max(Math.Abs(expected.Value), Math.Abs(value));
        Assert.True(Math.Abs(value - expected.Value) <= 1e-9 * scale || Math.Abs(value - expected.Value) < 1e-15,
            $"{what}: expected {expected.Value:R}, got {value:R}");
    }
}
