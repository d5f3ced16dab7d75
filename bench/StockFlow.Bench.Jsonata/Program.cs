using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using StockFlow.Asl;
using StockFlow.Asl.Execution;
using StockFlow.Asl.Model;

// Usage: dotnet run -c Release --project bench/StockFlow.Bench.Jsonata [-- --repetitions N --items N --out bench/results]
//
// A Map over 10,000 items run by the ASL interpreter, once written in JSONPath (the Task's Parameters template with
// paths and States.Format) and once in JSONata (the Task's Arguments with {% %} expressions over $states.input).
// The task binding echoes its parameters, so the time is the interpreter's: Map iterations, history events and the
// per-item payload work the two query languages differ in. The two variants alternate (A B B A ...) in one process
// so a noisy machine slows both alike; the report gives the median of each and the median of the per-pair ratios.
var items = ArgValue("--items") is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : 10_000;
var repetitions = ArgValue("--repetitions") is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : 10;
var outDir = ArgValue("--out") ?? Path.Combine(FindRepoRoot(), "bench", "results");
Directory.CreateDirectory(outDir);

var input = new JsonObject
{
    ["items"] = new JsonArray(Enumerable.Range(0, items)
        .Select(i => (JsonNode)new JsonObject { ["v"] = i, ["k"] = i % 7, ["name"] = "item-" + i.ToString(CultureInfo.InvariantCulture), ["price"] = i * 0.25 })
        .ToArray()),
};

var jsonPath = StateMachineDefinition.Parse("""
    {"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items",
      "ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
        "Parameters":{"v.$":"$.v","k.$":"$.k","label.$":"States.Format('{}-{}', $.name, $.k)","total.$":"$.price","tag":"x"},"End":true}}},
      "ResultSelector":{"count.$":"States.ArrayLength($)","last.$":"$[-1:]"},"End":true}}}
    """);
var jsonata = StateMachineDefinition.Parse("""
    {"QueryLanguage":"JSONata","StartAt":"M","States":{"M":{"Type":"Map","Items":"{% $states.input.items %}",
      "ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
        "Arguments":{"v":"{% $states.input.v %}","k":"{% $states.input.k %}","label":"{% $states.input.name & '-' & $states.input.k %}","total":"{% $states.input.price %}","tag":"x"},"End":true}}},
      "Output":{"count":"{% $count($states.result) %}","last":"{% [$states.result[-1]] %}"},"End":true}}}
    """);

var options = new ExecutionOptions
{
    TaskInvoker = new EchoInvoker(),
    WaitScale = 0,
    MaxHistoryEvents = int.MaxValue, // 10,000 iterations leave ~60,000 events; the bench is about time, not AWS's cap
};

async Task<(double Seconds, JsonNode? Output)> RunAsync(StateMachineDefinition definition)
{
    var sw = Stopwatch.StartNew();
    var result = await AslExecutor.RunAsync(definition, input, options);
    var seconds = sw.Elapsed.TotalSeconds;
    if (result.Status != ExecutionStatus.Succeeded)
        throw new InvalidOperationException($"the execution {result.Status}: {result.Error}: {result.Cause}");
    return (seconds, result.Output);
}

// Same answer from both before timing anything (also the warm-up).
var a = await RunAsync(jsonPath);
var b = await RunAsync(jsonata);
if (!JsonNode.DeepEquals(a.Output, b.Output))
    throw new InvalidOperationException($"JSONPath {a.Output?.ToJsonString()} vs JSONata {b.Output?.ToJsonString()}");
Console.WriteLine($"both give {a.Output?.ToJsonString()}");

var pathTimes = new List<double>();
var ataTimes = new List<double>();
var ratios = new List<double>();
for (var i = 0; i < repetitions; i++)
{
    // A B, then B A: neither variant always runs right after the other's garbage.
    double p, t;
    if (i % 2 == 0)
    {
        p = (await RunAsync(jsonPath)).Seconds;
        t = (await RunAsync(jsonata)).Seconds;
    }
    else
    {
        t = (await RunAsync(jsonata)).Seconds;
        p = (await RunAsync(jsonPath)).Seconds;
    }

    pathTimes.Add(p);
    ataTimes.Add(t);
    ratios.Add(t / p);
    Console.WriteLine($"pair {i + 1}: JSONPath {p:F3} s, JSONata {t:F3} s, ratio {t / p:F2}");
}

var pathMedian = Median(pathTimes);
var ataMedian = Median(ataTimes);
var ratioMedian = Median(ratios);
Console.WriteLine($"median JSONPath {pathMedian:F3} s, JSONata {ataMedian:F3} s; median per-pair ratio {ratioMedian:F2} (target <= 2)");

var json = new JsonObject
{
    ["machine"] = new JsonObject { ["processors"] = Environment.ProcessorCount, ["os"] = Environment.OSVersion.ToString(), ["runtime"] = Environment.Version.ToString() },
    ["items"] = items,
    ["pairs"] = repetitions,
    ["jsonPathSeconds"] = new JsonArray(pathTimes.Select(x => (JsonNode)Math.Round(x, 4)).ToArray()),
    ["jsonataSeconds"] = new JsonArray(ataTimes.Select(x => (JsonNode)Math.Round(x, 4)).ToArray()),
    ["jsonPathMedianSeconds"] = Math.Round(pathMedian, 4),
    ["jsonataMedianSeconds"] = Math.Round(ataMedian, 4),
    ["medianPairRatio"] = Math.Round(ratioMedian, 2),
    ["target"] = 2,
    ["meetsTarget"] = ratioMedian <= 2,
};
File.WriteAllText(Path.Combine(outDir, "jsonata.json"), json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
var md = new StringBuilder()
    .AppendLine("# JSONata vs JSONPath: a Map over 10,000 items through the interpreter")
    .AppendLine()
    .AppendLine(CultureInfo.InvariantCulture, $"`dotnet run -c Release --project bench/StockFlow.Bench.Jsonata`: {items:N0} items, {repetitions} A/B pairs alternating in one process (A B, B A, ...), {Environment.ProcessorCount} processors, .NET {Environment.Version}.")
    .AppendLine("Each run is one execution of an inline Map whose item processor is one Task; the task binding echoes its input,")
    .AppendLine("so the time is the interpreter's (iterations, history events, payload work).")
    .AppendLine()
    .AppendLine("- JSONPath: `ItemsPath`, the Task's `Parameters` (`$.v`, `$.k`, `States.Format('{}-{}', $.name, $.k)`, `$.price`, a literal), `ResultSelector`.")
    .AppendLine("- JSONata: `Items`, the Task's `Arguments` (the same fields as `{% %}` expressions over `$states.input`), `Output`.")
    .AppendLine()
    .AppendLine("| variant | median s | per item µs |")
    .AppendLine("|---|---|---|")
    .AppendLine(CultureInfo.InvariantCulture, $"| JSONPath | {pathMedian:F3} | {pathMedian / items * 1e6:F1} |")
    .AppendLine(CultureInfo.InvariantCulture, $"| JSONata | {ataMedian:F3} | {ataMedian / items * 1e6:F1} |")
    .AppendLine()
    .AppendLine(CultureInfo.InvariantCulture, $"Median of the per-pair ratios JSONata / JSONPath = **{ratioMedian:F2}** (target ≤ 2: {(ratioMedian <= 2 ? "met" : "not met")}).")
    .AppendLine()
    .AppendLine("| pair | JSONPath s | JSONata s | ratio |")
    .AppendLine("|---|---|---|---|");
for (var i = 0; i < repetitions; i++)
    md.AppendLine(CultureInfo.InvariantCulture, $"| {i + 1} | {pathTimes[i]:F3} | {ataTimes[i]:F3} | {ratios[i]:F2} |");
File.WriteAllText(Path.Combine(outDir, "jsonata.md"), md.ToString());
return 0;

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

string? ArgValue(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static string FindRepoRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir != null && !File.Exists(Path.Combine(dir.FullName, "StockFlow.sln")))
        dir = dir.Parent;
    return dir?.FullName ?? Directory.GetCurrentDirectory();
}

/// <summary>The task binding of both variants: returns what the state sent.</summary>
internal sealed class EchoInvoker : ITaskInvoker
{
    public Task<JsonNode?> InvokeAsync(TaskInvocation invocation, CancellationToken cancellationToken) => Task.FromResult(invocation.Parameters);
}
