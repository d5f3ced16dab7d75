using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using StockFlow.GlueAthena.Local.Sandbox;

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
        string? published0 = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--data-dir": dataDir = args[++i]; break;
                case "--reps": reps = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--published": published0 = args[++i]; break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'. Options: --data-dir DIR --reps N --published DIR (a published CLI)");
            }
        }

        var cli = Path.Combine(BenchRun.RepoRoot(), "src", "Local", "StockFlow.Cli", "bin", "Release", "net10.0", "stockflow.dll");
        if (!File.Exists(cli))
        {
            throw new InvalidOperationException($"Build the CLI first (dotnet build -c Release src/Local/StockFlow.Cli): {cli} is missing.");
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

        // Whole processes, interleaved rep by rep so a change in the machine's load hits every variant alike:
        // the CLI as built (JIT), the CLI published for this machine (ReadyToRun), and the same-run baselines:
        // a plain DuckDB.NET process opening DuckDB for SELECT 1 (and over one curated Parquet file of the same lake),
        // and `stockflow --help` (.NET start-up of the CLI alone).
        var published = published0 ?? Publish(dataDir);
        var parquet = Directory.GetFiles(Path.Combine(bucket, "curated"), "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        var self = typeof(QuerySandboxBench).Assembly.Location;
        (string Name, string Dll, string[] Args)[] processes =
        [
            ("stockflow query \"SELECT 1\" (as built, JIT)", cli, ["query", "SELECT 1", "--data-dir", dataDir, "--format", "csv"]),
            ("stockflow query \"SELECT 1\" (published -r linux-x64, ReadyToRun)", Path.Combine(published, "stockflow.dll"), ["query", "SELECT 1", "--data-dir", dataDir, "--format", "csv"]),
            ("stockflow query, daily_metrics one symbol last 5 days (published)", Path.Combine(published, "stockflow.dll"), ["query", Queries[1].Sql, "--data-dir", dataDir, "--format", "csv"]),
            ("baseline: DuckDB.NET process, SELECT 1", self, ["duckdb-baseline"]),
            ("baseline: DuckDB.NET process, SELECT 1 FROM one curated Parquet file", self, ["duckdb-baseline", parquet]),
            ("baseline: stockflow --help (published)", Path.Combine(published, "stockflow.dll"), ["--help"]),
        ];
        var wall = processes.Select(_ => new double[reps]).ToArray();
        var cpu = processes.Select(_ => new double[reps]).ToArray();
        foreach (var (_, dll, arguments) in processes)
        {
            RunCli(dll, arguments); // warm-up: the OS file cache
        }

        for (var r = 0; r < reps; r++)
        {
            for (var p = 0; p < processes.Length; p++)
            {
                (wall[p][r], cpu[p][r]) = RunCli(processes[p].Dll, processes[p].Args);
            }
        }

        for (var p = 0; p < processes.Length; p++)
        {
            rows.Add((processes[p].Name, wall[p], $"whole process; CPU (user + sys) median {Median(cpu[p]):F3} s, min {cpu[p].Min():F3} s"));
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

    /// <summary>The CLI published for this machine (ReadyToRun), next to the lake.</summary>
    private static string Publish(string dataDir)
    {
        var output = Path.Combine(dataDir, "published-cli");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "publish", Path.Combine(BenchRun.RepoRoot(), "src", "Local", "StockFlow.Cli", "StockFlow.Cli.csproj"), "-c", "Release", "-r", "linux-x64", "--self-contained", "false", "-o", output, "-m:1" })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish of the CLI failed: {stdout.Result}{stderr.Result}");
        }

        return output;
    }

    /// <summary>The same-run baseline process: DuckDB.NET alone, an in-memory database, SELECT 1 (over a Parquet file when given).</summary>
    public static int Baseline(IReadOnlyList<string> args)
    {
        using var connection = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = args.Count == 0 ? "SELECT 1" : $"SELECT 1 FROM read_parquet('{args[0].Replace("'", "''", StringComparison.Ordinal)}') LIMIT 1";
        Console.WriteLine(command.ExecuteScalar());
        return 0;
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
