using System.CommandLine;
using StockFlow.Cli.Hosting;
using StockFlow.Runtime.Local;

namespace StockFlow.Cli.Commands;

/// <summary><c>stockflow rerun &lt;id&gt;</c>: a new execution with the same (or edited) input and definition.</summary>
internal sealed class RerunCommand
{
    private readonly Argument<string> _id = new("id") { Description = "The execution whose input to run again." };
    private readonly Option<string?> _input = new("--input") { Description = "Edited input: JSON, or @file (at most 256 KiB)." };
    private readonly Option<double> _waitScale = CommonOptions.WaitScale();
    private readonly Option<string?> _dataDir = CommonOptions.DataDir();

    public static Command Create() => new RerunCommand().Build();

    private Command Build()
    {
        var command = new Command("rerun", "Start a new execution with the same (or edited) input and definition.") { _id, _input, _waitScale, _dataDir };
        CliAction.Set(command, ExecuteAsync);
        return command;
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CliConsole console, CancellationToken cancellationToken)
    {
        var directory = new DataDirectory(parse.GetValue(_dataDir));
        var id = parse.GetValue(_id)!;
        var edited = parse.GetValue(_input) is { } text ? JsonInput.Read(text, "--input") : null;
        using (var store = ExecutionCommands.OpenExisting(directory))
        {
            ExecutionCommands.Find(store, directory, id);
        }

        var progress = new ProgressPrinter(console);
        using var pipeline = LocalPipeline.Open(directory, new LocalPipelineOptions { WaitScale = parse.GetValue(_waitScale) });
        var outcome = await pipeline.RerunAsync(id, edited, progress.OnEvent, cancellationToken).ConfigureAwait(false);
        RunSummary.Print(console, outcome, directory, progress.IngestResults);
        return outcome.Succeeded ? ExitCodes.Success : ExitCodes.Failure;
    }
}
