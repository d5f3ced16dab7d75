using System.Diagnostics;
using System.Globalization;
using StockFlow.GlueAthena.Local.Catalog;
using StockFlow.GlueAthena.Local.Queries;
using StockFlow.GlueAthena.Local.Sql;

namespace StockFlow.Bench.Data;

/// <summary>
/// The data-stage benchmark: generate N symbols x Y years of Yahoo CSV, then time crawl, full transform, incremental
/// daily transform (checked against a full rebuild), every analysis query, the pandas baseline, optionally the whole
/// `stockflow run` and a large rebuild under a memory limit. Transforms run in child processes so each has its own
/// peak memory. Prints progress and returns the results for <see cref="ReportWriter"/>.
/// </summary>
public sealed class BenchRun(BenchOptions options)
{
    private readonly List<StageResult> results = [];
    private readonly Dictionary<string, string> facts = new(StringComparer.Ordinal);

    public IReadOnlyList<StageResult> Results => results;

    public IReadOnlyDictionary<string, string> Facts => facts;

    public async Task RunAsync()
    {
        var lake = Path.Combine(options.Work, "lake");
        Reset(options.Work);
        facts["load_average_start"] = MachineInfo.LoadAverage();

        var generated = DataSetGenerator.WriteRawLake(lake, options.Symbols, options.Years, options.LastYear);
        Add("generate raw CSV (sample generator)", [generated.Elapsed.TotalSeconds], null,
            $"{generated.Rows:N0} rows, {generated.Bytes / 1e6:F0} MB in {options.Symbols * options.Years:N0} files");
        facts["rows"] = generated.Rows.ToString(CultureInfo.InvariantCulture);

        await CrawlAsync(lake);
        var full = Transforms("transform: full rebuild", lake, "full");
        Pandas(lake, full);
        await IncrementalAsync(lake);
        await QueriesAsync(lake);
        if (options.Cli)
        {
            WholeRun();
        }

        if (options.LargeSymbols > 0)
        {
            Large();
        }

        facts["load_average_end"] = MachineInfo.LoadAverage();
    }

    private async Task CrawlAsync(string lake)
    {
        var catalog = Path.Combine(options.Work, "catalog");
        var seconds = new List<double>();
        for (var i = 0; i < options.Repetitions; i++)
        {
            Reset(catalog);
            var stopwatch = Stopwatch.StartNew();
            var crawl = await LocalCrawler.CrawlAsync(lake, catalog, [CrawlerTarget.RawPrices]);
            seconds.Add(stopwatch.Elapsed.TotalSeconds);
            if (!crawl.Succeeded)
            {
                throw new InvalidOperationException("Crawl failed: " + string.Join("; ", crawl.Errors));
            }
        }

        Add("crawl raw_prices", seconds, null, "in-process LocalCrawler, fresh catalog each time");
    }

    private StageResult Transforms(string name, string lake, string mode)
    {
        var seconds = new List<double>();
        long peak = 0;
        string notes = "";
        for (var i = 0; i < options.Repetitions; i++)
        {
            var (report, result) = TransformChild(lake, mode);
            seconds.Add(report["seconds"]!.GetValue<double>());
            peak = Math.Max(peak, result.PeakKb ?? 0);
            notes = $"{report["rows_written"]} rows; cpu {report["cpu_seconds"]!.GetValue<double>():F1} s; steps {Steps(report)}";
        }

        return Add(name, seconds, peak, notes);
    }

    private async Task IncrementalAsync(string lake)
    {
        var snapshot = Path.Combine(options.Work, "incremental-snapshot.parquet");
        var seconds = new List<double>();
        long peak = 0;
        var notes = "";
        var day = new DateOnly(options.LastYear + 1, 1, 1);
        for (var i = 0; i < options.Repetitions; i++)
        {
            day = NextWeekday(day);
            DataSetGenerator.AppendDay(lake, DataSetGenerator.Symbols(options.Symbols), day);
            var (report, result) = TransformChild(lake, "incremental");
            seconds.Add(report["seconds"]!.GetValue<double>());
            peak = Math.Max(peak, result.PeakKb ?? 0);
            notes = $"{report["rows_written"]} new rows, {report["symbols_appended"]} symbols appended, {report["symbols_rebuilt"]} rebuilt, " +
                    $"{report["symbols_compacted"]} compacted; steps {Steps(report)}";
            day = day.AddDays(1);
        }

        await CrawlCuratedAsync(lake);
        RebuildComparison.Snapshot(lake, snapshot);
        TransformChild(lake, "full");
        var (missing, different, largest) = RebuildComparison.Compare(snapshot, lake);
        File.Delete(snapshot);
        var same = missing == 0 && different == 0;
        facts["incremental_equals_rebuild"] = same ? "yes" : "NO";
        Add("transform: incremental (one new day, all symbols)", seconds, peak,
            notes + $"; vs full rebuild: {(same ? "identical" : $"{missing} rows missing, {different} differ")} (largest difference {largest:E1})");
    }

    /// <summary>The pipeline's Glue job updates the catalog after every transform: with the small incremental files too.</summary>
    private async Task CrawlCuratedAsync(string lake)
    {
        var catalog = Path.Combine(options.Work, "catalog");
        var files = Directory.EnumerateFiles(Path.Combine(lake, "curated", "daily_metrics"), "*.parquet", SearchOption.AllDirectories).Count();
        var stopwatch = Stopwatch.StartNew();
        var crawl = await LocalCrawler.CrawlAsync(lake, catalog, [CrawlerTarget.DailyMetrics]);
        if (!crawl.Succeeded)
        {
            throw new InvalidOperationException("Crawl failed: " + string.Join("; ", crawl.Errors));
        }

        Add("crawl daily_metrics after the incremental runs", [stopwatch.Elapsed.TotalSeconds], null, $"{files:N0} Parquet files");
    }

    private async Task QueriesAsync(string lake)
    {
        var parameters = new[] { $"'{options.LastYear - options.Years + 1}-01-01'", $"'{options.LastYear + 1}-12-31'" };
        foreach (var query in SqlLibrary.QueryNames)
        {
            var seconds = new List<double>();
            long rows = 0;
            for (var i = 0; i < options.Repetitions; i++)
            {
                var stopwatch = Stopwatch.StartNew();
                var info = await AnalysisQueryRunner.RunAsync(lake, query, parameters, Path.Combine(options.Work, "results", query + ".csv"));
                seconds.Add(stopwatch.Elapsed.TotalSeconds);
                rows = info.RowCount;
            }

            Add("query: " + query, seconds, null, $"{rows:N0} result rows written as CSV, whole period");
        }
    }

    private void Pandas(string lake, StageResult full)
    {
        var script = Path.Combine(RepoRoot(), "bench", "pandas", "transform.py");
        if (options.Python == "none" || !File.Exists(options.Python))
        {
            facts["pandas"] = $"not run ({options.Python} not found)";
            return;
        }

        var seconds = new List<double>();
        long peak = 0;
        var notes = "";
        var repetitions = Math.Min(options.Repetitions, 2);
        for (var i = 0; i < repetitions; i++)
        {
            var output = Path.Combine(options.Work, "pandas-out");
            Reset(output);
            var result = ChildProcess.Run(options.Python, [script, lake, output]);
            var report = result.ExitCode == 0 ? result.Json : null;
            if (report is null)
            {
                facts["pandas"] = $"failed (exit {result.ExitCode}): {result.Stderr.Trim().Split('\n').LastOrDefault()}";
                return;
            }

            seconds.Add(report["seconds"]!["total"]!.GetValue<double>());
            peak = Math.Max(peak, result.PeakKb ?? 0);
            var sameSum = Math.Abs(report["ma_200_sum"]!.GetValue<double>() - RebuildComparison.SumOfMa200(lake));
            notes = $"pandas {report["pandas"]}, {report["rows_written"]} rows, writer: {report["writer"]}; " +
                    $"read {report["seconds"]!["read"]!.GetValue<double>():F1} s, clean+dedupe {report["seconds"]!["clean_dedupe"]!.GetValue<double>():F1} s, " +
                    $"metrics {report["seconds"]!["metrics"]!.GetValue<double>():F1} s, write {report["seconds"]!["write"]!.GetValue<double>():F1} s; " +
                    $"sum(ma_200) differs from DuckDB's by {sameSum:E1}";
            Reset(output);
        }

        var pandas = Add("baseline: pandas transform", seconds, peak, notes);
        facts["pandas_over_duckdb"] = (pandas.Median / full.Median).ToString("F1", CultureInfo.InvariantCulture);
    }

    private void WholeRun()
    {
        var cli = Path.Combine(RepoRoot(), "src", "Local", "StockFlow.Cli", "bin", "Release", "net10.0", "stockflow.dll");
        if (!File.Exists(cli))
        {
            facts["stockflow_run"] = $"not run: build it first (dotnet build -c Release src/Local/StockFlow.Cli); {cli} is missing";
            return;
        }

        var landing = Path.Combine(options.Work, "landing");
        Reset(landing);
        var generated = DataSetGenerator.WriteLanding(landing, options.Symbols, options.Years, options.LastYear);
        var seconds = new List<double>();
        long peak = 0;
        var (from, to) = DataSetGenerator.Range(options.Years, options.LastYear);
        for (var i = 0; i < options.Repetitions; i++)
        {
            var dataDir = Path.Combine(options.Work, "stockflow-run");
            Reset(dataDir);
            var result = ChildProcess.Run("dotnet", [cli, "run", "--provider", "csv", "--source", landing,
                "--from", from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "--to", to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                "--data-dir", dataDir]);
            if (result.ExitCode != 0)
            {
                facts["stockflow_run"] = $"failed (exit {result.ExitCode}): {result.Stdout.Trim().Split('\n').TakeLast(3).LastOrDefault()}";
                return;
            }

            seconds.Add(result.WallSeconds);
            peak = Math.Max(peak, result.PeakKb ?? 0);
        }

        Add("stockflow run --provider csv (whole pipeline)", seconds, peak,
            $"{generated.Rows:N0} rows from {options.Symbols} landing CSVs: ingest, crawl, transform, crawl, 4 queries, report; process wall time incl. start-up");
    }

    private void Large()
    {
        var root = Path.Combine(options.Work, "large");
        Reset(root);
        var lake = Path.Combine(root, "lake");
        var generated = DataSetGenerator.WriteRawLake(lake, options.LargeSymbols, options.LargeYears, options.LastYear);
        Add($"generate large raw CSV ({options.LargeSymbols} x {options.LargeYears}y)", [generated.Elapsed.TotalSeconds], null,
            $"{generated.Rows:N0} rows, {generated.Bytes / 1e9:F1} GB");
        var spill = Path.Combine(root, "spill");
        var result = ChildProcess.RunSelf("child-transform", lake, "full", options.MemoryLimit, spill);
        var report = result.Json ?? throw new InvalidOperationException($"Large transform failed (exit {result.ExitCode}): {result.Stderr}");
        Add($"transform: full rebuild, large, memory_limit {options.MemoryLimit}", [report["seconds"]!.GetValue<double>()], result.PeakKb,
            $"{report["rows_written"]} rows; cpu {report["cpu_seconds"]!.GetValue<double>():F1} s; steps {Steps(report)}");
        Reset(root);
        Directory.Delete(root);
    }

    private static (System.Text.Json.Nodes.JsonObject Report, ChildResult Result) TransformChild(string lake, string mode)
    {
        var result = ChildProcess.RunSelf("child-transform", lake, mode);
        var report = result.ExitCode == 0 ? result.Json : null;
        return report is null
            ? throw new InvalidOperationException($"The {mode} transform failed (exit {result.ExitCode}): {result.Stderr}")
            : (report, result);
    }

    private static string Steps(System.Text.Json.Nodes.JsonObject report) =>
        string.Join(", ", report["stages"]!.AsObject().Select(s => $"{s.Key} {s.Value!.GetValue<double>():F2}"));

    private StageResult Add(string stage, IReadOnlyList<double> seconds, long? peakKb, string notes)
    {
        var result = new StageResult(stage, seconds, peakKb is 0 ? null : peakKb, notes);
        results.Add(result);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{stage,-55} median {result.Median,7:F2} s  [{string.Join(", ", seconds.Select(s => s.ToString("F2", CultureInfo.InvariantCulture)))}]  {(peakKb is > 0 ? $"peak {peakKb / 1024} MiB  " : "")}{notes}"));
        return result;
    }

    private static DateOnly NextWeekday(DateOnly day)
    {
        while (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            day = day.AddDays(1);
        }

        return day;
    }

    private static void Reset(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
    }

    public static string RepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "StockFlow.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Run the benchmark from the StockFlow repository (StockFlow.sln not found above the binary).");
    }
}
