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

// write-landing DIR SYMBOLS YEARS [LAST_YEAR]: landing CSVs for bench/market-scale/landing.sh
if (args.Length >= 4 && args[0] == "write-landing")
{
    var lastYear = args.Length > 4 ? int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : new BenchOptions().LastYear;
    var years = int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture);
    var written = DataSetGenerator.WriteLanding(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), years, lastYear);
    var (from, to) = DataSetGenerator.Range(years, lastYear);
    Console.WriteLine(System.FormattableString.Invariant($"{written.Rows} rows {written.Bytes} bytes {from:yyyy-MM-dd} {to:yyyy-MM-dd}"));
    return 0;
}

// The query-sandbox bench's same-run baseline: a process that only opens DuckDB.NET and runs SELECT 1.
if (args.Length > 0 && args[0] == "duckdb-baseline")
{
    return QuerySandboxBench.Baseline(args[1..]);
}

var options = BenchOptions.Parse(args);
var run = new BenchRun(options);
await run.RunAsync();
var (markdown, json) = ReportWriter.Write(Path.Combine(BenchRun.RepoRoot(), options.Output), options, run);
Console.WriteLine($"Results: {markdown} and {json}");
return 0;
