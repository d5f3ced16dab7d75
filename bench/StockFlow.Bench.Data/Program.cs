using StockFlow.Bench.Data;

// Data-stage benchmark of StockFlow (see README, "Performance: transform and analysis").
// dotnet run -c Release --project bench/StockFlow.Bench.Data -- [--symbols 500 --years 10 --reps 3 --cli --large]
if (args.Length > 0 && args[0] == "child-transform")
{
    return await ChildTransform.RunAsync(args[1..]);
}

// dotnet run -c Release --project bench/StockFlow.Bench.Data -- query-sandbox [--data-dir DIR --reps 5]
if (args.Length > 0 && args[0] == "query-sandbox")
{
    return await QuerySandboxBench.RunAsync(args[1..]);
}

var options = BenchOptions.Parse(args);
var run = new BenchRun(options);
await run.RunAsync();
var (markdown, json) = ReportWriter.Write(Path.Combine(BenchRun.RepoRoot(), options.Output), options, run);
Console.WriteLine($"Results: {markdown} and {json}");
return 0;
