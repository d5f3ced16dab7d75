using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;
using StockFlow.Cli.Hosting;
using StockFlow.Core.Symbols;
using StockFlow.Runtime.Local;
using StockFlow.Providers;

namespace StockFlow.Cli.Commands;

/// <summary><c>stockflow run</c>: one local execution of statemachine/pipeline.asl.json.</summary>
internal sealed class RunCommand
{
    private readonly Option<string?> _symbols = new("--symbols") { Description = "Comma-separated symbols, e.g. AAPL,MSFT,BRK-B, or @FILE with one symbol per line (default: the provider's default list). Long lists travel as a list in the lake (symbolsKey)." };
    private readonly Option<string?> _from = new("--from") { Description = "First trading date to ingest and analyse, yyyy-MM-dd (an explicit range is a backfill)." };
    private readonly Option<string?> _to = new("--to") { Description = "Last trading date, yyyy-MM-dd (default: the last completed weekday)." };
    private readonly Option<string> _provider = new("--provider")
    {
        Description = $"Where prices come from: {PriceProviders.Listed} ({PriceProviders.Sample}: synthetic, offline).",
        DefaultValueFactory = _ => PriceProviders.Sample,
    };

    private readonly Option<string?> _source = new("--source") { Description = "With --provider csv: a folder of <SYMBOL>.csv files in Yahoo download format, copied to the lake's landing/ prefix." };
    private readonly Option<string?> _definition = new("--definition") { Description = "State-machine definition to run (default: the pipeline.asl.json shipped with StockFlow)." };
    private readonly Option<double> _waitScale = CommonOptions.WaitScale();
    private readonly Option<string?> _config = new("--config") { Description = "JSON configuration file with a Providers section (base URLs, API keys, rate limits); default: $STOCKFLOW_CONFIG or ./stockflow.json if present." };
    private readonly Option<string?> _dataDir = CommonOptions.DataDir();

    public static Command Create() => new RunCommand().Build();

    internal static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    private Command Build()
    {
        _provider.AcceptOnlyFromAmong([.. PriceProviders.Names]);
        var command = new Command("run", "Run the pipeline once, locally and offline by default, and print a summary.")
        {
            _symbols, _from, _to, _provider, _source, _definition, _waitScale, _config, _dataDir,
        };
        CliAction.Set(command, ExecuteAsync);
        return command;
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CliConsole console, CancellationToken cancellationToken)
    {
        var provider = parse.GetValue(_provider)!;
        var sourceDir = parse.GetValue(_source);
        if (sourceDir is not null && provider != PriceProviders.Csv)
        {
            throw new CliUsageException("--source goes with --provider csv.");
        }

        var input = Input(parse, provider);
        // Everything the run needs is checked before anything is written.
        var definitionPath = parse.GetValue(_definition);
        if (definitionPath is not null)
        {
            DefinitionFile.Read(definitionPath, "--definition");
        }

        var settings = StockFlowConfiguration.Load(parse.GetValue(_config));
        var directory = new DataDirectory(parse.GetValue(_dataDir)).EnsureCreated();
        if (parse.GetValue(_symbols) is { } symbolList && !string.IsNullOrWhiteSpace(symbolList))
        {
            SymbolLists.AddTo(input, symbolList, directory);
        }

        if (provider == PriceProviders.Csv)
        {
            await ImportAsync(console, sourceDir, directory, cancellationToken).ConfigureAwait(false);
        }

        var progress = new ProgressPrinter(console);
        using var pipeline = LocalPipeline.Open(directory, new LocalPipelineOptions
        {
            DefinitionPath = definitionPath,
            WaitScale = parse.GetValue(_waitScale),
            ProviderOptions = settings.Providers,
            Plan = settings.Plan,
            DuckDbMemoryLimit = settings.DuckDbMemoryLimit,
        });
        var outcome = await pipeline.StartAsync(input, progress.OnEvent, cancellationToken).ConfigureAwait(false);
        RunSummary.Print(console, outcome, directory, progress.IngestResults);
        return outcome.Succeeded ? ExitCodes.Success : ExitCodes.Failure;
    }

    private JsonObject Input(ParseResult parse, string provider)
    {
        var input = new JsonObject { ["provider"] = provider };
        if (parse.GetValue(_from) is { } from)
        {
            input["from"] = from;
        }

        if (parse.GetValue(_to) is { } to)
        {
            input["to"] = to;
        }

        return input;
    }

    private static async Task ImportAsync(CliConsole console, string? sourceDir, DataDirectory directory, CancellationToken cancellationToken)
    {
        if (sourceDir is null)
        {
            console.Ansi.MarkupLine("[grey]--provider csv without --source: using the CSV files already in the lake's landing/ prefix.[/]");
            return;
        }

        var result = await LandingImport.ImportAsync(sourceDir, directory, cancellationToken).ConfigureAwait(false);
        var imported = result.Imported;
        var shown = imported.Count <= 10 ? string.Join(", ", imported) : string.Join(", ", imported.Take(10)) + $", … ({imported.Count - 10} more)";
        console.Ansi.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]Copied {imported.Count} CSV file(s) from {sourceDir} to landing/: {shown}[/]");
        if (result.Skipped.Count > 0)
        {
            console.Ansi.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[yellow]Skipped {result.Skipped.Count} file(s):[/]");
            foreach (var skipped in result.Skipped)
            {
                console.Ansi.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"  {SymbolValidator.Printable(skipped.FileName)}: {skipped.Reason}");
            }
        }
    }
}
