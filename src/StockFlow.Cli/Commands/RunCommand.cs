using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;
using StockFlow.Runtime.Local;

namespace StockFlow.Cli.Commands;

/// <summary><c>stockflow run</c>: one local execution of statemachine/pipeline.asl.json.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var symbols = new Option<string?>("--symbols") { Description = "Comma-separated symbols, e.g. AAPL,MSFT,BRK-B, or @FILE with one symbol per line (default: the provider's default list). Long lists travel as a list in the lake (symbolsKey)." };
        var from = new Option<string?>("--from") { Description = "First trading date to ingest and analyse, yyyy-MM-dd (an explicit range is a backfill)." };
        var to = new Option<string?>("--to") { Description = "Last trading date, yyyy-MM-dd (default: the last completed weekday)." };
        var provider = new Option<string>("--provider")
        {
            Description = "Where prices come from: sample (synthetic, offline), yahoo, stooq or csv.",
            DefaultValueFactory = _ => "sample",
        };
        provider.AcceptOnlyFromAmong("sample", "yahoo", "stooq", "csv");
        var source = new Option<string?>("--source") { Description = "With --provider csv: a folder of <SYMBOL>.csv files in Yahoo download format, copied to the lake's landing/ prefix." };
        var definition = new Option<string?>("--definition") { Description = "State-machine definition to run (default: the pipeline.asl.json shipped with StockFlow)." };
        var waitScale = new Option<double>("--wait-scale")
        {
            Description = "Scale for Wait states and retry back-offs: 0 fast-forwards (default), 1 is real time.",
            DefaultValueFactory = _ => 0,
        };
        var config = new Option<string?>("--config") { Description = "JSON configuration file with a Providers section (base URLs, API keys, rate limits); default: $STOCKFLOW_CONFIG or ./stockflow.json if present." };
        var dataDir = CommonOptions.DataDir();
        var command = new Command("run", "Run the pipeline once, locally and offline by default, and print a summary.")
        {
            symbols, from, to, provider, source, definition, waitScale, config, dataDir,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var input = new JsonObject { ["provider"] = parse.GetValue(provider) };
            if (parse.GetValue(from) is { } fromValue)
            {
                input["from"] = fromValue;
            }

            if (parse.GetValue(to) is { } toValue)
            {
                input["to"] = toValue;
            }

            var directory = new DataDirectory(parse.GetValue(dataDir)).EnsureCreated();
            if (parse.GetValue(symbols) is { } symbolList && !string.IsNullOrWhiteSpace(symbolList))
            {
                SymbolLists.AddTo(input, symbolList, directory);
            }

            var sourceDir = parse.GetValue(source);
            if (sourceDir is not null && parse.GetValue(provider) != "csv")
            {
                return Fail("--source goes with --provider csv.");
            }

            if (parse.GetValue(provider) == "csv")
            {
                if (sourceDir is null)
                {
                    AnsiConsole.MarkupLine("[grey]--provider csv without --source: using the CSV files already in the lake's landing/ prefix.[/]");
                }
                else
                {
                    var imported = await LandingImport.ImportAsync(sourceDir, directory, cancellationToken);
                    var shown = imported.Count <= 10 ? string.Join(", ", imported) : string.Join(", ", imported.Take(10)) + $", … ({imported.Count - 10} more)";
                    AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]Copied {imported.Count} CSV file(s) from {sourceDir} to landing/: {shown}[/]");
                }
            }

            var settings = StockFlowConfiguration.Load(parse.GetValue(config));
            using var pipeline = LocalPipeline.Open(directory, new LocalPipelineOptions
            {
                DefinitionPath = parse.GetValue(definition),
                WaitScale = parse.GetValue(waitScale),
                ProviderOptions = settings.Providers,
                Plan = settings.Plan,
            });
            var progress = new ProgressPrinter();
            var outcome = await pipeline.StartAsync(input, progress.OnEvent, cancellationToken);
            RunSummary.Print(outcome, directory);
            return outcome.Succeeded ? 0 : 1;
        });
        return command;
    }

    internal static int Fail(string message)
    {
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]error:[/] {message}");
        return 2;
    }

    internal static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}
