using System.Diagnostics;
using System.Globalization;
using System.Text;
using StockFlow.Core.Csv;
using StockFlow.Core.Prices;
using StockFlow.Core.Sample;

namespace StockFlow.Bench.Data;

/// <summary>What a generated data set holds.</summary>
public sealed record DataSetInfo(int Symbols, int Years, DateOnly From, DateOnly To, long Rows, long Bytes, TimeSpan Elapsed);

/// <summary>
/// Writes N symbols x Y years of Yahoo-format CSV with the project's sample generator: either the raw lake layout
/// (raw/prices/symbol=S/S_YYYY.csv, as ingest writes it) or one landing file per symbol (S.csv, for --provider csv).
/// </summary>
public static class DataSetGenerator
{
    /// <summary>Symbols named so they sort like their index and pass the symbol rules: B00000, B00001, ...</summary>
    public static IReadOnlyList<string> Symbols(int count) =>
        Enumerable.Range(0, count).Select(i => "B" + i.ToString("D5", CultureInfo.InvariantCulture)).ToArray();

    /// <summary>The last <paramref name="years"/> calendar years up to <paramref name="lastYear"/>.</summary>
    public static (DateOnly From, DateOnly To) Range(int years, int lastYear) =>
        (new DateOnly(lastYear - years + 1, 1, 1), new DateOnly(lastYear, 12, 31));

    public static DataSetInfo WriteRawLake(string lakeRoot, int symbols, int years, int lastYear, int? parallelism = null)
    {
        var (from, to) = Range(years, lastYear);
        return Write(symbols, years, from, to, parallelism, (symbol, bars) =>
        {
            long bytes = 0;
            var folder = Path.Combine(lakeRoot, "raw", "prices", "symbol=" + symbol);
            Directory.CreateDirectory(folder);
            foreach (var year in bars.GroupBy(b => b.Date.Year))
            {
                bytes += WriteCsv(Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{symbol}_{year.Key:D4}.csv")), year);
            }

            return bytes;
        });
    }

    public static DataSetInfo WriteLanding(string folder, int symbols, int years, int lastYear, int? parallelism = null)
    {
        var (from, to) = Range(years, lastYear);
        Directory.CreateDirectory(folder);
        return Write(symbols, years, from, to, parallelism, (symbol, bars) => WriteCsv(Path.Combine(folder, symbol + ".csv"), bars));
    }

    /// <summary>Appends the bars of <paramref name="day"/> to each symbol's raw file of that year (a daily ingest).</summary>
    public static long AppendDay(string lakeRoot, IReadOnlyList<string> symbols, DateOnly day)
    {
        long rows = 0;
        Parallel.ForEach(symbols, symbol =>
        {
            var bars = SampleMarket.Generate(symbol, day, day);
            if (bars.Count == 0)
            {
                return;
            }

            var path = Path.Combine(lakeRoot, "raw", "prices", "symbol=" + symbol, string.Create(CultureInfo.InvariantCulture, $"{symbol}_{day.Year:D4}.csv"));
            var exists = File.Exists(path);
            var body = PriceCsvWriter.WriteString(bars);
            // The ingest merge rewrites the year's file sorted by date; for a later day that is the old text plus one line.
            File.AppendAllText(path, exists ? body[(PriceCsvFormat.Header.Length + 1)..] : body);
            Interlocked.Add(ref rows, bars.Count);
        });
        return rows;
    }

    private static DataSetInfo Write(int symbols, int years, DateOnly from, DateOnly to, int? parallelism, Func<string, IReadOnlyList<DailyBar>, long> write)
    {
        var stopwatch = Stopwatch.StartNew();
        long rows = 0;
        long bytes = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = parallelism ?? Environment.ProcessorCount };
        Parallel.ForEach(Symbols(symbols), options, symbol =>
        {
            var bars = SampleMarket.Generate(symbol, from, to);
            Interlocked.Add(ref bytes, write(symbol, bars));
            Interlocked.Add(ref rows, bars.Count);
        });
        return new DataSetInfo(symbols, years, from, to, rows, bytes, stopwatch.Elapsed);
    }

    private static long WriteCsv(string path, IEnumerable<DailyBar> bars)
    {
        using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16))
        {
            PriceCsvWriter.Write(writer, bars);
        }

        return new FileInfo(path).Length;
    }
}
