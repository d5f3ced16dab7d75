using System.CommandLine;
using StockFlow.Cli.Hosting;
using StockFlow.Runtime.Local;

namespace StockFlow.Cli.Commands;

/// <summary><c>stockflow stop &lt;id&gt;</c>: ask a running execution to stop (it ends ABORTED).</summary>
internal sealed class StopCommand
{
    private readonly Argument<string> _id = new("id") { Description = "The running execution to stop." };
    private readonly Option<string?> _dataDir = CommonOptions.DataDir();

    public static Command Create() => new StopCommand().Build();

    private Command Build()
    {
        var command = new Command("stop", "Ask a running execution to stop (it ends ABORTED).") { _id, _dataDir };
        CliAction.Set(command, Execute);
        return command;
    }

    private int Execute(ParseResult parse, CliConsole console)
    {
        var directory = new DataDirectory(parse.GetValue(_dataDir));
        using var store = ExecutionCommands.OpenExisting(directory);
        var execution = ExecutionCommands.Find(store, directory, parse.GetValue(_id)!);
        if (!store!.RequestStop(execution.Summary.ExecutionArn))
        {
            throw new CliException($"Execution {execution.Summary.Name} is {execution.Summary.Status}, not RUNNING: there is nothing to stop.");
        }

        console.Out.WriteLine($"Stop requested for {execution.Summary.Name}.");
        return ExitCodes.Success;
    }
}
