using System.CommandLine;
using StockFlow.Cli.Hosting;
using StockFlow.Runtime.Local;
using StockFlow.Runtime.Local.Executions;

namespace StockFlow.Cli.Commands;

/// <summary><c>stockflow redrive &lt;id&gt;</c>: resume a failed execution from the state that failed.</summary>
internal sealed class RedriveCommand
{
    private readonly Argument<string> _id = new("id") { Description = "The failed (or interrupted) execution to resume." };
    private readonly Option<double> _waitScale = CommonOptions.WaitScale();
    private readonly Option<string?> _dataDir = CommonOptions.DataDir();

    public static Command Create() => new RedriveCommand().Build();

    private Command Build()
    {
        var command = new Command("redrive", "Resume a failed execution from the state that failed, keeping completed work.") { _id, _waitScale, _dataDir };
        CliAction.Set(command, ExecuteAsync);
        return command;
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CliConsole console, CancellationToken cancellationToken)
    {
        var directory = new DataDirectory(parse.GetValue(_dataDir));
        var id = parse.GetValue(_id)!;
        using (var store = ExecutionCommands.OpenExisting(directory))
        {
            var execution = ExecutionCommands.Find(store, directory, id);
            if (execution.Summary.Status is "SUCCEEDED" or "RUNNING")
            {
                throw new ExecutionNotRedrivableException(execution.Summary.Status == "RUNNING"
                    ? $"Execution {execution.Summary.Name} is still RUNNING: wait for it to end, or `stockflow stop {execution.Summary.Name}` first, then redrive."
                    : $"Execution {execution.Summary.Name} SUCCEEDED: there is nothing to redrive. `stockflow rerun {execution.Summary.Name}` runs it again.");
            }
        }

        var progress = new ProgressPrinter(console);
        using var pipeline = LocalPipeline.Open(directory, new LocalPipelineOptions { WaitScale = parse.GetValue(_waitScale) });
        var outcome = await pipeline.RedriveAsync(id, progress.OnEvent, cancellationToken).ConfigureAwait(false);
        RunSummary.Print(console, outcome, directory, progress.IngestResults);
        return outcome.Succeeded ? ExitCodes.Success : ExitCodes.Failure;
    }
}
