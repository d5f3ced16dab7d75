using System.Globalization;
using StockFlow.Bench;

// Benchmarks that are not tests. `ingest`: 500 symbols through the real pipeline against a loopback stub.
if (args.Length == 0 || args[0] != "ingest")
{
    Console.Error.WriteLine("usage: StockFlow.Bench ingest [--symbols 500] [--latency-ms 50] [--rps 100] [--concurrency 8] [--definition FILE] [--results DIR]");
    return 2;
}

string Option(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

var settings = new IngestSettings(
    int.Parse(Option("--symbols", "500"), CultureInfo.InvariantCulture),
    TimeSpan.FromMilliseconds(double.Parse(Option("--latency-ms", "50"), CultureInfo.InvariantCulture)),
    double.Parse(Option("--rps", "100"), CultureInfo.InvariantCulture),
    int.Parse(Option("--concurrency", "8"), CultureInfo.InvariantCulture),
    Option("--definition", string.Empty) is { Length: > 0 } definition ? Path.GetFullPath(definition) : null);
var results = Option("--results", RepoPath("bench", "results"));
const double targetSeconds = 10;

var symbols = Enumerable.Range(1, settings.Symbols).Select(i => "SYM" + i.ToString("D4", CultureInfo.InvariantCulture)).ToList();
var mapConcurrency = IngestBenchmark.MapMaxConcurrency(settings.DefinitionPath);

// Warm-up (JIT, DuckDB, sockets) on a few symbols, not measured.
await IngestBenchmark.RunAsync("warm-up", settings, symbols.Take(10).ToList(), TimeSpan.Zero);

var main = await IngestBenchmark.RunAsync($"{settings.Latency.TotalMilliseconds} ms stub", settings, symbols, settings.Latency);
var baseline = await IngestBenchmark.RunAsync("baseline: 0 ms stub", settings, symbols, TimeSpan.Zero);

var effective = Math.Min(mapConcurrency, settings.ProviderConcurrency);
var passed = main.MapSeconds <= targetSeconds
    && main.Failed == 0 && main.Succeeded == settings.Symbols
    && main.MaxConcurrentObserved <= effective && baseline.MaxConcurrentObserved <= effective
    && main.MaxRequestsInAnySecond <= settings.RequestsPerSecond && baseline.MaxRequestsInAnySecond <= settings.RequestsPerSecond;
IngestReport.Write(results, settings, mapConcurrency, main, baseline, targetSeconds, passed);

foreach (var m in new[] { main, baseline })
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{m.Label}: Map {m.MapSeconds:0.00} s ({m.SymbolsPerSecond:0.0} symbols/s), execution {m.ExecutionSeconds:0.0} s, ok {m.Succeeded}, failed {m.Failed}, requests {m.Requests}, max in flight {m.MaxConcurrentObserved}/{effective}, max/s {m.MaxRequestsInAnySecond}/{settings.RequestsPerSecond}"));
}

Console.WriteLine($"{(passed ? "PASS" : "FAIL")}: results in {results}");
return passed ? 0 : 1;

static string RepoPath(params string[] parts)
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "StockFlow.sln")))
        {
            return Path.Combine([dir.FullName, .. parts]);
        }
    }

    return Path.Combine([Directory.GetCurrentDirectory(), .. parts]);
}
