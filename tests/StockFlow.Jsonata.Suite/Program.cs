using System.Globalization;
using System.Text;
using StockFlow.Jsonata.Suite;

// Usage (run.sh wraps the first form):
//   stockflow-jsonata-suite --cli [path/to/stockflow] [--parallel N] [--out bench/results/jsonata-suite.md]
//       every case through `stockflow asl eval` (one process per case) and in-process; writes the report
//   stockflow-jsonata-suite --failures [--trace]
//       every case in-process; prints the failing ones as "<id> <why>" (the shape of known-failures.txt)
var suite = SuiteLoader.Load(ArgValue("--suite") ?? SuiteLoader.DefaultRoot);
var cases = suite.Cases;
var trace = args.Contains("--trace");
var inProcess = cases.Select(c =>
{
    if (trace)
    {
        Console.Error.WriteLine(c.Id);
    }

    return Judge.Check(c, InProcess.Run(c));
}).ToArray();

if (args.Contains("--failures"))
{
    for (var i = 0; i < cases.Count; i++)
    {
        if (inProcess[i] is { } why)
        {
            Console.WriteLine($"{cases[i].Id} {why.ReplaceLineEndings(" ")}");
        }
    }

    foreach (var (id, why) in suite.Skipped)
    {
        Console.Error.WriteLine($"skipped {id}: {why}");
    }

    Console.Error.WriteLine($"{cases.Count - inProcess.Count(f => f != null)} of {cases.Count} cases pass in-process ({suite.Skipped.Count} skipped)");
    return 0;
}

if (!args.Contains("--cli"))
{
    Console.Error.WriteLine("usage: --cli [path/to/stockflow] [--parallel N] [--out file.md] | --failures");
    return 2;
}

var stockflow = ArgValue("--cli") is { } path && !path.StartsWith("--", StringComparison.Ordinal) ? path : FindCli();
var parallel = ArgValue("--parallel") is { } p ? int.Parse(p, CultureInfo.InvariantCulture) : 2;
var outFile = ArgValue("--out") ?? Path.Combine(FindRepoRoot(), "bench", "results", "jsonata-suite.md");
var work = Directory.CreateTempSubdirectory("jsonata-suite-");
var throughCli = new string?[cases.Count];
var clock = System.Diagnostics.Stopwatch.StartNew();
try
{
    var runner = new ThroughCli(stockflow, work.FullName);
    await Parallel.ForAsync(0, cases.Count, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (i, _) =>
        throughCli[i] = Judge.Check(cases[i], await runner.RunAsync(cases[i], i).ConfigureAwait(false), checkToken: false));
}
finally
{
    work.Delete(recursive: true);
}

var seconds = clock.Elapsed.TotalSeconds;
var cliPassed = throughCli.Count(f => f == null);
File.WriteAllText(outFile, Report());
Console.WriteLine($"jsonata-suite: {cliPassed} of {cases.Count} cases pass through `stockflow asl eval` ({Percent(cliPassed)}), {cases.Count - inProcess.Count(f => f != null)} in-process; report: {outFile}");
return 0;

string Report()
{
    var passedInProcess = cases.Count - inProcess.Count(f => f != null);
    var text = new StringBuilder();
    text.AppendLine("# JSONata test suite through `stockflow asl eval`").AppendLine();
    text.AppendLine(CultureInfo.InvariantCulture, $"Written by `tests/StockFlow.Jsonata.Suite/run.sh` on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.");
    text.AppendLine("Every case of the JSONata language's own test suite held in `tests/StockFlow.Jsonata.Suite/test-suite/` (a partial copy")
        .AppendLine("of jsonata-js's `test/test-suite`, see the README there) run through the real command, one process per case:")
        .AppendLine("`stockflow asl eval --query-language jsonata --expression=<expr> [--input @file] [--bindings @file]`, judged as")
        .AppendLine("jsonata-js's harness judges (deep JSON equality, undefined, the error code; the CLI prints no token, so the")
        .AppendLine("few token checks are the in-process run's). The in-process column is the same cases through the engine directly")
        .AppendLine("(the xunit test `JsonataSuiteTests`).").AppendLine();
    text.AppendLine("| run | cases | passed | failed | pass rate |").AppendLine("|---|---:|---:|---:|---:|");
    text.AppendLine(CultureInfo.InvariantCulture, $"| `stockflow asl eval` ({seconds:F0} s, {parallel} processes at a time) | {cases.Count} | {cliPassed} | {cases.Count - cliPassed} | {Percent(cliPassed)} |");
    text.AppendLine(CultureInfo.InvariantCulture, $"| in-process | {cases.Count} | {passedInProcess} | {cases.Count - passedInProcess} | {Percent(passedInProcess)} |").AppendLine();
    text.AppendLine("## By group").AppendLine().AppendLine("| group | cases | passed (CLI) | passed (in-process) |").AppendLine("|---|---:|---:|---:|");
    foreach (var group in cases.Select((c, i) => (c.Group, i)).GroupBy(x => x.Group))
    {
        var indexes = group.Select(x => x.i).ToArray();
        text.AppendLine(CultureInfo.InvariantCulture, $"| {group.Key} | {indexes.Length} | {indexes.Count(i => throughCli[i] == null)} | {indexes.Count(i => inProcess[i] == null)} |");
    }

    text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"## Not run ({suite.Skipped.Count}: their input is not in the copy)").AppendLine();
    foreach (var (id, why) in suite.Skipped)
    {
        text.AppendLine(CultureInfo.InvariantCulture, $"- `{id}`: {why}");
    }

    text.AppendLine().AppendLine("## Failures through the CLI").AppendLine();
    for (var i = 0; i < cases.Count; i++)
    {
        if (throughCli[i] is { } why)
        {
            var note = inProcess[i] == null ? " (passes in-process)" : string.Empty;
            text.AppendLine(CultureInfo.InvariantCulture, $"- `{cases[i].Id}`{note}: {why.ReplaceLineEndings(" ").Replace("|", "\\|", StringComparison.Ordinal)}");
        }
    }

    return text.ToString();
}

string Percent(int passed) => cases.Count == 0 ? "-" : (100.0 * passed / cases.Count).ToString("F1", CultureInfo.InvariantCulture) + " %";

string? ArgValue(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static string FindRepoRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "StockFlow.sln")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("not inside the repository (no StockFlow.sln above " + AppContext.BaseDirectory + ")");
}

// The CLI as `dotnet build -c Release` leaves it, wherever its project folder is.
static string FindCli()
{
    var root = FindRepoRoot();
    var found = Directory.EnumerateFiles(Path.Combine(root, "src"), "stockflow", SearchOption.AllDirectories)
        .Where(f => f.Replace('\\', '/').Contains("/StockFlow.Cli/bin/Release/", StringComparison.Ordinal))
        .OrderByDescending(File.GetLastWriteTimeUtc)
        .FirstOrDefault();
    return found ?? throw new InvalidOperationException("no built stockflow under src/**/StockFlow.Cli/bin/Release: build it first (run.sh does)");
}
