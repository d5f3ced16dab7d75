using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using StockFlow.Analytics.Sandbox;

namespace StockFlow.Bench.Data;

/// <summary>
/// <c>query-sandbox</c>: how long <c>stockflow query</c> takes on a 500 symbols × 10 years lake (issue 15's target:
/// <c>SELECT 1</c> in at most 0.5 s), in-process (QueryService: DuckDB session, views, gate, query) and as the
/// whole <c>stockflow</c> process. The lake is made with <c>stockflow run --provider sample</c> when the folder has none.
/// </summary>
public static class QuerySandboxBench
{
    private static readonly (string Name, string Sql)[] Queries =
    [
        ("SELECT 1", "SELECT 1"),
        ("daily_metrics, one symbol, last 5 days", "SELECT * FROM daily_metrics WHERE symbol = 'SAAB' ORDER BY trade_date DESC LIMIT 5"),
        ("daily_metrics, count(*) over the whole table", "SELECT count(*) FROM daily_metrics"),
        ("raw_prices, count(*) over every raw CSV file", "SELECT count(*) FROM raw_prices"),
    ];

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "stockflow-bench-query");
        var reps = 5;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--data-dir": dataDir = args[++i]; break;
                case "--reps": reps = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'. Options: --data-dir DIR --reps N");
            }
        }

        var cli = Path.Combine(BenchRun.RepoRoot(), "src", "StockFlow.Cli", "bin", "Release", "net10.0", "stockflow.dll");
        if (!File.Exists(cli))
        {
            throw new InvalidOperationException($"Build the CLI first (dotnet build -c Release src/StockFlow.Cli): {cli} is missing.");
        }

        var loadStart = MachineInfo.LoadAverage();
        var lakeNote = EnsureLake(cli, dataDir);
        var bucket = Path.Combine(dataDir, "lake", "stockflow-lake");
        var catalog = Path.Combine(dataDir, "catalog");
        var service = new QueryService(bucket, catalog);
        var rows = new List<(string Stage, double[] Seconds, string Note)>();
        foreach (var (name, sql) in Queries)
        {
            await service.ExecuteAsync(sql); // warm-up: JIT and the OS file cache
            var times = new double[reps];
            long resultRows = 0;
            for (var r = 0; r < reps; r++)
            {
                var watch = Stopwatch.StartNew();
                resultRows = (await service.ExecuteAsync(sql)).Rows.Count;
                times[r] = watch.Elapsed.TotalSeconds;
            }

            rows.Add(($"in-process: {name}", times, $"{resultRows} row(s); new DuckDB session, views, gate and query each time"));
        }

        foreach (var (name, sql) in Queries.Take(2))
        {
            var times = new double[reps];
            var cpu = new double[reps];
            for (var r = 0; r < reps; r++)
            {
                (times[r], cpu[r]) = RunCli(cli, "query", sql, "--data-dir", dataDir, "--format", "csv");
            }

            rows.Add(($"stockflow query process: {name}", times, $"whole process incl. .NET start-up; cpu median {Median(cpu):F2} s"));
        }

        var facts = MachineInfo.Describe();
        facts["load_average_start"] = loadStart;
        facts["load_average_end"] = MachineInfo.LoadAverage();
        facts["lake"] = lakeNote;
        Write(rows, facts);
        return 0;
    }

    private static string EnsureLake(string cli, string dataDir)
    {
        var symbols = Enumerable.Range(0, 500).Select(i => "S" + (char)('A' + i / 676) + (char)('A' + i / 26 % 26) + (char)('A' + i % 26)).ToArray();
        if (!Directory.Exists(Path.Combine(dataDir, "catalog", "stockflow", "raw_prices")))
        {
            var from = DateTime.UtcNow.AddYears(-10).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var (seconds, _) = RunCli(cli, "run", "--provider", "sample", "--symbols", string.Join(',', symbols), "--from", from, "--data-dir", dataDir);
            Console.WriteLine($"lake built in {seconds:F1} s");
        }

        var raw = Directory.GetFiles(Path.Combine(dataDir, "lake", "stockflow-lake", "raw", "prices"), "*.csv", SearchOption.AllDirectories).Length;
        var curated = Directory.GetFiles(Path.Combine(dataDir, "lake", "stockflow-lake", "curated"), "*.parquet", SearchOption.AllDirectories).Length;
        return $"{symbols.Length} symbols x 10 years (stockflow run --provider sample): {raw:N0} raw CSV files, {curated:N0} curated Parquet files";
    }

    /// <summary>Runs the CLI under GNU time when it is there (user + system CPU of the process); wall time from here.</summary>
    private static (double Wall, double Cpu) RunCli(string cli, params string[] args)
    {
        const string gnuTime = "/usr/bin/time";
        var useTime = File.Exists(gnuTime);
        var info = new ProcessStartInfo(useTime ? gnuTime : "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (useTime)
        {
            foreach (var arg in new[] { "-f", "BENCH_CPU_S=%U %S", "dotnet" })
            {
                info.ArgumentList.Add(arg);
            }
        }

        info.ArgumentList.Add(cli);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        var wall = watch.Elapsed.TotalSeconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"stockflow {string.Join(' ', args.Take(2))} failed: {stdout.Result}{stderr.Result}");
        }

        var cpu = double.NaN;
        var line = stderr.Result.Split('\n').LastOrDefault(l => l.StartsWith("BENCH_CPU_S=", StringComparison.Ordinal));
        if (line is not null)
        {
            cpu = line["BENCH_CPU_S=".Length..].Split(' ').Sum(v => double.Parse(v, CultureInfo.InvariantCulture));
        }

        return (wall, cpu);
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static void Write(List<(string Stage, double[] Seconds, string Note)> rows, Dictionary<string, string> facts)
    {
        var results = Path.Combine(BenchRun.RepoRoot(), "bench", "results");
        var md = new StringBuilder()
            .AppendLine("# Query sandbox: `stockflow query` on 500 symbols x 10 years")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"{facts["date_utc"]} UTC; {facts["cpu"]}, {facts["cores"]} cores; {facts["dotnet"]}. {facts["lake"]}.")
            .AppendLine(CultureInfo.InvariantCulture, $"Load average at start {facts["load_average_start"]}, at end {facts["load_average_end"]}: the machine is shared, so wall times include waiting for a core.")
            .AppendLine()
            .AppendLine("| stage | median s | runs (s) | notes |")
            .AppendLine("|---|---:|---|---|");
        var json = new JsonObject { ["machine"] = JsonSerializer.SerializeToNode(facts) };
        var stages = new JsonArray();
        foreach (var (stage, seconds, note) in rows)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {stage} | {Median(seconds):F3} | {string.Join(", ", seconds.Select(s => s.ToString("F3", CultureInfo.InvariantCulture)))} | {note} |");
            stages.Add(new JsonObject { ["stage"] = stage, ["median_s"] = Median(seconds), ["runs_s"] = new JsonArray(seconds.Select(s => (JsonNode?)s).ToArray()), ["note"] = note });
        }

        json["stages"] = stages;
        File.WriteAllText(Path.Combine(results, "query-sandbox.md"), md.ToString());
        File.WriteAllText(Path.Combine(results, "query-sandbox.json"), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        Console.Write(md.ToString());
    }
}
