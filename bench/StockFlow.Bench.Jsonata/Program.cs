using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using StockFlow.Asl.Expressions;
using StockFlow.Jsonata;

// Usage: dotnet run -c Release --project bench/StockFlow.Bench.Jsonata [-- --repetitions N --out bench/results]
//
// The per-item payload work of a Map over 10,000 items: the JSONPath state builds its Parameters from a payload
// template; the JSONata state evaluates its Arguments expression with $states bound. Both convert from and to the
// interpreter's JsonNode values, as a state would.
const int Items = 10_000;
var repetitions = ArgValue("--repetitions") is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : 7;
var outDir = ArgValue("--out") ?? Path.Combine(FindRepoRoot(), "bench", "results");
Directory.CreateDirectory(outDir);

var items = Enumerable.Range(0, Items)
    .Select(i => (JsonNode)new JsonObject { ["v"] = i, ["k"] = i % 7, ["name"] = "item-" + i.ToString(CultureInfo.InvariantCulture), ["price"] = i * 0.25 })
    .ToArray();
var context = new JsonObject { ["Execution"] = new JsonObject { ["Id"] = "arn:aws:states:local:execution:bench:1" } };

var template = JsonNode.Parse("""{"v.$":"$.v","k.$":"$.k","label.$":"States.Format('{}-{}', $.name, $.k)","total.$":"$.price","tag":"x"}""");
var arguments = JsonataExpression.Compile("""{"v": $states.input.v, "k": $states.input.k, "label": $states.input.name & "-" & $states.input.k, "total": $states.input.price, "tag": "x"}""");

object? RunJsonPath()
{
    var output = new JsonArray();
    foreach (var item in items)
    {
        output.Add(PayloadTemplate.Evaluate(template, new PayloadScope(item, context)));
    }

    return output;
}

object? RunJsonata()
{
    var output = new JsonArray();
    var contextValue = JsonText.FromNode(context);
    foreach (var item in items)
    {
        var states = new JObject { ["input"] = JsonText.FromNode(item), ["context"] = contextValue };
        var bindings = new Dictionary<string, object?> { ["states"] = states };
        output.Add(JsonText.ToNode(arguments.Evaluate(null, bindings)));
    }

    return output;
}

// Same answers before timing anything.
var a = (JsonArray)RunJsonPath()!;
var b = (JsonArray)RunJsonata()!;
for (var i = 0; i < Items; i++)
{
    if (!JsonNode.DeepEquals(a[i], b[i]))
    {
        throw new InvalidOperationException($"item {i}: JSONPath {a[i]!.ToJsonString()} vs JSONata {b[i]!.ToJsonString()}");
    }
}

var jsonPath = Time("JSONPath Parameters (payload template), 10,000 items", RunJsonPath);
var jsonata = Time("JSONata Arguments expression, 10,000 items", RunJsonata);
var ratio = jsonata / jsonPath;
Console.WriteLine($"JSONata / JSONPath: {ratio:F2} (target <= 2)");

var json = new JsonObject
{
    ["machine"] = new JsonObject { ["processors"] = Environment.ProcessorCount, ["os"] = Environment.OSVersion.ToString(), ["runtime"] = Environment.Version.ToString() },
    ["repetitions"] = repetitions,
    ["items"] = Items,
    ["jsonPathMedianSeconds"] = jsonPath,
    ["jsonataMedianSeconds"] = jsonata,
    ["ratio"] = Math.Round(ratio, 2),
    ["target"] = 2,
    ["meetsTarget"] = ratio <= 2,
};
File.WriteAllText(Path.Combine(outDir, "jsonata.json"), json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
var md = new StringBuilder()
    .AppendLine("# JSONata vs JSONPath payload work per Map item")
    .AppendLine()
    .AppendLine(CultureInfo.InvariantCulture, $"{Items:N0} items, median of {repetitions} runs, {Environment.ProcessorCount} processors, .NET {Environment.Version}.")
    .AppendLine("JSONPath: the state's `Parameters` template (`$.v`, `$.k`, `States.Format`, `$.price`, a literal).")
    .AppendLine("JSONata: the same fields as one `Arguments` expression over `$states.input`, including the JsonNode conversions a state does.")
    .AppendLine("This times the expression layer; the Map state itself (scheduling, history) is the same for both languages.")
    .AppendLine()
    .AppendLine("| variant | median s | per item µs |")
    .AppendLine("|---|---|---|")
    .AppendLine(CultureInfo.InvariantCulture, $"| JSONPath | {jsonPath:F4} | {jsonPath / Items * 1e6:F2} |")
    .AppendLine(CultureInfo.InvariantCulture, $"| JSONata | {jsonata:F4} | {jsonata / Items * 1e6:F2} |")
    .AppendLine()
    .AppendLine(CultureInfo.InvariantCulture, $"JSONata / JSONPath = **{ratio:F2}** (target ≤ 2: {(ratio <= 2 ? "met" : "not met")}).");
File.WriteAllText(Path.Combine(outDir, "jsonata.md"), md.ToString());
return 0;

double Time(string name, Func<object?> run)
{
    for (var i = 0; i < 3; i++)
    {
        run();
    }

    var seconds = new List<double>();
    for (var i = 0; i < repetitions; i++)
    {
        var sw = Stopwatch.StartNew();
        run();
        seconds.Add(sw.Elapsed.TotalSeconds);
    }

    seconds.Sort();
    var median = seconds[seconds.Count / 2];
    Console.WriteLine($"{name}: median {median:F4} s (min {seconds[0]:F4}, max {seconds[^1]:F4})");
    return median;
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
    {
        dir = dir.Parent;
    }

    return dir?.FullName ?? Directory.GetCurrentDirectory();
}
